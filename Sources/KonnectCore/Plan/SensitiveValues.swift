/// The literal values of a definition's sensitive fields, to mask wherever
/// else they appear (SPEC §3: masked by value, not by place). A YAML alias
/// copies a webhook URL with its token into a field that is not sensitive
/// (`body: { a: *url }`); the diff, `show` and `history` must not print it
/// there either.
public enum SensitiveValues {
    /// Strings shorter than this are not masked elsewhere (`true`, `GET`).
    static let minimumCount = 4

    /// The string leaves at or under `paths` in `definitions`, paths named as
    /// diffs name them (id-keyed list elements by id, others by index).
    public static func of(_ definitions: [JSONValue?], paths: [String]) -> [String] {
        guard !paths.isEmpty else { return [] }
        let wanted = Set(paths)
        var found: Set<String> = []
        func walk(_ v: JSONValue, _ path: String, inside: Bool) {
            let inside = inside || wanted.contains(path)
            switch v {
            case .string(let s) where inside && s.utf8.count >= minimumCount:
                found.insert(s)
            case .object(let members):
                for m in members { walk(m.value, path.isEmpty ? m.key : "\(path).\(m.key)", inside: inside) }
            case .array(let items):
                if let ids = DefinitionDiffer.keys(items) {
                    for (item, id) in zip(items, ids) {
                        guard case .object(let members) = item else { continue }
                        for m in members { walk(m.value, "\(path).\(id).\(m.key)", inside: inside) }
                    }
                } else {
                    for (i, item) in items.enumerated() { walk(item, "\(path)[\(i)]", inside: inside) }
                }
            default:
                break
            }
        }
        for d in definitions { if let d { walk(d, "", inside: false) } }
        return found.sorted()
    }

    /// Whether `value` holds one of `values` anywhere in its text.
    static func holds(_ value: JSONValue?, any values: [String]) -> Bool {
        guard let value, !values.isEmpty else { return false }
        switch value {
        case .string(let s): return values.contains { s.contains($0) }
        case .object, .array: let text = value.serialized(); return values.contains { text.contains($0) }
        default: return false
        }
    }
}
