/// `konnect show ID` (SPEC §10): one object as the library holds it, its
/// definition with sensitive values masked (SPEC §4), as text or JSON.
public struct ShowView: Sendable {
    public init() {}

    public func text(_ o: StoredObject) -> String {
        var header = "\(o.kind.rawValue) \(o.id)  version \(o.version)  \(o.enabled ? "enabled" : "disabled")\n"
        header += "hash     \(o.hash)\nupdated  \(o.updatedAt) (created \(o.createdAt))\n"
        header += "source   \(o.sourceFile)\(o.sourceCommit.isEmpty ? "" : " @ \(HistoryView.shortCommit(o.sourceCommit))")\n\n"
        // Line by line, so that no stored text can forge a line or move the cursor (SPEC §6).
        let text = header + Self.masked(o.definition, o.sensitivePaths).pretty()
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { TerminalText.escaped(String($0)) }.joined(separator: "\n") + "\n"
    }

    public func json(_ o: StoredObject) -> String {
        JSONValue.object([
            "kind": .string(o.kind.rawValue), "id": .string(o.id), "owner": .string(o.owner), "name": .string(o.name),
            "enabled": .bool(o.enabled), "version": .int(o.version), "hash": .string(o.hash),
            "created": .string(o.createdAt), "updated": .string(o.updatedAt),
            "source": .object(["file": .string(o.sourceFile), "commit": .string(o.sourceCommit)]),
            "definition": Self.masked(o.definition, o.sensitivePaths),
        ]).serializedForTerminal() + "\n"
    }

    /// `definition` with the value at each of `paths` (`steps.ID.with.FIELD`:
    /// steps are named by id) replaced by `(sensitive)`.
    public static func masked(_ definition: JSONValue, _ paths: [String]) -> JSONValue {
        func walk(_ v: JSONValue, _ path: String) -> JSONValue {
            if paths.contains(path) { return .string("(sensitive)") }
            switch v {
            case .object(let members):
                return .object(members.map { .init($0.key, walk($0.value, path.isEmpty ? $0.key : "\(path).\($0.key)")) })
            case .array(let items) where path == "steps":
                return .array(items.map { step in
                    let id = step["id"]?.stringValue ?? ""
                    guard case .object(let members) = step else { return step }
                    return .object(members.map { .init($0.key, walk($0.value, "steps.\(id).\($0.key)")) })
                })
            default:
                return v
            }
        }
        return walk(definition, "")
    }
}
