import Foundation
import KonnectCore
@testable import KonnectLibrary
import XCTest

/// Part of the library conformance suite (run by each backend's subclass):
/// a revision records its changes' field diffs (SPEC §8), and a library
/// never stores a sensitive value, not even in its history (SPEC §7).
extension LibraryConformanceTests {
    func testARevisionRecordsEachChangesFieldDiffsWithoutSensitiveValues() throws {
        let library = try makeLibrary()
        let first = try XCTUnwrap(try apply(library, [Self.konnector("a"), Self.konnector("b")]))
        let created = try XCTUnwrap(first.changes.first { $0.id == "a" })
        XCTAssertEqual(created.diff.map(\.path), ["enabled", "id", "name", "steps.notify.with.channel", "steps.notify.with.url"], "an empty tag list is not listed in a create")
        XCTAssertTrue(created.diff.allSatisfy { $0.before == nil }, "a create has only `after` values")
        XCTAssertEqual(created.diff.first { $0.path == "steps.notify.with.url" },
                       FieldDiff(path: "steps.notify.with.url", before: nil, after: .string("(sensitive)"), sensitive: true))

        let second = try XCTUnwrap(try apply(library, [Self.konnector("a2", channel: "#eu", renamedFrom: "a")]))
        XCTAssertEqual(second.changes.map(\.action), ["rename", "delete"])
        XCTAssertEqual(second.changes[0].diff, [
            FieldDiff(path: "id", before: .string("a"), after: .string("a2"), sensitive: false),
            FieldDiff(path: "name", before: .string("K a"), after: .string("K a2"), sensitive: false),
            FieldDiff(path: "steps.notify.with.channel", before: .string("#sales"), after: .string("#eu"), sensitive: false),
        ])
        XCTAssertEqual(second.changes[1].diff, [], "a delete records no fields")

        // Read back exactly as apply returned it, on every backend.
        XCTAssertEqual(try library.history(project: "team-a", id: nil), [second, first])
        let stored = RevisionChanges.encode(try library.history(project: "team-a", id: nil).flatMap(\.changes))
        XCTAssertFalse(stored.contains("https://x.example"), "the sensitive value is in no revision: \(stored)")
    }
}
