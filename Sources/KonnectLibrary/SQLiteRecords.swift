import Foundation
import GRDB
import KonnectCore

// The SQLite library's rows, read by column name into complete values.
// Each converts to the core's types through `StoredIntegrity`: a row is
// untrusted input, and a damaged one is an error naming its object.

/// What a plan reads of each of its project's rows: no definition, times
/// or source (the covering index `objects_plan` holds all of it).
struct PlannedObjectRecord: FetchableRecord, TableRecord, Decodable {
    static let databaseTableName = "objects"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
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

    var kind, id: String
    var enabled: Bool
    var hash: String
    var version: Int
    var sensitivePaths, tags, sourceKey: String

    /// The snapshot's object of `project` (what the snapshot leaves out is empty).
    func stored(project: String) throws -> StoredObject {
        StoredObject(
            kind: try StoredIntegrity.checkKey(kind: kind, id: id), id: id, owner: project, name: "", enabled: enabled,
            definitionJSON: nil, hash: hash, version: version, createdAt: "", updatedAt: "", sourceFile: "", sourceCommit: "",
            sensitivePaths: try StoredIntegrity.strings(sensitivePaths, field: "sensitive paths", kind: kind, id: id),
            tags: try StoredIntegrity.strings(tags, field: "tags", kind: kind, id: id), sourceKey: sourceKey)
    }
}

/// A whole row of `objects`: what a plan reads (decoded from the same row), and the rest.
struct ObjectRecord: FetchableRecord, TableRecord, Decodable {
    static let databaseTableName = "objects"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    typealias Columns = PlannedObjectRecord.Columns

    var planned: PlannedObjectRecord
    var owner, name, definition, createdAt, updatedAt, sourceFile, sourceCommit: String

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
struct RevisionRecord: FetchableRecord, TableRecord, Decodable {
    static let databaseTableName = "revisions"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    enum Columns {
        static let serial = Column("serial"), project = Column("project")
    }

    var serial: Int
    var appliedAt, project, user, gitCommit, changes: String

    func revision() throws -> Revision {
        Revision(serial: serial, time: appliedAt, project: project, user: user, commit: gitCommit,
                 changes: try RevisionChanges.decode(changes, serial: serial))
    }
}

/// The lock row (SPEC §7).
struct LockRecord: FetchableRecord, TableRecord, Decodable {
    static let databaseTableName = "lock"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    var holderId, project, user, host: String
    var pid: Int
    var since, operation: String
    var leaseExpiresMs: Int64

    var holder: LockHolder {
        LockHolder(id: holderId, project: project, user: user, host: host, pid: pid, since: since, operation: operation,
                   leaseExpires: Date(timeIntervalSince1970: Double(leaseExpiresMs) / 1000))
    }
}
