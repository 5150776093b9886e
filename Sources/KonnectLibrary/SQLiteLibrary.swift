import Foundation
import GRDB
import KonnectCore

/// The embedded library: one SQLite file, WAL with synchronous FULL, so a
/// committed apply survives a crash and an interrupted one leaves no trace.
public struct SQLiteLibrary: Library {
    let db: DatabaseQueue

    /// How long a statement waits for another connection's write (an apply of thousands of objects takes seconds).
    static let busySeconds: Double = 30

    public init(path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        var config = Configuration()
        config.busyMode = .timeout(Self.busySeconds)
        config.prepareDatabase { db in
            // WAL, and FULL sync: a committed apply survives power loss (GRDB's WAL default is NORMAL).
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        db = try DatabaseQueue(path: path, configuration: config)
        // Two processes may create the same library at once; the loser of that
        // race sees the winner's tables and simply finds nothing left to migrate.
        var attempt = 0
        while true {
            do {
                try Self.migrator.migrate(db)
                return
            } catch let error as DatabaseError where attempt < 5 {
                _ = error
                attempt += 1
                Thread.sleep(forTimeInterval: 0.05 * Double(attempt))
            }
        }
    }

    /// An existing library, to read from only: nil when there is no file at
    /// `path` or it is not at the current schema. Nothing is created or
    /// migrated, so it may be opened before a project is known to be valid.
    /// (Not a read-only connection: the last connection to close removes the
    /// WAL files, and a read-only one cannot, so it would leave them behind.)
    public init?(existingAt path: String) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
        var config = Configuration()
        config.busyMode = .timeout(Self.busySeconds)
        guard let queue = try? DatabaseQueue(path: path, configuration: config),
              (try? queue.read({ try Self.migrator.hasCompletedMigrations($0) })) == true else { return nil }
        db = queue
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE objects (
                    kind TEXT NOT NULL, id TEXT NOT NULL, owner TEXT NOT NULL,
                    name TEXT NOT NULL, enabled INTEGER NOT NULL,
                    definition TEXT NOT NULL, hash TEXT NOT NULL, version INTEGER NOT NULL,
                    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                    source_file TEXT NOT NULL, source_commit TEXT NOT NULL,
                    sensitive_paths TEXT NOT NULL,
                    PRIMARY KEY (kind, id));
                CREATE INDEX objects_owner ON objects (owner);
                CREATE TABLE revisions (
                    serial INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, project TEXT NOT NULL,
                    user TEXT NOT NULL, git_commit TEXT NOT NULL, changes TEXT NOT NULL);
                CREATE TABLE revision_objects (
                    serial INTEGER NOT NULL REFERENCES revisions(serial), kind TEXT NOT NULL, id TEXT NOT NULL);
                CREATE INDEX revision_objects_id ON revision_objects (id);
                CREATE TABLE lock (
                    slot INTEGER PRIMARY KEY CHECK (slot = 1), user TEXT NOT NULL, host TEXT NOT NULL,
                    pid INTEGER NOT NULL, since TEXT NOT NULL);
                """)
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('lineage', ?), ('serial', '0')",
                           arguments: [UUID().uuidString.lowercased()])
        }
        m.registerMigration("v2: tags column") { db in
            // Lets plan read tags (for --target tag:) without loading definitions.
            try db.execute(sql: """
                ALTER TABLE objects ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
                UPDATE objects SET tags = COALESCE(json_extract(definition, '$.tags'), '[]');
                """)
        }
        m.registerMigration("v3: source_key column") { db in
            // The compile key an object was applied from, so plan can skip compiling unchanged konnectors.
            try db.execute(sql: "ALTER TABLE objects ADD COLUMN source_key TEXT NOT NULL DEFAULT ''")
        }
        m.registerMigration("v4: covering index for plans") { db in
            // A plan reads every row of its project and the owners of the rest; with
            // this index it never touches the table's pages, where the definitions are.
            try db.execute(sql: """
                CREATE INDEX objects_plan ON objects (owner, kind, id, hash, version, enabled, source_key, tags, sensitive_paths);
                DROP INDEX objects_owner;
                """)
        }
        return m
    }

    // MARK: reading

    public func snapshot(project: String, ids: Set<LibrarySnapshot.Key>?) throws -> LibrarySnapshot {
        try db.read { db in
            let (lineage, serial) = try Self.meta(db)
            let owned = try Self.plannable(db, project: project)
            // Ids held by other projects: one query, then matched in memory.
            var foreign: [LibrarySnapshot.Key: String] = [:]
            if ids?.isEmpty != true {
                let rows = try Row.fetchCursor(db, sql: "SELECT kind, id, owner FROM objects WHERE owner != ?", arguments: [project])
                while let row = try rows.next() {
                    guard let kind = ObjectKind(rawValue: try row.decode(atIndex: 0)) else { continue }
                    let key = LibrarySnapshot.Key(kind, try row.decode(atIndex: 1))
                    if ids?.contains(key) ?? true { foreign[key] = try row.decode(atIndex: 2) }
                }
            }
            return LibrarySnapshot(lineage: lineage, serial: serial, owned: owned, foreignOwners: foreign)
        }
    }

    public func version() throws -> LibraryVersion {
        try db.read { db in
            let (lineage, serial) = try Self.meta(db)
            return LibraryVersion(lineage: lineage, serial: serial)
        }
    }

    public func objects(project: String) throws -> [StoredObject] {
        try db.read { try Self.objects($0, project: project) }
    }

    public func definitions(project: String, keys: [LibrarySnapshot.Key]) throws -> [LibrarySnapshot.Key: String] {
        guard !keys.isEmpty else { return [:] }
        return try db.read { db in
            // Point look-ups by primary key: a plan diffs few objects, and a scan
            // of the project's rows would cost more than all of them.
            let select = try db.cachedStatement(sql: "SELECT definition FROM objects WHERE kind = ? AND id = ? AND owner = ?")
            var out: [LibrarySnapshot.Key: String] = [:]
            for key in Set(keys) {
                if let definition = try String.fetchOne(select, arguments: [key.kind.rawValue, key.id, project]) {
                    out[key] = definition
                }
            }
            return out
        }
    }

    static func meta(_ db: Database) throws -> (String, Int) {
        let rows = try Row.fetchAll(db, sql: "SELECT key, value FROM meta")
        var values: [String: String] = [:]
        for row in rows {
            let key: String = try row.decode(forColumn: "key")
            values[key] = try row.decode(forColumn: "value")
        }
        guard let lineage = values["lineage"], let serial = values["serial"].flatMap({ Int($0) }) else {
            throw LibraryError.corrupt("missing lineage or serial")
        }
        return (lineage, serial)
    }

    /// This project's objects with only what planning reads (kind, id, hash,
    /// version, enabled, sensitive paths, tags, compile key): a plan reads every
    /// row, so it leaves out the definition, times and source.
    static func plannable(_ db: Database, project: String) throws -> [StoredObject] {
        var out: [StoredObject] = []
        let rows = try Row.fetchCursor(db, sql: """
            SELECT kind, id, enabled, hash, version, sensitive_paths, tags, source_key
            FROM objects WHERE owner = ? ORDER BY kind, id
            """, arguments: [project])
        while let row = try rows.next() {
            let sensitive: String = try row.decode(atIndex: 5)
            let tags: String = try row.decode(atIndex: 6)
            out.append(StoredObject(
                kind: ObjectKind(rawValue: try row.decode(atIndex: 0)) ?? .konnector, id: try row.decode(atIndex: 1), owner: project, name: "", enabled: try row.decode(atIndex: 2),
                definitionJSON: nil, hash: try row.decode(atIndex: 3), version: try row.decode(atIndex: 4), createdAt: "", updatedAt: "", sourceFile: "", sourceCommit: "",
                sensitivePaths: Self.strings(sensitive), tags: Self.strings(tags), sourceKey: try row.decode(atIndex: 7)))
        }
        return out
    }

    static func objects(_ db: Database, project: String) throws -> [StoredObject] {
        // Columns are read by position: this runs for every object on every plan.
        let columns = "kind, id, owner, name, enabled, hash, version, created_at, updated_at, source_file, source_commit, "
            + "sensitive_paths, tags, source_key, definition"
        var out: [StoredObject] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT \(columns) FROM objects WHERE owner = ? ORDER BY kind, id", arguments: [project])
        while let row = try rows.next() {
            let sensitive: String = try row.decode(atIndex: 11)
            let tags: String = try row.decode(atIndex: 12)
            out.append(StoredObject(
                kind: ObjectKind(rawValue: try row.decode(atIndex: 0)) ?? .konnector, id: try row.decode(atIndex: 1), owner: try row.decode(atIndex: 2),
                name: try row.decode(atIndex: 3), enabled: try row.decode(atIndex: 4), definitionJSON: try row.decode(atIndex: 14),
                hash: try row.decode(atIndex: 5), version: try row.decode(atIndex: 6), createdAt: try row.decode(atIndex: 7), updatedAt: try row.decode(atIndex: 8),
                sourceFile: try row.decode(atIndex: 9), sourceCommit: try row.decode(atIndex: 10),
                sensitivePaths: Self.strings(sensitive), tags: Self.strings(tags), sourceKey: try row.decode(atIndex: 13)))
        }
        return out
    }

    public func history(project: String, id: String?) throws -> [Revision] {
        try db.read { db in
            let rows: [Row]
            if let id {
                rows = try Row.fetchAll(db, sql: """
                    SELECT * FROM revisions WHERE project = ? AND serial IN (SELECT serial FROM revision_objects WHERE id = ?)
                    ORDER BY serial DESC
                    """, arguments: [project, id])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM revisions WHERE project = ? ORDER BY serial DESC", arguments: [project])
            }
            return try rows.map { row in
                let changes = ((try? JSONParser.parse(try row.decode(String.self, forColumn: "changes")))?.arrayValue ?? []).map { c in
                    var version: Int? = nil
                    if case .int(let v)? = c["version"] { version = v }
                    return Revision.Change(kind: c["kind"]?.stringValue ?? "", id: c["id"]?.stringValue ?? "",
                                           action: c["action"]?.stringValue ?? "", renamedFrom: c["renamed_from"]?.stringValue,
                                           version: version)
                }
                return Revision(serial: try row.decode(forColumn: "serial"), appliedAt: try row.decode(forColumn: "applied_at"),
                                project: try row.decode(forColumn: "project"), user: try row.decode(forColumn: "user"),
                                gitCommit: try row.decode(forColumn: "git_commit"), changes: changes)
            }
        }
    }

    // MARK: locking

    public func lock(_ holder: LockHolder, timeout: Double) throws {
        let start = Date()
        while true {
            let remaining = timeout - Date().timeIntervalSince(start)
            // Looked at before writing: in WAL a read never waits for a writer,
            // and a holder spends most of its time in its apply's write transaction.
            var current = try db.read { try Self.lockRow($0) }
            if current == nil {
                // Someone writing without the lock (taking it right now, creating the
                // library) is waited for within the timeout; past it, for one busy
                // period, after which SQLite's busy error is the failure.
                switch try attemptLock(holder, busyWait: remaining > 0 ? remaining : nil) {
                case .taken: return
                case .held(let other): current = other
                case .busy: current = try db.read { try Self.lockRow($0) }
                }
            }
            let waited = Date().timeIntervalSince(start)
            if waited >= timeout, let current {
                throw LibraryError.locked(current, waited: timeout < 1 ? timeout : (timeout * 10).rounded() / 10)
            }
            Thread.sleep(forTimeInterval: min(0.1, max(0.01, timeout - waited)))
        }
    }

    private enum LockAttempt { case taken, held(LockHolder), busy }

    /// One try at inserting the lock row, waiting at most `busyWait` seconds
    /// for another connection's write to end (nil: the usual busy period, and
    /// still busy after it is an error).
    private func attemptLock(_ holder: LockHolder, busyWait: Double?) throws -> LockAttempt {
        try db.writeWithoutTransaction { db in
            // In whole milliseconds, which SQLite keeps in an Int32.
            let milliseconds = min(max(1, (busyWait ?? Self.busySeconds) * 1000), Double(Int32.max))
            try db.execute(sql: "PRAGMA busy_timeout = \(Int(milliseconds))")
            defer { try? db.execute(sql: "PRAGMA busy_timeout = \(Int(Self.busySeconds * 1000))") }
            var outcome = LockAttempt.taken
            do {
                try Self.unsynced(db) {
                    try db.inTransaction(.immediate) {
                        if let existing = try Self.lockRow(db) {
                            outcome = .held(existing)
                            return .rollback
                        }
                        try db.execute(sql: "INSERT INTO lock (slot, user, host, pid, since) VALUES (1, ?, ?, ?, ?)",
                                       arguments: [holder.user, holder.host, holder.pid, holder.since])
                        return .commit
                    }
                }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && busyWait != nil {
                outcome = .busy
            }
            return outcome
        }
    }

    public func unlock(_ holder: LockHolder) throws {
        try db.writeWithoutTransaction { db in
            try Self.unsynced(db) {
                try db.inTransaction(.immediate) {
                    try db.execute(sql: "DELETE FROM lock WHERE slot = 1 AND pid = ? AND host = ?", arguments: [holder.pid, holder.host])
                    return .commit
                }
            }
        }
    }

    /// The lock row's writes are not flushed to disk: a power cut that loses
    /// one also ended its holder, and leaves at worst a lock for `konnect
    /// unlock`, as a killed process does. The apply's own commit is flushed
    /// (FULL), and with it every earlier write in the log.
    private static func unsynced<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        try db.execute(sql: "PRAGMA synchronous = NORMAL")
        defer { try? db.execute(sql: "PRAGMA synchronous = FULL") }
        return try body()
    }

    public func currentLock() throws -> LockHolder? {
        try db.read { try Self.lockRow($0) }
    }

    public func forceUnlock() throws {
        try db.write { try $0.execute(sql: "DELETE FROM lock") }
    }

    static func lockRow(_ db: Database) throws -> LockHolder? {
        try Row.fetchOne(db, sql: "SELECT * FROM lock WHERE slot = 1").map {
            LockHolder(user: try $0.decode(forColumn: "user"), host: try $0.decode(forColumn: "host"),
                       pid: try $0.decode(forColumn: "pid"), since: try $0.decode(forColumn: "since"))
        }
    }

    // MARK: applying

    public func apply(_ plan: Plan, revision info: RevisionInfo) throws -> Revision? {
        try db.write { db in
            let (lineage, serial) = try Self.meta(db)
            guard lineage == plan.lineage, serial == plan.serial else {
                throw LibraryError.stale(planned: "\(plan.lineage) serial \(plan.serial)", current: "\(lineage) serial \(serial)")
            }
            guard !plan.changes.isEmpty else { return nil }
            let (newSerial, full) = serial.addingReportingOverflow(1)
            guard !full else { throw LibraryError.corrupt("the serial is at its largest value") }
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
                    recorded.append(.init(kind: kind, id: o.id, action: change.action.word, renamedFrom: nil, version: 1))
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
                                          version: (change.beforeVersion ?? 0) &+ 1))
                case .delete:
                    try delete.execute(arguments: [kind, change.id, plan.project, change.beforeHash ?? ""])
                    guard db.changesCount == 1 else {
                        throw LibraryError.stale(planned: "\(kind) \(change.id) to delete", current: "it changed or is gone")
                    }
                    recorded.append(.init(kind: kind, id: change.id, action: change.action.word, renamedFrom: nil, version: nil))
                }
            }
            let changesJSON = JSONValue.array(recorded.map { c in
                .object([
                    "kind": .string(c.kind), "id": .string(c.id), "action": .string(c.action),
                    "renamed_from": .optional(c.renamedFrom), "version": c.version.map(JSONValue.int) ?? .null,
                ])
            }).serialized()
            try db.execute(sql: "INSERT INTO revisions (serial, applied_at, project, user, git_commit, changes) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [newSerial, info.time, plan.project, info.user, info.gitCommit, changesJSON])
            let link = try db.cachedStatement(sql: "INSERT INTO revision_objects (serial, kind, id) VALUES (?, ?, ?)")
            for c in recorded {
                try link.execute(arguments: [newSerial, c.kind, c.id])
                if let old = c.renamedFrom { try link.execute(arguments: [newSerial, c.kind, old]) }
            }
            try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'serial'", arguments: [String(newSerial)])
            return Revision(serial: newSerial, appliedAt: info.time, project: plan.project, user: info.user,
                            gitCommit: info.gitCommit, changes: recorded)
        }
    }

    /// A JSON array of strings as the library writes it; plain ones (no
    /// escapes) are split directly, since a plan reads one per object.
    static func strings(_ json: String) -> [String] {
        if json == "[]" { return [] }
        let bytes = Array(json.utf8)
        guard bytes.count >= 4, bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]"),
              !bytes.contains(UInt8(ascii: "\\")) else {
            return (try? JSONParser.parse(json))?.stringArray ?? []
        }
        // ["a","b"]: the strings are what lies between the pairs of quotes.
        var out: [String] = []
        var start: Int? = nil
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\"") {
            if let s = start { out.append(String(decoding: bytes[(s + 1)..<i], as: UTF8.self)); start = nil } else { start = i }
        }
        return out
    }

    static func json(_ strings: [String]) -> String {
        JSONValue.array(strings.map(JSONValue.string)).serialized()
    }
}
