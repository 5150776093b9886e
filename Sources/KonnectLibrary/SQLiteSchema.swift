import Foundation
import GRDB

/// The SQLite library's tables and their versioned migrations. The applied
/// migrations are listed in `grdb_migrations` (as GRDB's migrator wrote
/// them, so libraries made before this file stay readable); the library
/// version is their count.
enum SQLiteSchema {
    struct Migration: Sendable {
        var identifier: String
        var run: @Sendable (Database) throws -> Void
    }

    static let migrations: [Migration] = [
        Migration(identifier: "v1") { db in
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
        },
        Migration(identifier: "v2: tags column") { db in
            // Lets plan read tags (for --target tag:) without loading definitions.
            try db.execute(sql: """
                ALTER TABLE objects ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
                UPDATE objects SET tags = COALESCE(json_extract(definition, '$.tags'), '[]');
                """)
        },
        Migration(identifier: "v3: source_key column") { db in
            // The compile key an object was applied from, so plan can skip compiling unchanged konnectors.
            try db.execute(sql: "ALTER TABLE objects ADD COLUMN source_key TEXT NOT NULL DEFAULT ''")
        },
        Migration(identifier: "v4: covering index for plans") { db in
            // A plan reads every row of its project and the owners of the rest; with
            // this index it never touches the table's pages, where the definitions are.
            try db.execute(sql: """
                CREATE INDEX objects_plan ON objects (owner, kind, id, hash, version, enabled, source_key, tags, sensitive_paths);
                DROP INDEX objects_owner;
                """)
        },
        Migration(identifier: "v5: lock with a lease") { db in
            // The lock row of SPEC §7, as every backend keeps it. A lock of an older
            // konnect cannot be held across this migration: it ran inside an apply's lock.
            try db.execute(sql: """
                DROP TABLE lock;
                CREATE TABLE lock (
                    slot INTEGER PRIMARY KEY CHECK (slot = 1),
                    holder_id TEXT NOT NULL, project TEXT NOT NULL, user TEXT NOT NULL, host TEXT NOT NULL,
                    pid INTEGER NOT NULL, since TEXT NOT NULL, operation TEXT NOT NULL,
                    lease_expires_ms INTEGER NOT NULL);
                """)
        },
    ]

    static var current: Int { migrations.count }
    /// The oldest version read-only commands read without migrating (which
    /// only `apply` does): version 5 changed only the lock, which they do
    /// not take, so a `plan` after upgrading konnect needs no apply first.
    static let readable = 4

    enum State: Equatable {
        /// No tables at all: a new (or empty) file.
        case absent
        case at(Int)
        /// Applied migrations this konnect does not know.
        case newer(Int)
    }

    /// How far the library in `db` is migrated.
    static func state(_ db: Database) throws -> State {
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        if tables.isEmpty { return .absent }
        guard tables.contains("grdb_migrations") else {
            throw LibraryError.corrupt("it holds tables but no library version: it is not a konnect library")
        }
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        let known = migrations.map(\.identifier)
        let unknown = applied.filter { !known.contains($0) }
        if !unknown.isEmpty {
            // Identifiers read `vN: what`; the highest N names the newer version.
            let numbered = unknown.compactMap { id -> Int? in
                guard id.hasPrefix("v") else { return nil }
                return Int(id.dropFirst().prefix { $0.isNumber })
            }
            return .newer(max(numbered.max() ?? 0, applied.count, current + 1))
        }
        let done = known.prefix { applied.contains($0) }.count
        guard done == applied.count else { throw LibraryError.corrupt("its migrations were applied out of order") }
        return .at(done)
    }

    /// Migrates the library in `db` to the current version, in one write
    /// transaction that reads the version first: of two processes creating
    /// the same library, the second finds it created and does nothing.
    /// Throws `newer` for a library this konnect cannot know.
    static func migrate(_ db: Database, url: String, upTo target: Int = current) throws {
        // Read first, outside any transaction: a library that needs nothing is
        // not written to, so opening it never waits for another apply's write.
        switch try state(db) {
        case .at(let version) where version >= target: return
        case .newer(let version): throw LibraryError.newer(url: url, version: version, known: current)
        default: break
        }
        try db.inTransaction(.immediate) {
            let version: Int
            switch try state(db) {
            case .absent: version = 0
            case .at(let v): version = v
            case .newer(let v): throw LibraryError.newer(url: url, version: v, known: current)
            }
            guard version < target else { return .commit }
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            for migration in migrations[version..<target] {
                try migration.run(db)
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [migration.identifier])
            }
            return .commit
        }
    }
}
