import Foundation
import KonnectCore
import PostgresNIO

/// `postgres://` and `postgresql://` library URLs (SPEC §7): a library
/// shared by a team and its CI.
public struct PostgresBackend: LibraryBackend {
    public let url: PostgresURL
    public var displayURL: String { url.display }

    /// Parses `url` (no connection is made yet); the password may come from `PGPASSWORD`.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        do {
            self.url = try PostgresURL(url, environment: environment)
        } catch let error as PostgresLibraryError {
            throw LibraryError.failed(error.description)
        }
    }

    /// What this backend's first open found, kept for the opens after it: a
    /// command opens its library up to three times (`appearsToExist`, the
    /// prefetch, the plan or apply), and they share one connection, and one
    /// connect timeout when the server cannot be reached. Absence is not
    /// kept (an apply creates the library), nor an older version (an apply
    /// migrates it).
    private let first = FirstOpen()

    public func openExisting() throws -> (any Library)? {
        try first.outcome { try Self.existing(url) }.get()
    }

    /// Capability (`SnapshotPrefetch`): a snapshot is a fixed number of
    /// queries, read while the project is checked.
    public var prefetches: Bool { true }

    /// One query, on the connection the command goes on to use; nil when it
    /// fails (the open after it says why) or takes more than a second: a
    /// server slow to answer, or not answering, does not hold back the check
    /// and its diagnostics (the open goes on, and the command's next open
    /// finds what it found).
    public func appearsToExist() -> Bool? {
        let look = PendingAnswer<Bool>()
        Thread.detachNewThread {
            look.result = Result { try openExisting() != nil }
            look.ready.signal()
        }
        guard look.ready.wait(timeout: .now() + 1) == .success, case .success(let exists)? = look.result else { return nil }
        return exists
    }

    public func openCreating() throws -> any Library {
        let library: PostgresLibrary
        switch first.kept {
        case .success(let found?)?: library = found
        case .failure(let error)?: throw error
        default: library = PostgresLibrary(url: url)
        }
        try library.surfaced { try library.ensureCurrent() }
        return library
    }

    static func existing(_ url: PostgresURL) throws -> PostgresLibrary? {
        let library = PostgresLibrary(url: url)
        switch try library.surfaced({ try library.connector.withConnection(retry: true) { try library.installedVersion($0) } }) {
        case nil: return nil
        case let version? where version < PostgresLibrary.schemaVersion:
            throw LibraryError.older(url: url.display, version: version, current: PostgresLibrary.schemaVersion)
        default: return library
        }
    }

    final class FirstOpen: @unchecked Sendable {
        private let mutex = NSLock()
        /// A library found, or a failure other than an older version.
        private var outcomeKept: Result<PostgresLibrary?, any Error>?

        var kept: Result<PostgresLibrary?, any Error>? {
            mutex.lock()
            defer { mutex.unlock() }
            return outcomeKept
        }

        func outcome(_ open: () throws -> PostgresLibrary?) -> Result<PostgresLibrary?, any Error> {
            mutex.lock()
            defer { mutex.unlock() }
            if let outcomeKept { return outcomeKept }
            let outcome = Result { try open() }
            var keep = true
            if case .success(nil) = outcome { keep = false }
            if case .failure(let error as LibraryError) = outcome, case .older = error { keep = false }
            if keep { outcomeKept = outcome }
            return outcome
        }
    }
}

/// A library in one PostgreSQL schema (default `konnect`, `?schema=`): its
/// tables are made by versioned migrations that only `openCreating` (apply)
/// runs. An apply is one transaction (stale check, changes, serial,
/// revision). The apply lock is a row with a lease, renewed by the holder
/// (`renewLock`, on a connection of its own so that a renewal commits while
/// the apply's transaction is open); it never depends on a session staying
/// open, so it works behind connection poolers (no advisory locks).
///
/// Round trips stay constant in the library's size: a snapshot is a fixed
/// number of queries, an apply writes each kind of change in one statement
/// over arrays (`unnest`).
public final class PostgresLibrary: Library, @unchecked Sendable {
    public let url: PostgresURL
    let connector: PostgresConnector
    /// The lease's renewals only, so they never wait behind an apply.
    let leaseConnector: PostgresConnector

    init(url: PostgresURL) {
        self.url = url
        connector = PostgresConnector(url: url)
        leaseConnector = PostgresConnector(url: url)
    }

    /// Runs `body`, turning a failure of this backend into a `LibraryError`
    /// (its text names the library by its redacted URL).
    func surfaced<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresLibraryError where error.sqlState.map(Self.missingStates.contains) == true {
            // Its schema or a table dropped while this command used it.
            throw LibraryError.failed("the library at \(url.redacted) no longer exists (its schema or a table was dropped while konnect used it): \(error.description)")
        } catch let error as PostgresLibraryError {
            throw LibraryError.failed(error.description)
        }
    }

    /// The schema, quoted, to prefix table names with (the name is checked to be a plain identifier).
    var s: String { "\"\(url.schema)\"" }

    // MARK: migrations

    /// Every migration, in order; the version of each is its position (from 1).
    /// A library at a higher version was written by a newer konnect.
    static let migrations: [(name: String, statements: [String])] = [
        ("objects, revisions, lock", [
            "CREATE TABLE S.meta (slot INT PRIMARY KEY CHECK (slot = 1), lineage TEXT NOT NULL, serial BIGINT NOT NULL)",
            """
            CREATE TABLE S.objects (
                kind TEXT NOT NULL, id TEXT NOT NULL, owner TEXT NOT NULL, name TEXT NOT NULL, enabled BOOLEAN NOT NULL,
                definition TEXT NOT NULL, hash TEXT NOT NULL, version BIGINT NOT NULL,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL, source_file TEXT NOT NULL, source_commit TEXT NOT NULL,
                sensitive_paths TEXT NOT NULL, tags TEXT NOT NULL, source_key TEXT NOT NULL,
                PRIMARY KEY (kind, id))
            """,
            "CREATE INDEX objects_owner ON S.objects (owner)",
            """
            CREATE TABLE S.revisions (
                serial BIGINT PRIMARY KEY, applied_at TEXT NOT NULL, project TEXT NOT NULL,
                actor TEXT NOT NULL, git_commit TEXT NOT NULL, changes TEXT NOT NULL)
            """,
            "CREATE INDEX revisions_project ON S.revisions (project, serial)",
            "CREATE TABLE S.revision_objects (serial BIGINT NOT NULL REFERENCES S.revisions (serial), kind TEXT NOT NULL, id TEXT NOT NULL)",
            "CREATE INDEX revision_objects_id ON S.revision_objects (id, serial)",
            """
            CREATE TABLE S.lock (
                slot INT PRIMARY KEY CHECK (slot = 1), holder_id TEXT NOT NULL, project TEXT NOT NULL,
                holder_user TEXT NOT NULL, host TEXT NOT NULL, pid BIGINT NOT NULL, since TEXT NOT NULL,
                operation TEXT NOT NULL, lease_expires TIMESTAMPTZ NOT NULL)
            """,
        ]),
    ]

    static var schemaVersion: Int { migrations.count }

    /// SQLSTATEs of a library that is not there: no such table, no such schema.
    static let missingStates: Set<String> = ["42P01", "3F000"]
    /// SQLSTATEs of losing a race to create the same objects; the loser tries again.
    static let raceStates: Set<String> = ["23505", "42P06", "42P07", "40P01", "40001"]

    /// Creates the schema and its tables, or migrates them, unless they are
    /// current. Creation is one transaction; processes racing to create the
    /// same library all succeed (the loser of a race on the catalog tries
    /// again and finds the work done).
    func ensureCurrent() throws {
        var attempt = 0
        while true {
            do {
                try connector.withConnection { db in
                    // Current already: no DDL, so a role without CREATE on the database can apply.
                    if try installedVersion(db) == Self.schemaVersion { return }
                    try db.transaction { try migrate(db) }
                }
                return
            } catch let error as PostgresLibraryError where error.sqlState.map(Self.raceStates.contains) == true && attempt < 10 {
                attempt += 1
                Thread.sleep(forTimeInterval: Double.random(in: 0.01...0.05) * Double(attempt))
            }
        }
    }

    /// The schema version the library is at; nil when it does not exist.
    /// Throws `newer` for a version this build does not know.
    func installedVersion(_ db: PostgresConnector.Session) throws -> Int? {
        let version: Int?
        do {
            version = try db.query("SELECT max(version) FROM \(unescaped: s).migrations").first.map { try column($0, Int?.self) } ?? nil
        } catch let error as PostgresLibraryError where error.sqlState.map(Self.missingStates.contains) == true {
            return nil
        }
        if let version, version > Self.schemaVersion {
            throw LibraryError.newer(url: url.display, version: version, known: Self.schemaVersion)
        }
        return version
    }

    private func migrate(_ db: PostgresConnector.Session) throws {
        // A schema an administrator made beforehand is used as it is: CREATE SCHEMA,
        // even IF NOT EXISTS, needs the CREATE privilege on the database.
        let exists = try db.query("SELECT count(*) FROM pg_namespace WHERE nspname = \(url.schema)").first.map { try column($0, Int.self) }
        if exists != 1 { try db.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: s)") }
        try db.query("""
            CREATE TABLE IF NOT EXISTS \(unescaped: s).migrations (
                version INT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
            """)
        // One migrator at a time; the others wait here, then find nothing left to do.
        try db.query("LOCK TABLE \(unescaped: s).migrations IN SHARE ROW EXCLUSIVE MODE")
        let done = Set(try db.query("SELECT version FROM \(unescaped: s).migrations").map { try column($0, Int.self) })
        if let highest = done.max(), highest > Self.schemaVersion {
            throw LibraryError.newer(url: url.display, version: highest, known: Self.schemaVersion)
        }
        for (index, migration) in Self.migrations.enumerated() where !done.contains(index + 1) {
            for statement in migration.statements {
                try db.query(PostgresQuery(unsafeSQL: statement.replacingOccurrences(of: "S.", with: "\(s).")))
            }
            if index == 0 {
                try db.query("INSERT INTO \(unescaped: s).meta (slot, lineage, serial) VALUES (1, \(UUID().uuidString.lowercased()), 0)")
            }
            try db.query("INSERT INTO \(unescaped: s).migrations (version, name) VALUES (\(index + 1), \(migration.name))")
        }
    }

    // MARK: reading

    /// Runs `body` in a read-only transaction that sees one state of the library.
    func read<T>(_ body: (PostgresConnector.Session) throws -> T) throws -> T {
        try surfaced {
            try connector.withConnection(retry: true) { db in
                try db.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { try body(db) }
            }
        }
    }

    /// Lineage and serial, read with the schema version (a newer library is
    /// refused); `absent` when the library's tables are gone.
    func meta(_ db: PostgresConnector.Session) throws -> LibraryVersion {
        let rows: PostgresQueryResult
        do {
            rows = try db.query("""
                SELECT m.lineage, m.serial, (SELECT max(version) FROM \(unescaped: s).migrations)
                FROM \(unescaped: s).meta m WHERE m.slot = 1
                """)
        } catch let error as PostgresLibraryError where error.sqlState.map(Self.missingStates.contains) == true {
            throw LibraryError.absent(url: url.display)
        }
        guard let row = rows.first else { throw LibraryError.corrupt("missing lineage or serial") }
        let (lineage, serial, version) = try decode(row, (String, Int, Int?).self)
        if let version, version > Self.schemaVersion {
            throw LibraryError.newer(url: url.display, version: version, known: Self.schemaVersion)
        }
        return LibraryVersion(lineage: lineage, serial: serial)
    }

    /// A row's one column, or `corrupt` for a value of the wrong type.
    func column<T: PostgresDecodable>(_ row: PostgresRow, _: T.Type) throws -> T {
        do {
            return try row.decode(T.self)
        } catch let error as PostgresDecodingError {
            throw LibraryError.corrupt("column \(error.columnName) holds a value of the wrong type")
        }
    }

    /// A row's columns, or `corrupt` for a value of the wrong type.
    func decode<each Column: PostgresDecodable>(_ row: PostgresRow, _: (repeat each Column).Type) throws -> (repeat each Column) {
        do {
            return try row.decode((repeat each Column).self)
        } catch let error as PostgresDecodingError {
            throw LibraryError.corrupt("column \(error.columnName) holds a value of the wrong type")
        }
    }

    public func snapshot(project: String, ids: Set<LibrarySnapshot.Key>?) throws -> LibrarySnapshot {
        try read { db in
            let version = try meta(db)
            var owned: [StoredObject] = []
            let rows = try db.query("""
                SELECT kind, id, enabled, hash, version, sensitive_paths, tags, source_key
                FROM \(unescaped: s).objects WHERE owner = \(project) ORDER BY kind COLLATE "C", id COLLATE "C"
                """)
            owned.reserveCapacity(rows.count)
            for row in rows {
                let (kind, id, enabled, hash, objectVersion, sensitive, tags, sourceKey)
                    = try decode(row, (String, String, Bool, String, Int, String, String, String).self)
                owned.append(StoredObject(
                    kind: try StoredIntegrity.checkKey(kind: kind, id: id), id: id, owner: project, name: "", enabled: enabled,
                    definitionJSON: nil, hash: hash, version: objectVersion, createdAt: "", updatedAt: "", sourceFile: "",
                    sourceCommit: "",
                    sensitivePaths: try StoredIntegrity.strings(sensitive, field: "sensitive paths", kind: kind, id: id),
                    tags: try StoredIntegrity.strings(tags, field: "tags", kind: kind, id: id), sourceKey: sourceKey))
            }
            var foreign: [LibrarySnapshot.Key: String] = [:]
            if ids?.isEmpty != true {
                let others: PostgresQueryResult
                if let ids {
                    let keys = Array(ids)
                    others = try db.query("""
                        SELECT kind, id, owner FROM \(unescaped: s).objects
                        WHERE owner <> \(project)
                          AND (kind, id) IN (SELECT * FROM unnest(\(keys.map(\.kind.rawValue))::text[], \(keys.map(\.id))::text[]))
                        """)
                } else {
                    others = try db.query("SELECT kind, id, owner FROM \(unescaped: s).objects WHERE owner <> \(project)")
                }
                for row in others {
                    let (kind, id, owner) = try decode(row, (String, String, String).self)
                    guard let kind = ObjectKind(rawValue: kind) else { continue }
                    foreign[LibrarySnapshot.Key(kind, id)] = owner
                }
            }
            return LibrarySnapshot(lineage: version.lineage, serial: version.serial, owned: owned, foreignOwners: foreign)
        }
    }

    public func version() throws -> LibraryVersion {
        try surfaced { try connector.withConnection(retry: true) { try meta($0) } }
    }

    public func definitions(project: String, keys: [LibrarySnapshot.Key]) throws -> [LibrarySnapshot.Key: String] {
        guard !keys.isEmpty else { return [:] }
        let unique = Array(Set(keys))
        return try read { db in
            var out: [LibrarySnapshot.Key: String] = [:]
            let rows = try db.query("""
                SELECT kind, id, definition, hash FROM \(unescaped: s).objects
                WHERE owner = \(project)
                  AND (kind, id) IN (SELECT * FROM unnest(\(unique.map(\.kind.rawValue))::text[], \(unique.map(\.id))::text[]))
                """)
            for row in rows {
                let (kind, id, definition, hash) = try decode(row, (String, String, String, String).self)
                let objectKind = try StoredIntegrity.checkKey(kind: kind, id: id)
                try StoredIntegrity.checkDefinition(definition, hash: hash, kind: kind, id: id)
                out[LibrarySnapshot.Key(objectKind, id)] = definition
            }
            return out
        }
    }

    public func objects(project: String) throws -> [StoredObject] {
        try read { db in
            _ = try meta(db)
            let rows = try db.query("""
                SELECT kind, id, owner, name, enabled, hash, version, created_at, updated_at, source_file, source_commit,
                       sensitive_paths, tags, source_key, definition
                FROM \(unescaped: s).objects WHERE owner = \(project) ORDER BY kind COLLATE "C", id COLLATE "C"
                """)
            return try rows.map { row in
                let (kind, id, owner, name, enabled, hash, version, createdAt, updatedAt, sourceFile, sourceCommit,
                     sensitive, tags, sourceKey, definition)
                    = try decode(row, (String, String, String, String, Bool, String, Int, String, String, String, String,
                                       String, String, String, String).self)
                let objectKind = try StoredIntegrity.checkKey(kind: kind, id: id)
                try StoredIntegrity.checkDefinition(definition, hash: hash, kind: kind, id: id)
                return StoredObject(kind: objectKind, id: id, owner: owner, name: name,
                                    enabled: enabled, definitionJSON: definition, hash: hash, version: version,
                                    createdAt: createdAt, updatedAt: updatedAt, sourceFile: sourceFile, sourceCommit: sourceCommit,
                                    sensitivePaths: try StoredIntegrity.strings(sensitive, field: "sensitive paths", kind: kind, id: id),
                                    tags: try StoredIntegrity.strings(tags, field: "tags", kind: kind, id: id), sourceKey: sourceKey)
            }
        }
    }

    public func history(project: String, id: String?) throws -> [Revision] {
        try read { db in
            _ = try meta(db)
            let rows: PostgresQueryResult
            if let id {
                rows = try db.query("""
                    SELECT serial, applied_at, project, actor, git_commit, changes FROM \(unescaped: s).revisions
                    WHERE project = \(project)
                      AND serial IN (SELECT serial FROM \(unescaped: s).revision_objects WHERE id = \(id))
                    ORDER BY serial DESC
                    """)
            } else {
                rows = try db.query("""
                    SELECT serial, applied_at, project, actor, git_commit, changes FROM \(unescaped: s).revisions
                    WHERE project = \(project) ORDER BY serial DESC
                    """)
            }
            return try rows.map { row in
                let (serial, appliedAt, project, actor, gitCommit, changes) = try decode(row, (Int, String, String, String, String, String).self)
                return Revision(serial: serial, time: appliedAt, project: project, user: actor, commit: gitCommit,
                                changes: try RevisionChanges.decode(changes, serial: serial))
            }
        }
    }

    // MARK: locking

    public func lock(_ holder: LockHolder, timeout: Double, lease: Double) throws -> LockHolder? {
        let start = Date()
        while true {
            switch try surfaced({ try attemptLock(holder, lease: lease) }) {
            case .taken(let previous):
                return previous
            case .raced:
                continue
            case .held(let current):
                let waited = Date().timeIntervalSince(start)
                if waited >= timeout {
                    throw LibraryError.locked(current, waited: timeout < 1 ? timeout : (timeout * 10).rounded() / 10)
                }
                // Waiters poll; a little jitter keeps many of them from asking in step.
                Thread.sleep(forTimeInterval: min(0.05 + Double.random(in: 0..<0.1), max(0.01, timeout - waited)))
            }
        }
    }

    private enum LockAttempt {
        case taken(previous: LockHolder?)
        case held(LockHolder)
        case raced
    }

    /// A lease's length as an interval the server adds to its clock (clamped: an enormous one is no trap).
    private static func leaseSeconds(_ lease: Double) -> Double {
        lease.isFinite ? min(max(0, lease), 1e9) : 1e9
    }

    /// The lock row's columns, in `holder(_:)`'s order.
    private static let lockColumns = "holder_id, project, holder_user, host, pid, since, operation, lease_expires"

    /// The lock row's holder; a row that cannot be read is `damagedLock`, which only `unlock --force` clears.
    private func holder(_ row: PostgresRow) throws -> LockHolder {
        let columns: (String, String, String, String, Int, String, String, Date)
        do {
            columns = try decode(row, (String, String, String, String, Int, String, String, Date).self)
        } catch LibraryError.corrupt(let what) {
            throw LibraryError.damagedLock(reason: what)
        }
        let (id, project, user, host, pid, since, operation, expires) = columns
        return LockHolder(id: id, project: project, user: user, host: host, pid: pid, since: since, operation: operation,
                          leaseExpires: expires)
    }

    /// One short transaction: takes a free lock, or one whose lease ran out
    /// by the server's clock (so clients' clocks do not matter).
    private func attemptLock(_ holder: LockHolder, lease: Double) throws -> LockAttempt {
        let seconds = Self.leaseSeconds(lease)
        return try connector.withConnection { db in
            try db.transaction {
                let rows = try db.query("""
                    SELECT \(unescaped: Self.lockColumns), lease_expires <= clock_timestamp()
                    FROM \(unescaped: s).lock WHERE slot = 1 FOR UPDATE
                    """)
                if let row = rows.first {
                    let (id, project, user, host, pid, since, operation, expires, expired)
                        = try decode(row, (String, String, String, String, Int, String, String, Date, Bool).self)
                    let current = LockHolder(id: id, project: project, user: user, host: host, pid: pid, since: since,
                                             operation: operation, leaseExpires: expires)
                    guard expired else { return .held(current) }
                    try db.query("""
                        UPDATE \(unescaped: s).lock SET holder_id = \(holder.id), project = \(holder.project),
                            holder_user = \(holder.user), host = \(holder.host), pid = \(holder.pid), since = \(holder.since),
                            operation = \(holder.operation), lease_expires = clock_timestamp() + \(seconds) * interval '1 second'
                        WHERE slot = 1
                        """)
                    return .taken(previous: current)
                }
                let inserted = try db.query("""
                    INSERT INTO \(unescaped: s).lock (slot, \(unescaped: Self.lockColumns))
                    VALUES (1, \(holder.id), \(holder.project), \(holder.user), \(holder.host), \(holder.pid), \(holder.since),
                            \(holder.operation), clock_timestamp() + \(seconds) * interval '1 second')
                    ON CONFLICT (slot) DO NOTHING
                    """)
                return inserted.metadata.rows == 1 ? .taken(previous: nil) : .raced
            }
        }
    }

    public func renewLock(_ holder: LockHolder, lease: Double) throws -> Bool {
        try surfaced {
            try leaseConnector.withConnection(retry: true) { db in
                try db.query("""
                    UPDATE \(unescaped: s).lock SET lease_expires = clock_timestamp() + \(Self.leaseSeconds(lease)) * interval '1 second'
                    WHERE slot = 1 AND holder_id = \(holder.id)
                    """).metadata.rows == 1
            }
        }
    }

    public func unlock(_ holder: LockHolder) throws {
        _ = try surfaced {
            try connector.withConnection(retry: true) { db in
                try db.query("DELETE FROM \(unescaped: s).lock WHERE slot = 1 AND holder_id = \(holder.id)")
            }
        }
    }

    public func clearLock() throws {
        _ = try surfaced {
            try connector.withConnection(retry: true) { db in
                try db.query("DELETE FROM \(unescaped: s).lock WHERE slot = 1")
            }
        }
    }

    public func currentLock() throws -> LockHolder? {
        try read { db in
            _ = try meta(db)
            return try db.query("SELECT \(unescaped: Self.lockColumns) FROM \(unescaped: s).lock WHERE slot = 1").first.map(holder)
        }
    }

    // MARK: applying

    public func refreshKeys(project: String, _ refreshes: [Plan.KeyRefresh]) throws {
        guard !refreshes.isEmpty else { return }
        _ = try surfaced {
            try connector.withConnection(retry: true) { db in
                try db.query("""
                    UPDATE \(unescaped: s).objects o SET source_key = r.key
                    FROM unnest(\(refreshes.map(\.kind.rawValue))::text[], \(refreshes.map(\.id))::text[],
                                \(refreshes.map(\.hash))::text[], \(refreshes.map(\.sourceKey))::text[]) AS r(kind, id, hash, key)
                    WHERE o.kind = r.kind AND o.id = r.id AND o.owner = \(project) AND o.hash = r.hash
                    """)
            }
        }
    }

    public func apply(_ plan: Plan, revision info: RevisionInfo) throws -> Revision? {
        try surfaced { try apply(plan, info) }
    }

    private func apply(_ plan: Plan, _ info: RevisionInfo) throws -> Revision? {
        // Checked before anything is sent, in plan order, as the SQLite library does.
        var recorded: [Revision.Change] = []
        for change in plan.changes {
            let kind = change.kind.rawValue
            switch change.action {
            case .create:
                guard change.after?.canonicalJSON != nil else { throw LibraryError.corrupt("create of \(change.id) without a definition") }
                recorded.append(.init(kind: kind, id: change.id, action: change.action.word, renamedFrom: nil, version: 1, diff: change.diff))
            case .update, .rename:
                guard let o = change.after, o.canonicalJSON != nil, change.beforeHash != nil else {
                    throw LibraryError.corrupt("\(change.action.word) of \(change.id) without a definition")
                }
                recorded.append(.init(kind: kind, id: o.id, action: change.action.word, renamedFrom: change.renamedFrom,
                                      version: (change.beforeVersion ?? 0) &+ 1, diff: change.diff))
            case .delete:
                recorded.append(.init(kind: kind, id: change.id, action: change.action.word, renamedFrom: nil, version: nil,
                                      diff: change.diff))
            }
        }
        let changes = RevisionChanges.encode(recorded)
        return try connector.withConnection { db in
            try db.transaction {
                // The meta row is locked until commit: concurrent applies to this library run one after another.
                guard let row = try db.query("SELECT lineage, serial FROM \(unescaped: s).meta WHERE slot = 1 FOR UPDATE").first else {
                    throw LibraryError.corrupt("missing lineage or serial")
                }
                let (lineage, serial) = try decode(row, (String, Int).self)
                guard let newSerial = try LibraryVersion(lineage: lineage, serial: serial).serialAfter(applying: plan) else { return nil }
                // Large values (a first apply's change list) compressed with lz4 where the server has it:
                // pglz took 130 ms of the server's time for 10,000 creations, lz4 13 ms. For this transaction only.
                try db.query("""
                    SELECT set_config('default_toast_compression', 'lz4', true) FROM pg_settings
                    WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)
                    """)
                try writeChanges(db, plan, info)
                try db.query("""
                    INSERT INTO \(unescaped: s).revisions (serial, applied_at, project, actor, git_commit, changes)
                    VALUES (\(newSerial), \(info.time), \(plan.project), \(info.user), \(info.gitCommit), \(changes))
                    """)
                var linkKinds: [String] = [], linkIDs: [String] = []
                for c in recorded {
                    linkKinds.append(c.kind)
                    linkIDs.append(c.id)
                    if let old = c.renamedFrom {
                        linkKinds.append(c.kind)
                        linkIDs.append(old)
                    }
                }
                try db.query("""
                    INSERT INTO \(unescaped: s).revision_objects (serial, kind, id)
                    SELECT \(newSerial), k, i FROM unnest(\(linkKinds)::text[], \(linkIDs)::text[]) AS r(k, i)
                    """)
                try db.query("UPDATE \(unescaped: s).meta SET serial = \(newSerial) WHERE slot = 1")
                return Revision(serial: newSerial, time: info.time, project: plan.project, user: info.user,
                                commit: info.gitCommit, changes: recorded)
            }
        }
    }

    /// The plan's changes in three statements: deletes, then updates and
    /// renames, then creates (so an id freed by a delete can be taken). Each
    /// must touch exactly its objects as planned, else the plan is stale.
    private func writeChanges(_ db: PostgresConnector.Session, _ plan: Plan, _ info: RevisionInfo) throws {
        let deletes = plan.changes.filter { $0.action == .delete }
        let updates = plan.changes.filter { $0.action == .update || $0.action == .rename }
        let creates = plan.changes.filter { $0.action == .create }
        if !deletes.isEmpty {
            let done = try db.query("""
                DELETE FROM \(unescaped: s).objects o
                USING unnest(\(deletes.map(\.kind.rawValue))::text[], \(deletes.map(\.id))::text[],
                             \(deletes.map { $0.beforeHash ?? "" })::text[]) WITH ORDINALITY AS d(kind, id, hash, ord)
                WHERE o.kind = d.kind AND o.id = d.id AND o.owner = \(plan.project) AND o.hash = d.hash
                RETURNING d.ord
                """)
            if let missing = try Self.firstMissing(done, of: deletes.count) {
                let c = deletes[missing]
                throw LibraryError.stale(planned: "\(c.kind.rawValue) \(c.id) to delete", current: "it changed or is gone")
            }
        }
        if !updates.isEmpty {
            let after = updates.map { $0.after! }
            let done: PostgresQueryResult
            do {
                done = try db.query("""
                    UPDATE \(unescaped: s).objects o SET id = u.new_id, name = u.name, enabled = u.enabled, definition = u.definition,
                        hash = u.hash, version = o.version + 1, updated_at = \(info.time), source_file = u.source_file,
                        source_commit = \(info.gitCommit), sensitive_paths = u.sensitive_paths, tags = u.tags, source_key = u.source_key
                    FROM unnest(\(updates.map(\.kind.rawValue))::text[], \(updates.map { $0.renamedFrom ?? $0.after!.id })::text[],
                                \(after.map(\.id))::text[], \(after.map(\.name))::text[], \(after.map(\.enabled))::bool[],
                                \(after.map { $0.canonicalJSON! })::text[], \(after.map(\.hash))::text[], \(after.map(\.sourceFile))::text[],
                                \(after.map { Self.json($0.sensitivePaths) })::text[], \(after.map { Self.json($0.tags) })::text[],
                                \(after.map(\.sourceKey))::text[], \(updates.map { $0.beforeHash! })::text[])
                         WITH ORDINALITY AS u(kind, old_id, new_id, name, enabled, definition, hash, source_file,
                                              sensitive_paths, tags, source_key, before_hash, ord)
                    WHERE o.kind = u.kind AND o.id = u.old_id AND o.owner = \(plan.project) AND o.hash = u.before_hash
                    RETURNING u.ord
                    """)
            } catch let error as PostgresLibraryError where error.sqlState == "23505" {
                throw LibraryError.stale(planned: "renames to free ids", current: "one of those ids is taken")
            }
            if let missing = try Self.firstMissing(done, of: updates.count) {
                let c = updates[missing]
                let oldID = c.renamedFrom ?? c.id
                throw LibraryError.stale(planned: "\(c.kind.rawValue) \(oldID) at \(c.beforeHash!.prefix(12))",
                                         current: "a different \(c.kind.rawValue) \(oldID)")
            }
        }
        if !creates.isEmpty {
            let after = creates.map { $0.after! }
            let done = try db.query("""
                INSERT INTO \(unescaped: s).objects (kind, id, owner, name, enabled, definition, hash, version, created_at, updated_at,
                                                     source_file, source_commit, sensitive_paths, tags, source_key)
                SELECT c.kind, c.id, \(plan.project), c.name, c.enabled, c.definition, c.hash, 1, \(info.time), \(info.time),
                       c.source_file, \(info.gitCommit), c.sensitive_paths, c.tags, c.source_key
                FROM unnest(\(creates.map(\.kind.rawValue))::text[], \(after.map(\.id))::text[], \(after.map(\.name))::text[],
                            \(after.map(\.enabled))::bool[], \(after.map { $0.canonicalJSON! })::text[], \(after.map(\.hash))::text[],
                            \(after.map(\.sourceFile))::text[], \(after.map { Self.json($0.sensitivePaths) })::text[],
                            \(after.map { Self.json($0.tags) })::text[], \(after.map(\.sourceKey))::text[])
                     WITH ORDINALITY AS c(kind, id, name, enabled, definition, hash, source_file, sensitive_paths, tags, source_key, ord)
                ORDER BY c.ord
                ON CONFLICT DO NOTHING
                RETURNING kind, id
                """)
            if done.count != creates.count {
                let made = Set(try done.map { row -> String in
                    let (kind, id) = try decode(row, (String, String).self)
                    return "\(kind)\u{0}\(id)"
                })
                let c = after.first { !made.contains("\($0.kind.rawValue)\u{0}\($0.id)") } ?? after[0]
                throw LibraryError.stale(planned: "no \(c.kind.rawValue) \(c.id)", current: "\(c.kind.rawValue) \(c.id) exists")
            }
        }
    }

    /// The first position (from 0) of `count` whose ordinal (from 1) is not among the returned rows.
    private static func firstMissing(_ rows: PostgresQueryResult, of count: Int) throws -> Int? {
        guard rows.count != count else { return nil }
        let seen = Set(try rows.map { try $0.decode(Int.self) })
        return (1...count).first { !seen.contains($0) }.map { $0 - 1 } ?? 0
    }

    // MARK: stored text

    static func json(_ strings: [String]) -> String {
        JSONValue.array(strings.map(JSONValue.string)).serialized()
    }

}
