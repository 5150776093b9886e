import Foundation
import KonnectCore
@testable import KonnectLibrary
import XCTest

/// The behaviour every library backend must show (SPEC §7, §8): one suite,
/// run once per backend, as every Terraform backend runs its shared backend
/// tests. Plans and applies, stale plans, ownership, history, the lock and
/// its lease, integrity on read, newer-version refusal, read-only opening.
///
/// To run it against a backend, subclass it and override the four hooks:
///
/// ```swift
/// final class PostgresConformanceTests: LibraryConformanceTests {
///     override func makeBackend(name: String) throws -> any LibraryBackend { … }   // a library not created yet
///     override func traces(of name: String) throws -> [String] { … }              // what exists of it (files, schema)
///     override func tamper(library name: String, kind: ObjectKind, id: String, definition: String, hash: String?) throws { … }
///     override func recordNewerVersion(library name: String) throws { … }         // a migration this konnect does not know
/// }
/// ```
///
/// `name` names one library of the running test: the same name is the same
/// library, another name another one; each test starts with none. The base
/// class itself runs nothing (every test is skipped there).
class LibraryConformanceTests: XCTestCase, LibraryTesting {
    // MARK: hooks for a backend

    /// The backend of library `name`, which does not exist before the test uses it.
    func makeBackend(name: String) throws -> any LibraryBackend {
        throw XCTSkip("LibraryConformanceTests is run by a subclass per backend")
    }

    /// What exists of library `name` (file paths, schema names): empty before
    /// `openCreating`, and after anything that only reads.
    func traces(of name: String) throws -> [String] { [] }

    /// Overwrites the stored definition of one object of library `name`, and
    /// its hash when one is given (a damaged or hand-edited library).
    func tamper(library name: String, kind: ObjectKind, id: String, definition: String, hash: String?) throws {}

    /// Records in library `name` a migration this konnect does not know, as a newer konnect would.
    func recordNewerVersion(library name: String) throws {}

    override func setUpWithError() throws {
        try super.setUpWithError()
        if type(of: self) == LibraryConformanceTests.self { throw XCTSkip("run by a subclass per backend") }
    }

    // MARK: helpers

    /// Library `name`, created (as `apply` opens it).
    func makeLibrary(name: String = "library") throws -> any Library {
        try makeBackend(name: name).openCreating()
    }

    // MARK: creation and reading only

    func testANewLibraryHasALineageAndSerialZero() throws {
        XCTAssertEqual(try traces(of: "library"), [])
        let library = try makeLibrary()
        XCTAssertNotEqual(try traces(of: "library"), [], "openCreating creates the library")
        let snapshot = try library.snapshot(project: "team-a", ids: [])
        XCTAssertEqual(snapshot.serial, 0)
        XCTAssertNotNil(UUID(uuidString: snapshot.lineage), "the lineage is a UUID: \(snapshot.lineage)")
        XCTAssertTrue(snapshot.owned.isEmpty)
        XCTAssertTrue(snapshot.foreignOwners.isEmpty)
        XCTAssertNil(try library.currentLock())
        XCTAssertEqual(try library.history(project: "team-a", id: nil), [])

        // Reopening migrates nothing again: same lineage, same serial.
        let again = try makeLibrary()
        XCTAssertEqual(try again.version(), LibraryVersion(lineage: snapshot.lineage, serial: 0))
        XCTAssertEqual(try XCTUnwrap(try makeBackend(name: "library").openExisting()).version().lineage, snapshot.lineage)
        // Another library is another lineage.
        XCTAssertNotEqual(try makeLibrary(name: "other").version().lineage, snapshot.lineage)
    }

    /// SPEC §7: only apply creates; every other command only reads, and
    /// against a library that does not exist yet they say so.
    func testOpeningToReadCreatesNothing() throws {
        let backend = try makeBackend(name: "missing")
        XCTAssertNil(try backend.openExisting())
        XCTAssertThrowsError(try backend.openForReading()) { error in
            XCTAssertEqual(error as? LibraryError, .absent(url: backend.displayURL))
            XCTAssertEqual("\(error)", "library \(backend.displayURL) does not exist yet; apply will create it")
        }
        let prefetch = SnapshotPrefetch(backend: backend, project: "team-a")
        prefetch.wait()
        XCTAssertNil(try prefetch.snapshot(current: AbsentLibrary(url: backend.displayURL)))
        if backend.prefetches { XCTAssertFalse(prefetch.libraryExists) }
        XCTAssertEqual(try traces(of: "missing"), [], "nothing is created by reading")
    }

    func testANewerLibraryIsRefusedNamingBothVersions() throws {
        let library = try makeLibrary()
        try apply(library, [Self.konnector("a")])
        try recordNewerVersion(library: "library")
        let backend = try makeBackend(name: "library")
        for (what, open) in [("to read", { _ = try backend.openExisting() }), ("to apply", { _ = try backend.openCreating() })] {
            XCTAssertThrowsError(try open(), what) { error in
                guard case let .newer(url, version, known)? = error as? LibraryError else { return XCTFail("\(what): \(error)") }
                XCTAssertEqual(url, backend.displayURL)
                XCTAssertGreaterThan(version, known)
                XCTAssertTrue("\(error)".contains("version \(version)") && "\(error)".contains("up to \(known)"), "\(error)")
            }
        }
    }

    /// Issue 20: two applies creating the same new library at once failed
    /// about one time in two ("database is locked" switching a new SQLite
    /// file to WAL). Creation and migration are safe under that race: here
    /// eight threads, each opening its own connection, ten times over.
    func testManyProcessesCreatingOneLibraryAtOnceAllSucceed() throws {
        for round in 0..<10 {
            let backend = try makeBackend(name: "race-\(round)")
            let results = LockedResults()
            let start = DispatchSemaphore(value: 0)
            let group = DispatchGroup()
            for _ in 0..<8 {
                DispatchQueue.global().async(group: group) {
                    start.wait()
                    do { results.add(.success(try backend.openCreating().version().lineage)) } catch { results.add(.failure(error)) }
                }
            }
            for _ in 0..<8 { start.signal() }
            group.wait()
            let lineages = try results.all.map { try $0.get() }
            XCTAssertEqual(Set(lineages).count, 1, "round \(round): one library, one lineage")
        }
    }

    final class LockedResults: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Result<String, any Error>] = []
        func add(_ r: Result<String, any Error>) { lock.lock(); results.append(r); lock.unlock() }
        var all: [Result<String, any Error>] { lock.lock(); defer { lock.unlock() }; return results }
    }

    // MARK: integrity

    /// SPEC §7: a stored definition is checked against its hash whenever it
    /// is read; a damaged object is an error naming it, never `null`.
    func testADefinitionThatDoesNotMatchItsHashIsAnErrorNamingTheObject() throws {
        let library = try makeLibrary()
        try apply(library, [Self.connection("conn"), Self.konnector("a"), Self.konnector("b")])
        let forged = Self.konnector("a", channel: "#forged").canonicalJSON!, other = Self.konnector("b").canonicalJSON!
        let cases: [(String, String?, String)] = [
            (forged, nil, "does not match its hash"), ("", nil, "does not match its hash"),
            ("{not json", SHA256Hex.digest("{not json"), "is not valid JSON"),
            ("null", SHA256Hex.digest("null"), "is not the object's"),
            (other, SHA256Hex.digest(other), "is not the object's"),
        ]
        for (definition, hash, reason) in cases {
            try tamper(library: "library", kind: .konnector, id: "a", definition: definition, hash: hash)
            let reopened = try makeLibrary()
            XCTAssertThrowsError(try reopened.objects(project: "team-a")) { error in
                XCTAssertEqual(error as? LibraryError, .damaged(kind: "konnector", id: "a", reason: "its definition \(reason)"))
                XCTAssertTrue("\(error)".contains("konnector `a` is damaged"), "\(error)")
            }
            XCTAssertThrowsError(try reopened.definitions(project: "team-a", keys: [.init(.konnector, "a")]))
            // What does not read the definition still works, and so does every other object.
            XCTAssertEqual(try reopened.snapshot(project: "team-a", ids: []).owned.count, 3)
            XCTAssertEqual(try reopened.definitions(project: "team-a", keys: [.init(.konnector, "b")]).count, 1)
            // A plan that must diff it stops.
            XCTAssertThrowsError(try plan(reopened, [Self.connection("conn"), Self.konnector("a", channel: "#eu"), Self.konnector("b")]))
        }
    }

    /// A definition whose hash was forged along with it still has to be the object's own.
    func testADefinitionOfAnotherObjectIsAnError() throws {
        XCTAssertThrowsError(try StoredIntegrity.checkDefinition(#"{"id":"b"}"#, hash: SHA256Hex.digest(#"{"id":"b"}"#),
                                                                 kind: "konnector", id: "a"))
        XCTAssertThrowsError(try StoredIntegrity.checkDefinition("[1]", hash: SHA256Hex.digest("[1]"), kind: "konnector", id: "a"))
        XCTAssertNoThrow(try StoredIntegrity.checkDefinition(#"{"id":"a"}"#, hash: SHA256Hex.digest(#"{"id":"a"}"#),
                                                             kind: "konnector", id: "a"))
        XCTAssertThrowsError(try StoredIntegrity.checkKey(kind: "konnector", id: "../../x"))
        XCTAssertThrowsError(try StoredIntegrity.checkKey(kind: "widget", id: "x"))
    }

    // MARK: apply

    func testTheCompileKeyIsStoredWithEachAppliedObject() throws {
        let library = try makeLibrary()
        var a = Self.konnector("a")
        a.sourceKey = "key-1"
        try apply(library, [a, Self.konnector("b")])
        var keys: [String: String] { (try? library.snapshot(project: "team-a", ids: []).owned)
            .map { Dictionary(uniqueKeysWithValues: $0.map { ($0.id, $0.sourceKey) }) } ?? [:] }
        XCTAssertEqual(keys, ["a": "key-1", "b": ""])
        var edited = Self.konnector("a", channel: "#eu")
        edited.sourceKey = "key-2"
        try apply(library, [edited, Self.konnector("b")])
        XCTAssertEqual(keys["a"], "key-2", "an update stores the new key")
    }

    func testApplyIncrementsTheSerialAndRecordsVersionsAndARevision() throws {
        let library = try makeLibrary()
        let lineage = try library.version().lineage
        let first = try XCTUnwrap(try apply(library, [Self.connection("conn"), Self.konnector("a"), Self.konnector("b")]))
        XCTAssertEqual(first.serial, 1)
        XCTAssertEqual(try serial(library), 1)
        XCTAssertEqual(try library.version().lineage, lineage, "the lineage never changes")
        XCTAssertEqual(try summary(library), ["connection conn v1 on", "konnector a v1 on", "konnector b v1 on"])
        XCTAssertEqual(first.changes.map { "\($0.action) \($0.kind) \($0.id) \($0.version.map(String.init) ?? "-")" },
                       ["create connection conn 1", "create konnector a 1", "create konnector b 1"])
        XCTAssertEqual(first.project, "team-a")
        XCTAssertEqual(first.user, "ada")
        XCTAssertEqual(first.commit, "0123456789abcdef0123")
        XCTAssertEqual(first.time, "2026-03-02T12:00:00Z")
        XCTAssertEqual(try library.history(project: "team-a", id: nil), [first], "history reads back what apply returned")

        let stored = try XCTUnwrap(try library.objects(project: "team-a").first { $0.id == "a" })
        let compiled = Self.konnector("a")
        XCTAssertEqual(stored.owner, "team-a")
        XCTAssertEqual(stored.name, "K a")
        XCTAssertEqual(stored.hash, compiled.hash)
        XCTAssertEqual(stored.definitionJSON, compiled.canonicalJSON)
        XCTAssertEqual(stored.sensitivePaths, ["steps.notify.with.url"])
        XCTAssertEqual(stored.sourceFile, "konnectors/a.yaml")
        XCTAssertEqual(stored.sourceCommit, "0123456789abcdef0123")
        XCTAssertEqual(stored.createdAt, "2026-03-02T12:00:00Z")
        XCTAssertEqual(stored.updatedAt, "2026-03-02T12:00:00Z")

        // An update bumps the version; a disable is recorded; a delete removes.
        let second = try XCTUnwrap(try apply(library, [Self.connection("conn"), Self.konnector("a", channel: "#eu", enabled: false)]))
        XCTAssertEqual(second.serial, 2)
        XCTAssertEqual(try summary(library), ["connection conn v1 on", "konnector a v2 off"])
        XCTAssertEqual(second.changes.map { "\($0.action) \($0.id) \($0.version.map(String.init) ?? "-")" }, ["update a 2", "delete b -"])
        XCTAssertEqual(try library.objects(project: "team-a").first { $0.id == "a" }?.createdAt, "2026-03-02T12:00:00Z")

        // Nothing to do: no revision, the serial stays.
        XCTAssertNil(try apply(library, [Self.connection("conn"), Self.konnector("a", channel: "#eu", enabled: false)]))
        XCTAssertEqual(try serial(library), 2)
        XCTAssertEqual(try library.history(project: "team-a", id: nil).map(\.serial), [2, 1], "newest first")
    }

    func testAStalePlanThrowsAndChangesNothing() throws {
        let library = try makeLibrary()
        try apply(library, [Self.konnector("a")])
        let stalePlan = try plan(library, [Self.konnector("a", channel: "#stale"), Self.konnector("c")])
        XCTAssertEqual(stalePlan.serial, 1)
        try apply(library, [Self.konnector("a", channel: "#moved"), Self.konnector("b")])
        let before = try library.objects(project: "team-a").map(\.hash)
        XCTAssertThrowsError(try library.apply(stalePlan, revision: Self.info)) { error in
            guard case LibraryError.stale? = error as? LibraryError else { return XCTFail("not stale: \(error)") }
            XCTAssertTrue("\(error)".contains("plan is stale"), "\(error)")
        }
        XCTAssertEqual(try serial(library), 2)
        XCTAssertEqual(try library.objects(project: "team-a").map(\.hash), before)
        XCTAssertFalse(try library.objects(project: "team-a").contains { $0.id == "c" })
        XCTAssertEqual(try library.history(project: "team-a", id: nil).count, 2)

        // A plan for another library (lineage) is stale too.
        let elsewhere = try makeLibrary(name: "elsewhere")
        let foreignPlan = try plan(elsewhere, [Self.konnector("z")])
        XCTAssertEqual(foreignPlan.serial, 0)
        try apply(elsewhere, [Self.konnector("y")])
        try apply(elsewhere, [Self.konnector("x")])
        let sameSerial = Plan(project: "team-a", lineage: foreignPlan.lineage, serial: 2, changes: foreignPlan.changes, unchanged: 0)
        XCTAssertThrowsError(try library.apply(sameSerial, revision: Self.info), "same serial, other lineage")
        XCTAssertEqual(try serial(library), 2)
    }

    /// `plan` against a library that does not exist yet plans against an
    /// empty one (`AbsentLibrary`); the saved plan applies to the library
    /// apply creates, and to no library that has moved on.
    func testAPlanMadeBeforeTheLibraryExistedAppliesToANewOneOnly() throws {
        let absent = AbsentLibrary(url: try makeBackend(name: "library").displayURL)
        let first = try plan(absent, [Self.connection("conn"), Self.konnector("a")])
        XCTAssertEqual(LibraryVersion(lineage: first.lineage, serial: first.serial), .absent)
        XCTAssertEqual(first.summary.create, 2)
        XCTAssertThrowsError(try absent.apply(first, revision: Self.info))

        let library = try makeLibrary()
        XCTAssertEqual(try library.apply(first, revision: Self.info)?.serial, 1)
        XCTAssertEqual(try summary(library), ["connection conn v1 on", "konnector a v1 on"])
        XCTAssertThrowsError(try library.apply(first, revision: Self.info), "the library has moved on") { error in
            guard case LibraryError.stale? = error as? LibraryError else { return XCTFail("\(error)") }
        }
    }

    func testAFailingChangeRollsBackTheWholeApply() throws {
        let library = try makeLibrary()
        try apply(library, [Self.konnector("taken")], project: "team-b")
        // A snapshot taken without asking about `taken` does not know it exists, so the plan creates
        // it: the insert collides in the middle of the apply.
        let (colliding, _) = Planner(project: "team-a").plan([Self.konnector("a"), Self.konnector("taken"), Self.konnector("z")],
                                                             against: try library.snapshot(project: "team-a", ids: []))
        XCTAssertEqual(colliding.changes.map(\.id), ["a", "taken", "z"])
        XCTAssertThrowsError(try library.apply(colliding, revision: Self.info))
        XCTAssertEqual(try summary(library), [], "the create of `a`, before the collision, was rolled back")
        XCTAssertEqual(try summary(library, "team-b"), ["konnector taken v1 on"], "the other project's object is untouched")
        XCTAssertEqual(try serial(library), 1)
        XCTAssertEqual(try library.history(project: "team-a", id: nil), [])
    }

    func testAnUpdateOfAnObjectThatChangedMeanwhileIsStale() throws {
        let library = try makeLibrary()
        try apply(library, [Self.konnector("a")])
        var plan = try self.plan(library, [Self.konnector("a", channel: "#new")])
        plan.changes[0].beforeHash = String(repeating: "f", count: 64)
        XCTAssertThrowsError(try library.apply(plan, revision: Self.info)) { error in
            guard case LibraryError.stale? = error as? LibraryError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try library.objects(project: "team-a").first?.hash, Self.konnector("a").hash)
        XCTAssertEqual(try serial(library), 1)
    }

    // MARK: reading for a plan

    func testSnapshotsAreLightAndDefinitionsAreReadOnDemand() throws {
        let library = try makeLibrary()
        try apply(library, [Self.connection("conn"), Self.konnector("a", tags: ["ops"]), Self.konnector("b")])
        try apply(library, [Self.konnector("x")], project: "team-b")
        let snapshot = try library.snapshot(project: "team-a", ids: [])
        XCTAssertEqual(snapshot.owned.map(\.id), ["conn", "a", "b"])
        XCTAssertTrue(snapshot.owned.allSatisfy { $0.definitionJSON == nil }, "a plan's snapshot carries no definitions")
        XCTAssertEqual(snapshot.owned.first { $0.id == "a" }?.tags, ["ops"], "tags are there without the definition (--target tag:)")
        XCTAssertEqual(snapshot.owned.first { $0.id == "a" }?.hash, Self.konnector("a", tags: ["ops"]).hash)

        let definitions = try library.definitions(project: "team-a", keys: [.init(.konnector, "a"), .init(.connection, "conn"),
                                                                            .init(.konnector, "x"), .init(.konnector, "nope"),
                                                                            .init(.connection, "a")])
        XCTAssertEqual(definitions, [.init(.konnector, "a"): Self.konnector("a", tags: ["ops"]).canonicalJSON,
                                     .init(.connection, "conn"): Self.connection("conn").canonicalJSON],
                       "only this project's objects, of the right kind")
        XCTAssertEqual(try library.definitions(project: "team-a", keys: []), [:])
        let filled = snapshot.filling(definitions)
        XCTAssertEqual(filled.owned.first { $0.id == "a" }?.definitionJSON, Self.konnector("a", tags: ["ops"]).canonicalJSON)
        XCTAssertNil(filled.owned.first { $0.id == "b" }?.definitionJSON)

        // Only what differs is read: an unchanged object, a changed one, a renamed one.
        let needed = Planner.definitionsNeeded([Self.konnector("a", tags: ["ops"]), Self.konnector("b", channel: "#eu"),
                                                Self.konnector("c", renamedFrom: "conn"), Self.konnector("d", renamedFrom: "b")], in: snapshot)
        XCTAssertEqual(Set(needed), [.init(.konnector, "b")])
    }

    func testSnapshotOfEveryForeignOwner() throws {
        let library = try makeLibrary()
        try apply(library, [Self.konnector("a1"), Self.connection("c1")], project: "team-a")
        try apply(library, [Self.konnector("b1")], project: "team-b")
        XCTAssertEqual(try library.snapshot(project: "team-b", ids: nil).foreignOwners,
                       [.init(.konnector, "a1"): "team-a", .init(.connection, "c1"): "team-a"])
        XCTAssertEqual(try library.snapshot(project: "team-b", ids: []).foreignOwners, [:])
    }

    func testPrefetchedSnapshotIsUsedOnlyWhileTheSerialStands() throws {
        let backend = try makeBackend(name: "library")
        guard backend.prefetches else { throw XCTSkip("this backend offers no prefetch") }
        XCTAssertFalse(SnapshotPrefetch(backend: backend, project: "team-a").libraryExists)
        let library = try backend.openCreating()
        try apply(library, [Self.konnector("a1")])
        let current = try XCTUnwrap(SnapshotPrefetch(backend: backend, project: "team-a").snapshot(current: library))
        XCTAssertEqual(current.serial, 1)
        XCTAssertEqual(current.owned.map(\.id), ["a1"])

        // Another apply lands between the read and the plan: the early snapshot is dropped.
        let early = SnapshotPrefetch(backend: backend, project: "team-a")
        XCTAssertTrue(early.libraryExists)
        early.wait()
        try apply(library, [Self.konnector("a1"), Self.konnector("a2")])
        XCTAssertNil(try early.snapshot(current: library))
    }

    // MARK: rename, history, owners

    func testRenameKeepsTheVersionLineAndHistoryFindsBothIDs() throws {
        let library = try makeLibrary()
        try apply(library, [Self.konnector("old")])                                   // serial 1
        try apply(library, [Self.konnector("old", channel: "#two")])                  // serial 2
        let renamed = try XCTUnwrap(try apply(library, [Self.konnector("new", channel: "#two", renamedFrom: "old")]))  // 3
        XCTAssertEqual(renamed.changes.map(\.action), ["rename"])
        XCTAssertEqual(renamed.changes.first?.renamedFrom, "old")
        XCTAssertEqual(renamed.changes.first?.version, 3)
        XCTAssertEqual(try summary(library), ["konnector new v3 on"], "a rename is the same object, one version later")
        try apply(library, [Self.konnector("other")])                                  // 4: deletes `new`, creates `other`

        XCTAssertEqual(try library.history(project: "team-a", id: "old").map(\.serial), [3, 2, 1])
        XCTAssertEqual(try library.history(project: "team-a", id: "new").map(\.serial), [4, 3])
        XCTAssertEqual(try library.history(project: "team-a", id: "other").map(\.serial), [4])
        XCTAssertEqual(try library.history(project: "team-a", id: "nothing"), [])
        XCTAssertEqual(try library.history(project: "team-a", id: nil).map(\.serial), [4, 3, 2, 1])
        XCTAssertEqual(try library.history(project: "team-b", id: nil), [], "history is per project")
    }

    func testObjectsOfTwoProjectsDoNotMix() throws {
        let library = try makeLibrary()
        try apply(library, [Self.connection("conn-a"), Self.konnector("a1"), Self.konnector("a2")], project: "team-a")
        try apply(library, [Self.konnector("b1")], project: "team-b")
        XCTAssertEqual(try serial(library), 2)
        XCTAssertEqual(try summary(library, "team-a"), ["connection conn-a v1 on", "konnector a1 v1 on", "konnector a2 v1 on"])
        XCTAssertEqual(try summary(library, "team-b"), ["konnector b1 v1 on"])

        // team-b planning without a2's id never deletes team-a's objects.
        XCTAssertTrue(try plan(library, [Self.konnector("b1")], project: "team-b").isEmpty)
        // The snapshot names the owner of an id this project also uses.
        let snapshot = try library.snapshot(project: "team-b", ids: [.init(.konnector, "a1"), .init(.konnector, "b1"),
                                                                     .init(.connection, "a2")])
        XCTAssertEqual(snapshot.owned.map(\.id), ["b1"])
        XCTAssertEqual(snapshot.foreignOwners, [.init(.konnector, "a1"): "team-a"], "kinds are kept apart")
        let (_, diagnostics) = Planner(project: "team-b").plan([Self.konnector("a1"), Self.konnector("b1")], against: snapshot)
        XCTAssertEqual(diagnostics.map(\.code), [.ownedElsewhere])

        // team-a deleting everything leaves team-b alone.
        try apply(library, [], project: "team-a")
        XCTAssertEqual(try summary(library, "team-a"), [])
        XCTAssertEqual(try summary(library, "team-b"), ["konnector b1 v1 on"])
        XCTAssertEqual(try library.history(project: "team-b", id: nil).map(\.serial), [2])
        XCTAssertEqual(try library.history(project: "team-a", id: nil).map(\.serial), [3, 1])
    }

    // MARK: the lock

    /// A plan that finds an object unchanged but applied from another compile key lists it in
    /// `keyRefreshes`; `refreshKeys` records the key where the object still has that hash, and
    /// nothing else moves. Without it, such an object was compiled again by every later plan.
    func testRefreshKeysRecordsTheKeysOfUnchangedObjectsOnly() throws {
        let library = try makeLibrary()
        var a = Self.konnector("a"), b = Self.konnector("b")
        a.sourceKey = "key-1"
        b.sourceKey = "key-1"
        try apply(library, [a, b])
        a.sourceKey = "key-2"
        b.sourceKey = "key-2"
        let planned = try plan(library, [a, b])
        XCTAssertTrue(planned.isEmpty)
        XCTAssertEqual(planned.keyRefreshes.map(\.id), ["a", "b"])
        XCTAssertEqual(planned.keyRefreshes.first?.sourceKey, "key-2")
        var refreshes = planned.keyRefreshes
        refreshes[1].hash = String(repeating: "f", count: 64)  // b changed meanwhile: its key stays
        try library.refreshKeys(project: "team-a", refreshes)
        let owned = try library.snapshot(project: "team-a", ids: nil).owned
        XCTAssertEqual(owned.map(\.sourceKey), ["key-2", "key-1"])
        XCTAssertEqual(owned.map(\.version), [1, 1])
        XCTAssertEqual(try serial(library), 1)
        XCTAssertEqual(try library.history(project: "team-a", id: nil).count, 1)
        XCTAssertEqual(try plan(library, [a, b]).keyRefreshes.map(\.id), ["b"])
        try library.refreshKeys(project: "team-b", try plan(library, [a, b]).keyRefreshes)
        XCTAssertEqual(try library.snapshot(project: "team-a", ids: nil).owned.map(\.sourceKey), ["key-2", "key-1"],
                       "another project's refresh writes nothing")
    }

    /// `clearLock` (`unlock --force` of a lock row that cannot be read) deletes whatever lock there is.
    func testClearLockDeletesAnyLock() throws {
        let library = try makeLibrary()
        try library.clearLock()
        XCTAssertNil(try library.currentLock(), "clearing no lock is no error")
        XCTAssertNil(try library.lock(Self.holder(100), timeout: 0))
        try library.clearLock()
        XCTAssertNil(try library.currentLock())
        XCTAssertNil(try makeLibrary().lock(Self.holder(200), timeout: 0), "the cleared lock is free for anyone")
    }

    func testLockAndUnlockOnlyByTheHolder() throws {
        let library = try makeLibrary()
        XCTAssertNil(try library.currentLock())
        XCTAssertNil(try library.lock(Self.holder(100), timeout: 0), "a free lock is taken over from no one")
        let held = try XCTUnwrap(try library.currentLock())
        XCTAssertEqual(held.id, Self.holder(100).id)
        XCTAssertEqual(held.project, "team-a")
        XCTAssertEqual(held.operation, "apply")
        XCTAssertEqual("\(held)", "ada@host-1 (pid 100) since 2026-03-02T12:00:00Z, apply of project `team-a`")
        let lease = try XCTUnwrap(held.leaseExpires).timeIntervalSinceNow
        XCTAssertTrue(lease > LockLease.seconds - 10 && lease <= LockLease.seconds + 1, "a lease of 30 s: \(lease)")
        // Another library object on the same library sees the same lock.
        XCTAssertEqual(try makeLibrary().currentLock()?.id, held.id)

        // Only the holder releases it: another id (same pid, other host; other pid) does not.
        try library.unlock(Self.holder(200))
        try library.unlock(Self.holder(100, host: "host-2"))
        XCTAssertEqual(try library.currentLock()?.id, held.id)
        XCTAssertFalse(try library.renewLock(Self.holder(200), lease: 30), "nobody else renews it")
        XCTAssertTrue(try library.renewLock(Self.holder(100), lease: 30))
        try library.unlock(Self.holder(100))
        XCTAssertNil(try library.currentLock())
        XCTAssertFalse(try library.renewLock(Self.holder(100), lease: 30), "a released lock is not renewed")
        try library.unlock(Self.holder(100))  // nothing to release: no error
        try library.lock(Self.holder(400), timeout: 0)
        XCTAssertEqual(try library.currentLock()?.pid, 400)
    }

    /// The holder is read back from the library: its text is escaped for a terminal (SPEC §6).
    func testAHolderWithControlCharactersIsShownEscaped() throws {
        let library = try makeLibrary()
        var forged = Self.holder(100)
        forged.user = "ada\u{1b}[2K\rci"
        try library.lock(forged, timeout: 0)
        let shown = "\(try XCTUnwrap(try library.currentLock()))"
        XCTAssertFalse(shown.contains("\u{1b}") || shown.contains("\r"), shown)
        XCTAssertTrue(shown.hasPrefix("ada\\u{1b}[2K\\u{d}ci@host-1 (pid 100)"), shown)
    }

    /// `--lock-timeout 1e300s` trapped converting the wait to milliseconds (found by fuzzing).
    func testAnEnormousLockTimeoutOrLeaseIsNoTrap() throws {
        let library = try makeLibrary()
        XCTAssertNil(try library.lock(Self.holder(100), timeout: 1e300, lease: 1e300), "the lock was free")
        XCTAssertEqual(try library.currentLock()?.pid, 100)
        XCTAssertTrue(try library.renewLock(Self.holder(100), lease: .infinity))
    }

    func testALockTimeoutThrowsLockedNamingTheHolder() throws {
        let library = try makeLibrary()
        try library.lock(Self.holder(100), timeout: 1)
        let start = Date()
        XCTAssertThrowsError(try makeLibrary().lock(Self.holder(200), timeout: 0.3)) { error in
            guard case let LibraryError.locked(holder, waited)? = error as? LibraryError else { return XCTFail("\(error)") }
            XCTAssertEqual(holder.id, Self.holder(100).id)
            XCTAssertEqual(waited, 0.3, accuracy: 0.05)
            let message = "\(error)"
            XCTAssertTrue(message.contains("ada@host-1 (pid 100) since 2026-03-02T12:00:00Z"), message)
            XCTAssertTrue(message.contains("konnect unlock"), message)
        }
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.29, "waited for the timeout")
        XCTAssertEqual(try library.currentLock()?.pid, 100, "the holder keeps its lock")
    }

    func testAWaiterGetsTheLockWhenItIsReleased() throws {
        let library = try makeLibrary()
        try library.lock(Self.holder(100), timeout: 0)
        let release = DispatchSemaphore(value: 0)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) {
            try? library.unlock(Self.holder(100))
            release.signal()
        }
        XCTAssertNil(try makeLibrary().lock(Self.holder(200), timeout: 10), "a released lock is no takeover")
        XCTAssertEqual(try library.currentLock()?.pid, 200)
        release.wait()
    }

    /// SPEC §7: a holder that stops renewing (killed) loses the lock when
    /// its lease runs out; a waiter takes it over then, and says whose.
    func testAnExpiredLeaseIsTakenOverByAWaiter() throws {
        let library = try makeLibrary()
        XCTAssertNil(try library.lock(Self.holder(100), timeout: 0, lease: 0.3), "the lock was free")
        let previous = try XCTUnwrap(try makeLibrary().lock(Self.holder(200), timeout: 10), "taken over")
        XCTAssertEqual(previous.id, Self.holder(100).id)
        XCTAssertTrue(previous.leaseExpired(), "it is taken over only once the lease has run out")
        XCTAssertEqual(try library.currentLock()?.id, Self.holder(200).id)
        // The old holder finds it gone: it can neither renew nor release the new holder's lock.
        XCTAssertFalse(try library.renewLock(Self.holder(100), lease: 30))
        try library.unlock(Self.holder(100))
        XCTAssertEqual(try library.currentLock()?.id, Self.holder(200).id)
    }

    /// A holder whose lease is renewed keeps the lock past the lease's length.
    func testARenewedLeaseIsNotTakenOver() throws {
        let library = try makeLibrary()
        XCTAssertNil(try library.lock(Self.holder(100), timeout: 0, lease: 0.5), "the lock was free")
        let renewer = LeaseRenewer(library, holder: Self.holder(100), lease: 0.5, every: 0.1)
        defer { renewer.stop() }
        XCTAssertThrowsError(try makeLibrary().lock(Self.holder(200), timeout: 1.2)) { error in
            guard case let LibraryError.locked(holder, _)? = error as? LibraryError else { return XCTFail("\(error)") }
            XCTAssertEqual(holder.pid, 100)
        }
        XCTAssertFalse(renewer.lost)
        // Cleared under it, the renewer notices.
        try library.unlock(Self.holder(100))
        let deadline = Date(timeIntervalSinceNow: 5)
        while !renewer.lost && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertTrue(renewer.lost)
    }

    func testTheLockDoesNotChangeTheSerialOrTheObjects() throws {
        let library = try makeLibrary()
        try apply(library, [Self.konnector("a")])
        try library.lock(Self.holder(1), timeout: 0)
        XCTAssertTrue(try library.renewLock(Self.holder(1), lease: 30))
        try library.unlock(Self.holder(1))
        XCTAssertEqual(try serial(library), 1)
        XCTAssertEqual(try library.history(project: "team-a", id: nil).count, 1)
    }
}
