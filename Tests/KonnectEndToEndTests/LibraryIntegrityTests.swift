#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import XCTest

/// The library is read carefully (SPEC §7): read-only commands create
/// nothing, a damaged object is an error naming it, a newer library is
/// refused, a password is never printed, a lock whose lease expired is
/// taken over, and two applies creating one library at once both succeed.
final class LibraryIntegrityTests: XCTestCase {
    typealias S = PlanApplySupport

    /// A library path inside a folder that does not exist yet.
    func missingLibrary() throws -> (folder: URL, url: String) {
        let folder = try FixtureProject.emptyDirectory(for: self).appendingPathComponent("typo")
        return (folder, "sqlite:" + folder.appendingPathComponent("library.db").path)
    }

    // MARK: read-only commands

    func testReadOnlyCommandsCreateNothingAndSaySo() throws {
        let project = try S.copy("basic", for: self)
        let (folder, url) = try missingLibrary()
        let message = "library \(url) does not exist yet; apply will create it"

        // plan plans against an empty library, and says so on stderr.
        let plan = try konnect(["plan", "--library", url], in: project)
        assertExit(plan, 0)
        XCTAssertTrue(plan.err.contains(message), plan.err)
        XCTAssertTrue(plan.out.contains("Plan: 5 to create, 0 to update"), plan.out)
        let json = try konnect(["plan", "--format", "json", "--library", url], in: project)
        assertExit(json, 0)
        let meta = try XCTUnwrap(try json.json()["library"] as? [String: Any])
        XCTAssertEqual(meta["lineage"] as? String, "")
        XCTAssertEqual(meta["serial"] as? Int, 0)

        // The others fail with that message.
        for arguments in [["list"], ["show", "signup-to-slack"], ["history"], ["export", "--out", "exported"], ["unlock"],
                          ["unlock", "--force"]] {
            let result = try konnect(arguments + ["--library", url], in: project)
            assertExit(result, 1)
            XCTAssertTrue(result.err.contains(message), "\(arguments): \(result.err)")
            XCTAssertEqual(result.out, "", "\(arguments)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path), "no folder, no file")
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.appendingPathComponent("exported").path))

        // A plan saved before the library existed is applied to the one apply creates.
        assertExit(try konnect(["plan", "--out", "first.json", "--library", url], in: project), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path))
        let apply = try konnect(["apply", "first.json", "--library", url], in: project)
        assertExit(apply, 0)
        XCTAssertTrue(apply.out.hasSuffix("Library serial is now 1.\n"), apply.out)
        XCTAssertEqual(try S.objects(of: project, library: url).count, 5)
        // Once it exists, it can no longer take that plan.
        let again = try konnect(["apply", "first.json", "--library", url], in: project)
        assertExit(again, 1)
        XCTAssertTrue(again.err.contains("plan is stale"), again.err)
    }

    // MARK: integrity

    func testADamagedDefinitionIsAnErrorNamingTheObject() throws {
        let project = try S.copy("basic", for: self)
        assertExit(try konnect(["apply", "--auto-approve"], in: project), 0)
        let file = project.appendingPathComponent(".konnect/library.db").path
        try SQLiteFile.execute(file, "UPDATE objects SET definition = replace(definition, '#sales', '#evil') WHERE id = 'signup-to-slack'")
        let named = "konnector `signup-to-slack` is damaged: its definition does not match its hash"
        let out = project.appendingPathComponent("exported")
        for arguments in [["show", "signup-to-slack"], ["list"], ["list", "--format", "json"], ["export", "--out", out.path]] {
            let result = try konnect(arguments, in: project)
            assertExit(result, 1)
            XCTAssertTrue(result.err.contains(named), "\(arguments): \(result.err)")
            XCTAssertFalse(result.out.contains("null") || result.out.contains("in sync"), "\(arguments): \(result.out)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("konnectors/signup-to-slack.yaml").path),
                       "a damaged object is never exported")
        // A plan that has to diff it stops too; one that does not, plans.
        let unchanged = try konnect(["plan", "--detailed-exitcode"], in: project)
        assertExit(unchanged, 0)
        try S.edit(project, "konnectors/signup-to-slack.yaml", "channel: \"#sales\"", "channel: \"#sales-eu\"")
        let plan = try konnect(["plan"], in: project)
        assertExit(plan, 1)
        XCTAssertTrue(plan.err.contains(named), plan.err)
    }

    func testALibraryWrittenByANewerKonnectIsRefused() throws {
        let project = try S.copy("basic", for: self)
        assertExit(try konnect(["apply", "--auto-approve"], in: project), 0)
        let file = project.appendingPathComponent(".konnect/library.db").path
        try SQLiteFile.execute(file, "INSERT INTO grdb_migrations (identifier) VALUES ('v9: from a newer konnect')")
        try S.edit(project, "konnectors/signup-to-slack.yaml", "channel: \"#sales\"", "channel: \"#sales-eu\"")
        for arguments in [["plan"], ["apply", "--auto-approve"], ["list"], ["history"], ["unlock"]] {
            let result = try konnect(arguments, in: project)
            assertExit(result, 1)
            XCTAssertTrue(result.err.contains("was written by a newer konnect (library version 9; this konnect knows versions up to "),
                          "\(arguments): \(result.err)")
            XCTAssertFalse(result.out.contains("Apply complete"))
        }
        XCTAssertEqual(try SQLiteFile.scalar(file, "SELECT value FROM meta WHERE key = 'serial'"), "1", "nothing was applied")
    }

    // MARK: credentials

    func testAPasswordInTheLibraryURLIsNeverPrinted() throws {
        let project = try S.copy("basic", for: self)
        let urls = ["http://ada:s3cret-pw@127.0.0.1:9/", "postgres://ada:s3cret-pw@127.0.0.1:9/konnect?connect_timeout=2",
                    "postgresql://ada@127.0.0.1:9/konnect?password=s3cret-pw&connect_timeout=2"]
        for url in urls {
            for arguments in [["plan", "--library", url], ["list", "--library", url], ["apply", "--auto-approve", "--library", url]] {
                let result = try konnect(arguments, in: project)
                XCTAssertNotEqual(result.status, 0, "\(arguments)")
                XCTAssertFalse((result.out + result.err).contains("s3cret"), "\(arguments): \(result.out)\(result.err)")
                XCTAssertTrue(result.err.contains("***"), "\(arguments): the URL is shown masked: \(result.err)")
            }
            // Also from the environment.
            let env = try konnect(["list"], in: project, environment: ["KONNECT_LIBRARY": url])
            XCTAssertFalse((env.out + env.err).contains("s3cret"), env.err)
        }
        let pg = try konnect(["list", "--library", "postgres://ada@127.0.0.1:9/konnect?connect_timeout=2"], in: project,
                             environment: ["PGPASSWORD": "s3cret-pw"])
        XCTAssertNotEqual(pg.status, 0)
        XCTAssertFalse((pg.out + pg.err).contains("s3cret"), pg.err)
    }

    // MARK: the lock's lease

    /// A lock whose holder died long ago (its lease ran out) is taken over
    /// by the next apply, which says so; `unlock` clears an expired lease
    /// without --force, and a live one only with it.
    func testAnExpiredLeaseIsTakenOverAndUnlockNeedsForceForALiveOne() throws {
        let project = try S.copy("basic", for: self)
        assertExit(try konnect(["apply", "--auto-approve"], in: project), 0)
        let file = project.appendingPathComponent(".konnect/library.db").path
        func lockRow(leaseMS: Int64) throws {
            try SQLiteFile.execute(file, """
                INSERT OR REPLACE INTO lock (slot, holder_id, project, user, host, pid, since, operation, lease_expires_ms)
                VALUES (1, 'gone', 'team-a', 'ci', 'runner-7', 4242, '2026-03-02T12:00:00Z', 'apply', \(leaseMS))
                """)
        }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        try lockRow(leaseMS: now - 60_000)
        try S.edit(project, "konnectors/signup-to-slack.yaml", "channel: \"#sales\"", "channel: \"#sales-eu\"")
        let apply = try konnect(["apply", "--auto-approve", "--lock-timeout", "1s"], in: project)
        assertExit(apply, 0)
        XCTAssertTrue(apply.err.contains("took over the lock of ci@runner-7 (pid 4242) since 2026-03-02T12:00:00Z, apply of project `team-a` (lease expired at "),
                      apply.err)
        XCTAssertTrue(apply.out.contains("Apply complete: 0 created, 1 updated"), apply.out)
        XCTAssertEqual(try konnect(["unlock"], in: project).out, "The library is not locked.\n")

        // A live lease on another host: shown, refused without --force, cleared with it.
        try lockRow(leaseMS: now + 600_000)
        let refused = try konnect(["unlock"], in: project)
        assertExit(refused, 1)
        XCTAssertTrue(refused.err.contains("ci@runner-7 (pid 4242)") && refused.err.contains("--force"), refused.err)
        let blocked = try konnect(["apply", "--auto-approve", "--lock-timeout", "200ms"], in: project)
        assertExit(blocked, 1)
        XCTAssertTrue(blocked.err.contains("locked by ci@runner-7 (pid 4242)"), blocked.err)
        let forced = try konnect(["unlock", "--force"], in: project)
        assertExit(forced, 0)
        XCTAssertTrue(forced.out.hasPrefix("Cleared the lock held by ci@runner-7 (pid 4242)"), forced.out)

        // An expired one is cleared without --force.
        try lockRow(leaseMS: now - 1_000)
        let cleared = try konnect(["unlock"], in: project)
        assertExit(cleared, 0)
        XCTAssertTrue(cleared.out.contains("(lease expired at "), cleared.out)
        XCTAssertEqual(try konnect(["unlock"], in: project).out, "The library is not locked.\n")
    }

    /// Found attacking the library: a lock row whose columns do not hold
    /// what the table declares read as pid 0 (text in a number) or as other
    /// text (a blob), and `unlock --force` then deleted nothing. It is now
    /// named as damaged everywhere it is read, and `unlock --force` deletes it.
    func testADamagedLockIsNamedAndOnlyUnlockForceClearsIt() throws {
        let project = try S.copy("basic", for: self)
        assertExit(try konnect(["apply", "--auto-approve"], in: project), 0)
        let file = project.appendingPathComponent(".konnect/library.db").path
        try SQLiteFile.execute(file, """
            INSERT OR REPLACE INTO lock (slot, holder_id, project, user, host, pid, since, operation, lease_expires_ms)
            VALUES (1, x'ff00', 'team-a', 'ci', 'runner-7', 'not a pid', '2026-03-02T12:00:00Z', 'apply', 1)
            """)
        let damage = "the library's lock is damaged: its `holder_id` is a blob, not text"
        for arguments in [["apply", "--auto-approve", "--lock-timeout", "200ms"], ["unlock"]] {
            let run = try konnect(arguments, in: project)
            assertExit(run, 1)
            XCTAssertTrue(run.err.contains(damage) && run.err.contains("`konnect unlock --force`"), run.err)
        }
        let forced = try konnect(["unlock", "--force"], in: project)
        assertExit(forced, 0)
        XCTAssertEqual(forced.out, "Cleared a damaged lock (its `holder_id` is a blob, not text).\n")
        XCTAssertEqual(try konnect(["unlock"], in: project).out, "The library is not locked.\n")
        assertExit(try konnect(["apply", "--auto-approve"], in: project), 0)
    }

    /// A damaged object row is an error naming the object and the column,
    /// never GRDB's description of the row (which printed every column,
    /// sensitive literals included).
    func testADamagedRowIsNamedWithoutPrintingTheRow() throws {
        let project = try S.copy("basic", for: self)
        assertExit(try konnect(["apply", "--auto-approve"], in: project), 0)
        let file = project.appendingPathComponent(".konnect/library.db").path
        try SQLiteFile.execute(file, "UPDATE objects SET created_at = x'00' WHERE id = 'signup-to-slack'")
        for arguments in [["list"], ["show", "signup-to-slack"], ["list", "--format", "json"]] {
            let run = try konnect(arguments, in: project)
            assertExit(run, 1)
            XCTAssertTrue(run.err.contains("the library's konnector `signup-to-slack` is damaged: its `created_at` is a blob, not text"),
                          run.err)
            XCTAssertFalse(run.err.contains("definition") || run.err.contains("SELECT") || run.err.contains("row:"), run.err)
        }
    }

    // MARK: creating one library at once

    /// Issue 20: two applies racing to create a new library failed about
    /// one time in two with "database is locked" (switching the new file to
    /// WAL). Both must succeed, every time, with both projects' objects.
    func testTwoAppliesCreatingOneLibraryAtOnceBothSucceed() throws {
        let a = try S.copy("basic", for: self)
        let b = try S.copy("other", for: self)
        let libraries = try FixtureProject.emptyDirectory(for: self)
        for round in 0..<20 {
            let url = "sqlite:" + libraries.appendingPathComponent("round-\(round)/library.db").path
            let runs = try [a, b].map { try CrashAndConcurrencyTests.Background(["apply", "--auto-approve", "--library", url], in: $0) }
            for (run, name) in zip(runs, ["team-a", "team-b"]) {
                XCTAssertTrue(run.wait(timeout: 60), "round \(round): \(name) did not finish")
                XCTAssertEqual(run.status, 0, "round \(round): \(name): \(run.err)")
            }
            XCTAssertEqual(try S.objects(of: a, library: url).count, 5, "round \(round)")
            XCTAssertEqual(try S.objects(of: b, library: url).map(\.id), ["b-hook"], "round \(round)")
            XCTAssertEqual(try S.serial(library: url), 2, "round \(round)")
        }
    }
}

/// Writes to a library file the way a damaged or hand-edited one looks,
/// through the system's SQLite library (this target links no SQLite).
enum SQLiteFile {
    typealias Open = @convention(c) (UnsafePointer<CChar>, UnsafeMutablePointer<OpaquePointer?>) -> Int32
    typealias Exec = @convention(c) (OpaquePointer?, UnsafePointer<CChar>, OpaquePointer?, OpaquePointer?,
                                     UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32
    typealias Close = @convention(c) (OpaquePointer?) -> Int32
    typealias Prepare = @convention(c) (OpaquePointer?, UnsafePointer<CChar>, Int32, UnsafeMutablePointer<OpaquePointer?>,
                                        OpaquePointer?) -> Int32
    typealias Step = @convention(c) (OpaquePointer?) -> Int32
    typealias ColumnText = @convention(c) (OpaquePointer?, Int32) -> UnsafePointer<UInt8>?
    typealias Finalize = @convention(c) (OpaquePointer?) -> Int32

    static func symbol<T>(_ name: String, _: T.Type) throws -> T {
        let names = ["libsqlite3.so.0", "libsqlite3.so", "libsqlite3.dylib", "/usr/lib/libsqlite3.dylib"]
        guard let handle = names.lazy.compactMap({ dlopen($0, RTLD_NOW) }).first, let s = dlsym(handle, name) else {
            throw XCTSkip("no SQLite library to edit a library file with")
        }
        return unsafeBitCast(s, to: T.self)
    }

    static func withDatabase<T>(_ path: String, _ body: (OpaquePointer?) throws -> T) throws -> T {
        var db: OpaquePointer?
        guard try symbol("sqlite3_open", Open.self)(path, &db) == 0 else { throw XCTSkip("cannot open \(path)") }
        defer { _ = try? symbol("sqlite3_close", Close.self)(db) }
        return try body(db)
    }

    static func execute(_ path: String, _ sql: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let status = try withDatabase(path) { db in try symbol("sqlite3_exec", Exec.self)(db, sql, nil, nil, nil) }
        XCTAssertEqual(status, 0, "SQLite \(status) for \(sql)", file: file, line: line)
    }

    static func scalar(_ path: String, _ sql: String) throws -> String? {
        try withDatabase(path) { db in
            var statement: OpaquePointer?
            guard try symbol("sqlite3_prepare_v2", Prepare.self)(db, sql, -1, &statement, nil) == 0 else { return nil }
            defer { _ = try? symbol("sqlite3_finalize", Finalize.self)(statement) }
            guard try symbol("sqlite3_step", Step.self)(statement) == 100 else { return nil }  // SQLITE_ROW
            return try symbol("sqlite3_column_text", ColumnText.self)(statement, 0).map { String(cString: $0) }
        }
    }
}
