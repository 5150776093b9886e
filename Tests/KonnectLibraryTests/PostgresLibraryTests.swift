import Foundation
import KonnectCore
@testable import KonnectLibrary
import PostgresNIO
import XCTest

/// The PostgreSQL library against a real server (SPEC §7): URLs and
/// credentials, creation only by apply, schema isolation, migrations,
/// one-transaction applies (also when the connection is cut), the lease
/// lock, TLS, and round trips that do not grow with the library.
final class PostgresLibraryTests: XCTestCase {
    var schemas: [String] = []

    override func tearDown() {
        for schema in schemas { PostgresTestServer.drop(schema) }
        schemas = []
        super.tearDown()
    }

    /// A backend for a new library in its own schema.
    func backend(_ parameters: String = "", environment: [String: String] = [:],
                 file: StaticString = #filePath, line: UInt = #line) throws -> (PostgresBackend, String) {
        let schema = PostgresTestServer.freshSchema()
        schemas.append(schema)
        let url = try PostgresTestServer.url(schema: schema, parameters, file: file, line: line)
        return (try PostgresBackend(url: url, environment: environment), schema)
    }

    func created(_ parameters: String = "", file: StaticString = #filePath, line: UInt = #line) throws -> (PostgresLibrary, String) {
        let (backend, schema) = try backend(parameters, file: file, line: line)
        return (try XCTUnwrap(backend.openCreating() as? PostgresLibrary), schema)
    }

    static func konnector(_ id: String, channel: String = "#sales") -> CompiledObject {
        let definition: JSONValue = .object([
            "id": .string(id), "name": .string("K \(id)"), "enabled": .bool(true), "tags": .array([.string("ops")]),
            "steps": .array([.object(["id": .string("notify"), "with": .object(["channel": .string(channel)])])]),
        ])
        return CompiledObject(kind: .konnector, id: id, name: "K \(id)", enabled: true, tags: ["ops"], definition: definition,
                              sensitivePaths: ["steps.notify.with.channel"], renamedFrom: nil, connections: [],
                              sourceFile: "konnectors/\(id).yaml", idRange: nil)
    }

    static let info = RevisionInfo(user: "ada", gitCommit: "0123456789abcdef0123", time: "2026-03-02T12:00:00Z")

    static func plan(_ library: any Library, _ objects: [CompiledObject], project: String = "team-a") throws -> Plan {
        let planned = try PlanPipeline(project: project).plan(objects, library: LibraryPlanReader(library))
        XCTAssertEqual(planned.diagnostics.map(\.message), [])
        return planned.plan
    }

    @discardableResult
    static func apply(_ library: any Library, _ objects: [CompiledObject], project: String = "team-a") throws -> Revision? {
        try library.apply(try Self.plan(library, objects, project: project), revision: Self.info)
    }

    func schemaExists(_ schema: String) throws -> Bool {
        let admin = try PostgresTestServer.admin()
        defer { admin.close() }
        return try admin.value("SELECT count(*) FROM pg_namespace WHERE nspname = \(schema)", as: Int.self) == 1
    }

    // MARK: URLs and credentials (no server needed)

    func testURLsAreParsedAsLibpqReadsThem() throws {
        let env = ["USER": "os-user"]
        var u = try PostgresURL("postgres://ada:s3cret@db.example:6543/konnect?schema=team_a&sslmode=require", environment: env)
        XCTAssertEqual([u.user, u.password, u.host, String(u.port), u.database, u.schema, u.sslMode.rawValue],
                       ["ada", "s3cret", "db.example", "6543", "konnect", "team_a", "require"])
        XCTAssertNil(u.socketPath)
        u = try PostgresURL("postgresql://ada@/konnect?host=/run/postgresql", environment: env)
        XCTAssertEqual(u.socketPath, "/run/postgresql/.s.PGSQL.5432")
        XCTAssertNil(u.host)
        XCTAssertEqual([u.schema, u.sslMode.rawValue], ["konnect", "prefer"], "defaults: schema konnect, sslmode prefer")
        u = try PostgresURL("postgres://%2Fvar%2Frun:5433/db", environment: env)
        XCTAssertEqual(u.socketPath, "/var/run/.s.PGSQL.5433")
        XCTAssertEqual(u.user, "os-user", "no user: the OS user, as libpq")
        u = try PostgresURL("postgres://ada@[::1]:5444", environment: ["PGPASSWORD": "from-env"])
        XCTAssertEqual([u.host, String(u.port), u.database, u.password], ["::1", "5444", "ada", "from-env"])
        u = try PostgresURL("postgres://ada:p%40ss/w@h/db", environment: ["PGPASSWORD": "ignored"])
        XCTAssertEqual(u.password, "p@ss/w", "the URL's password wins, and may hold / and escapes")
        XCTAssertEqual(u.redacted, "postgres://ada:***@h/db")

        for (bad, why) in [("postgres://h/db?schema=Team", "lowercase name"), ("postgres://h/db?schema=a;drop", "lowercase name"),
                           ("postgres://h/db?sslmode=always", "sslmode must be one of"), ("postgres://h:99999/db", "port"),
                           ("postgres://h/db?application=x&password=hunter2", "unknown parameter `application`")] {
            XCTAssertThrowsError(try PostgresBackend(url: bad), bad) { error in
                XCTAssertTrue("\(error)".contains(why), "\(error)")
                XCTAssertFalse("\(error)".contains("hunter2"), "\(error)")
            }
        }
    }

    func testTheDisplayedURLNeverHoldsThePassword() throws {
        let cases = ["postgres://ada:hunter2@h:5432/db?schema=x": "postgres://ada:***@h:5432/db?schema=x",
                     "postgresql://ada:hunter2@h/db?password=hunter2&schema=x": "postgresql://ada:***@h/db?password=***&schema=x",
                     "postgres://ada:hu/nt@er2@h/db": "postgres://ada:***@h/db",
                     "postgres://ada@h/db": "postgres://ada@h/db"]
        for (url, shown) in cases {
            XCTAssertEqual(try PostgresBackend(url: url).displayURL, shown)
        }
    }

    func testAWrongPasswordIsReportedWithoutIt() throws {
        let server = try PostgresTestServer.url()
        let wrong = server.replacingOccurrences(of: #"konnect:[0-9a-f]+@"#, with: "konnect:hunter2wrong@", options: .regularExpression)
        XCTAssertNotEqual(wrong, server)
        let backend = try PostgresBackend(url: wrong + "?schema=nowhere")
        XCTAssertThrowsError(try backend.openExisting()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("password authentication failed"), text)
            XCTAssertTrue(text.contains("konnect:***@"), text)
            XCTAssertFalse(text.contains("hunter2wrong"), text)
        }
    }

    func testThePasswordMayComeFromPGPASSWORDAndTheServerFromItsSocket() throws {
        let server = try PostgresTestServer.url()
        let password = try XCTUnwrap(try PostgresURL(server).password)
        let bare = server.replacingOccurrences(of: ":\(password)@", with: "@")
        let schema = PostgresTestServer.freshSchema()
        schemas.append(schema)
        let viaEnv = try PostgresBackend(url: bare + "?schema=\(schema)", environment: ["PGPASSWORD": password]).openCreating()
        try Self.apply(viaEnv, [Self.konnector("a")])
        // The test server trusts its socket's clients: no password at all.
        let port = try PostgresURL(server).port
        let viaSocket = try XCTUnwrap(try PostgresBackend(url: "postgres://konnect@/konnect_test?host=\(PostgresTestServer.directory())&port=\(port)&schema=\(schema)",
                                                          environment: [:]).openExisting())
        XCTAssertEqual(try viaSocket.objects(project: "team-a").map(\.id), ["a"])
    }

    // MARK: creation, isolation, migrations

    func testReadsCreateNothingAndApplyCreatesTheSchema() throws {
        let (backend, schema) = try backend()
        XCTAssertNil(try backend.openExisting())
        XCTAssertThrowsError(try backend.openForReading()) { error in
            XCTAssertEqual("\(error)", "library \(backend.displayURL) does not exist yet; apply will create it")
        }
        XCTAssertFalse(try schemaExists(schema), "a read created the schema")
        let library = try backend.openCreating()
        XCTAssertTrue(try schemaExists(schema))
        let version = try library.version()
        XCTAssertEqual(version.serial, 0)
        XCTAssertEqual(version.lineage.count, 36)
        XCTAssertEqual(try backend.openExisting()?.version(), version, "one lineage, fixed at creation")
    }

    /// A command opens its library up to three times (the look that decides what its check
    /// keeps, the prefetch, the plan or apply): one backend value shares one library, and
    /// one connection, once the library was found; absence is asked again, as apply creates it.
    func testOpensThroughOneBackendShareTheLibraryFoundFirst() throws {
        let (backend, _) = try backend()
        XCTAssertEqual(backend.appearsToExist(), false)
        XCTAssertNil(try backend.openExisting())
        let created = try XCTUnwrap(backend.openCreating() as? PostgresLibrary)
        XCTAssertEqual(backend.appearsToExist(), true)
        let found = try XCTUnwrap(backend.openExisting() as? PostgresLibrary)
        XCTAssertFalse(found === created, "creating is not finding")
        XCTAssertTrue(try XCTUnwrap(backend.openExisting() as? PostgresLibrary) === found)
        XCTAssertTrue(try XCTUnwrap(backend.openCreating() as? PostgresLibrary) === found, "apply writes through the library found")

        // A server that cannot be reached is tried once per backend: every open says the same.
        let closed = try PostgresBackend(url: "postgres://konnect@127.0.0.1:1/konnect_test?sslmode=disable", environment: [:])
        XCTAssertNil(closed.appearsToExist(), "unknown: the open after it says why")
        var messages: [String] = []
        for open in [{ _ = try closed.openExisting() }, { _ = try closed.openCreating() }] {
            XCTAssertThrowsError(try open()) { messages.append("\($0)") }
        }
        XCTAssertEqual(messages.count, 2)
        XCTAssertEqual(Set(messages).count, 1, "\(messages)")
        XCTAssertTrue(messages.first?.contains("cannot connect to the library at postgres://konnect@127.0.0.1:1/") == true, "\(messages)")
    }

    /// A large change list is compressed with lz4 when the server has it (pglz took ten times
    /// the server's time), for the apply's transaction only: the session's setting is untouched.
    func testAnApplysLargeValuesAreCompressedWithLZ4WhereTheServerHasIt() throws {
        let (library, schema) = try created()
        try Self.apply(library, (0..<200).map { Self.konnector("k\($0)") })
        let admin = try PostgresTestServer.admin()
        defer { admin.close() }
        let hasLZ4 = try admin.value("SELECT count(*) FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)",
                                     as: Int.self) == 1
        guard hasLZ4 else { throw XCTSkip("this server is built without lz4") }
        XCTAssertEqual(try admin.value("SELECT pg_column_compression(changes) FROM \(unescaped: "\"\(schema)\"").revisions", as: String.self), "lz4")
        let setting = try library.connector.withConnection { try $0.query("SHOW default_toast_compression").first?.decode(String.self) }
        XCTAssertEqual(setting, "pglz", "the session's own setting")
    }

    /// A library dropped while a command uses it is named as such, not by the server's
    /// raw `relation … does not exist` (found by an attack review).
    func testALibraryDroppedWhileInUseIsSaidToBeGone() throws {
        let (library, schema) = try created()
        try Self.apply(library, [Self.konnector("a")])
        PostgresTestServer.drop(schema)
        for (what, use) in [("snapshot", { _ = try library.snapshot(project: "team-a", ids: nil) }),
                            ("lock", { _ = try library.lock(LockHolder(id: "h", project: "team-a", user: "ada", host: "h", pid: 1, since: "2026-03-02T12:00:00Z"), timeout: 0, lease: 30) })] {
            XCTAssertThrowsError(try use(), what) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("does not exist yet") || text.contains("no longer exists (its schema or a table was dropped while konnect used it)"),
                              "\(what): \(text)")
                XCTAssertFalse(text.contains("SQLSTATE 42P01") && !text.contains("no longer exists"), "\(what): \(text)")
            }
        }
    }

    func testLibrariesInTwoSchemasOfOneDatabaseAreApart() throws {
        let (a, _) = try created()
        let (b, _) = try created()
        try Self.apply(a, [Self.konnector("x"), Self.konnector("y")])
        try Self.apply(b, [Self.konnector("x", channel: "#other")])
        XCTAssertEqual(try a.objects(project: "team-a").map(\.id), ["x", "y"])
        XCTAssertEqual(try b.objects(project: "team-a").map(\.id), ["x"])
        XCTAssertNotEqual(try a.version().lineage, try b.version().lineage)
        XCTAssertEqual(try b.objects(project: "team-a").first?.definition["steps"]?.arrayValue?.first?["with"]?["channel"], .string("#other"))
    }

    func testProcessesRacingToCreateOneLibraryAllSucceed() throws {
        let (backend, _) = try backend()
        let results = ThreadResults<LibraryVersion>()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            results.add(Result { try backend.openCreating().version() })
        }
        let versions = try results.all.map { try $0.get() }
        XCTAssertEqual(versions.count, 8)
        XCTAssertEqual(Set(versions.map(\.lineage)).count, 1, "one library, one lineage")
    }

    func testALibraryOfANewerKonnectIsRefusedNamingBothVersions() throws {
        let (library, schema) = try created()
        let admin = try PostgresTestServer.admin()
        defer { admin.close() }
        try admin.run("INSERT INTO \(unescaped: "\"\(schema)\"").migrations (version, name) VALUES (99, 'from the future')")
        let backend = try PostgresBackend(url: library.url.redacted.replacingOccurrences(of: "***", with: XCTUnwrap(library.url.password)))
        let expected = "library \(backend.displayURL) was written by a newer konnect (library version 99; this konnect knows versions up to \(PostgresLibrary.schemaVersion)); upgrade konnect to use it"
        XCTAssertThrowsError(try backend.openExisting()) { XCTAssertEqual("\($0)", expected) }
        XCTAssertThrowsError(try backend.openCreating()) { XCTAssertEqual("\($0)", expected) }
        XCTAssertThrowsError(try library.snapshot(project: "team-a", ids: nil)) { XCTAssertEqual("\($0)", expected) }
    }

    func testADefinitionThatDoesNotMatchItsHashIsAnErrorNamingIt() throws {
        let (library, schema) = try created()
        try Self.apply(library, [Self.konnector("a"), Self.konnector("b")])
        let admin = try PostgresTestServer.admin()
        defer { admin.close() }
        try admin.run("UPDATE \(unescaped: "\"\(schema)\"").objects SET definition = replace(definition, '#sales', '#evil') WHERE id = 'b'")
        XCTAssertThrowsError(try library.objects(project: "team-a")) { error in
            XCTAssertEqual(error as? LibraryError, .damaged(kind: "konnector", id: "b", reason: "its definition does not match its hash"))
        }
        XCTAssertThrowsError(try library.definitions(project: "team-a", keys: [.init(.konnector, "b")]))
        XCTAssertEqual(try library.definitions(project: "team-a", keys: [.init(.konnector, "a")]).count, 1)
    }

    // MARK: one transaction

    func testAStaleChangeInTheMiddleOfAPlanLeavesEverythingAsItWas() throws {
        let (library, _) = try created()
        try Self.apply(library, [Self.konnector("a"), Self.konnector("b")])
        var plan = try Self.plan(library, [Self.konnector("a", channel: "#x"), Self.konnector("b", channel: "#y"), Self.konnector("c")])
        XCTAssertEqual(plan.changes.count, 3)
        plan.changes[1].beforeHash = "0000"
        XCTAssertThrowsError(try library.apply(plan, revision: Self.info)) { error in
            guard case .stale? = error as? LibraryError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try library.version().serial, 1)
        XCTAssertEqual(try library.objects(project: "team-a").map(\.version), [1, 1], "the update of `a` was rolled back")
        XCTAssertEqual(try library.history(project: "team-a", id: nil).count, 1)
    }

    func testADroppedConnectionMidApplyCommitsNothing() throws {
        let (library, schema) = try created()
        try Self.apply(library, [Self.konnector("keep")])
        let plan = try Self.plan(library, [Self.konnector("keep", channel: "#new")] + (0..<300).map { Self.konnector("k-\($0)") })
        // A table lock held by another session stops the apply after it wrote the objects,
        // at its history rows; there its connection is cut.
        let blocker = try PostgresTestServer.admin()
        defer { blocker.close() }
        try blocker.run("BEGIN")
        try blocker.run("LOCK TABLE \(unescaped: "\"\(schema)\"").revision_objects IN ACCESS EXCLUSIVE MODE")
        // The apply runs on the library's one connection: its server process is known beforehand.
        let backendPID = try XCTUnwrap(try library.connector.value("SELECT pg_backend_pid()", as: Int32.self))
        let outcome = ThreadResults<Revision?>()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            outcome.add(Result { try library.apply(plan, revision: Self.info) })
            done.signal()
        }
        let admin = try PostgresTestServer.admin()
        defer { admin.close() }
        var terminated = false
        for _ in 0..<200 where !terminated {
            terminated = try admin.value("""
                SELECT bool_or(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE pid = \(backendPID) AND wait_event_type = 'Lock' AND query LIKE '%revision_objects%'
                """, as: Bool?.self) == true
            if !terminated { Thread.sleep(forTimeInterval: 0.05) }
        }
        XCTAssertTrue(terminated, "the apply never reached its history rows")
        try blocker.run("ROLLBACK")
        // Never left waiting: a stuck apply still holds the library's connection.
        guard done.wait(timeout: .now() + 30) == .success else { return XCTFail("the apply did not end once its connection was cut") }
        XCTAssertThrowsError(try outcome.all.first?.get()) { error in
            XCTAssertTrue("\(error)".contains("lost the connection") || "\(error)".contains("terminat"), "\(error)")
        }
        // The library is as before, and usable: the next call opens a new connection.
        XCTAssertEqual(try library.version().serial, 1)
        XCTAssertEqual(try library.objects(project: "team-a").map { "\($0.id) v\($0.version)" }, ["keep v1"])
        _ = try library.apply(try Self.plan(library, [Self.konnector("keep", channel: "#new")]), revision: Self.info)
        XCTAssertEqual(try library.version().serial, 2)
    }

    // MARK: round trips

    func testReadsAndAppliesTakeAFixedNumberOfQueries() throws {
        let (library, _) = try created()
        func queries(_ body: () throws -> Void) rethrows -> Int {
            let before = library.connector.queryCount
            try body()
            return library.connector.queryCount - before
        }
        func applied(_ objects: [CompiledObject], _ project: String) throws -> Int {
            let plan = try Self.plan(library, objects, project: project)
            return try queries { _ = try library.apply(plan, revision: Self.info) }
        }
        func planned(_ objects: [CompiledObject], _ project: String) throws -> Int {
            try queries { _ = try Self.plan(library, objects, project: project) }
        }
        let few = (0..<3).map { Self.konnector("s-\($0)") }, many = (0..<400).map { Self.konnector("l-\($0)") }
        XCTAssertEqual(try applied(few, "team-a"), try applied(many, "team-b"), "400 creates: as many statements as 3")
        XCTAssertEqual(try planned(few, "team-a"), try planned(many, "team-b"), "a plan of 400 reads as much as one of 3")
        let fewEdits = few.map { Self.konnector($0.id, channel: "#x") }, manyEdits = many.map { Self.konnector($0.id, channel: "#x") }
        XCTAssertEqual(try planned(fewEdits, "team-a"), try planned(manyEdits, "team-b"), "with definitions to diff, too")
        XCTAssertEqual(try applied(fewEdits, "team-a"), try applied(manyEdits, "team-b"), "400 updates: as many statements as 3")
        XCTAssertEqual(try applied([], "team-a"), try applied([], "team-b"), "deletes of 3 and of 400")
        XCTAssertEqual(try library.objects(project: "team-b").count, 0)
    }

    // MARK: the lease lock

    func testAnExpiredLeaseIsTakenOverAndItsHolderCanNeitherRenewNorRelease() throws {
        let (library, _) = try created()
        let dead = LockHolder(project: "team-a", user: "ci", host: "runner-1", pid: 4242, since: "2026-03-02T12:00:00Z")
        XCTAssertNil(try library.lock(dead, timeout: 1, lease: 0.2))
        XCTAssertTrue(try library.renewLock(dead, lease: 0.2))
        // The holder stops renewing, as a killed process does; a waiter takes over once the lease runs out.
        let next = LockHolder(project: "team-b", user: "ada", host: "laptop", pid: 7, since: "2026-03-02T12:00:01Z")
        let previous = try XCTUnwrap(try library.lock(next, timeout: 30, lease: 30))
        XCTAssertEqual(previous.id, dead.id)
        XCTAssertEqual(previous.description, dead.description)
        XCTAssertNotNil(previous.leaseExpires)
        XCTAssertFalse(try library.renewLock(dead, lease: 30), "the old holder no longer holds it")
        try library.unlock(dead)
        XCTAssertEqual(try library.currentLock()?.id, next.id, "the old holder cannot release the new holder's lock")
        try library.unlock(next)
        XCTAssertNil(try library.currentLock())
    }

    func testALiveLeaseMakesAWaiterTimeOutNamingTheHolder() throws {
        let (library, _) = try created()
        let holder = LockHolder(project: "team-a", user: "ci", host: "runner-1", pid: 4242, since: "2026-03-02T12:00:00Z")
        XCTAssertNil(try library.lock(holder, timeout: 1, lease: 600))
        let other = LockHolder(project: "team-b", user: "ada", host: "laptop", pid: 7, since: "2026-03-02T12:00:01Z")
        XCTAssertThrowsError(try library.lock(other, timeout: 0.2, lease: 30)) { error in
            guard case .locked(let current, _)? = error as? LibraryError else { return XCTFail("\(error)") }
            XCTAssertEqual(current.id, holder.id)
            XCTAssertEqual(current.project, "team-a")
            XCTAssertTrue("\(error)".contains("ci@runner-1 (pid 4242)"), "\(error)")
        }
        // The lock is a row, not a session: another connection sees it, and the holder's own
        // connection may come and go.
        library.connector.close()
        let elsewhere = try PostgresBackend(url: library.url.redacted.replacingOccurrences(of: "***", with: XCTUnwrap(library.url.password)))
        XCTAssertEqual(try elsewhere.openForReading().currentLock()?.id, holder.id)
        XCTAssertTrue(try library.renewLock(holder, lease: 600))
    }

    func testEightProjectsApplyingAtOnceQueueOnTheLock() throws {
        let (first, _) = try created()
        let url = first.url
        let results = ThreadResults<Revision?>()
        DispatchQueue.concurrentPerform(iterations: 8) { n in
            results.add(Result {
                let library = PostgresLibrary(url: url)
                let me = LockHolder(project: "p\(n)", user: "ci", host: "runner", pid: n, since: "2026-03-02T12:00:00Z")
                _ = try library.lock(me, timeout: 120, lease: 30)
                defer { try? library.unlock(me) }
                return try Self.apply(library, (0..<50).map { Self.konnector("p\(n)-k\($0)") }, project: "p\(n)")
            })
        }
        let serials = try results.all.map { try XCTUnwrap($0.get()).serial }
        XCTAssertEqual(serials.sorted(), Array(1...8), "one revision each, one after another")
        for n in 0..<8 {
            XCTAssertEqual(try first.objects(project: "p\(n)").count, 50)
        }
        XCTAssertNil(try first.currentLock())
    }

    // MARK: TLS

    func testSSLModeRequireEncryptsAndDisableDoesNot() throws {
        let (library, _) = try created("sslmode=require")
        try Self.apply(library, [Self.konnector("a")])
        XCTAssertEqual(try library.connector.value("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", as: Bool.self), true)
        let (plain, _) = try created("sslmode=disable")
        XCTAssertEqual(try plain.connector.value("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", as: Bool.self), false)
    }

    func testSSLModeVerifyFullChecksTheCertificate() throws {
        let certificate = try PostgresTestServer.directory() + "/server.crt"
        let server = try PostgresTestServer.url().replacingOccurrences(of: "@127.0.0.1:", with: "@localhost:")
        let schema = PostgresTestServer.freshSchema()
        schemas.append(schema)
        let trusted = try PostgresBackend(url: server + "?schema=\(schema)&sslmode=verify-full&sslrootcert=\(certificate)")
        XCTAssertNil(try trusted.openExisting(), "connected, verified, and found no library")
        let untrusted = try PostgresBackend(url: server + "?schema=\(schema)&sslmode=verify-full")
        XCTAssertThrowsError(try untrusted.openExisting()) { error in
            XCTAssertTrue("\(error)".contains("cannot connect"), "\(error)")
        }
    }
}

/// Results gathered from several threads.
final class ThreadResults<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Result<T, any Error>] = []

    func add(_ result: Result<T, any Error>) {
        lock.lock()
        items.append(result)
        lock.unlock()
    }

    var all: [Result<T, any Error>] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}
