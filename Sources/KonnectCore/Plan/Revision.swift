/// One apply in the library's history (SPEC §7, §10): what every backend
/// stores and returns, and what `konnect history` shows.
public struct Revision: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        public var kind: String
        public var id: String
        /// `create`, `update`, `rename` or `delete`.
        public var action: String
        public var renamedFrom: String?
        public var version: Int?
        /// The field diffs the change applied (SPEC §8), sensitive values
        /// replaced by `(sensitive)`: a library never stores them.
        public var diff: [FieldDiff]

        public init(kind: String, id: String, action: String, renamedFrom: String? = nil, version: Int? = nil, diff: [FieldDiff] = []) {
            self.kind = kind
            self.id = id
            self.action = action
            self.renamedFrom = renamedFrom
            self.version = version
            self.diff = diff.map { d in
                guard d.sensitive else { return d }
                let masked = JSONValue.string("(sensitive)")
                return FieldDiff(path: d.path, before: d.before.map { _ in masked }, after: d.after.map { _ in masked }, sensitive: true)
            }
        }
    }

    public var serial: Int
    /// When it was applied: RFC 3339, UTC.
    public var time: String
    public var project: String
    public var user: String
    /// The git commit, `COMMIT+dirty` when the tree differed from it, "" outside git.
    public var commit: String
    public var changes: [Change]

    public init(serial: Int, time: String, project: String, user: String, commit: String, changes: [Change]) {
        self.serial = serial
        self.time = time
        self.project = project
        self.user = user
        self.commit = commit
        self.changes = changes
    }

    /// The history of `id`, following renames (SPEC §10): walking from the
    /// newest revision back, a rename to an id followed so far adds the id
    /// the object had before, so the history of `new-id` includes what it
    /// did as `old-id`, through any chain of renames. Each revision keeps
    /// only the changes of the ids followed. `revisions` are newest first.
    public static func following(_ id: String, in revisions: [Revision]) -> [Revision] {
        var ids: Set<String> = [id]
        var out: [Revision] = []
        for revision in revisions {
            let mine = revision.changes.filter { ids.contains($0.id) || $0.renamedFrom.map(ids.contains) == true }
            guard !mine.isEmpty else { continue }
            for change in mine where ids.contains(change.id) {
                if let from = change.renamedFrom { ids.insert(from) }
            }
            var kept = revision
            kept.changes = mine
            out.append(kept)
        }
        return out
    }
}
