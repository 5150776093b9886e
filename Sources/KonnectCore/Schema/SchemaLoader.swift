import KonnectYAML

/// Reads `schemas/<app>.yaml` files (SPEC §4) into `AppSchema`s. A schema
/// that is itself wrong is reported as `invalid-schema`, in the schema file.
public struct SchemaLoader {
    static let topFields = ["app", "name", "description", "auth", "scopes", "types", "triggers", "actions"]
    static let triggerFields = ["name", "description", "scopes", "config", "output", "sample", "payload"]
    static let actionFields = ["name", "description", "scopes", "input", "output", "sample"]
    static let specFields = ["type", "required", "default", "description", "sensitive"]

    public init() {}

    /// Loads every schema file; the result is shared read-only afterwards.
    public func load(_ files: [SourceFile]) -> (SchemaSet, [Diagnostic], [String: SourceText]) {
        let results = Parallel.map(files) { file -> (String, AppSchema?, [Diagnostic], SourceText) in
            let parsed = ParsedFile(file)
            let app = Self.baseName(file.path)
            guard parsed.diagnostics.isEmpty else { return (app, nil, parsed.diagnostics, parsed.stream.source) }
            var reader = SchemaReader(file: file.path, source: parsed.stream.source, expectedApp: app)
            let schema = reader.read(parsed.stream)
            return (app, schema, reader.diagnostics, parsed.stream.source)
        }
        var set = SchemaSet()
        var diagnostics: [Diagnostic] = []
        var sources: [String: SourceText] = [:]
        for ((app, schema, fileDiagnostics, source), file) in zip(results, files) {
            sources[file.path] = source
            diagnostics += fileDiagnostics
            if let schema, !fileDiagnostics.contains(where: { $0.severity == .error }) {
                set.apps[schema.app] = schema
            } else {
                set.brokenApps.insert(app)
                if let schema { set.brokenApps.insert(schema.app) }
            }
        }
        return (set, diagnostics, sources)
    }

    /// A konnector's `trigger.payload:` (SPEC §2.1): field specs as in a
    /// schema's `output:`, which may use the app's named types. Its problems
    /// are the konnector's, `invalid-value` in its file.
    public static func payloadType(_ node: YAMLNode, file: String, source: SourceText, app: AppSchema) -> (ValueType, [Diagnostic]) {
        guard node.mapping != nil else {
            return (.unknown, [.wrongShape("`payload`", expected: "a mapping of field names to types, as in a schema's `output:`",
                                           found: node, file: file)])
        }
        var reader = SchemaReader(file: file, source: source, expectedApp: app.app)
        reader.resolved = app.types
        let type = reader.type(of: node, inOutput: true)
        let diagnostics = reader.diagnostics.map { d -> Diagnostic in
            var d = d
            if d.code == .invalidSchema { d.code = .invalidValue }
            return d
        }
        return (diagnostics.contains { $0.severity == .error } ? .unknown : type, diagnostics)
    }

    static func baseName(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if name.hasSuffix(".yaml") { return String(name.dropLast(5)) }
        if name.hasSuffix(".yml") { return String(name.dropLast(4)) }
        return name
    }
}

/// The state of reading one schema file.
private struct SchemaReader {
    let file: String
    let source: SourceText
    let expectedApp: String
    var diagnostics: [Diagnostic] = []
    var typeNodes: [String: YAMLNode] = [:]
    var resolved: [String: ValueType] = [:]
    var resolving: Set<String> = []
    var declaredScopes: [String] = []
    /// Type strings that resolved without a problem, by their text: a schema
    /// writes a few dozen of them over hundreds of fields.
    var typeStrings: [String: ValueType] = [:]
    /// Object levels open while types are read. Inline objects and named
    /// types are read through each other recursively: bounded by this.
    var nesting = 0
    /// The nesting depth of each resolved named type, so a type that uses
    /// one is measured without walking it again.
    var heights: [String: Int] = [:]
    /// A type too deep is reported once a file: a long chain would trip the limit at every level.
    var depthReported = false

    init(file: String, source: SourceText, expectedApp: String) {
        self.file = file
        self.source = source
        self.expectedApp = expectedApp
    }

    mutating func problem(_ message: String, at range: SourceRange, hint: String? = nil) {
        diagnostics.append(.invalidSchema(message, hint: hint, file: file, at: range))
    }

    mutating func read(_ stream: YAMLStream) -> AppSchema? {
        guard let root = stream.documents.first?.root, let pairs = root.mapping else {
            problem("an app schema must be a mapping starting with `app:`", at: stream.documents.first?.root?.range ?? .fileStart)
            return nil
        }
        let fields = FieldReader(root, pairs: pairs, context: "the schema")
        unknownKeys(pairs, allowed: SchemaLoader.topFields, context: "the schema")
        guard let appNode = fields["app"], let app = appNode.scalar?.text, !app.isEmpty else {
            problem("missing `app:`", at: root.range)
            return nil
        }
        if app != expectedApp {
            problem("the file is named `\(expectedApp)` but declares `app: \(app)`", at: appNode.range,
                    hint: "rename the file to `\(app).yaml` or change `app:`")
        }
        let name = fields["name"]?.scalar?.text ?? app
        var auth = AppSchema.Auth.none
        if let a = fields["auth"] {
            if let value = a.scalar?.text, let parsed = AppSchema.Auth(rawValue: value) {
                auth = parsed
            } else {
                problem("`auth` must be one of oauth2, api_key, basic, none", at: a.range)
            }
        } else {
            problem("missing `auth:` (oauth2, api_key, basic or none)", at: appNode.range)
        }
        var scopes: [(name: String, description: String)] = []
        if let s = fields["scopes"], !s.isNull {
            if let scopePairs = s.mapping {
                for p in scopePairs { scopes.append((p.keyText ?? "", p.value.scalar?.text ?? "")) }
            } else {
                problem("`scopes` must map each scope to its description", at: s.range)
            }
        }
        declaredScopes = scopes.map(\.name)
        if let t = fields["types"], !t.isNull {
            if let typePairs = t.mapping {
                for p in typePairs {
                    guard let n = p.keyText else { continue }
                    typeNodes[n] = p.value
                }
                for p in typePairs { if let n = p.keyText { _ = namedType(n, at: p.key.range) } }
            } else {
                problem("`types` must map type names to object types", at: t.range)
            }
        }
        let triggers = operations(fields["triggers"], kind: .trigger, app: app)
        let actions = operations(fields["actions"], kind: .action, app: app)
        return AppSchema(app: app, name: name, auth: auth, scopes: scopes, types: resolved,
                         triggers: triggers, actions: actions, file: file)
    }

    mutating func unknownKeys(_ pairs: YAMLPairs, allowed: [String], context: String) {
        for p in pairs {
            guard let key = p.keyText, !allowed.contains(key) else { continue }
            problem("unknown key `\(key)` in \(context)", at: p.key.range,
                    hint: Suggestion.hint(for: key, among: allowed, noun: "valid keys"))
        }
    }

    // MARK: operations

    mutating func operations(_ node: YAMLNode?, kind: Operation.Kind, app: String) -> [Operation] {
        guard let node, !node.isNull else { return [] }
        guard let pairs = node.mapping else {
            problem("`\(kind.rawValue)s` must map names to definitions", at: node.range)
            return []
        }
        return pairs.compactMap { p in
            guard let key = p.keyText else { return nil }
            return operation(key, p.value, kind: kind, app: app)
        }
    }

    mutating func operation(_ key: String, _ node: YAMLNode, kind: Operation.Kind, app: String) -> Operation? {
        guard let pairs = node.mapping else {
            problem("\(kind.rawValue) `\(key)` must be a mapping", at: node.range)
            return nil
        }
        let fields = FieldReader(node, pairs: pairs, context: "\(kind.rawValue) `\(key)`")
        let allowed = kind == .trigger ? SchemaLoader.triggerFields : SchemaLoader.actionFields
        unknownKeys(pairs, allowed: allowed, context: "\(kind.rawValue) `\(key)`")
        var scopes: [String] = []
        if let s = fields["scopes"], !s.isNull {
            for item in s.sequence ?? .empty {
                guard let scope = item.scalar?.text else { continue }
                if !declaredScopes.contains(scope) {
                    problem("scope `\(scope)` is used but not declared under `scopes:`", at: item.range,
                            hint: Suggestion.hint(for: scope, among: declaredScopes, noun: "declared scopes"))
                }
                scopes.append(scope)
            }
            if s.sequence == nil { problem("`scopes` must be a list", at: s.range) }
        }
        let fieldsKey = kind == .trigger ? "config" : "input"
        var specs: [FieldSpec] = []
        if let f = fields[fieldsKey], !f.isNull {
            if let fieldPairs = f.mapping {
                specs = fieldPairs.compactMap { fp in fp.keyText.flatMap { field($0, fp.value, inOutput: false) } }
            } else {
                problem("`\(fieldsKey)` must map field names to types", at: f.range)
            }
        }
        var output = ValueType.object(ObjectType(fields: []))
        if let o = fields["output"], !o.isNull {
            output = type(of: o, inOutput: true)
        }
        var sample: SchemaValue? = nil
        if let s = fields["sample"], !s.isNull {
            sample = SchemaValue(s)
            var checker = ValueChecker(file: file, source: source, scope: nil)
            _ = checker.check(s, as: output, required: true, what: "the sample")
            let owner = "\(app).\(key)"
            diagnostics += checker.diagnostics.map { $0.asSchemaProblem(context: "sample of \(owner)") }
        }
        return Operation(kind: kind, app: app, key: key, name: fields["name"]?.scalar?.text ?? key,
                         description: fields["description"]?.scalar?.text, scopes: scopes, fields: specs,
                         output: output, sample: sample, payloadField: fields["payload"].flatMap { payload($0, output: output) })
    }

    /// A trigger's `payload:`: the name of an output field of type `any` (SPEC §4).
    mutating func payload(_ node: YAMLNode, output: ValueType) -> String? {
        guard node.scalarKind == .string, let name = node.scalarText else {
            problem("`payload` must name an output field of type `any`", at: node.range)
            return nil
        }
        guard case .object(let object) = output, let field = object.field(name) else {
            let names: [String]
            if case .object(let object) = output { names = object.fieldNames } else { names = [] }
            problem("`payload` names `\(name)`, which is not an output field", at: node.range,
                    hint: Suggestion.hint(for: name, among: names, noun: "output fields"))
            return nil
        }
        guard case .any = field.type else {
            problem("`payload` names `\(name)`, of type \(field.type); it must be of type `any`", at: node.range)
            return nil
        }
        return name
    }

    // MARK: types

    /// A field: a type string, a spec map `{ type, required, … }`, or an inline object.
    mutating func field(_ name: String, _ node: YAMLNode, inOutput: Bool) -> FieldSpec? {
        if let pairs = node.mapping, isSpec(pairs) {
            unknownKeys(pairs, allowed: SchemaLoader.specFields, context: "field `\(name)`")
            let spec = FieldReader(node, pairs: pairs, context: "field `\(name)`")
            let t = spec["type"].map { type(of: $0, inOutput: inOutput) } ?? .any
            let required = spec["required"]?.scalar?.value == .bool(true)
            var defaultValue: SchemaValue? = nil
            if let d = spec["default"] {
                var checker = ValueChecker(file: file, source: source, scope: nil)
                _ = checker.check(d, as: t, required: false, what: "the default of `\(name)`")
                diagnostics += checker.diagnostics.map { $0.asSchemaProblem(context: "field `\(name)`") }
                defaultValue = SchemaValue(d)
            }
            if let r = spec["required"], case .bool = r.scalar?.value {} else if let r = spec["required"] {
                problem("`required` must be true or false", at: r.range)
            }
            if let s = spec["sensitive"], case .bool = s.scalar?.value {} else if let s = spec["sensitive"] {
                problem("`sensitive` must be true or false", at: s.range)
            }
            return FieldSpec(name: name, type: t, required: inOutput ? !t.isNullable : required, defaultValue: defaultValue,
                             description: spec["description"]?.scalar?.text,
                             sensitive: spec["sensitive"]?.scalar?.value == .bool(true))
        }
        let t = type(of: node, inOutput: inOutput)
        return FieldSpec(name: name, type: t, required: inOutput ? !t.isNullable : false)
    }

    /// A field spec has a `type:` and otherwise spec keys, or near misses of
    /// them (`requird`), which are reported rather than read as an object type.
    func isSpec(_ pairs: YAMLPairs) -> Bool {
        guard let typeNode = pairs.first(where: { $0.keyText == "type" })?.value, typeNode.scalar != nil else { return false }
        return pairs.allSatisfy { pair in
            guard let key = pair.keyText else { return false }
            return SchemaLoader.specFields.contains(key) || Suggestion.closest(to: key, among: SchemaLoader.specFields) != nil
        }
    }

    /// A type string or an inline map (object type).
    /// Nested more than `TypeParser.maxDepth` levels (arrays, objects, named
    /// types through each other), it is `limit-exceeded` (SPEC §6).
    mutating func type(of node: YAMLNode, inOutput: Bool) -> ValueType {
        let t: ValueType
        switch node.content {
        case .scalar(let s):
            t = typeString(s.text, at: node.range)
        case .mapping(let pairs):
            guard nesting < TypeParser.maxDepth else { return tooDeep(at: node.range) }
            nesting += 1
            let fields = pairs.compactMap { p in p.keyText.flatMap { field($0, p.value, inOutput: true) } }
            nesting -= 1
            t = .object(ObjectType(fields: fields))
        case .sequence:
            problem("a type is a type string or a mapping, not a list", at: node.range, hint: "write `array<T>`")
            return .unknown
        }
        guard height(t) <= TypeParser.maxDepth else { return tooDeep(at: node.range) }
        return t
    }

    /// Levels of nesting in `t`: an array or an object is one more than the
    /// deepest type inside it. The parts were measured when they were read,
    /// so this recurses no deeper than the limit (named types are looked up).
    func height(_ t: ValueType) -> Int {
        switch t {
        case .optional(let u): return height(u)
        case .array(let element): return 1 + height(element)
        case .object(let o):
            if let name = o.name, let h = heights[name] { return h }
            var deepest = 0
            for f in o.fields { deepest = max(deepest, height(f.type)) }
            return 1 + deepest
        default: return 0
        }
    }

    mutating func tooDeep(at range: SourceRange) -> ValueType {
        if !depthReported {
            diagnostics.append(.schemaTypeTooDeep(max: TypeParser.maxDepth, file: file, at: range))
            depthReported = true
        }
        return .unknown
    }

    mutating func typeString(_ text: String, at range: SourceRange) -> ValueType {
        if let known = typeStrings[text] { return known }
        let problemsBefore = diagnostics.count
        let type = parseTypeString(text, at: range)
        // A text that had a problem is parsed again where it recurs, so each place is reported.
        if diagnostics.count == problemsBefore { typeStrings[text] = type }
        return type
    }

    private mutating func parseTypeString(_ text: String, at range: SourceRange) -> ValueType {
        var names: [String] = []
        // Named types resolve through `self`, so collect them first and resolve after parsing.
        let parser = TypeParser(resolveName: { name in
            names.append(name)
            return .unknown
        })
        do {
            _ = try parser.parse(text)
        } catch {
            if case .tooDeep = error { return tooDeep(at: range) }
            if case .syntax(let message) = error {
                problem("invalid type `\(text)`: \(message)", at: range,
                        hint: "types are string, integer, number, boolean, date, datetime, email, url, any, enum(…), array<…>, a named type, with `?` for nullable")
                return .unknown
            }
        }
        for name in names where typeNodes[name] == nil && resolved[name] == nil {
            let known = Set(typeNodes.keys).union(resolved.keys).sorted()
            problem("unknown type `\(name)`", at: range,
                    hint: Suggestion.hint(for: name, among: known + Array(TypeParser.baseNames.keys).sorted(), noun: "known types"))
            return .unknown
        }
        for name in names { _ = namedType(name, at: range) }
        let resolvedTypes = resolved
        let final = TypeParser(resolveName: { resolvedTypes[$0] ?? .unknown })
        return (try? final.parse(text)) ?? .unknown
    }

    mutating func namedType(_ name: String, at range: SourceRange) -> ValueType {
        if let t = resolved[name] { return t }
        guard let node = typeNodes[name] else { return .unknown }
        guard !resolving.contains(name) else {
            problem("type `\(name)` contains itself", at: range, hint: "object types cannot be recursive")
            return .unknown
        }
        resolving.insert(name)
        defer { resolving.remove(name) }
        var t = type(of: node, inOutput: true)
        if case .object(var o) = t {
            o.name = name
            t = .object(o)
        } else if node.mapping == nil {
            problem("named type `\(name)` must be an object type (a mapping of fields)", at: node.range)
        }
        resolved[name] = t
        heights[name] = height(t)
        return t
    }
}
