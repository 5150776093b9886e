/// Field-level differences between two definitions. Steps are matched by
/// id, not by position, so inserting a step shows as one new step.
public enum DefinitionDiffer {
    public static func diff(before: JSONValue?, after: JSONValue?, sensitivePaths: [String]) -> [FieldDiff] {
        let old = before.map(leaves) ?? []
        let new = after.map(leaves) ?? []
        var oldIndex: [String: JSONValue] = [:]
        for (p, v) in old { oldIndex[p] = v }
        var newIndex: [String: JSONValue] = [:]
        for (p, v) in new { newIndex[p] = v }
        var out: [FieldDiff] = []
        func sensitive(_ path: String) -> Bool {
            sensitivePaths.contains { path == $0 || path.hasPrefix($0 + ".") || path.hasPrefix($0 + "[") }
        }
        for (path, value) in new {
            if let was = oldIndex[path] {
                if was.serialized(sortedKeys: true) != value.serialized(sortedKeys: true) {
                    out.append(FieldDiff(path: path, before: was, after: value, sensitive: sensitive(path)))
                }
            } else {
                out.append(FieldDiff(path: path, before: nil, after: value, sensitive: sensitive(path)))
            }
        }
        for (path, value) in old where newIndex[path] == nil {
            out.append(FieldDiff(path: path, before: value, after: nil, sensitive: sensitive(path)))
        }
        // Reordered steps: one entry with the ids in each order.
        let oldOrder = stepOrder(before), newOrder = stepOrder(after)
        if !oldOrder.isEmpty, !newOrder.isEmpty, oldOrder != newOrder,
           Set(oldOrder).intersection(newOrder).count > 1,
           oldOrder.filter(newOrder.contains) != newOrder.filter(oldOrder.contains) {
            out.append(FieldDiff(path: "steps", before: .array(oldOrder.map(JSONValue.string)),
                                 after: .array(newOrder.map(JSONValue.string)), sensitive: false))
        }
        return out.sorted { $0.path < $1.path }
    }

    static func stepOrder(_ v: JSONValue?) -> [String] {
        guard case .array(let steps)? = v?["steps"] else { return [] }
        return steps.compactMap { if case .string(let id)? = $0["id"] { return id } else { return nil } }
    }

    /// Leaves in path order. Arrays of scalars are one leaf; steps are keyed by id.
    static func leaves(_ v: JSONValue) -> [(String, JSONValue)] {
        var out: [(String, JSONValue)] = []
        flatten(v, path: "", into: &out)
        return out
    }

    private static func flatten(_ v: JSONValue, path: String, into out: inout [(String, JSONValue)]) {
        func join(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
        switch v {
        case .object(let members):
            for m in members.sorted(by: { $0.key < $1.key }) {
                flatten(m.value, path: join(m.key), into: &out)
            }
        case .array(let items):
            if path == "steps" {
                for item in items {
                    guard case .string(let id)? = item["id"], case .object(let members) = item else { continue }
                    for m in members.sorted(by: { $0.key < $1.key }) where m.key != "id" {
                        flatten(m.value, path: "steps.\(id).\(m.key)", into: &out)
                    }
                }
            } else if items.allSatisfy({ if case .object = $0 { return false }; if case .array = $0 { return false }; return true }) {
                out.append((path, v))
            } else {
                for (i, item) in items.enumerated() { flatten(item, path: "\(path)[\(i)]", into: &out) }
            }
        default:
            out.append((path, v))
        }
    }
}
