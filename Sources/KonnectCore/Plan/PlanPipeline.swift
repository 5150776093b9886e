/// The library as a plan reads it. A backend sits behind it (or a snapshot
/// read ahead of time); the pipeline never knows which.
public protocol PlanLibrary {
    /// Lineage, serial, this project's objects with what planning reads (no
    /// definitions), and the owners of `ids` held by other projects (nil: of
    /// every id other projects hold).
    func snapshot(project: String, ids: Set<LibrarySnapshot.Key>?) throws -> LibrarySnapshot
    /// The stored definitions of some of this project's objects.
    func definitions(project: String, keys: [LibrarySnapshot.Key]) throws -> [LibrarySnapshot.Key: String]
}

/// A snapshot that holds its definitions is a library of its own (for tests,
/// and for callers that read the library beforehand).
extension LibrarySnapshot: PlanLibrary {
    public func snapshot(project: String, ids: Set<LibrarySnapshot.Key>?) throws -> LibrarySnapshot { self }

    public func definitions(project: String, keys: [LibrarySnapshot.Key]) throws -> [LibrarySnapshot.Key: String] {
        var out: [Key: String] = [:]
        for key in keys {
            if let d = self[key]?.definitionJSON { out[key] = d }
        }
        return out
    }
}

/// The one way a plan is made (SPEC §8), for `plan`, `apply` and the tests:
/// 1. read the library's snapshot: this project's objects, and the owners of
///    the ids the project uses;
/// 2. compile the project: connections always; a konnector only when the
///    library does not hold it from the same `CompileKey` (else its stored
///    hash is the compile's), its model checked again when the validator
///    kept only outlines;
/// 3. fetch the stored definitions of the objects that changed or are renamed;
/// 4. plan (`Planner`).
public struct PlanPipeline: Sendable {
    public var project: String
    public var targets: [PlanTarget]

    /// Checks again, from the files they were read from, the konnectors with
    /// these outlines: their models, in order (nil where a file no longer
    /// gives the konnector).
    public typealias Recheck = ([KonnectorOutline]) -> [CheckedKonnector?]

    /// A plan, and what it was made from.
    public struct Result: Sendable {
        public var plan: Plan
        /// Errors found while planning (`owned-elsewhere`): with any, the plan must not be shown or applied.
        public var diagnostics: [Diagnostic]
        /// The project's objects, compiled or taken from the library.
        public var objects: [CompiledObject]
        /// The library as planned against, with the definitions the plan diffed.
        public var snapshot: LibrarySnapshot
    }

    public init(project: String, targets: [PlanTarget] = []) {
        self.project = project
        self.targets = targets
    }

    /// Plans a checked project against `library`. `recheck` is called only
    /// when the validator kept outlines, for the konnectors to compile.
    public func plan(_ checked: CheckedProject, library: some PlanLibrary, recheck: Recheck? = nil) throws -> Result {
        typealias Key = LibrarySnapshot.Key
        let ids = Set(checked.connections.compactMap { $0.id?.value }.map { Key(.connection, $0) }
                      + checked.outlines.map { Key(.konnector, $0.id) })
        let snapshot = try library.snapshot(project: project, ids: ids)
        let objects = Self.compile(checked, reusing: snapshot, recheck: recheck)
        return try plan(objects, against: snapshot, library: library)
    }

    /// Plans compiled objects against `library` as it is now.
    public func plan(_ objects: [CompiledObject], library: some PlanLibrary) throws -> Result {
        let ids = Set(objects.map { LibrarySnapshot.Key($0.kind, $0.id) })
        return try plan(objects, against: library.snapshot(project: project, ids: ids), library: library)
    }

    /// Steps 3 and 4: compiled objects against `snapshot`, read from `library`.
    public func plan(_ objects: [CompiledObject], against snapshot: LibrarySnapshot, library: some PlanLibrary) throws -> Result {
        var snapshot = snapshot
        // The definitions a plan needs and the plan itself are decided from the same positions.
        let positions = Planner.positions(of: objects, in: snapshot)
        snapshot.fill(try library.definitions(project: project, keys: Planner.definitionsNeeded(objects, in: snapshot, positions: positions)))
        let (plan, diagnostics) = Planner(project: project, targets: targets).plan(objects, against: snapshot, positions: positions)
        return Result(plan: plan, diagnostics: diagnostics, objects: objects, snapshot: snapshot)
    }

    /// Step 2: every object of the project, connections first, then
    /// konnectors (each independent, compiled in parallel). Without a
    /// library, every konnector is compiled from the models the validator kept.
    public static func compile(_ checked: CheckedProject, reusing library: LibrarySnapshot? = nil,
                               recheck: Recheck? = nil) -> [CompiledObject] {
        let outlines = checked.outlines
        guard let library else {
            guard case .models = checked.kept else { preconditionFailure("compiling without a library needs the validator to keep the models") }
            return compile(checked.connections, outlines: outlines, keys: nil, models: checked.checkedKonnectors.map(Optional.some), reusing: nil)
        }
        let keys = CompileKey.keys(for: checked)
        let misses = toCompile(outlines, keys: keys, library: library)
        let found: [CheckedKonnector?]
        switch checked.kept {
        case .diagnostics:
            preconditionFailure("a plan needs the outlines or the models; the validator kept only diagnostics")
        case .outlines:
            guard let recheck else { preconditionFailure("with outlines kept, compiling needs a way to check konnectors again") }
            found = misses.isEmpty ? [] : recheck(misses.map { outlines[$0] })
        case .models:
            let models = checked.checkedKonnectors
            found = misses.map { models[$0] }
        }
        var models = [CheckedKonnector?](repeating: nil, count: outlines.count)
        for (i, model) in zip(misses, found) {
            // The same bytes check the same way: anything else is a bug, not the user's.
            precondition(model?.id == outlines[i].id, "konnector \(outlines[i].id) did not check again as it did the first time")
            models[i] = model
        }
        return compile(checked.connections, outlines: outlines, keys: keys, models: models, reusing: library)
    }

    /// The konnectors (indices into `outlines`) a plan against `library`
    /// compiles: those without a key, or whose key is not the one the
    /// library's copy was applied from. Only these need their models.
    static func toCompile(_ outlines: [KonnectorOutline], keys: [String], library: LibrarySnapshot) -> [Int] {
        let compiles = Parallel.map(Array(outlines.indices)) { i in
            guard !keys[i].isEmpty, let at = library.position(of: LibrarySnapshot.Key(.konnector, outlines[i].id)) else { return true }
            return library.owned[at].sourceKey != keys[i]
        }
        return compiles.indices.filter { compiles[$0] }
    }

    /// Connections, then konnectors: those with a model (by outline index)
    /// compiled, the others taken from the library's copy by their key.
    private static func compile(_ connections: [Connection], outlines: [KonnectorOutline], keys: [String]?,
                                models: [CheckedKonnector?], reusing library: LibrarySnapshot?) -> [CompiledObject] {
        let connections = connections.compactMap(Compiler.compile)
        var konnectors = Parallel.map(Array(outlines.indices)) { i -> CompiledObject in
            if let k = models[i] {
                var compiled = Compiler.compile(k, outline: outlines[i])
                compiled.sourceKey = keys?[i] ?? ""
                return compiled
            }
            // Without a model, `toCompile` found the library's copy from the same key.
            let o = outlines[i], key = LibrarySnapshot.Key(.konnector, o.id)
            guard let library, let at = library.position(of: key) else {
                preconditionFailure("konnector \(o.id) has neither its model nor the library's copy")
            }
            return CompiledObject(kind: .konnector, id: o.id, name: o.name, enabled: o.enabled, tags: o.tags,
                                  hash: library.owned[at].hash, sourceKey: keys?[i] ?? "",
                                  sensitivePaths: library.owned[at].sensitivePaths,
                                  renamedFrom: o.renamedFrom, connections: o.connections, sourceFile: o.file, idRange: o.idRange)
        }
        // Connections put in front of the konnectors' array: no second array of every object.
        konnectors.insert(contentsOf: connections, at: 0)
        return konnectors
    }
}

extension Compiler {
    /// Every object of a project checked with its models, compiled:
    /// connections first, then konnectors (`PlanPipeline.compile`).
    public static func compile(_ project: CheckedProject) -> [CompiledObject] {
        PlanPipeline.compile(project)
    }
}
