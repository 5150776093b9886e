import Foundation
import KonnectCore
@testable import KonnectLibrary
import GRDB
import XCTest

/// The embedded SQLite library (SPEC §7, §8) on temporary files: migrations,
/// lineage and serial, atomic applies, stale plans, the lock, history.
final class SQLiteLibraryTests: XCTestCase {
    // MARK: helpers

    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("konnect-library-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func open(_ name: String = "library.db") throws -> SQLiteLibrary {
        try SQLiteLibrary(path: directory.appendingPathComponent(name).path)
    }

    static func konnector(_ id: String, channel: String = "#sales", enabled: Bool = true, tags: [String] = [],
                          renamedFrom: String? = nil) -> CompiledObject {
        let definition: JSONValue = .object([
            "id": .string(id), "name": .string("K \(id)"), "enabled": .bool(enabled),
            "tags": .array(tags.map(JSONValue.string)),
            "steps": .array([.object(["id": .string("notify"), "with": .object(["channel": .string(channel),
                                                                                "url": .string("https://x.example/?t=1")])])]),
        ])
        return CompiledObject(kind: .konnector, id: id, name: "K \(id)", enabled: enabled, tags: tags, definition: definition,
                              sensitivePaths: ["steps.notify.with.url"], renamedFrom: renamedFrom, connections: ["conn"],
                              sourceFile: "konnectors/\(id).yaml", idRange: nil)
    }

    static func connection(_ id: String, scopes: [String] = ["chat:write"]) -> CompiledObject {
        CompiledObject(kind: .connection, id: id, name: id, enabled: true, tags: [],
                       definition: .object(["id": .string(id), "app": .string("slack"), "scopes": .array(scopes.map(JSONValue.string))]),
                       sensitivePaths: [], renamedFrom: nil, connections: [], sourceFile: "konnectors/connections.yaml", idRange: nil)
    }

    static let info = RevisionInfo(user: "ada", gitCommit: "0123456789abcdef0123", time: "2026-03-02T12:00:00Z")

    /// Plans `objects` for `project` against the library as it is now.
    func plan(_ library: SQLiteLibrary, _ objects: [CompiledObject], project: String = "team-a",
              file: StaticString = #filePath, line: UInt = #line) throws -> Plan {
        // As the CLI does: a light snapshot, then the definitions of the objects that changed.
        let keys = Set(objects.map { LibrarySnapshot.Key($0.kind, $0.id) })
        let light = try library.snapshot(project: project, ids: keys)
        let snapshot = light.filling(try library.definitions(project: project, keys: Planner.definitionsNeeded(objects, in: light)))
        let (plan, diagnostics) = Planner(project: project).plan(objects, against: snapshot)
        XCTAssertEqual(diagnostics.map(\.message), [], file: file, line: line)
        return plan
    }

    @discardableResult
    func apply(_ library: SQLiteLibrary, _ objects: [CompiledObject], project: String = "team-a",
               file: StaticString = #filePath, line: UInt = #line) throws -> Revision? {
        try library.apply(try plan(library, objects, project: project, file: file, line: line), revision: Self.info)
    }

    func serial(_ library: SQLiteLibrary) throws -> Int { try library.snapshot(project: "-", ids: []).serial }

    func summary(_ library: SQLiteLibrary, _ project: String = "team-a") throws -> [String] {
        try library.objects(project: project).map { "\($0.kind.rawValue) \($0.id) v\($0.version) \($0.enabled ? "on" : "off")" }
    }

    // MARK: creation and migrations

    func testANewLibraryHasALineageAndSerialZero() throws {
        let path = directory.appendingPathComponent("nested/dir/library.db").path
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        let library = try SQLiteLibrary(path: path)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "created on first use, folders included")
        let snapshot = try library.snapshot(project: "team-a", ids: [])
        XCTAssertEqual(snapshot.serial, 0)
        XCTAssertNotNil(UUID(uuidString: snapshot.lineage), "the lineage is a UUID: \(snapshot.lineage)")
        XCTAssertTrue(snapshot.owned.isEmpty)
        XCTAssertTrue(snapshot.foreignOwners.isEmpty)
        XCTAssertNil(try library.currentLock())
        XCTAssertEqual(try library.history(project: "team-a", id: nil), [])

        // Reopening migrates nothing again: same lineage, same serial.
        let again = try SQLiteLibrary(path: path)
        XCTAssertEqual(try again.snapshot(project: "team-a", ids: []).lineage, snapshot.lineage)
        XCTAssertEqual(try again.snapshot(project: "team-a", ids: []).serial, 0)
        // Another file is another lineage.
        XCTAssertNotEqual(try open("other.db").snapshot(project: "team-a", ids: []).lineage, snapshot.lineage)
    }

    func testTheCompileKeyIsStoredWithEachAppliedObject() throws {
        let library = try open()
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

    func testStoredStringArraysReadBackExactly() {
        for strings in [[], ["ops"], ["a,b", "c"], ["ünï", "tab\there"], ["quote\"d", "back\\slash"], ["", "x"]] as [[String]] {
            XCTAssertEqual(SQLiteLibrary.strings(SQLiteLibrary.json(strings)), strings)
        }
        XCTAssertEqual(SQLiteLibrary.strings("not json"), [])
    }

    func testTheFileIsInWALModeWithFullSync() throws {
        let library = try open()
        let (mode, sync) = try library.db.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        XCTAssertEqual(mode?.lowercased(), "wal")
        // FULL, not GRDB's WAL default NORMAL: a committed apply survives power loss.
        XCTAssertEqual(sync, 2, "synchronous = FULL")
    }

    // MARK: apply

    func testApplyIncrementsTheSerialAndRecordsVersionsAndARevision() throws {
        let library = try open()
        let lineage = try library.snapshot(project: "team-a", ids: []).lineage
        let first = try XCTUnwrap(try apply(library, [Self.connection("conn"), Self.konnector("a"), Self.konnector("b")]))
        XCTAssertEqual(first.serial, 1)
        XCTAssertEqual(try serial(library), 1)
        XCTAssertEqual(try library.snapshot(project: "team-a", ids: []).lineage, lineage, "the lineage never changes")
        XCTAssertEqual(try summary(library), ["connection conn v1 on", "konnector a v1 on", "konnector b v1 on"])
        XCTAssertEqual(first.changes.map { "\($0.action) \($0.kind) \($0.id) \($0.version.map(String.init) ?? "-")" },
                       ["create connection conn 1", "create konnector a 1", "create konnector b 1"])
        XCTAssertEqual(first.project, "team-a")
        XCTAssertEqual(first.user, "ada")
        XCTAssertEqual(first.gitCommit, "0123456789abcdef0123")
        XCTAssertEqual(first.appliedAt, "2026-03-02T12:00:00Z")

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
        let library = try open()
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
        let elsewhere = try open("elsewhere.db")
        let foreignPlan = try plan(elsewhere, [Self.konnector("z")])
        XCTAssertEqual(foreignPlan.serial, 0)
        try apply(elsewhere, [Self.konnector("y")])
        try apply(elsewhere, [Self.konnector("x")])
        let samSerial = Plan(project: "team-a", lineage: foreignPlan.lineage, serial: 2, changes: foreignPlan.changes, unchanged: 0)
        XCTAssertThrowsError(try library.apply(samSerial, revision: Self.info), "same serial, other lineage")
        XCTAssertEqual(try serial(library), 2)
    }

    func testAFailingChangeRollsBackTheWholeApply() throws {
        let library = try open()
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
    }

    func testAnUpdateOfAnObjectThatChangedMeanwhileIsStale() throws {
        let library = try open()
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
        let library = try open()
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
        XCTAssertEqual(filled.owned.first { $0.id == "a" }?.definition, Self.konnector("a", tags: ["ops"]).definition?.sortedKeys())
        XCTAssertNil(filled.owned.first { $0.id == "b" }?.definitionJSON)

        // Only what differs is read: an unchanged object, a changed one, a renamed one.
        let needed = Planner.definitionsNeeded([Self.konnector("a", tags: ["ops"]), Self.konnector("b", channel: "#eu"),
                                                Self.konnector("c", renamedFrom: "conn"), Self.konnector("d", renamedFrom: "b")], in: snapshot)
        XCTAssertEqual(Set(needed), [.init(.konnector, "b")])
    }

    func testALibraryMadeByTheFirstMigrationIsUpgraded() throws {
        let path = directory.appendingPathComponent("v1.db").path
        let queue = try DatabaseQueue(path: path)
        try SQLiteLibrary.migrator.migrate(queue, upTo: "v1")
        let a = Self.konnector("a", tags: ["ops", "web"])
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO objects (kind, id, owner, name, enabled, definition, hash, version, created_at, updated_at,
                                     source_file, source_commit, sensitive_paths)
                VALUES ('konnector', 'a', 'team-a', 'K a', 1, ?, ?, 1, 't', 't', 'konnectors/a.yaml', '', '[]')
                """, arguments: [a.canonicalJSON, a.hash])
        }
        try queue.close()
        let library = try SQLiteLibrary(path: path)
        XCTAssertEqual(try library.snapshot(project: "team-a", ids: []).owned.first?.tags, ["ops", "web"], "tags filled from definitions")
        XCTAssertTrue(try plan(library, [a]).isEmpty)
        try apply(library, [Self.konnector("a", tags: ["web"])])
        XCTAssertEqual(try library.snapshot(project: "team-a", ids: []).owned.first?.tags, ["web"])
    }

    /// Found by fuzzing: a value of the wrong type in a library row (a
    /// damaged or hand-edited file) trapped inside GRDB's subscripts; every
    /// read now throws instead, and the CLI reports it.
    func testValuesOfTheWrongTypeInTheFileThrowInsteadOfTrapping() throws {
        let path = directory.appendingPathComponent("odd.db").path
        let library = try SQLiteLibrary(path: path)
        try apply(library, [Self.konnector("a")])
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "UPDATE revisions SET applied_at = x'00ff'")
            try db.execute(sql: "UPDATE objects SET hash = x'00ff', version = 'many'")
            try db.execute(sql: "INSERT INTO lock (slot, user, host, pid, since) VALUES (1, 'ada', 'h', 'not a pid', 't')")
        }
        try queue.close()
        let damaged = try SQLiteLibrary(path: path)
        XCTAssertThrowsError(try damaged.history(project: "team-a", id: nil))
        // SQLite converts these on reading (a blob to text, text to 0): odd values, but no trap.
        _ = try? damaged.objects(project: "team-a")
        _ = try? damaged.snapshot(project: "team-a", ids: [])
        XCTAssertThrowsError(try damaged.currentLock())
        XCTAssertThrowsError(try damaged.lock(Self.holder(1), timeout: 0))
    }

    /// A serial at Int.max (a damaged file) overflowed on the next apply (found by fuzzing).
    func testAnApplyPastTheLargestSerialThrows() throws {
        let path = directory.appendingPathComponent("full.db").path
        let library = try SQLiteLibrary(path: path)
        try apply(library, [Self.konnector("a")])
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "UPDATE meta SET value = '9223372036854775807' WHERE key = 'serial'") }
        try queue.close()
        let full = try SQLiteLibrary(path: path)
        XCTAssertThrowsError(try apply(full, [Self.konnector("b")])) { error in
            XCTAssertEqual(error as? LibraryError, .corrupt("the serial is at its largest value"))
        }
        XCTAssertEqual(try summary(full), ["konnector a v1 on"])
    }

    // MARK: rename and history

    func testRenameKeepsTheVersionLineAndHistoryFindsBothIDs() throws {
        let library = try open()
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

    // MARK: two owners

    func testObjectsOfTwoProjectsDoNotMix() throws {
        let library = try open()
        try apply(library, [Self.connection("conn-a"), Self.konnector("a1"), Self.konnector("a2")], project: "team-a")
        try apply(library, [Self.konnector("b1")], project: "team-b")
        XCTAssertEqual(try serial(library), 2)
        XCTAssertEqual(try summary(library, "team-a"), ["connection conn-a v1 on", "konnector a1 v1 on", "konnector a2 v1 on"])
        XCTAssertEqual(try summary(library, "team-b"), ["konnector b1 v1 on"])

        // team-b planning without a2's id never deletes team-a's objects.
        let bPlan = try plan(library, [Self.konnector("b1")], project: "team-b")
        XCTAssertTrue(bPlan.isEmpty)
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

    // MARK: reading before the project is checked

    func testExistingLibraryIsOpenedOnlyWhenCurrent() throws {
        let missing = directory.appendingPathComponent("missing/library.db").path
        XCTAssertNil(SQLiteLibrary(existingAt: missing))
        XCTAssertFalse(FileManager.default.fileExists(atPath: (missing as NSString).deletingLastPathComponent), "nothing is created")
        XCTAssertNil(LibraryURL.openExisting("sqlite:missing/library.db", relativeTo: directory.path))

        // An empty file is an SQLite database without the schema: not migrated, not changed.
        let empty = directory.appendingPathComponent("empty.db").path
        FileManager.default.createFile(atPath: empty, contents: Data())
        XCTAssertNil(SQLiteLibrary(existingAt: empty))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: empty)), Data())
        XCTAssertNil(SQLiteLibrary(existingAt: directory.path), "a folder is no library")

        let library = try open()
        try apply(library, [Self.konnector("a1")])
        let existing = try XCTUnwrap(LibraryURL.openExisting("sqlite:library.db", relativeTo: directory.path))
        XCTAssertEqual(try existing.version(), LibraryVersion(lineage: try library.snapshot(project: "-", ids: []).lineage, serial: 1))
        XCTAssertEqual(try existing.snapshot(project: "team-a", ids: nil).owned.map(\.id), ["a1"])
    }

    func testSnapshotOfEveryForeignOwner() throws {
        let library = try open()
        try apply(library, [Self.konnector("a1"), Self.connection("c1")], project: "team-a")
        try apply(library, [Self.konnector("b1")], project: "team-b")
        XCTAssertEqual(try library.snapshot(project: "team-b", ids: nil).foreignOwners,
                       [.init(.konnector, "a1"): "team-a", .init(.connection, "c1"): "team-a"])
        XCTAssertEqual(try library.snapshot(project: "team-b", ids: []).foreignOwners, [:])
    }

    func testPrefetchedSnapshotIsUsedOnlyWhileTheSerialStands() throws {
        let library = try open()
        try apply(library, [Self.konnector("a1")])
        let url = "sqlite:" + directory.appendingPathComponent("library.db").path
        let current = try XCTUnwrap(SnapshotPrefetch(url: url, relativeTo: "/", project: "team-a").snapshot(current: library))
        XCTAssertEqual(current.serial, 1)
        XCTAssertEqual(current.owned.map(\.id), ["a1"])

        // Another apply lands between the read and the plan: the early snapshot is dropped.
        let early = SnapshotPrefetch(url: url, relativeTo: "/", project: "team-a")
        early.wait()
        try apply(library, [Self.konnector("a1"), Self.konnector("a2")])
        XCTAssertNil(try early.snapshot(current: library))

        // No library yet, or one that needs migrating: nothing is read, nothing created.
        let absent = directory.appendingPathComponent("none/library.db")
        XCTAssertNil(try SnapshotPrefetch(url: "sqlite:" + absent.path, relativeTo: "/", project: "team-a").snapshot(current: library))
        XCTAssertFalse(FileManager.default.fileExists(atPath: absent.deletingLastPathComponent().path))
    }

    // MARK: lock

    static func holder(_ pid: Int, host: String = "host-1") -> LockHolder {
        LockHolder(user: "ada", host: host, pid: pid, since: "2026-03-02T12:00:00Z")
    }

    func testLockUnlockAndForceUnlock() throws {
        let library = try open()
        XCTAssertNil(try library.currentLock())
        try library.lock(Self.holder(100), timeout: 0)
        XCTAssertEqual(try library.currentLock(), Self.holder(100))
        // Another library object on the same file sees the same lock.
        XCTAssertEqual(try open().currentLock(), Self.holder(100))

        // Only the holder releases it.
        try library.unlock(Self.holder(200))
        XCTAssertEqual(try library.currentLock(), Self.holder(100))
        try library.unlock(Self.holder(100, host: "host-2"))
        XCTAssertEqual(try library.currentLock(), Self.holder(100), "same pid on another host is someone else")
        try library.unlock(Self.holder(100))
        XCTAssertNil(try library.currentLock())

        try library.lock(Self.holder(300), timeout: 0)
        try library.forceUnlock()
        XCTAssertNil(try library.currentLock())
        try library.forceUnlock()  // nothing to clear: no error
        try library.lock(Self.holder(400), timeout: 0)
        XCTAssertEqual(try library.currentLock()?.pid, 400)
    }

    /// `--lock-timeout 1e300s` trapped converting the wait to milliseconds (found by fuzzing).
    func testAnEnormousLockTimeoutIsNoTrap() throws {
        let library = try open()
        try library.lock(Self.holder(100), timeout: 1e300)
        XCTAssertEqual(try library.currentLock(), Self.holder(100))
    }

    func testALockTimeoutThrowsLockedNamingTheHolder() throws {
        let library = try open()
        try library.lock(Self.holder(100), timeout: 1)
        let start = Date()
        XCTAssertThrowsError(try open().lock(Self.holder(200), timeout: 0.3)) { error in
            guard case let LibraryError.locked(holder, waited)? = error as? LibraryError else { return XCTFail("\(error)") }
            XCTAssertEqual(holder, Self.holder(100))
            XCTAssertEqual(waited, 0.3, accuracy: 0.05)
            let message = "\(error)"
            XCTAssertTrue(message.contains("ada@host-1 (pid 100) since 2026-03-02T12:00:00Z"), message)
            XCTAssertTrue(message.contains("konnect unlock"), message)
        }
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertGreaterThanOrEqual(elapsed, 0.29, "waited for the timeout")
        XCTAssertLessThan(elapsed, 3)
        XCTAssertEqual(try library.currentLock()?.pid, 100, "the holder keeps its lock")
    }

    /// Returns once a write transaction is open on `library`; it commits
    /// after `seconds`, and the returned semaphore is signalled then.
    func holdAWrite(on library: SQLiteLibrary, for seconds: Double) -> DispatchSemaphore {
        let writing = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            do {
                try library.db.write { db in
                    try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('busy', 'yes')")
                    writing.signal()
                    Thread.sleep(forTimeInterval: seconds)
                }
            } catch {
                writing.signal()  // never hang the test; its timing assertions fail instead
            }
            done.signal()
        }
        writing.wait()
        return done
    }

    /// The holder is inside its apply's write transaction (SPEC §8: another
    /// apply waits up to `--lock-timeout`, no longer, then names the holder).
    func testALockTimeoutHoldsWhileTheHolderIsWriting() throws {
        let library = try open()
        try library.lock(Self.holder(100), timeout: 0)
        let done = holdAWrite(on: library, for: 3)
        let start = Date()
        XCTAssertThrowsError(try open().lock(Self.holder(200), timeout: 0.5)) { error in
            guard case let LibraryError.locked(holder, _)? = error as? LibraryError else { return XCTFail("\(error)") }
            XCTAssertEqual(holder, Self.holder(100))
        }
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertGreaterThanOrEqual(elapsed, 0.45)
        XCTAssertLessThan(elapsed, 1.5, "the wait ends at the timeout, not when the holder's transaction does")
        done.wait()
    }

    /// A lock taken while nobody holds it, but someone else is writing, is
    /// taken as soon as the write ends, within the timeout.
    func testALockIsTakenAfterAnotherWriteEndsWithinTheTimeout() throws {
        let library = try open()
        let done = holdAWrite(on: library, for: 0.4)
        try open().lock(Self.holder(200), timeout: 3)
        XCTAssertEqual(try library.currentLock()?.pid, 200)
        done.wait()
    }

    func testAWaiterGetsTheLockWhenItIsReleased() throws {
        let library = try open()
        try library.lock(Self.holder(100), timeout: 0)
        let path = directory.appendingPathComponent("library.db").path
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) {
            try? SQLiteLibrary(path: path).unlock(Self.holder(100))
        }
        let start = Date()
        try open().lock(Self.holder(200), timeout: 5)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.25)
        XCTAssertEqual(try library.currentLock()?.pid, 200)
    }

    func testTheLockDoesNotChangeTheSerialOrTheObjects() throws {
        let library = try open()
        try apply(library, [Self.konnector("a")])
        try library.lock(Self.holder(1), timeout: 0)
        try library.unlock(Self.holder(1))
        XCTAssertEqual(try serial(library), 1)
        XCTAssertEqual(try library.history(project: "team-a", id: nil).count, 1)
    }

    // MARK: URLs

    func testLibraryURLs() throws {
        let relative = try LibraryURL.open("sqlite:.konnect/lib.db", relativeTo: directory.path)
        XCTAssertEqual(try relative.snapshot(project: "p", ids: []).serial, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent(".konnect/lib.db").path))
        let absolutePath = directory.appendingPathComponent("abs.db").path
        _ = try LibraryURL.open("sqlite:\(absolutePath)", relativeTo: "/nonexistent")
        XCTAssertTrue(FileManager.default.fileExists(atPath: absolutePath))
        for url in ["postgres://db.example/konnect", "https://konnect.example", "sqlite:", "library.db"] {
            XCTAssertThrowsError(try LibraryURL.open(url, relativeTo: directory.path), url) { error in
                XCTAssertEqual(error as? LibraryError, .unsupportedURL(url))
            }
        }
    }
}

private extension JSONValue {
    func sortedKeys() -> JSONValue {
        switch self {
        case .object(let members):
            return .object(members.sorted { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }.map { .init($0.key, $0.value.sortedKeys()) })
        case .array(let items): return .array(items.map { $0.sortedKeys() })
        default: return self
        }
    }
}
