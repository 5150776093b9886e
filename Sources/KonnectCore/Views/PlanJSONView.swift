/// `plan --format json` (SPEC §8). With `includeObjects`, the same document
/// also carries every compiled definition: that is the saved plan file.
public struct PlanJSONView {
    public var includeObjects: Bool
    /// The time a schedule's next runs follow (nil: the current time).
    public var now: Double?

    public init(includeObjects: Bool = false, now: Double? = nil) {
        self.includeObjects = includeObjects
        self.now = now
    }

    public func json(_ plan: Plan) -> JSONValue {
        let s = plan.summary
        return .object([
            "format_version": .int(Plan.formatVersion),
            "project": .string(plan.project),
            "library": .object(["lineage": .string(plan.lineage), "serial": .int(plan.serial)]),
            "changes": .array(plan.changes.map(change)),
            "summary": .object([
                "create": .int(s.create), "update": .int(s.update), "rename": .int(s.rename), "delete": .int(s.delete),
                "activate": .int(s.activate), "deactivate": .int(s.deactivate), "unchanged": .int(s.unchanged),
            ]),
        ])
    }

    public func render(_ plan: Plan) -> String { json(plan).serializedForTerminal() + "\n" }

    private func change(_ c: PlanChange) -> JSONValue {
        var members: [JSONValue.Member] = [
            .init("kind", .string(c.kind.rawValue)),
            .init("id", .string(c.id)),
            .init("action", .string(c.action.word)),
            .init("activate", .bool(c.activate)),
            .init("deactivate", .bool(c.deactivate)),
        ]
        if let from = c.renamedFrom { members.append(.init("renamed_from", .string(from))) }
        members.append(.init("diff", .array(c.diff.map { d in
            var m: [JSONValue.Member] = [.init("path", .string(d.path))]
            m.append(.init("before", d.sensitive && d.before != nil ? .string("(sensitive)") : (d.before ?? .null)))
            m.append(.init("after", d.sensitive && d.after != nil ? .string("(sensitive)") : (d.after ?? .null)))
            if d.sensitive { m.append(.init("sensitive", .bool(true))) }
            // A saved plan tells "absent" from "null", so it reads back exactly.
            if includeObjects && d.before == nil { m.append(.init("absent", .string("before"))) }
            if includeObjects && d.after == nil { m.append(.init("absent", .string("after"))) }
            return .object(m)
        })))
        // A created or changed schedule's next 3 runs (SPEC §2.1), for reading; a saved plan has none.
        if !includeObjects, let (schedule, runs) = Schedule.nextRuns(for: c, now: now) {
            members.append(.init("next_runs", .array(ShowView.instants(runs, in: schedule.zone).map(JSONValue.string))))
        }
        if includeObjects {
            members.append(.init("before_hash", .optional(c.beforeHash)))
            members.append(.init("before_version", c.beforeVersion.map(JSONValue.int) ?? .null))
            if let o = c.after {
                members.append(.init("object", .object([
                    "name": .string(o.name),
                    "enabled": .bool(o.enabled),
                    "tags": .array(o.tags.map(JSONValue.string)),
                    "definition": .optional(o.canonicalJSON),
                    "hash": .string(o.hash),
                    "sensitive_paths": .array(o.sensitivePaths.map(JSONValue.string)),
                    "connections": .array(o.connections.map(JSONValue.string)),
                    "source_file": .string(o.sourceFile),
                ])))
            }
        }
        return .object(members)
    }
}
