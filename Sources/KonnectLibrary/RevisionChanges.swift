import KonnectCore

/// What an apply records about itself.
public struct RevisionInfo: Sendable {
    public var user: String
    public var gitCommit: String
    /// RFC 3339, UTC.
    public var time: String

    public init(user: String, gitCommit: String, time: String) {
        self.user = user
        self.gitCommit = gitCommit
        self.time = time
    }
}

/// A revision's change list as a library stores it: one JSON array, the
/// same on every backend. Read back as untrusted input.
public enum RevisionChanges {
    public static func encode(_ changes: [Revision.Change]) -> String {
        // Each change is written on its own, on every core (a first apply records
        // thousands), and the array joined: the same text as the whole array written.
        "[" + Parallel.map(changes) { encode($0).serialized() }.joined(separator: ",") + "]"
    }

    static func encode(_ c: Revision.Change) -> JSONValue {
        var members: [JSONValue.Member] = [
            .init("kind", .string(c.kind)), .init("id", .string(c.id)), .init("action", .string(c.action)),
            .init("renamed_from", .optional(c.renamedFrom)), .init("version", c.version.map(JSONValue.int) ?? .null),
        ]
        // A field absent on one side has no `before` (or `after`) member.
        if !c.diff.isEmpty {
            members.append(.init("diff", .array(c.diff.map { d in
                var m: [JSONValue.Member] = [.init("path", .string(d.path))]
                if let b = d.before { m.append(.init("before", b)) }
                if let a = d.after { m.append(.init("after", a)) }
                if d.sensitive { m.append(.init("sensitive", .bool(true))) }
                return .object(m)
            })))
        }
        return .object(members)
    }

    /// A stored change's diffs; a revision written before diffs were recorded has none.
    static func decodeDiff(_ value: JSONValue?, serial: Int) throws -> [FieldDiff] {
        guard let value, value != .null else { return [] }
        guard case .array(let items) = value else { throw LibraryError.corrupt("the diff of a change of revision \(serial) is not a list") }
        return try items.map { d in
            guard let path = d["path"]?.stringValue else { throw LibraryError.corrupt("a diff of revision \(serial) lacks its path") }
            // Anything but an absent or `false` mark is taken as sensitive: a damaged mark hides a value, never shows one.
            let sensitive = d["sensitive"].map { $0 != .bool(false) } ?? false
            return FieldDiff(path: path, before: d["before"], after: d["after"], sensitive: sensitive)
        }
    }

    public static func decode(_ json: String, serial: Int) throws -> [Revision.Change] {
        guard let parsed = try? JSONParser.parse(json), case .array(let items) = parsed else {
            throw LibraryError.corrupt("the change list of revision \(serial) is not a JSON list")
        }
        return try items.map { c in
            guard let kind = c["kind"]?.stringValue, let id = c["id"]?.stringValue, let action = c["action"]?.stringValue else {
                throw LibraryError.corrupt("a change of revision \(serial) lacks its kind, id or action")
            }
            var version: Int? = nil
            if case .int(let v)? = c["version"] { version = v }
            return Revision.Change(kind: kind, id: id, action: action, renamedFrom: c["renamed_from"]?.stringValue, version: version,
                                   diff: try decodeDiff(c["diff"], serial: serial))
        }
    }
}
