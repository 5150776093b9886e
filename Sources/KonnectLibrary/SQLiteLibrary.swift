import Foundation
import GRDB
import KonnectCore

/// `sqlite:PATH` (SPEC §7): one file, relative to the project folder.
public struct SQLiteBackend: LibraryBackend {
    public let path: String
    public let displayURL: String

    public init(url: String, relativeTo directory: String) throws {
        var path = String(url.dropFirst("sqlite:".count))
        if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
        guard !path.isEmpty else { throw LibraryError.unsupportedURL(LibraryURL.redacted(url)) }
        self.path = path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
        displayURL = LibraryURL.redacted(url)
    }

    public func openExisting() throws -> (any Library)? { try SQLiteLibrary.existing(at: path, url: displayURL) }
    public func openCreating() throws -> any Library { try SQLiteLibrary(path: path, url: displayURL) }

    /// A local file: cheap to read while the project is checked.
    public var prefetches: Bool { true }
    public func appearsToExist() -> Bool? { FileManager.default.fileExists(atPath: path) }
}

/// The embedded library: one SQLite file, WAL with synchronous FULL, so a
/// committed apply survives a crash and an interrupted one leaves no trace.
public struct SQLiteLibrary: Library {
    let db: DatabaseQueue
    /// The library's URL, as messages show it.
    let url: String
    /// The library version it was opened at: the current one, or, opened to
    /// read, one that only lacks what reading does not use (`readable`).
    let schemaVersion: Int

    /// How long a statement waits for another connection's write (an apply of thousands of objects takes seconds).
    static let busySeconds: Double = 30

    /// Opens the library file at `path`, creating it (folders included) and
    /// migrating it first when needed: what `apply` opens. Safe when several
    /// processes create the same library at once.
    public init(path: String, url: String? = nil) throws {
        let url = url ?? "sqlite:" + path
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        var config = Self.configuration()
        config.prepareDatabase { db in
            // WAL, and FULL sync: a committed apply survives power loss (GRDB's WAL default is NORMAL).
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        // Switching a new file to WAL needs it to itself, and SQLite reports
        // another process creating it at the same moment as busy without
        // waiting; so creation is retried, with jitter, for one busy period.
        let deadline = Date(timeIntervalSinceNow: Self.busySeconds)
        while true {
            do {
                let queue = try DatabaseQueue(path: path, configuration: config)
                try queue.writeWithoutTransaction { try SQLiteSchema.migrate($0, url: url) }
                self.init(db: queue, url: url, version: SQLiteSchema.current)
                return
            } catch let error as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) && Date() < deadline {
                Thread.sleep(forTimeInterval: Double.random(in: 0.01...0.05))
            }
        }
    }

    private init(db: DatabaseQueue, url: String, version: Int) {
        self.db = db
        self.url = url
        self.schemaVersion = version
    }

    /// A new library in memory (for tests).
    public static func inMemory() throws -> SQLiteLibrary {
        let queue = try DatabaseQueue(configuration: configuration())
        try queue.writeWithoutTransaction { try SQLiteSchema.migrate($0, url: "sqlite::memory:") }
        return SQLiteLibrary(db: queue, url: "sqlite::memory:", version: SQLiteSchema.current)
    }

    /// The library at `path`, to read from: nil when there is none (no file,
    /// or an empty one). Creates and migrates nothing, so it may be opened by
    /// read-only commands and before a project is known to be valid; throws
    /// for a library this konnect cannot read as it is (newer, older, not one).
    /// (Not a read-only connection: the last connection to close removes the
    /// WAL files, and a read-only one cannot, so it would leave them behind.)
    static func existing(at path: String, url: String) throws -> SQLiteLibrary? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        guard !isDirectory.boolValue else { throw LibraryError.corrupt("\(url) is a folder, not a library file") }
        var config = configuration()
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let queue: DatabaseQueue
        let state: SQLiteSchema.State
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            state = try queue.read { try SQLiteSchema.state($0) }
        } catch let error as DatabaseError {
            throw LibraryError.corrupt("\(url) cannot be read as a library: \(error.message ?? "\(error.resultCode)")")
        }
        switch state {
        case .absent: return nil
        case .newer(let version): throw LibraryError.newer(url: url, version: version, known: SQLiteSchema.current)
        case .at(let version) where version < SQLiteSchema.readable:
            throw LibraryError.older(url: url, version: version, current: SQLiteSchema.current)
        case .at(let version): return SQLiteLibrary(db: queue, url: url, version: version)
        }
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.busyMode = .timeout(busySeconds)
        return config
    }

    /// `access` (the queue's `read`, `write` or `writeWithoutTransaction`) on
    /// `body`. GRDB's errors print the statement they ran; a library's error
    /// says which library and SQLite's reason, and nothing of the SQL.
    private func sqlite<T>(_ access: (_ body: (Database) throws -> T) throws -> T, _ body: (Database) throws -> T) throws -> T {
        do {
            return try withoutActuallyEscaping(body) { try access($0) }
        } catch let error as DatabaseError {
            throw LibraryError.failed("the library \(url) cannot be used: \(error.message ?? "SQLite error \(error.resultCode.rawValue)")")
        }
    }

    // MARK: reading

    public func snapshot(project: String, ids: Set<LibrarySnapshot.Key>?) throws -> LibrarySnapshot {
        try sqlite(db.read) { db in
            let (lineage, serial) = try Self.meta(db)
            typealias Columns = ObjectRecord.Columns
            var owned: [StoredObject] = []
            let rows = try PlannedObjectRecord.filter(Columns.owner == project).order(Columns.kind, Columns.id).fetchCursor(db)
            while let row = try rows.next() { owned.append(try row.stored(project: project)) }
            // Ids held by other projects: one query, then matched in memory.
            var foreign: [LibrarySnapshot.Key: String] = [:]
            if ids?.isEmpty != true {
                // `IS NOT`: a row whose owner is NULL is read (and found damaged), not passed over.
                let rows = try Row.fetchCursor(db, ObjectRecord.select(Columns.kind, Columns.id, Columns.owner)
                    .filter(sql: "owner IS NOT ?", arguments: [project]))
                while let row = try rows.next() {
                    let (kindText, id, owner) = try Columns.reading(row) { () throws(ColumnDamage) in
                        (try row.storedText(Columns.kind), try row.storedText(Columns.id), try row.storedText(Columns.owner))
                    }
                    guard let kind = ObjectKind(rawValue: kindText) else { continue }
                    let key = LibrarySnapshot.Key(kind, id)
                    if ids?.contains(key) ?? true { foreign[key] = owner }
                }
            }
            return LibrarySnapshot(lineage: lineage, serial: serial, owned: owned, foreignOwners: foreign)
        }
    }

    public func version() throws -> LibraryVersion {
        try sqlite(db.read) { db in
            let (lineage, serial) = try Self.meta(db)
            return LibraryVersion(lineage: lineage, serial: serial)
        }
    }

    public func objects(project: String) throws -> [StoredObject] {
        try sqlite(db.read) { db in
            typealias Columns = ObjectRecord.Columns
            try Self.checkOwners(db, project: project)
            return try ObjectRecord.filter(Columns.owner == project).order(Columns.kind, Columns.id).fetchAll(db).map { try $0.stored() }
        }
    }

    public func definitions(project: String, keys: [LibrarySnapshot.Key]) throws -> [LibrarySnapshot.Key: String] {
        guard !keys.isEmpty else { return [:] }
        return try sqlite(db.read) { db in
            // Point look-ups by primary key: a plan diffs few objects, and a scan
            // of the project's rows would cost more than all of them.
            let select = try db.cachedStatement(sql: "SELECT definition, hash FROM objects WHERE kind = ? AND id = ? AND owner = ?")
            var out: [LibrarySnapshot.Key: String] = [:]
            for key in Set(keys) {
                // Read from the cursor's own row: a copied row holds text as GRDB converted it.
                let rows = try Row.fetchCursor(select, arguments: [key.kind.rawValue, key.id, project])
                guard let row = try rows.next() else { continue }
                let definition: String, hash: String
                do throws(ColumnDamage) {
                    (definition, hash) = (try row.storedText(ObjectColumns.definition), try row.storedText(ObjectColumns.hash))
                } catch {
                    throw LibraryError.damaged(kind: key.kind.rawValue, id: key.id, reason: error.reason)
                }
                try StoredIntegrity.checkDefinition(definition, hash: hash, kind: key.kind.rawValue, id: key.id)
                out[key] = definition
            }
            return out
        }
    }

    /// Every other project's owner, read strictly: a row whose owner is not exact text
    /// (NULL, a blob, a NUL byte, bad bytes) belongs to no project, and is reported
    /// instead of being left out of this project's list.
    static func checkOwners(_ db: Database, project: String) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT kind, id, owner FROM objects WHERE owner IS NOT ?", arguments: [project])
        while let row = try rows.next() {
            _ = try ObjectColumns.reading(row) { () throws(ColumnDamage) in try row.storedText(ObjectColumns.owner) }
        }
    }

    static func meta(_ db: Database) throws -> (String, Int) {
        let rows = try Row.fetchCursor(db, sql: "SELECT key, value FROM meta")
        var values: [String: String] = [:]
        while let row = try rows.next() {
            do throws(ColumnDamage) {
                values[try row.storedText(Column("key"))] = try row.storedText(Column("value"))
            } catch {
                throw LibraryError.corrupt("a row of its meta table: \(error.reason)")
            }
        }
        guard let lineage = values["lineage"], !lineage.isEmpty else { throw LibraryError.corrupt("its lineage is missing") }
        guard let text = values["serial"] else { throw LibraryError.corrupt("its serial is missing") }
        // Written as `String(serial)`: any other spelling (`+1`, `01`, `1.0`) is not one konnect wrote.
        guard let serial = Int(text), serial >= 0, String(serial) == text else {
            throw LibraryError.corrupt("its serial `\(text)` is not a whole number from 0 on")
        }
        return (lineage, serial)
    }

    public func history(project: String, id: String?) throws -> [Revision] {
        try sqlite(db.read) { db in
            typealias Columns = RevisionRecord.Columns
            // A revision whose project is not exact text matches no project: it is reported, not passed over.
            let others = try Row.fetchCursor(db, sql: "SELECT serial, project FROM revisions WHERE project IS NOT ?", arguments: [project])
            while let row = try others.next() {
                do throws(ColumnDamage) {
                    _ = try row.storedText(Columns.project)
                } catch {
                    throw LibraryError.corrupt("revision \((try? row.storedInteger(Columns.serial)).map(String.init) ?? "?"): \(error.reason)")
                }
            }
            var request = RevisionRecord.filter(Columns.project == project)
            if let id {
                request = request.filter(sql: "serial IN (SELECT serial FROM revision_objects WHERE id = ?)", arguments: [id])
            }
            return try request.order(Columns.serial.desc).fetchAll(db).map { try $0.revision() }
        }
    }

    // MARK: locking

    /// The lock row has its lease from version 5 on; an older library is
    /// locked only by `apply`, which migrates it first.
    private func lockable() throws {
        guard schemaVersion >= 5 else { throw LibraryError.older(url: url, version: schemaVersion, current: SQLiteSchema.current) }
    }

    public func lock(_ holder: LockHolder, timeout: Double, lease: Double) throws -> LockHolder? {
        try lockable()
        let start = Date()
        while true {
            let remaining = timeout - Date().timeIntervalSince(start)
            // Looked at before writing: in WAL a read never waits for a writer,
            // and a holder spends most of its time in its apply's write transaction.
            var current = try currentLock()
            if current.map({ $0.leaseExpired() }) ?? true {
                // Someone writing without the lock (taking it right now, creating the
                // library) is waited for within the timeout; past it, for one busy
                // period, after which SQLite's busy error is the failure.
                switch try attemptLock(holder, lease: lease, busyWait: remaining > 0 ? remaining : nil) {
                case .taken(let previous): return previous
                case .held(let other): current = other
                case .busy: current = try currentLock()
                }
            }
            let waited = Date().timeIntervalSince(start)
            if waited >= timeout, let current {
                throw LibraryError.locked(current, waited: timeout < 1 ? timeout : (timeout * 10).rounded() / 10)
            }
            // Wake up when the lease runs out, to take the lock over then.
            let untilExpiry = current?.leaseExpires.map { $0.timeIntervalSinceNow } ?? 0.1
            Thread.sleep(forTimeInterval: min(0.1, max(0.01, min(timeout - waited, untilExpiry))))
        }
    }

    private enum LockAttempt { case taken(previous: LockHolder?), held(LockHolder), busy }

    /// One try at writing the lock row — into an empty slot, or over a lock
    /// whose lease expired — waiting at most `busyWait` seconds for another
    /// connection's write to end (nil: the usual busy period, and still busy
    /// after it is an error).
    private func attemptLock(_ holder: LockHolder, lease: Double, busyWait: Double?) throws -> LockAttempt {
        try sqlite(db.writeWithoutTransaction) { db in
            // In whole milliseconds, which SQLite keeps in an Int32.
            let milliseconds = min(max(1, (busyWait ?? Self.busySeconds) * 1000), Double(Int32.max))
            try db.execute(sql: "PRAGMA busy_timeout = \(Int(milliseconds))")
            defer { try? db.execute(sql: "PRAGMA busy_timeout = \(Int(Self.busySeconds * 1000))") }
            var outcome = LockAttempt.taken(previous: nil)
            do {
                try Self.unsynced(db) {
                    try db.inTransaction(.immediate) {
                        let existing = try LockRecord.holder(db)
                        if let existing, !existing.leaseExpired() {
                            outcome = .held(existing)
                            return .rollback
                        }
                        try db.execute(sql: """
                            INSERT OR REPLACE INTO lock (slot, holder_id, project, user, host, pid, since, operation, lease_expires_ms)
                            VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)
                            """, arguments: [holder.id, holder.project, holder.user, holder.host, holder.pid, holder.since,
                                             holder.operation, Self.milliseconds(fromNow: lease)])
                        outcome = .taken(previous: existing)
                        return .commit
                    }
                }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && busyWait != nil {
                outcome = .busy
            }
            return outcome
        }
    }

    /// Epoch milliseconds `seconds` from now, clamped to the end of 9999 (what a read accepts), so that an enormous lease is no trap.
    static func milliseconds(fromNow seconds: Double) -> Int64 {
        let value = (Date().timeIntervalSince1970 + max(0, seconds)) * 1000
        return value.isFinite ? Int64(min(value, Double(LockRecord.lastMS))) : LockRecord.lastMS
    }

    public func renewLock(_ holder: LockHolder, lease: Double) throws -> Bool {
        try lockable()
        return try sqlite(db.writeWithoutTransaction) { db in
            try Self.unsynced(db) {
                try db.execute(sql: "UPDATE lock SET lease_expires_ms = ? WHERE slot = 1 AND holder_id = ?",
                               arguments: [Self.milliseconds(fromNow: lease), holder.id])
                return db.changesCount == 1
            }
        }
    }

    public func unlock(_ holder: LockHolder) throws {
        try lockable()
        try sqlite(db.writeWithoutTransaction) { db in
            try Self.unsynced(db) {
                try db.execute(sql: "DELETE FROM lock WHERE slot = 1 AND holder_id = ?", arguments: [holder.id])
            }
        }
    }

    public func clearLock() throws {
        try lockable()
        try sqlite(db.writeWithoutTransaction) { db in
            // Every row: a damaged table may hold more than the one slot its CHECK allows.
            try Self.unsynced(db) { try db.execute(sql: "DELETE FROM lock") }
        }
    }

    /// The lock row's writes are not flushed to disk: a power cut that loses
    /// one also ended its holder, and leaves at worst a lock whose lease
    /// runs out, as a killed process does. The apply's own commit is flushed
    /// (FULL), and with it every earlier write in the log.
    private static func unsynced<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        try db.execute(sql: "PRAGMA synchronous = NORMAL")
        defer { try? db.execute(sql: "PRAGMA synchronous = FULL") }
        return try body()
    }

    public func currentLock() throws -> LockHolder? {
        try lockable()
        return try sqlite(db.read) { try LockRecord.holder($0) }
    }

    // MARK: applying

    public func refreshKeys(project: String, _ refreshes: [Plan.KeyRefresh]) throws {
        guard !refreshes.isEmpty else { return }
        try sqlite(db.write) { db in
            let update = try db.cachedStatement(sql: "UPDATE objects SET source_key = ? WHERE kind = ? AND id = ? AND owner = ? AND hash = ?")
            for r in refreshes {
                try update.execute(arguments: [r.sourceKey, r.kind.rawValue, r.id, project, r.hash])
            }
        }
    }

    public func apply(_ plan: Plan, revision info: RevisionInfo) throws -> Revision? {
        try sqlite(db.write) { db in
            let (lineage, serial) = try Self.meta(db)
            guard let newSerial = try LibraryVersion(lineage: lineage, serial: serial).serialAfter(applying: plan) else { return nil }
            var recorded: [Revision.Change] = []
            let insert = try db.cachedStatement(sql: """
                INSERT INTO objects (kind, id, owner, name, enabled, definition, hash, version, created_at, updated_at,
                                     source_file, source_commit, sensitive_paths, tags, source_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let update = try db.cachedStatement(sql: """
                UPDATE objects SET id = ?, name = ?, enabled = ?, definition = ?, hash = ?, version = version + 1,
                    updated_at = ?, source_file = ?, source_commit = ?, sensitive_paths = ?, tags = ?, source_key = ?
                WHERE kind = ? AND id = ? AND owner = ? AND hash = ?
                """)
            let delete = try db.cachedStatement(sql: "DELETE FROM objects WHERE kind = ? AND id = ? AND owner = ? AND hash = ?")
            for change in plan.changes {
                let kind = change.kind.rawValue
                switch change.action {
                case .create:
                    guard let o = change.after, let definition = o.canonicalJSON else {
                        throw LibraryError.corrupt("create of \(change.id) without a definition")
                    }
                    do {
                        try insert.execute(arguments: [kind, o.id, plan.project, o.name, o.enabled, definition, o.hash, 1,
                                                       info.time, info.time, o.sourceFile, info.gitCommit, Self.json(o.sensitivePaths),
                                                       Self.json(o.tags), o.sourceKey])
                    } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                        throw LibraryError.stale(planned: "no \(kind) \(o.id)", current: "\(kind) \(o.id) exists")
                    }
                    recorded.append(.init(kind: kind, id: o.id, action: change.action.word, renamedFrom: nil, version: 1, diff: change.diff))
                case .update, .rename:
                    guard let o = change.after, let definition = o.canonicalJSON, let beforeHash = change.beforeHash else {
                        throw LibraryError.corrupt("\(change.action.word) of \(change.id) without a definition")
                    }
                    let oldID = change.renamedFrom ?? o.id
                    try update.execute(arguments: [o.id, o.name, o.enabled, definition, o.hash, info.time, o.sourceFile,
                                                   info.gitCommit, Self.json(o.sensitivePaths), Self.json(o.tags), o.sourceKey,
                                                   kind, oldID, plan.project, beforeHash])
                    guard db.changesCount == 1 else {
                        throw LibraryError.stale(planned: "\(kind) \(oldID) at \(beforeHash.prefix(12))", current: "a different \(kind) \(oldID)")
                    }
                    recorded.append(.init(kind: kind, id: o.id, action: change.action.word, renamedFrom: change.renamedFrom,
                                          version: (change.beforeVersion ?? 0) &+ 1, diff: change.diff))
                case .delete:
                    try delete.execute(arguments: [kind, change.id, plan.project, change.beforeHash ?? ""])
                    guard db.changesCount == 1 else {
                        throw LibraryError.stale(planned: "\(kind) \(change.id) to delete", current: "it changed or is gone")
                    }
                    recorded.append(.init(kind: kind, id: change.id, action: change.action.word, renamedFrom: nil, version: nil,
                                          diff: change.diff))
                }
            }
            try db.execute(sql: "INSERT INTO revisions (serial, applied_at, project, user, git_commit, changes) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [newSerial, info.time, plan.project, info.user, info.gitCommit, RevisionChanges.encode(recorded)])
            let link = try db.cachedStatement(sql: "INSERT INTO revision_objects (serial, kind, id) VALUES (?, ?, ?)")
            for c in recorded {
                try link.execute(arguments: [newSerial, c.kind, c.id])
                if let old = c.renamedFrom { try link.execute(arguments: [newSerial, c.kind, old]) }
            }
            try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'serial'", arguments: [String(newSerial)])
            return Revision(serial: newSerial, time: info.time, project: plan.project, user: info.user,
                            commit: info.gitCommit, changes: recorded)
        }
    }

    static func json(_ strings: [String]) -> String {
        JSONValue.array(strings.map(JSONValue.string)).serialized()
    }
}
