import Foundation
import GRDB
import KonnectCore

// The SQLite library's rows, read by column name into complete values.
// Each converts to the core's types through `StoredIntegrity`: a row is
// untrusted input, and a damaged one is an error naming its object.

/// What a plan reads of each of its project's rows: no definition, times
/// or source (the covering index `objects_plan` holds all of it).
struct PlannedObjectRecord: FetchableRecord, TableRecord {
    static let databaseTableName = "objects"
    enum Columns {
        static let kind = Column("kind"), id = Column("id"), owner = Column("owner"), name = Column("name")
        static let enabled = Column("enabled"), definition = Column("definition"), hash = Column("hash")
        static let version = Column("version"), createdAt = Column("created_at"), updatedAt = Column("updated_at")
        static let sourceFile = Column("source_file"), sourceCommit = Column("source_commit")
        static let sensitivePaths = Column("sensitive_paths"), tags = Column("tags"), sourceKey = Column("source_key")
    }
    static var databaseSelection: [any SQLSelectable] {
        [Columns.kind, Columns.id, Columns.enabled, Columns.hash, Columns.version, Columns.sensitivePaths, Columns.tags, Columns.sourceKey]
    }

    var kind: String
    var id: String
    var enabled: Bool
    var hash: String
    var version: Int
    var sensitivePaths: String
    var tags: String
    var sourceKey: String

    init(row: Row) throws {
        kind = try row.decode(forColumn: Columns.kind)
        id = try row.decode(forColumn: Columns.id)
        enabled = try row.decode(forColumn: Columns.enabled)
        hash = try row.decode(forColumn: Columns.hash)
        version = try row.decode(forColumn: Columns.version)
        sensitivePaths = try row.decode(forColumn: Columns.sensitivePaths)
        tags = try row.decode(forColumn: Columns.tags)
        sourceKey = try row.decode(forColumn: Columns.sourceKey)
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
    typealias Columns = PlannedObjectRecord.Columns

    var planned: PlannedObjectRecord
    var owner: String
    var name: String
    var definition: String
    var createdAt: String
    var updatedAt: String
    var sourceFile: String
    var sourceCommit: String

    init(row: Row) throws {
        planned = try PlannedObjectRecord(row: row)
        owner = try row.decode(forColumn: Columns.owner)
        name = try row.decode(forColumn: Columns.name)
        definition = try row.decode(forColumn: Columns.definition)
        createdAt = try row.decode(forColumn: Columns.createdAt)
        updatedAt = try row.decode(forColumn: Columns.updatedAt)
        sourceFile = try row.decode(forColumn: Columns.sourceFile)
        sourceCommit = try row.decode(forColumn: Columns.sourceCommit)
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
    var appliedAt: String
    var project: String
    var user: String
    var gitCommit: String
    var changes: String

    init(row: Row) throws {
        serial = try row.decode(forColumn: Columns.serial)
        appliedAt = try row.decode(forColumn: Columns.appliedAt)
        project = try row.decode(forColumn: Columns.project)
        user = try row.decode(forColumn: Columns.user)
        gitCommit = try row.decode(forColumn: Columns.gitCommit)
        changes = try row.decode(forColumn: Columns.changes)
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
        static let slot = Column("slot"), holderID = Column("holder_id"), project = Column("project"), user = Column("user")
        static let host = Column("host"), pid = Column("pid"), since = Column("since"), operation = Column("operation")
        static let leaseExpiresMS = Column("lease_expires_ms")
    }

    var holder: LockHolder

    init(row: Row) throws {
        let milliseconds: Int64 = try row.decode(forColumn: Columns.leaseExpiresMS)
        holder = LockHolder(id: try row.decode(forColumn: Columns.holderID), project: try row.decode(forColumn: Columns.project),
                            user: try row.decode(forColumn: Columns.user), host: try row.decode(forColumn: Columns.host),
                            pid: try row.decode(forColumn: Columns.pid), since: try row.decode(forColumn: Columns.since),
                            operation: try row.decode(forColumn: Columns.operation),
                            leaseExpires: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
