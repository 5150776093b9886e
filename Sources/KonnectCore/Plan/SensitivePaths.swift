/// The sensitive paths a compiled konnector definition must declare, from
/// the app schemas: the fields marked `sensitive` that it sets, at the paths
/// diffs name (`steps.route.paths.vip.steps.alert.with.url`). A saved plan
/// file is untrusted (SPEC §8): one that declares fewer would have its
/// literals shown in clear by `show` and `history`, so apply refuses it.
public enum SensitivePaths {
    public static func required(by definition: JSONValue, schemas: SchemaSet) -> [String] {
        var out: [String] = []
        func fields(_ with: JSONValue?, of operation: Operation?, at path: String) {
            guard let operation, case .object(let members)? = with else { return }
            for m in members where operation.fields.contains(where: { $0.name == m.key && $0.sensitive }) {
                out.append("\(path).\(m.key)")
            }
        }
        if let trigger = definition["trigger"], case .string(let app)? = trigger["app"], case .string(let event)? = trigger["event"] {
            fields(trigger["with"], of: schemas[app]?.trigger(event), at: "trigger.with")
        }
        func steps(_ list: JSONValue?, at path: String, depth: Int) {
            guard depth <= DocumentDecoder.maxDepth, case .array(let items)? = list else { return }
            for step in items {
                guard case .string(let id)? = step["id"] else { continue }
                let at = "\(path).\(id)"
                if case .string(let app)? = step["app"], case .string(let action)? = step["action"] {
                    fields(step["with"], of: schemas[app]?.action(action), at: "\(at).with")
                }
                if case .array(let paths)? = step["paths"] {
                    for p in paths { if case .string(let pid)? = p["id"] { steps(p["steps"], at: "\(at).paths.\(pid).steps", depth: depth + 1) } }
                }
                if step["repeat"] != nil { steps(step["steps"], at: "\(at).steps", depth: depth + 1) }
            }
        }
        steps(definition["steps"], at: "steps", depth: 1)
        return out
    }
}
