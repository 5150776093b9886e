/// The compile stage: checked konnectors and connections to canonical,
/// hashed definitions (SPEC §8). Defaults are filled from the schema and
/// expressions re-printed from their syntax trees, so comments, key order,
/// quoting, flow/block style and spacing inside `{{ }}` change nothing.
public enum Compiler {
    /// Every object of a project that checked clean: connections first, then
    /// konnectors (compiled in parallel; each is independent). A konnector
    /// whose `CompileKey` matches the library's copy is not compiled again.
    public static func compile(_ project: CheckedProject, reusing library: LibrarySnapshot? = nil) -> [CompiledObject] {
        let connections = project.connections.compactMap(compile)
        guard let library else { return connections + Parallel.map(project.checkedKonnectors) { compile($0) } }
        let keys = CompileKey.keys(for: project)
        let checked = project.checkedKonnectors
        let konnectors = Parallel.map(Array(checked.indices)) { i -> CompiledObject in
            let k = checked[i], key = keys[i]
            if !key.isEmpty, let o = library[LibrarySnapshot.Key(.konnector, k.id)], o.sourceKey == key {
                return CompiledObject(kind: .konnector, id: k.id, name: k.konnector.name?.value ?? k.id, enabled: k.konnector.isEnabled,
                                      tags: tags(k), hash: o.hash, sourceKey: key, sensitivePaths: o.sensitivePaths,
                                      renamedFrom: k.konnector.renamedFrom?.value, connections: connectionsUsed(k),
                                      sourceFile: k.konnector.file, idRange: k.konnector.id?.range)
            }
            var compiled = compile(k)
            compiled.sourceKey = key
            return compiled
        }
        return connections + konnectors
    }

    public static func compile(_ k: CheckedKonnector) -> CompiledObject {
        var sensitive: [String] = []
        let trigger: JSONValue = .object([
            "app": .string(k.trigger.app),
            "event": .string(k.trigger.key),
            "connection": .optional(k.triggerConnection),
            "with": fields(k.config, specs: k.trigger.fields, path: "trigger.with", sensitive: &sensitive),
        ])
        let steps: [JSONValue] = k.steps.map { step in
            .object([
                "id": .string(step.id),
                "app": .string(step.operation.app),
                "action": .string(step.operation.key),
                "connection": .optional(step.connection),
                "if": step.condition.map { .string(ExpressionPrinter.print($0)) } ?? .null,
                "on_error": .string(step.onError.rawValue),
                "with": fields(step.inputs, specs: step.operation.fields, path: "steps.\(step.id).with", sensitive: &sensitive),
            ])
        }
        let source = k.konnector
        let definition: JSONValue = .object([
            "id": .string(k.id),
            "name": .string(source.name?.value ?? ""),
            "description": .optional(source.description?.value),
            "tags": .array(tags(k).map(JSONValue.string)),
            "enabled": .bool(source.isEnabled),
            "trigger": trigger,
            "when": k.when.map { .string(ExpressionPrinter.print($0)) } ?? .null,
            "steps": .array(steps),
        ])
        return CompiledObject(kind: .konnector, id: k.id, name: source.name?.value ?? k.id, enabled: source.isEnabled,
                              tags: tags(k), definition: definition, sensitivePaths: sensitive,
                              renamedFrom: source.renamedFrom?.value, connections: connectionsUsed(k),
                              sourceFile: source.file, idRange: source.id?.range)
    }

    private static func tags(_ k: CheckedKonnector) -> [String] { k.konnector.tags.map(\.value).sorted() }

    /// The connections a konnector uses, sorted, each once (a konnector uses
    /// a handful: sorting and skipping repeats beats building a set).
    private static func connectionsUsed(_ k: CheckedKonnector) -> [String] {
        var connections = k.steps.compactMap(\.connection)
        if let c = k.triggerConnection { connections.append(c) }
        connections.sort()
        var unique: [String] = []
        unique.reserveCapacity(connections.count)
        for c in connections where c != unique.last { unique.append(c) }
        return unique
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
