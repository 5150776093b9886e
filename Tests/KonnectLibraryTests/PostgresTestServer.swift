import Foundation
import KonnectCore
@testable import KonnectLibrary
import PostgresNIO
import XCTest

/// The PostgreSQL server the tests run against: the one `make test` starts
/// with `scripts/pg-test-server` and names in `KONNECT_TEST_POSTGRES_URL`.
/// Without it the tests fail under CI (CI=true) and are skipped, loudly,
/// elsewhere: a PostgreSQL test never passes without a server.
enum PostgresTestServer {
    static let variable = "KONNECT_TEST_POSTGRES_URL"

    /// The server's URL (with its password), or a failure / skip.
    static func url(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let env = ProcessInfo.processInfo.environment
        if let url = env[variable], !url.isEmpty { return url }
        let message = "\(variable) is not set: the PostgreSQL library tests need a server "
            + "(`make test` starts one with scripts/pg-test-server; or run `make pg-test-server` and export what it prints)"
        if env["CI"] == "true" {
            XCTFail(message, file: file, line: line)
            throw XCTSkip("failed above")
        }
        FileHandle.standardError.write(Data("warning: SKIPPING: \(message)\n".utf8))
        throw XCTSkip(message)
    }

    /// The server's URL for a library in `schema`, with `parameters` added.
    static func url(schema: String, _ parameters: String = "", file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let base = try url(file: file, line: line)
        return base + (base.contains("?") ? "&" : "?") + "schema=\(schema)" + (parameters.isEmpty ? "" : "&" + parameters)
    }

    /// A new schema name, so that tests never share a library.
    static func freshSchema(_ label: String = "t") -> String {
        "\(label)_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16))"
    }

    /// A connection to the server for the tests' own SQL (inspecting,
    /// tampering, locking tables, terminating backends).
    static func admin(file: StaticString = #filePath, line: UInt = #line) throws -> PostgresConnector {
        PostgresConnector(url: try PostgresURL(url(file: file, line: line) + "?sslmode=disable"))
    }

    /// Drops the schema of a test's library.
    static func drop(_ schema: String) {
        guard let admin = try? admin() else { return }
        _ = try? admin.withConnection { try $0.query("DROP SCHEMA IF EXISTS \(unescaped: "\"\(schema)\"") CASCADE") }
        admin.close()
    }

    /// The folder of the server's socket, where `scripts/pg-test-server` also keeps its certificate.
    static func directory() throws -> String {
        let admin = try admin()
        defer { admin.close() }
        return try admin.withConnection { db in
            try XCTUnwrap(db.query("SHOW unix_socket_directories").first).decode(String.self)
        }
    }
}

extension PostgresConnector {
    /// The first column of the first row of `sql` (tests only).
    func value<T: PostgresDecodable>(_ sql: PostgresQuery, as: T.Type = T.self) throws -> T? {
        try withConnection { try $0.query(sql).first?.decode(T.self) }
    }

    /// Runs statements (tests only).
    func run(_ sql: PostgresQuery) throws {
        _ = try withConnection { try $0.query(sql) }
    }
}
