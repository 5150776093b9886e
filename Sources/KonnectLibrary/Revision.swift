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
