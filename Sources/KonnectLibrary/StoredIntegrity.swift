import KonnectCore

/// Library rows are untrusted input (SPEC §7): a definition is checked
/// whenever it is read, so a damaged object is an error naming it — never
/// shown as `null`, counted as in sync, planned against or exported. Every
/// backend calls these on what it reads.
public enum StoredIntegrity {
    /// The id and kind of a stored row: a known kind and a slug.
    public static func checkKey(kind: String, id: String) throws -> ObjectKind {
        guard let objectKind = ObjectKind(rawValue: kind) else {
            throw LibraryError.damaged(kind: "object", id: id, reason: "its kind `\(TerminalText.escaped(kind))` is unknown")
        }
        guard Slug.isValid(id) else {
            throw LibraryError.damaged(kind: kind, id: id, reason: "its id is not a slug")
        }
        return objectKind
    }

    /// A stored definition: it hashes to `hash` and is a JSON object whose
    /// `id` is the row's.
    public static func checkDefinition(_ definition: String, hash: String, kind: String, id: String) throws {
        guard SHA256Hex.digest(definition) == hash else {
            throw LibraryError.damaged(kind: kind, id: id, reason: "its definition does not match its hash")
        }
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(definition)
        } catch {
            throw LibraryError.damaged(kind: kind, id: id, reason: "its definition is not valid JSON")
        }
        guard case .object = parsed, parsed["id"]?.stringValue == id else {
            throw LibraryError.damaged(kind: kind, id: id, reason: "its definition is not the object's")
        }
    }

    /// A stored list of strings (tags, sensitive paths): a JSON array of strings.
    public static func strings(_ json: String, field: String, kind: String, id: String) throws -> [String] {
        if json == "[]" { return [] }
        guard let value = try? JSONParser.parse(json), case .array(let items) = value else {
            throw LibraryError.damaged(kind: kind, id: id, reason: "its \(field) are not a JSON list")
        }
        return try items.map {
            guard let s = $0.stringValue else { throw LibraryError.damaged(kind: kind, id: id, reason: "its \(field) are not strings") }
            return s
        }
    }
}
