import KonnectCore

/// One apply in the library's history (SPEC §7).
public struct Revision: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        public var kind: String
        public var id: String
        public var action: String
        public var renamedFrom: String?
        public var version: Int?

        public init(kind: String, id: String, action: String, renamedFrom: String?, version: Int?) {
            self.kind = kind
            self.id = id
            self.action = action
            self.renamedFrom = renamedFrom
            self.version = version
        }
    }

    public var serial: Int
    public var appliedAt: String
    public var project: String
    public var user: String
    public var gitCommit: String
    public var changes: [Change]

    public init(serial: Int, appliedAt: String, project: String, user: String, gitCommit: String, changes: [Change]) {
        self.serial = serial
        self.appliedAt = appliedAt
        self.project = project
        self.user = user
        self.gitCommit = gitCommit
        self.changes = changes
    }
}

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
        JSONValue.array(changes.map { c in
            .object([
                "kind": .string(c.kind), "id": .string(c.id), "action": .string(c.action),
                "renamed_from": .optional(c.renamedFrom), "version": c.version.map(JSONValue.int) ?? .null,
            ])
        }).serialized()
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
            return Revision.Change(kind: kind, id: id, action: action, renamedFrom: c["renamed_from"]?.stringValue, version: version)
        }
    }
}
