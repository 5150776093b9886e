/// One revision of the library's history as `konnect history` shows it
/// (SPEC §7, §10): plain values, so that the view needs no library.
public struct HistoryRevision: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        public var kind: String
        public var id: String
        /// `create`, `update`, `rename` or `delete`.
        public var action: String
        public var renamedFrom: String?
        public var version: Int?
        /// As the library recorded it: sensitive values already `(sensitive)`.
        public var diff: [FieldDiff]

        public init(kind: String, id: String, action: String, renamedFrom: String? = nil, version: Int? = nil, diff: [FieldDiff] = []) {
            self.kind = kind
            self.id = id
            self.action = action
            self.renamedFrom = renamedFrom
            self.version = version
            self.diff = diff
        }
    }

    public var serial: Int
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
    public static func following(_ id: String, in revisions: [HistoryRevision]) -> [HistoryRevision] {
        var ids: Set<String> = [id]
        var out: [HistoryRevision] = []
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

/// `konnect history` (SPEC §10): revisions newest first, as text or JSON.
public struct HistoryView: Sendable {
    public init() {}

    /// `id`: the id asked for, if any (it names the empty answer).
    /// `diff`: each change's field diffs under it.
    public func text(_ revisions: [HistoryRevision], id: String?, diff: Bool) -> String {
        let e = TerminalText.escaped
        guard !revisions.isEmpty else {
            return id.map { "No revisions changed `\(e($0))`.\n" } ?? "No revisions yet.\n"
        }
        var out = ""
        for r in revisions {
            out += "serial \(r.serial)  \(e(r.time))  \(e(r.user))"
            if !r.commit.isEmpty { out += "  commit \(e(Self.shortCommit(r.commit)))" }
            out += "\n"
            for c in r.changes {
                let symbol = PlanChange.Action(word: c.action)?.rawValue ?? "?"
                var line = "    \(symbol) \(e(c.kind)) \(e(c.id))"
                if let from = c.renamedFrom { line += " (from \(e(from)))" }
                if let v = c.version { line += "  v\(v)" }
                out += line + "\n"
                if diff {
                    for d in c.diff { out += "        " + Self.diffLine(d) + "\n" }
                }
            }
        }
        return out
    }

    /// `{"revisions":[…]}`; every change carries its diff.
    public func json(_ revisions: [HistoryRevision]) -> String {
        JSONValue.object(["revisions": .array(revisions.map { r in
            .object([
                "serial": .int(r.serial), "time": .string(r.time), "project": .string(r.project),
                "user": .string(r.user), "commit": .string(r.commit),
                "changes": .array(r.changes.map(Self.json)),
            ])
        })]).serializedForTerminal() + "\n"
    }

    /// The commit as text shows it: its first 12 characters, with the
    /// `+dirty` marker kept (SPEC §8).
    public static func shortCommit(_ commit: String) -> String {
        let dirty = commit.hasSuffix("+dirty")
        let hash = dirty ? String(commit.dropLast("+dirty".count)) : commit
        return String(hash.prefix(12)) + (dirty ? "+dirty" : "")
    }

    static func diffLine(_ d: FieldDiff) -> String {
        func value(_ v: JSONValue) -> String { d.sensitive ? "(sensitive)" : v.serializedForTerminal() }
        let symbol = d.before == nil ? "+" : d.after == nil ? "-" : "~"
        var line = "\(symbol) \(TerminalText.escaped(d.path)): "
        switch (d.before, d.after) {
        case (nil, let a?): line += value(a)
        case (let b?, nil): line += value(b)
        case (let b?, let a?): line += "\(value(b)) -> \(value(a))"
        default: break
        }
        return line
    }

    static func json(_ c: HistoryRevision.Change) -> JSONValue {
        var members: [JSONValue.Member] = [
            .init("kind", .string(c.kind)), .init("id", .string(c.id)), .init("action", .string(c.action)),
        ]
        if let from = c.renamedFrom { members.append(.init("renamed_from", .string(from))) }
        if let v = c.version { members.append(.init("version", .int(v))) }
        members.append(.init("diff", .array(c.diff.map { d in
            let masked = JSONValue.string("(sensitive)")
            var m: [JSONValue.Member] = [
                .init("path", .string(d.path)),
                .init("before", d.before.map { d.sensitive ? masked : $0 } ?? .null),
                .init("after", d.after.map { d.sensitive ? masked : $0 } ?? .null),
            ]
            if d.sensitive { m.append(.init("sensitive", .bool(true))) }
            return .object(m)
        })))
        return .object(members)
    }
}
