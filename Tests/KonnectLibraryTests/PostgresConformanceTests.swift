import Foundation
import KonnectCore
@testable import KonnectLibrary
import PostgresNIO
import XCTest

/// The library conformance suite on the PostgreSQL backend, against the
/// test server: each library of a test is a schema of its own, dropped after.
final class PostgresConformanceTests: LibraryConformanceTests {
    /// This test's schema for each library name.
    var schemas: [String: String] = [:]

    override func setUpWithError() throws {
        try super.setUpWithError()
        _ = try PostgresTestServer.url()
    }

    override func tearDownWithError() throws {
        for schema in schemas.values { PostgresTestServer.drop(schema) }
        schemas = [:]
        try super.tearDownWithError()
    }

    func schema(_ name: String) -> String {
        if let schema = schemas[name] { return schema }
        let schema = PostgresTestServer.freshSchema("c")
        schemas[name] = schema
        return schema
    }

    override func makeBackend(name: String) throws -> any LibraryBackend {
        // Through the registry, as the CLI opens it (wrapped to mask the URL's password in errors).
        try LibraryRegistry.backend(for: PostgresTestServer.url(schema: schema(name)), relativeTo: "/nonexistent")
    }

    override func traces(of name: String) throws -> [String] {
        let admin = try PostgresTestServer.admin()
        defer { admin.close() }
        let schema = schema(name)
        return try admin.withConnection { db in
            try db.query("""
                SELECT nspname FROM pg_namespace WHERE nspname = \(schema)
                UNION ALL SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname = \(schema)
                """).map { try $0.decode(String.self) }
        }
    }

    override func tamper(library name: String, kind: ObjectKind, id: String, definition: String, hash: String?) throws {
        let admin = try PostgresTestServer.admin()
        defer { admin.close() }
        let changed = try admin.withConnection { db in
            try db.query("""
                UPDATE \(unescaped: "\"\(schema(name))\"").objects SET definition = \(definition), hash = COALESCE(\(hash), hash)
                WHERE kind = \(kind.rawValue) AND id = \(id)
                """).metadata.rows
        }
        XCTAssertEqual(changed, 1)
    }

    /// A library is its schema and its tables, nothing else of the database.
    /// (Also: SwiftPM finds a suite's inherited tests only in a class that declares one.)
    func testALibraryIsOneSchemaWithItsTables() throws {
        _ = try makeLibrary(name: "one")
        let traces = try traces(of: "one")
        XCTAssertEqual(traces.first, schema("one"))
        XCTAssertEqual(Set(traces.dropFirst()), Set(["lock", "meta", "migrations", "objects", "revision_objects", "revisions"]
                                                     .map { "\(schema("one")).\($0)" }))
        XCTAssertEqual(try self.traces(of: "other"), [])
    }

    override func recordNewerVersion(library name: String) throws {
        let admin = try PostgresTestServer.admin()
        defer { admin.close() }
        try admin.run("""
            INSERT INTO \(unescaped: "\"\(schema(name))\"").migrations (version, name)
            VALUES (\(PostgresLibrary.schemaVersion + 1), 'from a newer konnect')
            """)
    }
}
