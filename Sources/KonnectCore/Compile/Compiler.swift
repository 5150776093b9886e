/// The compile stage: checked konnectors and connections to canonical,
/// hashed definitions (SPEC §8). Defaults are filled from the schema and
/// expressions re-printed from their syntax trees, so comments, key order,
/// quoting, flow/block style and spacing inside `{{ }}` change nothing.
public enum Compiler {
    /// Every object of a project that checked clean, from its models (the
    /// validator kept them): connections first, then konnectors, compiled in
    /// parallel (each is independent); with a library, those it holds from
    /// the same `CompileKey` are taken from it instead of compiled again.
    public static func compile(_ project: CheckedProject, reusing library: LibrarySnapshot? = nil) -> [CompiledObject] {
        guard let library else { return compile(project, keys: nil, models: project.checkedKonnectors.map(Optional.some), reusing: nil) }
        precondition(project.checkedKonnectors.count == project.outlines.count, "compiling from models needs the validator to keep them")
        let keys = CompileKey.keys(for: project)
        var models = [CheckedKonnector?](repeating: nil, count: project.outlines.count)
        for i in toCompile(project, keys: keys, library: library) { models[i] = project.checkedKonnectors[i] }
        return compile(project, keys: keys, models: models, reusing: library)
    }

    /// The konnectors (indices into `project.outlines`) a plan against
    /// `library` compiles: those without a key or whose key is not the one
    /// the library's copy was applied from. Only these need their models.
    public static func toCompile(_ project: CheckedProject, keys: [String], library: LibrarySnapshot) -> [Int] {
        // Decided in parallel: a lookup and a key comparison for every konnector.
        let outlines = project.outlines
        let compiles = Parallel.map(Array(outlines.indices)) { i in
            guard !keys[i].isEmpty, let at = library.position(of: LibrarySnapshot.Key(.konnector, outlines[i].id)) else { return true }
            return library.owned[at].sourceKey != keys[i]
        }
        return compiles.indices.filter { compiles[$0] }
    }

    /// Connections, then konnectors: those with a model (by outline index)
    /// compiled, the others taken from the library's copy by their key.
    public static func compile(_ project: CheckedProject, keys: [String]?, models: [CheckedKonnector?],
                               reusing library: LibrarySnapshot?) -> [CompiledObject] {
        let connections = project.connections.compactMap(compile)
        let outlines = project.outlines
        var konnectors = Parallel.map(Array(outlines.indices)) { i -> CompiledObject in
    /// One step's canonical definition: the parts every kind has, then its kind's.
    static func step(_ step: CheckedKonnector.Step, sensitive: inout [String]) -> JSONValue {
        switch step.kind {
        case .action(let a):
            return .object([
                "id": .string(step.id),
                "app": .string(a.operation.app),
                "action": .string(a.operation.key),
                "connection": .optional(a.connection),
                "if": step.condition.map { .string(ExpressionPrinter.print($0)) } ?? .null,
                "on_error": .string(a.onError.rawValue),
                "with": fields(a.inputs, specs: a.operation.fields, path: "steps.\(step.id).with", sensitive: &sensitive),
            ])
        case .paths, .repeatLoop, .delay:
            preconditionFailure("not decoded yet")
        }
    }

            if let k = models[i] {
                var compiled = compile(k, outline: outlines[i])
                compiled.sourceKey = keys?[i] ?? ""
                return compiled
            }
            // Without a model, `toCompile` found the library's copy from the same key.
            let o = outlines[i], key = LibrarySnapshot.Key(.konnector, o.id)
            guard let library, let at = library.position(of: key) else {
                preconditionFailure("konnector \(o.id) has neither its model nor the library's copy")
            }
            return CompiledObject(kind: .konnector, id: o.id, name: o.name, enabled: o.enabled, tags: o.tags,
                                  hash: library.owned[at].hash, sourceKey: keys?[i] ?? "",
                                  sensitivePaths: library.owned[at].sensitivePaths,
                                  renamedFrom: o.renamedFrom, connections: o.connections, sourceFile: o.file, idRange: o.idRange)
        }
        // Inserting moves the konnectors along; `+` would copy each one.
        konnectors.insert(contentsOf: connections, at: 0)
        return konnectors
    }

    public static func compile(_ k: CheckedKonnector) -> CompiledObject {
        compile(k, outline: KonnectorOutline(k))
    }

    /// With its outline at hand (the validator made one): tags sorted and
    /// connections gathered once.
    static func compile(_ k: CheckedKonnector, outline: KonnectorOutline) -> CompiledObject {
        var sensitive: [String] = []
        let trigger: JSONValue = .object([
            "app": .string(k.trigger.app),
            "event": .string(k.trigger.key),
            "connection": .optional(k.triggerConnection),
            "with": fields(k.config, specs: k.trigger.fields, path: "trigger.with", sensitive: &sensitive),
        ])
        let steps: [JSONValue] = k.steps.map { step($0, sensitive: &sensitive) }
        let source = k.konnector
        let definition: JSONValue = .object([
            "id": .string(k.id),
            "name": .string(source.name?.value ?? ""),
            "description": .optional(source.description?.value),
            "tags": .array(outline.tags.map(JSONValue.string)),
            "enabled": .bool(source.isEnabled),
            "trigger": trigger,
            "when": k.when.map { .string(ExpressionPrinter.print($0)) } ?? .null,
            "steps": .array(steps),
        ])
        return CompiledObject(kind: .konnector, id: k.id, name: outline.name, enabled: outline.enabled,
                              tags: outline.tags, definition: definition, sensitivePaths: sensitive,
                              renamedFrom: outline.renamedFrom, connections: outline.connections,
                              sourceFile: outline.file, idRange: outline.idRange)
    }

    public static func compile(_ c: Connection) -> CompiledObject? {
        guard let id = c.id?.value, let app = c.app?.value else { return nil }
        let definition: JSONValue = .object([
            "id": .string(id),
            "app": .string(app),
            "scopes": .array(Array(Set(c.scopes.map(\.value))).sorted().map(JSONValue.string)),
            "secret": .optional(c.secret?.value.reference),
        ])
        return CompiledObject(kind: .connection, id: id, name: id, enabled: true, tags: [], definition: definition,
                              sensitivePaths: [], renamedFrom: nil, connections: [], sourceFile: c.file, idRange: c.id?.range)
    }

    /// A `with:` mapping with the schema's defaults filled in.
    static func fields(_ value: CheckedValue, specs: [FieldSpec], path: String, sensitive: inout [String]) -> JSONValue {
        guard case .object(let given, _) = value else { return .object([]) }
        var members: [JSONValue.Member] = []
        for spec in specs {
            let fieldPath = "\(path).\(spec.name)"
            if let v = given[spec.name] {
                members.append(.init(spec.name, json(v)))
            } else if let d = spec.defaultValue {
                members.append(.init(spec.name, d.json))
            } else {
                continue
            }
            if spec.sensitive { sensitive.append(fieldPath) }
        }
        return .object(members)
    }

    /// Literals as data; templates as canonical template text.
    public static func json(_ v: CheckedValue) -> JSONValue {
        switch v {
        case .literal(let s): return s.json
        case .expression(let e): return .string("{{ \(ExpressionPrinter.print(e)) }}")
        case .template(let parts):
            return .string(parts.map { part in
                switch part {
                case .text(let t): return t
                case .expression(let e): return "{{ \(ExpressionPrinter.print(e)) }}"
                }
            }.joined())
        case .array(let items): return .array(items.map(json))
        case .object(let values, let order): return .object(order.map { JSONValue.Member($0, json(values[$0]!)) })
        }
    }
}
