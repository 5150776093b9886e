/// `konnect history` (SPEC §10): revisions newest first, as text or JSON.
public struct HistoryView: Sendable {
    public init() {}

    /// `id`: the id asked for, if any (it names the empty answer).
    /// `diff`: each change's field diffs under it.
    public func text(_ revisions: [Revision], id: String?, diff: Bool) -> String {
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
    public func json(_ revisions: [Revision]) -> String {
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

    static func json(_ c: Revision.Change) -> JSONValue {
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
