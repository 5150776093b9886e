/// `konnect list` (SPEC §10): this project's objects in the library, and
/// whether the repository's definition differs, as a table or JSON.
public struct ListView: Sendable {
    public struct Row: Sendable {
        public var object: StoredObject
        /// `in sync`, `differs`, `not in repo`, or `unknown` (the repository does not check).
        public var drift: String

        public init(object: StoredObject, drift: String) {
            self.object = object
            self.drift = drift
        }
    }

    public init() {}

    public func text(_ rows: [Row], project: String) -> String {
        guard !rows.isEmpty else {
            return "The library holds nothing for project `\(TerminalText.escaped(project))` yet. Run `konnect apply`.\n"
        }
        let e = TerminalText.escaped
        return TextTable.render([["ID", "KIND", "ENABLED", "VERSION", "UPDATED", "REPOSITORY"]] + rows.map { r in
            let o = r.object
            return [e(o.id), o.kind.rawValue, o.enabled ? "yes" : "no", String(o.version), e(o.updatedAt), r.drift]
        })
    }

    public func json(_ rows: [Row]) -> String {
        JSONValue.object(["objects": .array(rows.map { r in
            let o = r.object
            return .object([
                "id": .string(o.id), "kind": .string(o.kind.rawValue), "enabled": .bool(o.enabled),
                "version": .int(o.version), "updated": .string(o.updatedAt), "drift": .string(r.drift),
            ])
        })]).serializedForTerminal() + "\n"
    }
}

/// Columns padded to their widest cell, two spaces apart; the last column unpadded.
public enum TextTable {
    public static func render(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = first.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
