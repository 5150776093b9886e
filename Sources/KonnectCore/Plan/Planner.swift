/// The plan stage (SPEC §8): compiled objects against the library's
/// objects owned by this project. Pure: the snapshot is read beforehand.
public struct Planner: Sendable {
    public var project: String
    public var targets: [PlanTarget]

    public init(project: String, targets: [PlanTarget] = []) {
        self.project = project
        self.targets = targets
    }

    /// Each object's position in the snapshot (nil where the library has
    /// none), looked up in parallel: the definitions a plan needs and the
    /// plan itself are decided from the same positions.
    public static func positions(of objects: [CompiledObject], in snapshot: LibrarySnapshot) -> [Int?] {
        Parallel.map(Array(objects.indices)) { snapshot.position(of: LibrarySnapshot.Key(objects[$0].kind, objects[$0].id)) }
    }

    /// The library objects whose definitions a plan will diff: those that
    /// changed or are renamed. The rest is decided by hash alone, so a
    /// snapshot need not carry every definition.
    public static func definitionsNeeded(_ objects: [CompiledObject], in snapshot: LibrarySnapshot,
                                         positions: [Int?]? = nil) -> [LibrarySnapshot.Key] {
        typealias Key = LibrarySnapshot.Key
        let positions = positions ?? Self.positions(of: objects, in: snapshot)
        var out: [Key] = []
        // Objects and stored objects are read by index and position, field by field, never copied whole.
        for i in objects.indices {
            if let at = positions[i] {
                if snapshot.owned[at].hash != objects[i].hash { out.append(Key(objects[i].kind, objects[i].id)) }
            } else if let old = objects[i].renamedFrom, snapshot.position(of: Key(objects[i].kind, old)) != nil {
                out.append(Key(objects[i].kind, old))
            }
        }
        return out
    }

    /// `positions` are `Self.positions(of: objects, in: snapshot)`, when the caller has them.
    public func plan(_ objects: [CompiledObject], against snapshot: LibrarySnapshot,
                     positions: [Int?]? = nil) -> (Plan, [Diagnostic]) {
        typealias Key = LibrarySnapshot.Key
        var diagnostics: [Diagnostic] = []
        let library = snapshot
        let positions = positions ?? Self.positions(of: objects, in: library)
        // Which library objects the repository holds, by position.
        var inRepository = [Bool](repeating: false, count: library.owned.count)
        for case let at? in positions { inRepository[at] = true }

        // Which change each object makes is decided in order (renames consume
        // ids); the changes themselves, with their field diffs, are independent.
        var pending: [(object: Int, action: PlanChange.Action, stored: Int?, renamedFrom: String?)] = []
        var consumed = [Bool](repeating: false, count: library.owned.count)
        var unchanged = 0
        var keyRefreshes: [Plan.KeyRefresh] = []
        let foreign = snapshot.foreignOwners
        // By index, as above: most objects are unchanged, and only their hashes are read.
        for i in objects.indices {
            if !foreign.isEmpty, let owner = foreign[Key(objects[i].kind, objects[i].id)] {
                diagnostics.append(.ownedElsewhere(objects[i], owner: owner))
                continue
            }
            if let at = positions[i] {
                if library.owned[at].hash == objects[i].hash {
                    unchanged += 1
                    if !objects[i].sourceKey.isEmpty && library.owned[at].sourceKey != objects[i].sourceKey {
                        keyRefreshes.append(.init(kind: objects[i].kind, id: objects[i].id, hash: objects[i].hash,
                                                  sourceKey: objects[i].sourceKey))
                    }
                } else {
                    pending.append((i, .update, at, nil))
                }
                continue
            }
            if let old = objects[i].renamedFrom, let at = library.position(of: Key(objects[i].kind, old)), !inRepository[at] {
                consumed[at] = true
                pending.append((i, .rename, at, old))
                continue
            }
            pending.append((i, .create, nil, nil))
        }
        let planner = self
        var changes = Parallel.map(pending) { p in
            var c = planner.change(p.action, objects[p.object], from: p.stored.map { library.owned[$0] })
            c.renamedFrom = p.renamedFrom
            return c
        }
        for i in snapshot.owned.indices where !inRepository[i] && !consumed[i] {
            let key = Key(snapshot.owned[i].kind, snapshot.owned[i].id)
            changes.append(PlanChange(kind: key.kind, id: key.id, action: .delete, diff: [], after: nil,
                                      beforeHash: snapshot.owned[i].hash, beforeVersion: snapshot.owned[i].version))
        }
        changes = filter(changes, objects: objects, library: library)
        var plan = Plan(project: project, lineage: snapshot.lineage, serial: snapshot.serial,
                        changes: order(changes), unchanged: unchanged)
        plan.keyRefreshes = keyRefreshes
        return (plan, diagnostics)
    }

    private func change(_ action: PlanChange.Action, _ object: CompiledObject, from stored: StoredObject?) -> PlanChange {
        let sensitive = Array(Set(object.sensitivePaths + (stored?.sensitivePaths ?? [])))
        let diff = DefinitionDiffer.diff(before: stored?.definition, after: object.definition, sensitivePaths: sensitive)
        let flips = stored.map { $0.enabled != object.enabled } ?? false
        return PlanChange(kind: object.kind, id: object.id, action: action,
                          activate: flips && object.enabled, deactivate: flips && !object.enabled,
                          diff: diff, after: object, beforeHash: stored?.hash, beforeVersion: stored?.version)
    }

    /// `--target`: the named objects (by id or tag), plus changed connections they use.
    private func filter(_ changes: [PlanChange], objects: [CompiledObject], library: LibrarySnapshot) -> [PlanChange] {
        guard !targets.isEmpty else { return changes }
        func tags(_ c: PlanChange) -> [String] {
            c.after?.tags ?? library[LibrarySnapshot.Key(c.kind, c.id)]?.tags ?? []
        }
        let selected = changes.filter { c in
            targets.contains { t in
                switch t {
                case .id(let id): return c.id == id || c.renamedFrom == id
                case .tag(let tag): return tags(c).contains(tag)
                }
            }
        }
        let needed = Set(selected.flatMap { $0.after?.connections ?? [] })
        let selectedKeys = Set(selected.map { "\($0.kind):\($0.id)" })
        let dependencies = changes.filter {
            $0.kind == .connection && $0.action != .delete && needed.contains($0.id) && !selectedKeys.contains("\($0.kind):\($0.id)")
        }
        return selected + dependencies
    }

    /// Connections first, then konnectors, then deleted connections (SPEC §8).
    private func order(_ changes: [PlanChange]) -> [PlanChange] {
        func rank(_ c: PlanChange) -> Int {
            switch (c.kind, c.action) {
            case (.connection, .delete): return 2
            case (.connection, _): return 0
            case (.konnector, _): return 1
            }
        }
        return changes.sorted { a, b in
            if rank(a) != rank(b) { return rank(a) < rank(b) }
            return a.id < b.id
        }
    }
}
