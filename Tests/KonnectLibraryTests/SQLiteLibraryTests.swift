import Foundation
import KonnectCore
@testable import KonnectLibrary
import GRDB
import XCTest

/// What only the SQLite backend does (the shared behaviour is in
/// `LibraryConformanceTests`, run for SQLite by `SQLiteConformanceTests`):
/// its file and folders, WAL, migrations of old files, damaged files, the
/// creation race, and its URL.
final class SQLiteLibraryTests: XCTestCase, LibraryTesting {
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

    func backend(_ url: String) throws -> any LibraryBackend {
        try LibraryRegistry.backend(for: url, relativeTo: directory.path)
    }

    // MARK: the file

    func testALibraryIsCreatedWithItsFolders() throws {
        let path = directory.appendingPathComponent("nested/dir/library.db").path
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        let library = try SQLiteLibrary(path: path)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "created on first use, folders included")
        XCTAssertEqual(try library.version().serial, 0)
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

    func testStoredStringArraysReadBackExactly() throws {
        for strings in [[], ["ops"], ["a,b", "c"], ["ünï", "tab\there"], ["quote\"d", "back\\slash"], ["", "x"]] as [[String]] {
            XCTAssertEqual(try StoredIntegrity.strings(SQLiteLibrary.json(strings), field: "tags", kind: "konnector", id: "a"), strings)
        }
        // A list of strings with something else among them is damaged too (a split at quotes took `["a",5,"b"]` for a, b).
        for bad in ["not json", "{}", "[1]", "[\"a\"", "[\"a\",5,\"b\"]", "[\"a\"]]"] {
            XCTAssertThrowsError(try StoredIntegrity.strings(bad, field: "tags", kind: "konnector", id: "a"), bad) { error in
                guard case .damaged(_, "a", _)? = error as? LibraryError else { return XCTFail("\(error)") }
            }
        }
    }

    // MARK: versions

    func testALibraryMadeByTheFirstMigrationIsUpgradedByApplyOnly() throws {
        let path = directory.appendingPathComponent("v1.db").path
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { try SQLiteSchema.migrate($0, url: "v1", upTo: 1) }
        let a = Self.konnector("a", tags: ["ops", "web"])
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO objects (kind, id, owner, name, enabled, definition, hash, version, created_at, updated_at,
                                     source_file, source_commit, sensitive_paths)
                VALUES ('konnector', 'a', 'team-a', 'K a', 1, ?, ?, 1, 't', 't', 'konnectors/a.yaml', '', '[]')
                """, arguments: [a.canonicalJSON, a.hash])
        }
        try queue.close()
        // Reading does not migrate: it says who does.
        XCTAssertThrowsError(try backend("sqlite:v1.db").openExisting()) { error in
            XCTAssertEqual(error as? LibraryError, .older(url: "sqlite:v1.db", version: 1, current: SQLiteSchema.current))
            XCTAssertTrue("\(error)".contains("`konnect apply` upgrades it"), "\(error)")
        }
        let library = try SQLiteLibrary(path: path)
        XCTAssertEqual(try library.snapshot(project: "team-a", ids: []).owned.first?.tags, ["ops", "web"], "tags filled from definitions")
        XCTAssertTrue(try plan(library, [a]).isEmpty)
        try apply(library, [Self.konnector("a", tags: ["web"])])
        XCTAssertEqual(try library.snapshot(project: "team-a", ids: []).owned.first?.tags, ["web"])
        XCTAssertNotNil(try backend("sqlite:v1.db").openExisting())
    }

    /// Libraries made before the lease (version 4) keep their objects; the lock gets its lease shape.
    func testAVersion4LibraryGetsTheLeaseLock() throws {
        let path = directory.appendingPathComponent("v4.db").path
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { try SQLiteSchema.migrate($0, url: "v4", upTo: 4) }
        try queue.close()
        // Read as it is (plan, list, …): what reading uses is there; the lock is not.
        let read = try XCTUnwrap(try backend("sqlite:v4.db").openExisting())
        XCTAssertEqual(try read.version().serial, 0)
        XCTAssertEqual(try read.objects(project: "team-a").count, 0)
        XCTAssertThrowsError(try read.currentLock()) { error in
            XCTAssertEqual(error as? LibraryError, .older(url: "sqlite:v4.db", version: 4, current: SQLiteSchema.current))
        }
        let library = try SQLiteLibrary(path: path)
        try library.lock(Self.holder(7), timeout: 0)
        XCTAssertEqual(try library.currentLock()?.project, "team-a")
    }

    func testOnlyAnEmptyFileIsALibraryThatDoesNotExistYet() throws {
        let empty = directory.appendingPathComponent("empty.db")
        XCTAssertTrue(FileManager.default.createFile(atPath: empty.path, contents: Data()))
        XCTAssertNil(try backend("sqlite:empty.db").openExisting())
        XCTAssertEqual(try Data(contentsOf: empty), Data(), "not migrated, not changed")

        XCTAssertThrowsError(try backend("sqlite:.").openExisting(), "a folder is no library")
        let text = directory.appendingPathComponent("notes.db")
        try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: text)
        XCTAssertThrowsError(try backend("sqlite:notes.db").openExisting()) { error in
            guard case .corrupt? = error as? LibraryError else { return XCTFail("\(error)") }
        }
        let other = try DatabaseQueue(path: directory.appendingPathComponent("other.db").path)
        try other.write { try $0.execute(sql: "CREATE TABLE t (x)") }
        try other.close()
        XCTAssertThrowsError(try backend("sqlite:other.db").openExisting(), "someone else's database") { error in
            XCTAssertTrue("\(error)".contains("not a konnect library"), "\(error)")
        }
    }

    // MARK: damaged files

    /// Found by fuzzing: a value of the wrong type in a library row (a
    /// damaged or hand-edited file) trapped inside GRDB's subscripts; every
    /// read now throws instead, and the CLI reports it.
    func testValuesOfTheWrongTypeInTheFileThrowInsteadOfTrapping() throws {
        let path = directory.appendingPathComponent("odd.db").path
        let library = try SQLiteLibrary(path: path)
        try apply(library, [Self.konnector("a")])
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "UPDATE revisions SET applied_at = x'00ff', changes = '{'")
            try db.execute(sql: "UPDATE objects SET hash = x'00ff', version = 'many'")
            try db.execute(sql: """
                INSERT INTO lock (slot, holder_id, project, user, host, pid, since, operation, lease_expires_ms)
                VALUES (1, 'h', 'p', 'ada', 'h', 'not a pid', 't', 'apply', 'soon')
                """)
        }
        try queue.close()
        let damaged = try SQLiteLibrary(path: path)
        XCTAssertThrowsError(try damaged.history(project: "team-a", id: nil))
        XCTAssertThrowsError(try damaged.objects(project: "team-a"))
        XCTAssertThrowsError(try damaged.snapshot(project: "team-a", ids: []))
        // A lock row with text for numbers is damaged: it is not read as pid 0 and taken over.
        XCTAssertThrowsError(try damaged.currentLock()) { error in
            XCTAssertEqual(error as? LibraryError, .damagedLock(reason: "its `pid` is text, not an integer"))
        }
        XCTAssertThrowsError(try damaged.lock(Self.holder(1), timeout: 0))
        try damaged.clearLock()
        XCTAssertEqual(try damaged.lock(Self.holder(1), timeout: 0)?.id, nil)
        XCTAssertEqual(try damaged.currentLock()?.pid, 1)
    }

    /// Found attacking the library: SQLite lets any value stand in any
    /// column, and GRDB's reads convert it (text to 0, 1.5 to 1, a blob or
    /// bad bytes to repaired text, text with a NUL cut short there). Every
    /// column is now read as exactly what its table declares, and anything
    /// else is damage named by its object and column (never a row dump).
    func testEveryColumnIsReadAsWhatItsTableDeclares() throws {
        let damagedA = { (reason: String) in LibraryError.damaged(kind: "konnector", id: "a", reason: reason) }
        let cases: [(sql: String, read: (SQLiteLibrary) throws -> Void, expected: LibraryError)] = [
            ("UPDATE objects SET created_at = x'00ff'", { _ = try $0.objects(project: "team-a") },
             damagedA("its `created_at` is a blob, not text")),
            ("UPDATE objects SET name = 'a' || char(0) || 'b'", { _ = try $0.objects(project: "team-a") },
             damagedA("its `name` is not UTF-8 text without NUL bytes")),
            ("UPDATE objects SET source_file = CAST(x'ff' AS TEXT)", { _ = try $0.objects(project: "team-a") },
             damagedA("its `source_file` is not UTF-8 text without NUL bytes")),
            ("UPDATE objects SET version = 'many'", { _ = try $0.snapshot(project: "team-a", ids: nil) },
             damagedA("its `version` is text, not an integer")),
            ("UPDATE objects SET version = 1.5", { _ = try $0.snapshot(project: "team-a", ids: nil) },
             damagedA("its `version` is a real number, not an integer")),
            ("UPDATE objects SET version = 9223372036854775807", { _ = try $0.snapshot(project: "team-a", ids: nil) },
             damagedA("its `version` is 9223372036854775807, out of range")),
            ("UPDATE objects SET enabled = 2", { _ = try $0.snapshot(project: "team-a", ids: nil) },
             damagedA("its `enabled` is 2, out of range")),
            ("UPDATE objects SET kind = CAST(kind AS BLOB)", { _ = try $0.snapshot(project: "team-a", ids: nil) },
             .corrupt("an object's row: its `kind` is a blob, not text")),
            // An owner that is not text matches no project: reported, not left out.
            ("UPDATE objects SET owner = CAST(owner AS BLOB)", { _ = try $0.objects(project: "team-a") },
             damagedA("its `owner` is a blob, not text")),
            ("UPDATE objects SET owner = CAST(owner AS BLOB)", { _ = try $0.snapshot(project: "team-a", ids: nil) },
             damagedA("its `owner` is a blob, not text")),
            ("UPDATE objects SET hash = x'00'", { _ = try $0.definitions(project: "team-a", keys: [.init(.konnector, "a")]) },
             damagedA("its `hash` is a blob, not text")),
            ("UPDATE revisions SET user = x'00'", { _ = try $0.history(project: "team-a", id: nil) },
             .corrupt("revision 1: its `user` is a blob, not text")),
            ("UPDATE revisions SET project = CAST(project AS BLOB)", { _ = try $0.history(project: "team-a", id: nil) },
             .corrupt("revision 1: its `project` is a blob, not text")),
            // Text with a NUL byte: GRDB's reads cut it there, and a copied row keeps only the cut text.
            ("UPDATE revisions SET project = project || char(0)", { _ = try $0.history(project: "team-a", id: nil) },
             .corrupt("revision 1: its `project` is not UTF-8 text without NUL bytes")),
            ("UPDATE objects SET owner = owner || char(0) || 'x'", { _ = try $0.objects(project: "team-a") },
             damagedA("its `owner` is not UTF-8 text without NUL bytes")),
            ("UPDATE objects SET definition = definition || char(0) || 'x'",
             { _ = try $0.definitions(project: "team-a", keys: [.init(.konnector, "a")]) },
             damagedA("its `definition` is not UTF-8 text without NUL bytes")),
            ("UPDATE meta SET value = value || char(0) || '9' WHERE key = 'serial'", { _ = try $0.version() },
             .corrupt("a row of its meta table: its `value` is not UTF-8 text without NUL bytes")),
            ("UPDATE meta SET value = '+1' WHERE key = 'serial'", { _ = try $0.version() },
             .corrupt("its serial `+1` is not a whole number from 0 on")),
            ("""
             INSERT INTO lock (slot, holder_id, project, user, host, pid, since, operation, lease_expires_ms)
             VALUES (1, 'h', 'team-a', 'ada', 'h', 1, 't', 'apply', -9223372036854775808)
             """, { _ = try $0.currentLock() }, .damagedLock(reason: "its `lease_expires_ms` is -9223372036854775808, out of range")),
            ("UPDATE meta SET value = x'ff' WHERE key = 'lineage'", { _ = try $0.version() },
             .corrupt("a row of its meta table: its `value` is a blob, not text")),
            ("""
             INSERT INTO lock (slot, holder_id, project, user, host, pid, since, operation, lease_expires_ms)
             VALUES (1, x'ff00', 'team-a', 'ada', 'h', 1, 't', 'apply', 1)
             """, { _ = try $0.currentLock() }, .damagedLock(reason: "its `holder_id` is a blob, not text")),
        ]
        for (n, c) in cases.enumerated() {
            let path = directory.appendingPathComponent("strict-\(n).db").path
            try apply(try SQLiteLibrary(path: path), [Self.konnector("a")])
            let queue = try DatabaseQueue(path: path)
            try queue.write { try $0.execute(sql: c.sql) }
            try queue.close()
            XCTAssertThrowsError(try c.read(try SQLiteLibrary(path: path)), c.sql) { error in
                XCTAssertEqual(error as? LibraryError, c.expected, c.sql)
            }
        }
    }

    /// Ids and kinds that no project could have written are errors naming the row.
    func testRowsThatNoProjectWroteAreErrors() throws {
        let path = directory.appendingPathComponent("rows.db").path
        let library = try SQLiteLibrary(path: path)
        try apply(library, [Self.konnector("a")])
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "UPDATE objects SET id = '../../x'") }
        try queue.close()
        for read in [{ _ = try library.objects(project: "team-a") }, { _ = try library.snapshot(project: "team-a", ids: nil) }] {
            XCTAssertThrowsError(try read()) { error in
                XCTAssertEqual(error as? LibraryError, .damaged(kind: "konnector", id: "../../x", reason: "its id is not a slug"))
            }
        }
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

    // MARK: the lock while another connection writes

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
            XCTAssertEqual(holder.pid, 100)
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

    // MARK: URLs

    func testLibraryURLs() throws {
        let relative = try backend("sqlite:.konnect/lib.db")
        XCTAssertEqual(relative.displayURL, "sqlite:.konnect/lib.db")
        XCTAssertEqual((relative as? SQLiteBackend)?.path, directory.appendingPathComponent(".konnect/lib.db").path)
        XCTAssertEqual(try relative.openCreating().version().serial, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent(".konnect/lib.db").path))
        let absolutePath = directory.appendingPathComponent("abs.db").path
        XCTAssertEqual((try LibraryRegistry.backend(for: "sqlite:\(absolutePath)", relativeTo: "/nonexistent") as? SQLiteBackend)?.path,
                       absolutePath)
        XCTAssertEqual((try backend("sqlite://\(absolutePath)") as? SQLiteBackend)?.path, absolutePath)
        for url in ["sqlite:", "library.db", "ftp://x/y"] {
            XCTAssertThrowsError(try backend(url), url) { error in
                XCTAssertEqual(error as? LibraryError, .unsupportedURL(url))
            }
        }
        XCTAssertThrowsError(try backend("https://konnect.example")) { error in
            XCTAssertEqual(error as? LibraryError, .plannedURL("https://konnect.example", backend: "`konnect serve`"))
        }
    }

    /// SPEC §7: a password in a library URL, or in PGPASSWORD, is never printed.
    func testPasswordsAreNeverShown() throws {
        XCTAssertEqual(LibraryURL.redacted("postgres://ada:s3cret@db.example:5432/k?schema=team"),
                       "postgres://ada:***@db.example:5432/k?schema=team")
        XCTAssertEqual(LibraryURL.redacted("postgresql://ada@db.example/k?password=s3cret&sslmode=require"),
                       "postgresql://ada@db.example/k?password=***&sslmode=require")
        XCTAssertEqual(LibraryURL.redacted("postgres://ada:p%40ss@h/db"), "postgres://ada:***@h/db")
        XCTAssertEqual(LibraryURL.redacted("sqlite:a@b:c.db"), "sqlite:a@b:c.db", "a path is no password")
        // The user part ends at the last `@` before the query, as PostgresURL reads it: a `/` or `@` in a password is masked too.
        for url in ["postgres://u:p%2Fa@h/db", "postgres://u:pa/ss@h/db", "postgres://u:p@ss@h/db", "postgres://u:p/a@b@h/db?schema=s"] {
            let shown = LibraryURL.redacted(url)
            XCTAssertTrue(shown.hasPrefix("postgres://u:***@h/db"), shown)
            XCTAssertEqual(try PostgresURL(url).redacted, LibraryURL.redacted(url))
            XCTAssertEqual(try PostgresURL(url).password.map { LibraryURL.secrets(in: url, environment: [:]).contains($0) }, true, url)
        }
        XCTAssertEqual(LibraryURL.redacted("postgres://h/db?%70assword=pw&schema=s"), "postgres://h/db?%70assword=***&schema=s")
        XCTAssertThrowsError(try LibraryRegistry.backend(for: "http://ada:s3cret@h:1", relativeTo: "/")) { error in
            XCTAssertFalse("\(error)".contains("s3cret"), "\(error)")
            XCTAssertTrue("\(error)".contains("http://ada:***@h:1"), "\(error)")
        }
        // Whatever a backend throws goes through the mask.
        let secrets = LibraryURL.secrets(in: "postgres://ada:p%40ss@h/db", environment: ["PGPASSWORD": "hunter2"])
        XCTAssertEqual(Set(secrets), ["p%40ss", "p@ss", "hunter2"])
        XCTAssertThrowsError(try Redaction.masked(secrets) { throw LibraryError.corrupt("auth failed for hunter2 and p@ss") }) { error in
            XCTAssertEqual("\(error)", "the library is damaged: auth failed for *** and ***")
        }
        // By SPEC §3's lengths (found by an attack review: a password `p` turned `postgres` into `***ostgres`).
        XCTAssertEqual(LibraryURL.masking("cannot connect to postgres://u:***@h/db as p", ["p"]), "cannot connect to postgres://u:***@h/db as p")
        XCTAssertEqual(LibraryURL.masking("postgres://h/db refused post, post-1 and posts", ["post"]), "postgres://h/db refused ***, ***-1 and posts")
        XCTAssertEqual(LibraryURL.masking("xhunter22x", ["hunter22"]), "x***x")
    }
}
