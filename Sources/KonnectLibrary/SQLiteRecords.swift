import Foundation
import GRDB
import KonnectCore

// The SQLite library's rows, read by column name into complete values.
// A row is untrusted input: every column is read strictly (`storedText`,
// `storedInteger`), as SQLite itself would let any value stand in any
// column and a lax read would turn it into some other value; and each row
// converts to the core's types through `StoredIntegrity`. A damaged row is
// an error naming its object, never a row dump.

/// A column of a library row that does not hold what its table declares.
struct ColumnDamage: Error {
    var column: String
    var found: String

    /// As the end of "the library's … is damaged: …".
    var reason: String { "its `\(column)` \(found)" }
}

extension Row {
    /// The text in `column` exactly as stored. NULL, a number, a blob, and
    /// text holding a NUL byte or bytes that are not UTF-8 are damage: a
    /// lax read would give other text (cut short at the NUL, or repaired).
    func storedText(_ column: Column) throws(ColumnDamage) -> String {
        let name = column.name
        guard hasColumn(name) else { throw ColumnDamage(column: name, found: "is missing") }
        let value: DatabaseValue = self[name]
        guard case .string = value.storage else { throw ColumnDamage(column: name, found: "is \(value.storageName), not text") }
        let text = try? withUnsafeData(named: name) { data -> String? in
            guard let data, !data.contains(0) else { return nil }
            return String(validating: data, as: UTF8.self)
        }
        guard let text = text ?? nil else { throw ColumnDamage(column: name, found: "is not UTF-8 text without NUL bytes") }
        return text
    }

    /// The integer in `column`, within `range`; anything else is damage.
    func storedInteger(_ column: Column, in range: ClosedRange<Int64> = .min ... .max) throws(ColumnDamage) -> Int64 {
        let name = column.name
        guard hasColumn(name) else { throw ColumnDamage(column: name, found: "is missing") }
        let value: DatabaseValue = self[name]
        guard case .int64(let n) = value.storage else { throw ColumnDamage(column: name, found: "is \(value.storageName), not an integer") }
        guard range.contains(n) else { throw ColumnDamage(column: name, found: "is \(n), out of range") }
        return n
    }
}

extension DatabaseValue {
    /// What the value is, for a message that must not show it.
    fileprivate var storageName: String {
        switch storage {
        case .null: "NULL"
        case .int64: "an integer"
        case .double: "a real number"
        case .string: "text"
        case .blob: "a blob"
        }
    }
}

/// The columns of `objects`.
enum ObjectColumns {
    static let kind = Column("kind"), id = Column("id"), owner = Column("owner"), name = Column("name")
    static let enabled = Column("enabled"), definition = Column("definition"), hash = Column("hash")
    static let version = Column("version"), createdAt = Column("created_at"), updatedAt = Column("updated_at")
    static let sourceFile = Column("source_file"), sourceCommit = Column("source_commit")
    static let sensitivePaths = Column("sensitive_paths"), tags = Column("tags"), sourceKey = Column("source_key")

    /// `body`'s reads of an `objects` row, their damage named by the row's
    /// kind and id, or, when those are damaged, by the table.
    static func reading<T>(_ row: Row, _ body: () throws(ColumnDamage) -> T) throws -> T {
        do {
            return try body()
        } catch {
            if let kind = try? row.storedText(Self.kind), let id = try? row.storedText(Self.id) {
                throw LibraryError.damaged(kind: kind, id: id, reason: error.reason)
            }
            throw LibraryError.corrupt("an object's row: \(error.reason)")
        }
    }
}

/// What a plan reads of each of its project's rows: no definition, times
/// or source (the covering index `objects_plan` holds all of it).
struct PlannedObjectRecord: FetchableRecord, TableRecord {
    static let databaseTableName = "objects"
    typealias Columns = ObjectColumns
    static var databaseSelection: [any SQLSelectable] {
        [Columns.kind, Columns.id, Columns.enabled, Columns.hash, Columns.version, Columns.sensitivePaths, Columns.tags, Columns.sourceKey]
    }

    var kind, id: String
    var enabled: Bool
    var hash: String
    var version: Int
    var sensitivePaths, tags, sourceKey: String

    init(row: Row) throws {
        (kind, id, enabled, hash, version, sensitivePaths, tags, sourceKey) = try Columns.reading(row) { () throws(ColumnDamage) in
            (try row.storedText(Columns.kind), try row.storedText(Columns.id), try row.storedInteger(Columns.enabled, in: 0...1) == 1,
             try row.storedText(Columns.hash),
             // From 1, and below the largest integer, which an update's `version + 1` would overflow.
             Int(try row.storedInteger(Columns.version, in: 1...(Int64.max - 1))),
             try row.storedText(Columns.sensitivePaths), try row.storedText(Columns.tags), try row.storedText(Columns.sourceKey))
        }
    }

    /// The snapshot's object of `project` (what the snapshot leaves out is empty).
    func stored(project: String) throws -> StoredObject {
        StoredObject(
            kind: try StoredIntegrity.checkKey(kind: kind, id: id), id: id, owner: project, name: "", enabled: enabled,
            definitionJSON: nil, hash: hash, version: version, createdAt: "", updatedAt: "", sourceFile: "", sourceCommit: "",
            sensitivePaths: try StoredIntegrity.strings(sensitivePaths, field: "sensitive paths", kind: kind, id: id),
            tags: try StoredIntegrity.strings(tags, field: "tags", kind: kind, id: id), sourceKey: sourceKey)
    }
}

/// A whole row of `objects`: what a plan reads, and the rest.
struct ObjectRecord: FetchableRecord, TableRecord {
    static let databaseTableName = "objects"
    typealias Columns = ObjectColumns

    var planned: PlannedObjectRecord
    var owner, name, definition, createdAt, updatedAt, sourceFile, sourceCommit: String

    init(row: Row) throws {
        planned = try PlannedObjectRecord(row: row)
        (owner, name, definition, createdAt, updatedAt, sourceFile, sourceCommit) = try Columns.reading(row) { () throws(ColumnDamage) in
            (try row.storedText(Columns.owner), try row.storedText(Columns.name), try row.storedText(Columns.definition),
             try row.storedText(Columns.createdAt), try row.storedText(Columns.updatedAt),
             try row.storedText(Columns.sourceFile), try row.storedText(Columns.sourceCommit))
        }
    }

    /// The object, its definition checked against its hash.
    func stored() throws -> StoredObject {
        var object = try planned.stored(project: owner)
        try StoredIntegrity.checkDefinition(definition, hash: object.hash, kind: planned.kind, id: planned.id)
        object.name = name
        object.definitionJSON = definition
        object.createdAt = createdAt
        object.updatedAt = updatedAt
        object.sourceFile = sourceFile
        object.sourceCommit = sourceCommit
        return object
    }
}

/// A row of `revisions`.
struct RevisionRecord: FetchableRecord, TableRecord {
    static let databaseTableName = "revisions"
    enum Columns {
        static let serial = Column("serial"), appliedAt = Column("applied_at"), project = Column("project")
        static let user = Column("user"), gitCommit = Column("git_commit"), changes = Column("changes")
    }

    var serial: Int
    var appliedAt, project, user, gitCommit, changes: String

    init(row: Row) throws {
        do throws(ColumnDamage) {
            serial = Int(try row.storedInteger(Columns.serial, in: 1...Int64.max))
            (appliedAt, project, user, gitCommit, changes) = (
                try row.storedText(Columns.appliedAt), try row.storedText(Columns.project), try row.storedText(Columns.user),
                try row.storedText(Columns.gitCommit), try row.storedText(Columns.changes))
        } catch {
            let serial = (try? row.storedInteger(Columns.serial)).map { "revision \($0)" } ?? "a revision"
            throw LibraryError.corrupt("\(serial): \(error.reason)")
        }
    }

    func revision() throws -> Revision {
        Revision(serial: serial, time: appliedAt, project: project, user: user, commit: gitCommit,
                 changes: try RevisionChanges.decode(changes, serial: serial))
    }
}

/// The lock row (SPEC §7).
struct LockRecord: FetchableRecord, TableRecord {
    static let databaseTableName = "lock"
    enum Columns {
        static let slot = Column("slot"), holderID = Column("holder_id"), project = Column("project"), user = Column("user"), host = Column("host")
        static let pid = Column("pid"), since = Column("since"), operation = Column("operation")
        static let leaseExpiresMS = Column("lease_expires_ms")
    }

    var holder: LockHolder

    /// The end of 9999 in epoch milliseconds: a lease stored past it (or before 1970) is no date konnect wrote.
    static let lastMS: Int64 = 253_402_300_799_999

    /// The lock's holder, if any: more than one row, or one outside slot 1, is a damaged table.
    static func holder(_ db: Database) throws -> LockHolder? {
        let rows = try fetchAll(db)
        guard rows.count <= 1 else { throw LibraryError.damagedLock(reason: "its table holds \(rows.count) rows") }
        return rows.first?.holder
    }

    init(row: Row) throws {
        do throws(ColumnDamage) {
            _ = try row.storedInteger(Columns.slot, in: 1...1)
            holder = LockHolder(id: try row.storedText(Columns.holderID), project: try row.storedText(Columns.project),
                                user: try row.storedText(Columns.user), host: try row.storedText(Columns.host),
                                pid: Int(try row.storedInteger(Columns.pid)), since: try row.storedText(Columns.since),
                                operation: try row.storedText(Columns.operation),
                                leaseExpires: Date(timeIntervalSince1970: Double(try row.storedInteger(Columns.leaseExpiresMS, in: 0...Self.lastMS)) / 1000))
        } catch {
            throw LibraryError.damagedLock(reason: error.reason)
        }
    }
}
