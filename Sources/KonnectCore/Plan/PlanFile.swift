/// A saved plan (`plan --out FILE`): the JSON view plus every compiled
/// definition, read back for `apply FILE`.
///
/// A plan file is untrusted input (SPEC §8): `decode` validates it whole —
/// format version, every id a slug equal to the id inside its definition,
/// every kind and action known, every hash the hash of its definition,
/// every definition well-formed, no (kind, id) twice — before anything is
/// applied. What the file says about the changes (field diffs, activate,
/// the summary) is never read: `verified(_:against:)` computes the change
/// list from the definitions and the library, as `plan` does.
public enum PlanFile {
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public static func encode(_ plan: Plan) -> String {
        PlanJSONView(includeObjects: true).render(plan)
    }

    /// The plan in `text`, validated; its changes carry no field diffs and
    /// no activate/deactivate flags until `verified(_:against:)` computes them.
    public static func decode(_ text: String) throws(Invalid) -> Plan {
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            throw Invalid(description: "not a konnect plan file: \(error)")
        }
        guard case .object = json else { throw invalid("it is not a JSON object") }
        if let key = duplicateKey(in: json) { throw invalid("the key \(quoted(key)) appears twice in one object") }
        guard let version = json["format_version"] else {
            throw Invalid(description: "not a konnect plan file (format_version \(Plan.formatVersion) expected)")
        }
        guard version == .int(Plan.formatVersion) else {
            throw invalid("format_version \(TerminalText.escaped(version.serialized())) is not one this konnect reads "
                          + "(\(Plan.formatVersion)); make the plan again with this konnect")
        }
        guard case .string(let project)? = json["project"] else { throw invalid("`project` is not a string") }
        guard case .string(let lineage)? = json["library"]?["lineage"], case .int(let serial)? = json["library"]?["serial"],
              serial >= 0 else {
            throw invalid("`library` must hold a string `lineage` and a non-negative integer `serial`")
        }
        guard case .array(let rawChanges)? = json["changes"] else { throw invalid("`changes` is not a list") }
        var changes: [PlanChange] = []
        changes.reserveCapacity(rawChanges.count)
        var seen = Set<LibrarySnapshot.Key>()
        var renamedAway = Set<LibrarySnapshot.Key>()
        for (index, raw) in rawChanges.enumerated() {
            let change = try self.change(raw, index: index)
            let key = LibrarySnapshot.Key(change.kind, change.id)
            guard seen.insert(key).inserted else {
                throw invalid("\(change.kind.rawValue) \(quoted(change.id)) is changed twice", at: index)
            }
            guard !renamedAway.contains(key) else {
                throw invalid("\(change.kind.rawValue) \(quoted(change.id)) is renamed away and changed too", at: index)
            }
            if let old = change.renamedFrom {
                let oldKey = LibrarySnapshot.Key(change.kind, old)
                guard !seen.contains(oldKey) else {
                    throw invalid("\(change.kind.rawValue) \(quoted(old)) is renamed away and changed too", at: index)
                }
                guard renamedAway.insert(oldKey).inserted else {
                    throw invalid("\(change.kind.rawValue) \(quoted(old)) is renamed away twice", at: index)
                }
            }
            changes.append(change)
        }
        var unchanged = 0
        if let u = json["summary"]?["unchanged"] {
            guard case .int(let n) = u, n >= 0 else { throw invalid("`summary.unchanged` is not a non-negative integer") }
            unchanged = n
        }
        return Plan(project: project, lineage: lineage, serial: serial, changes: changes, unchanged: unchanged)
    }

    /// `decode`, then `verified` against the library.
    public static func decode(_ text: String, against library: LibrarySnapshot) throws(Invalid) -> Plan {
        try verified(decode(text), against: library)
    }

    /// The library objects whose definitions `verified` diffs against:
    /// those a plan updates or renames.
    public static func definitionsNeeded(_ plan: Plan) -> [LibrarySnapshot.Key] {
        plan.changes.compactMap { c in
            switch c.action {
            case .update: return LibrarySnapshot.Key(c.kind, c.id)
            case .rename: return c.renamedFrom.map { LibrarySnapshot.Key(c.kind, $0) }
            case .create, .delete: return nil
            }
        }
    }

    /// The decoded plan's change list computed against `library` (a
    /// snapshot of this project at the plan's lineage and serial, with the
    /// definitions of `definitionsNeeded` filled in): each change's diff,
    /// activate and deactivate, in plan order. A change the library
    /// contradicts — a create of an object it holds, an update, rename or
    /// delete of one it does not hold at the planned hash and version, an id
    /// another project owns — means the file was edited: it is refused.
    public static func verified(_ plan: Plan, against library: LibrarySnapshot) throws(Invalid) -> Plan {
        typealias Key = LibrarySnapshot.Key
        var changes: [PlanChange] = []
        changes.reserveCapacity(plan.changes.count)
        for (index, c) in plan.changes.enumerated() {
            let what = "\(c.kind.rawValue) \(quoted(c.id))"
            if let owner = library.foreignOwners[Key(c.kind, c.id)] {
                throw invalid("\(what) belongs to project \(quoted(owner)) in the library", at: index)
            }
            var stored: StoredObject? = nil
            switch c.action {
            case .create:
                guard library[Key(c.kind, c.id)] == nil else {
                    throw invalid("it creates \(what), which the library already holds", at: index)
                }
            case .update, .delete, .rename:
                let old = c.renamedFrom ?? c.id
                guard let s = library[Key(c.kind, old)], s.hash == c.beforeHash, s.version == c.beforeVersion else {
                    throw invalid("it \(c.action.word)s \(c.kind.rawValue) \(quoted(old)) at a hash and version "
                                  + "the library does not hold", at: index)
                }
                if c.action == .rename, library[Key(c.kind, c.id)] != nil {
                    throw invalid("it renames \(quoted(old)) to \(what), which the library already holds", at: index)
                }
                stored = s
            }
            var change = c
            if let after = c.after {
                let sensitive = Array(Set(after.sensitivePaths + (stored?.sensitivePaths ?? [])))
                let before: JSONValue? = stored.map { $0.definition }
                change.diff = DefinitionDiffer.diff(before: before, after: after.definition, sensitivePaths: sensitive)
                let flips = stored.map { $0.enabled != after.enabled } ?? false
                change.activate = flips && after.enabled
                change.deactivate = flips && !after.enabled
            } else {
                change.diff = []
                change.activate = false
                change.deactivate = false
            }
            changes.append(change)
        }
        // Connections first, then konnectors, then deleted connections, as the planner orders them.
        func rank(_ c: PlanChange) -> Int {
            switch (c.kind, c.action) {
            case (.connection, .delete): return 2
            case (.connection, _): return 0
            case (.konnector, _): return 1
            }
        }
        changes.sort { a, b in rank(a) != rank(b) ? rank(a) < rank(b) : a.id < b.id }
        return Plan(project: plan.project, lineage: plan.lineage, serial: plan.serial, changes: changes, unchanged: plan.unchanged)
    }

    // MARK: one change

    private static func change(_ raw: JSONValue, index: Int) throws(Invalid) -> PlanChange {
        guard case .object = raw else { throw invalid("it is not an object", at: index) }
        guard case .string(let kindText)? = raw["kind"], let kind = ObjectKind(rawValue: kindText) else {
            throw invalid("`kind` is not `konnector` or `connection`", at: index)
        }
        guard case .string(let id)? = raw["id"] else { throw invalid("`id` is not a string", at: index) }
        guard Slug.isValid(id) else { throw invalid("the id \(quoted(id)) is not a slug", at: index) }
        guard case .string(let actionText)? = raw["action"], let action = PlanChange.Action(word: actionText) else {
            throw invalid("`action` is not one of create, update, rename, delete", at: index)
        }
        let what = "\(kind.rawValue) \(quoted(id))"

        var renamedFrom: String? = nil
        if let r = raw["renamed_from"], r != .null {
            guard action == .rename, case .string(let old) = r else {
                throw invalid("\(what) has `renamed_from` but is not a rename", at: index)
            }
            guard Slug.isValid(old), old != id else {
                throw invalid("\(what) is renamed from \(quoted(old)), which is not another slug", at: index)
            }
            renamedFrom = old
        } else if action == .rename {
            throw invalid("the rename of \(what) has no `renamed_from`", at: index)
        }

        var beforeHash: String? = nil
        var beforeVersion: Int? = nil
        let hashValue = raw["before_hash"] ?? .null, versionValue = raw["before_version"] ?? .null
        if action == .create {
            guard hashValue == .null, versionValue == .null else {
                throw invalid("the create of \(what) has a `before_hash` or `before_version`", at: index)
            }
        } else {
            guard case .string(let h) = hashValue, isHash(h) else {
                throw invalid("\(what) has no `before_hash` of 64 lowercase hex digits", at: index)
            }
            guard case .int(let v) = versionValue, v >= 1 else {
                throw invalid("\(what) has no positive integer `before_version`", at: index)
            }
            beforeHash = h
            beforeVersion = v
        }

        var after: CompiledObject? = nil
        let objectValue = raw["object"] ?? .null
        if action == .delete {
            guard objectValue == .null else { throw invalid("the delete of \(what) carries an object", at: index) }
        } else {
            guard case .object = objectValue else { throw invalid("the \(action.word) of \(what) has no `object`", at: index) }
            after = try object(objectValue, kind: kind, id: id, renamedFrom: renamedFrom, index: index)
        }
        return PlanChange(kind: kind, id: id, action: action, renamedFrom: renamedFrom, diff: [], after: after,
                          beforeHash: beforeHash, beforeVersion: beforeVersion)
    }

    /// A change's object. Its name, enabled flag, tags and connections are
    /// taken from the definition (the hashed part), not from the file's copies.
    private static func object(_ o: JSONValue, kind: ObjectKind, id: String, renamedFrom: String?,
                               index: Int) throws(Invalid) -> CompiledObject {
        let what = "\(kind.rawValue) \(quoted(id))"
        guard case .string(let text)? = o["definition"] else { throw invalid("\(what) has no `definition` string", at: index) }
        guard case .string(let hash)? = o["hash"], isHash(hash) else {
            throw invalid("\(what) has no `hash` of 64 lowercase hex digits", at: index)
        }
        guard SHA256Hex.digest(text) == hash else {
            throw Invalid(description: "the plan file was modified: the definition of \(what) does not match its hash; nothing was applied")
        }
        for key in ["name", "tags", "enabled", "connections", "sensitive_paths", "source_file"] where o[key] == nil {
            throw invalid("the object of \(what) has no `\(key)`", at: index)
        }
        guard case .string = o["name"], case .bool = o["enabled"], let _ = strings(o["tags"]),
              let _ = strings(o["connections"]) else {
            throw invalid("the object of \(what) has a `name`, `enabled`, `tags` or `connections` of the wrong type", at: index)
        }
        guard let sensitive = strings(o["sensitive_paths"]) else {
            throw invalid("`sensitive_paths` of \(what) is not a list of strings", at: index)
        }
        guard case .string(let sourceFile)? = o["source_file"] else {
            throw invalid("`source_file` of \(what) is not a string", at: index)
        }
        let definition: JSONValue
        do {
            definition = try JSONParser.parse(text)
        } catch {
            throw invalid("the definition of \(what) is not JSON: \(error)", at: index)
        }
        if let key = duplicateKey(in: definition) {
            throw invalid("the definition of \(what) has the key \(quoted(key)) twice", at: index)
        }
        guard definition.serialized(sortedKeys: true) == text else {
            throw invalid("the definition of \(what) is not in canonical form", at: index)
        }
        let shape: DefinitionShape.Summary
        do {
            shape = try DefinitionShape.check(definition, kind: kind, id: id)
        } catch {
            throw invalid("the definition of \(what) is malformed: \(error.description)", at: index)
        }
        return CompiledObject(kind: kind, id: id, name: shape.name, enabled: shape.enabled, tags: shape.tags,
                              definition: definition, sensitivePaths: sensitive, renamedFrom: renamedFrom,
                              connections: shape.connections, sourceFile: sourceFile, idRange: nil)
    }

    // MARK: helpers

    private static func invalid(_ message: String, at index: Int? = nil) -> Invalid {
        let place = index.map { " (change \($0 + 1))" } ?? ""
        return Invalid(description: "invalid plan file\(place): \(message); nothing was applied")
    }

    /// A value from the file, safe in a message (SPEC §6).
    static func quoted(_ s: String) -> String { "`" + TerminalText.escaped(s) + "`" }

    private static func isHash(_ s: String) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    private static func strings(_ v: JSONValue?) -> [String]? {
        guard case .array(let items)? = v else { return nil }
        var out: [String] = []
        for item in items {
            guard case .string(let s) = item else { return nil }
            out.append(s)
        }
        return out
    }

    /// The first key an object repeats, anywhere in `value` (the parser
    /// keeps both members; readers would disagree on which one counts).
    /// Iterative: the file decides the nesting.
    static func duplicateKey(in value: JSONValue) -> String? {
        var pending = [value]
        while let v = pending.popLast() {
            switch v {
            case .object(let members):
                var keys = Set<String>()
                for m in members {
                    if !keys.insert(m.key).inserted { return m.key }
                    pending.append(m.value)
                }
            case .array(let items):
                pending.append(contentsOf: items)
            default:
                break
            }
        }
        return nil
    }
}

/// The shape of a compiled definition (what `Compiler` writes), checked
/// where a definition comes from outside: required keys and their types,
/// ids that are slugs. Keys it does not know are let through (they are
/// hashed, diffed and stored like the rest).
public enum DefinitionShape {
    public struct Malformed: Error, CustomStringConvertible {
        public var description: String
    }

    /// What the rest of an object is derived from.
    public struct Summary: Sendable, Equatable {
        public var name: String
        public var enabled: Bool
        public var tags: [String]
        public var connections: [String]
    }

    public static func check(_ d: JSONValue, kind: ObjectKind, id: String) throws(Malformed) -> Summary {
        guard case .object = d else { throw Malformed(description: "it is not an object") }
        guard case .string(let inner)? = d["id"] else { throw Malformed(description: "`id` is not a string") }
        guard inner == id else {
            throw Malformed(description: "its id \(PlanFile.quoted(inner)) is not the change's id \(PlanFile.quoted(id))")
        }
        switch kind {
        case .connection:
            try string(d, "app", in: "")
            guard let _ = try strings(d, "scopes", in: "") else { throw Malformed(description: "`scopes` is missing") }
            if let secret = d["secret"], secret != .null {
                guard case .string(let s) = secret, isReference(s) else {
                    throw Malformed(description: "`secret` is not a reference (env:NAME or vault:PATH)")
                }
            }
            return Summary(name: id, enabled: true, tags: [], connections: [])
        case .konnector:
            guard case .string(let name)? = d["name"] else { throw Malformed(description: "`name` is not a string") }
            try optionalString(d, "description", in: "")
            guard case .bool(let enabled)? = d["enabled"] else { throw Malformed(description: "`enabled` is not true or false") }
            guard let tags = try strings(d, "tags", in: "") else { throw Malformed(description: "`tags` is missing") }
            for tag in tags where !Slug.isValid(tag) {
                throw Malformed(description: "the tag \(PlanFile.quoted(tag)) is not a slug")
            }
            guard case .object? = d["trigger"], let trigger = d["trigger"] else {
                throw Malformed(description: "`trigger` is not an object")
            }
            var connections: [String] = []
            if let schedule = trigger["schedule"] {
                // A scheduled trigger is its schedule alone (SPEC §2.1).
                guard case .object = schedule else { throw Malformed(description: "`trigger.schedule` is not an object") }
                try string(schedule, "cron", in: "trigger.schedule.")
                try string(schedule, "timezone", in: "trigger.schedule.")
            } else {
                try string(trigger, "app", in: "trigger.")
                try string(trigger, "event", in: "trigger.")
                if let c = try connection(trigger, in: "trigger.") { connections.append(c) }
                try optionalObject(trigger, "with", in: "trigger.")
                try optionalObject(trigger, "payload", in: "trigger.")
            }
            try optionalString(d, "when", in: "")
            var stepIDs = Set<String>()
            try stepList(d["steps"], path: "steps", depth: 1, ids: &stepIDs, connections: &connections)
            guard stepIDs.count <= DocumentDecoder.maxSteps else {
                throw Malformed(description: "it has \(stepIDs.count) steps, over the limit of \(DocumentDecoder.maxSteps)")
            }
            if trigger["schedule"] != nil, Schedule(definition: d) == nil {
                throw Malformed(description: "`trigger.schedule` is not a schedule that can run (its cron or time zone does not parse, or it can never fire)")
            }
            return Summary(name: name.isEmpty ? id : name, enabled: enabled, tags: tags.sorted(),
                           connections: Array(Set(connections)).sorted())
        }
    }

    /// A non-empty list of steps of any kind (SPEC §2.1), nested at most
    /// `DocumentDecoder.maxDepth` levels; step ids are slugs unique in the
    /// whole konnector; the connections of action steps at every depth.
    private static func stepList(_ value: JSONValue?, path: String, depth: Int, ids: inout Set<String>,
                              connections: inout [String]) throws(Malformed) {
        guard depth <= DocumentDecoder.maxDepth else { throw Malformed(description: "`\(path)` is nested too deep") }
        guard case .array(let steps)? = value, !steps.isEmpty else {
            throw Malformed(description: "`\(path)` is not a non-empty list")
        }
        for (i, step) in steps.enumerated() {
            let at = "\(path)[\(i)]."
            guard case .object = step else { throw Malformed(description: "`\(path)[\(i)]` is not an object") }
            guard case .string(let stepID)? = step["id"], Slug.isValid(stepID) else {
                throw Malformed(description: "`\(at)id` is not a slug")
            }
            guard ids.insert(stepID).inserted else {
                throw Malformed(description: "the step id \(PlanFile.quoted(stepID)) appears twice")
            }
            try optionalString(step, "if", in: at)
            if let paths = step["paths"] {
                guard case .array(let items) = paths, !items.isEmpty else { throw Malformed(description: "`\(at)paths` is not a non-empty list") }
                try string(step, "mode", in: at)
                var pathIDs = Set<String>()
                for (j, item) in items.enumerated() {
                    let pathAt = "\(at)paths[\(j)]."
                    guard case .object = item, case .string(let pathID)? = item["id"], Slug.isValid(pathID),
                          pathIDs.insert(pathID).inserted else {
                        throw Malformed(description: "`\(pathAt)id` is not a slug unique in its paths step")
                    }
                    try optionalString(item, "when", in: pathAt)
                    try stepList(item["steps"], path: "\(pathAt)steps", depth: depth + 1, ids: &ids, connections: &connections)
                }
            } else if step["repeat"] != nil {
                try string(step, "repeat", in: at)
                try string(step, "as", in: at)
                guard case .int? = step["max"] else { throw Malformed(description: "`\(at)max` is not a whole number") }
                try stepList(step["steps"], path: "\(at)steps", depth: depth + 1, ids: &ids, connections: &connections)
            } else if step["delay"] != nil || step["delay_until"] != nil {
                try optionalString(step, "delay", in: at)
                try optionalString(step, "delay_until", in: at)
            } else {
                try string(step, "app", in: at)
                try string(step, "action", in: at)
                if let c = try connection(step, in: at) { connections.append(c) }
                try optionalString(step, "on_error", in: at)
                try optionalObject(step, "retry", in: at)
                try optionalObject(step, "with", in: at)
            }
        }
    }

    /// `env:NAME` or `vault:PATH` (SPEC §3): the library holds references only.
    static func isReference(_ s: String) -> Bool {
        for prefix in ["env:", "vault:"] where s.hasPrefix(prefix) {
            let rest = s.dropFirst(prefix.count)
            return !rest.isEmpty && !rest.unicodeScalars.contains(where: TerminalText.isUnsafe)
        }
        return false
    }

    private static func string(_ o: JSONValue, _ key: String, in path: String) throws(Malformed) {
        guard case .string(let s)? = o[key], !s.isEmpty else {
            throw Malformed(description: "`\(path)\(key)` is not a non-empty string")
        }
    }

    private static func optionalString(_ o: JSONValue, _ key: String, in path: String) throws(Malformed) {
        switch o[key] {
        case nil, .null?, .string?: return
        default: throw Malformed(description: "`\(path)\(key)` is not a string or null")
        }
    }

    private static func optionalObject(_ o: JSONValue, _ key: String, in path: String) throws(Malformed) {
        switch o[key] {
        case nil, .object?: return
        default: throw Malformed(description: "`\(path)\(key)` is not an object")
        }
    }

    private static func strings(_ o: JSONValue, _ key: String, in path: String) throws(Malformed) -> [String]? {
        guard let v = o[key] else { return nil }
        guard case .array(let items) = v else { throw Malformed(description: "`\(path)\(key)` is not a list") }
        var out: [String] = []
        for item in items {
            guard case .string(let s) = item else { throw Malformed(description: "`\(path)\(key)` holds a value that is not a string") }
            out.append(s)
        }
        return out
    }

    /// A trigger's or step's `connection`: absent, null, or a slug.
    private static func connection(_ o: JSONValue, in path: String) throws(Malformed) -> String? {
        switch o["connection"] {
        case nil, .null?: return nil
        case .string(let c)? where Slug.isValid(c): return c
        default: throw Malformed(description: "`\(path)connection` is not a slug or null")
        }
    }
}

extension JSONValue {
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var stringArray: [String]? { arrayValue?.compactMap(\.stringValue) }
}
