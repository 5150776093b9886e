/// The compile stage: checked konnectors and connections to canonical,
/// hashed definitions (SPEC §8). Defaults are filled from the schema and
/// expressions re-printed from their syntax trees, so comments, key order,
/// quoting, flow/block style and spacing inside `{{ }}` change nothing.
/// A whole project is compiled, against the library, by `PlanPipeline`.
public enum Compiler {
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
        let steps: [JSONValue] = k.steps.map { step($0, in: "steps", sensitive: &sensitive) }
        let source = k.konnector
        let definition: JSONValue = .object([
            "id": .string(k.id),
            "name": .string(source.name?.value ?? ""),
            "description": .optional(source.description?.value),
            "tags": .array(outline.tags.map(JSONValue.string)),
            "enabled": .bool(source.isEnabled),
            "trigger": TriggerForms.compiled(trigger, of: k),
            "when": k.when.map { .string(ExpressionPrinter.print($0)) } ?? .null,
            "steps": .array(steps),
        ])
        return CompiledObject(kind: .konnector, id: k.id, name: outline.name, enabled: outline.enabled,
                              tags: outline.tags, definition: definition, sensitivePaths: sensitive,
                              renamedFrom: outline.renamedFrom, connections: outline.connections,
                              sourceFile: outline.file, idRange: outline.idRange)
    }

    /// One step's canonical definition: the parts every kind has, then its kind's.
    /// `list` is the path of the step list it is in, as a diff names it
    /// (`steps`, `steps.route.paths.vip.steps`): its sensitive fields' paths
    /// must be exactly the paths the plan, show and history mask.
    static func step(_ step: CheckedKonnector.Step, in list: String, sensitive: inout [String]) -> JSONValue {
        let path = "\(list).\(step.id)"
        let condition: JSONValue = step.condition.map { .string(ExpressionPrinter.print($0)) } ?? .null
        switch step.kind {
        case .action(let a):
            var members: [JSONValue.Member] = [
                .init("id", .string(step.id)),
                .init("app", .string(a.operation.app)),
                .init("action", .string(a.operation.key)),
                .init("connection", .optional(a.connection)),
                .init("if", condition),
                .init("on_error", .string(a.onError.rawValue)),
            ]
            // Only a step that retries has `retry` (older definitions stay as they were).
            if let r = a.retry {
                members.append(.init("retry", .object(["times": .int(r.times), "wait": .string(FlowDuration(seconds: r.waitSeconds).description)])))
            }
            members.append(.init("with", fields(a.inputs, specs: a.operation.fields, path: "\(path).with", sensitive: &sensitive)))
            return .object(members)
        case .paths(let p):
            return .object([
                "id": .string(step.id),
                "if": condition,
                "mode": .string(p.mode.rawValue),
                "paths": .array(p.paths.map { branch in
                    .object([
                        "id": .string(branch.id),
                        "when": branch.when.map { .string(ExpressionPrinter.print($0)) } ?? .null,
                        "steps": .array(branch.steps.map { self.step($0, in: "\(path).paths.\(branch.id).steps", sensitive: &sensitive) }),
                    ])
                }),
            ])
        case .repeatLoop(let r):
            return .object([
                "id": .string(step.id),
                "if": condition,
                "repeat": .string(ExpressionPrinter.print(r.over)),
                "as": .string(r.name),
                "max": .int(r.max),
                "steps": .array(r.steps.map { self.step($0, in: "\(path).steps", sensitive: &sensitive) }),
            ])
        case .delay(.seconds(let seconds)):
            // Canonical: `120m` and `2h` are the same definition.
            return .object(["id": .string(step.id), "if": condition, "delay": .string(FlowDuration(seconds: seconds).description)])
        case .delay(.until(let e)):
            return .object(["id": .string(step.id), "if": condition, "delay_until": .string(ExpressionPrinter.print(e))])
        }
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
