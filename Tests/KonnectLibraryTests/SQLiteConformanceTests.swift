import Foundation
import GRDB
import KonnectCore
@testable import KonnectLibrary
import XCTest

/// The library conformance suite on the SQLite backend: each library is a
/// file in a folder of its own under a temporary directory.
final class SQLiteConformanceTests: LibraryConformanceTests {
    var directory: URL!

    override func setUpWithError() throws {
        try super.setUpWithError()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("konnect-conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
        try super.tearDownWithError()
    }

    func path(_ name: String) -> String { directory.appendingPathComponent("\(name)/library.db").path }

    override func makeBackend(name: String) throws -> any LibraryBackend {
        try XCTUnwrap(try LibraryRegistry.backend(for: "sqlite:\(name)/library.db", relativeTo: directory.path) as? SQLiteBackend)
    }

    override func traces(of name: String) throws -> [String] {
        let folder = directory.appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: folder) else { return [] }
        return [folder] + (try FileManager.default.contentsOfDirectory(atPath: folder))
    }

    override func tamper(library name: String, kind: ObjectKind, id: String, definition: String, hash: String?) throws {
        let queue = try DatabaseQueue(path: path(name))
        try queue.write { db in
            try db.execute(sql: "UPDATE objects SET definition = ?, hash = COALESCE(?, hash) WHERE kind = ? AND id = ?",
                           arguments: [definition, hash, kind.rawValue, id])
            XCTAssertEqual(db.changesCount, 1)
        }
        try queue.close()
    }

    override func recordNewerVersion(library name: String) throws {
        let queue = try DatabaseQueue(path: path(name))
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9: from a newer konnect')") }
        try queue.close()
    }

    /// The in-memory library (for unit tests of other layers) behaves as a file does.
    func testAnInMemoryLibraryAppliesAndReads() throws {
        let library = try SQLiteLibrary.inMemory()
        try apply(library, [Self.konnector("a")])
        XCTAssertEqual(try summary(library), ["konnector a v1 on"])
        XCTAssertNotEqual(try SQLiteLibrary.inMemory().version().lineage, try library.version().lineage)
    }
}
