import Foundation
import KonnectCore
import KonnectLibrary
import XCTest

/// `PlanPipeline` reads a library through `LibraryPlanReader`: a snapshot
/// read ahead is planned against only while the library's serial stands.
final class LibraryPlanReaderTests: XCTestCase, LibraryTesting {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("konnect-plan-reader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    func testAPlanUsesAReadAheadSnapshotOnlyWhileTheSerialStands() throws {
        let backend = try LibraryRegistry.backend(for: "sqlite:library.db", relativeTo: directory.path)
        let library = try backend.openCreating()
        try apply(library, [Self.konnector("a1")])
        let pipeline = PlanPipeline(project: "team-a")

        // Read ahead, then another apply lands: the plan is made against the library as it is now.
        let stale = SnapshotPrefetch(backend: backend, project: "team-a")
        stale.wait()
        try apply(library, [Self.konnector("a1"), Self.konnector("a2")])
        let planned = try pipeline.plan([Self.konnector("a1"), Self.konnector("a2")], library: LibraryPlanReader(library, prefetched: stale))
        XCTAssertEqual(planned.snapshot.serial, 2)
        XCTAssertTrue(planned.plan.isEmpty, "\(planned.plan.changes.map { "\($0.action) \($0.id)" })")

        // Read ahead while the serial stands: planned against it, definitions read for what changed.
        let current = SnapshotPrefetch(backend: backend, project: "team-a")
        current.wait()
        let edited = try pipeline.plan([Self.konnector("a1", channel: "#eu")], library: LibraryPlanReader(library, prefetched: current))
        XCTAssertEqual(edited.plan.serial, 2)
        XCTAssertEqual(edited.plan.changes.map { "\($0.action) \($0.id)" }, ["update a1", "delete a2"])
        XCTAssertEqual(edited.plan.changes.first?.diff.map(\.path).contains { $0.hasSuffix("channel") }, true)
    }
}
