import Foundation
import XCTest

/// The fixture set has one copy of each shared schema, and `FixtureProject`
/// assembles projects from it as they were when each held its own copies.
final class FixtureProjectTests: XCTestCase {
    let files = FileManager.default

    func testACopyHoldsTheSharedSchemasItListsAndNotTheList() throws {
        let project = try FixtureProject.copy("clean", for: self)
        XCTAssertFalse(files.fileExists(atPath: project.appendingPathComponent(FixtureProject.manifestName).path))
        let schemas = try files.contentsOfDirectory(atPath: project.appendingPathComponent("schemas").path).sorted()
        XCTAssertEqual(schemas, ["mailchimp.yaml", "shopify.yaml", "slack.yaml"])
        for name in schemas {
            XCTAssertEqual(files.contents(atPath: project.appendingPathComponent("schemas/\(name)").path),
                           files.contents(atPath: FixtureProject.sharedSchemas.appendingPathComponent(name).path), name)
        }
    }

    func testNestedProjectsGetTheirSchemasAndKeepTheirOwn() throws {
        let root = try FixtureProject.copy("owned-elsewhere", in: "codes", for: self)
        for project in ["alpha", "beta"] {
            XCTAssertTrue(files.fileExists(atPath: root.appendingPathComponent("\(project)/schemas/webhook.yaml").path), project)
        }
        let mixed = try FixtureProject.copy("invalid-schema", in: "codes", for: self)
        XCTAssertEqual(try files.contentsOfDirectory(atPath: mixed.appendingPathComponent("schemas").path).sorted(),
                       ["crm.yaml", "helpdesk.yaml", "webhook.yaml"])
    }

    /// Every list names a shared schema, and no fixture of these groups keeps a copy of one.
    func testNoFixtureCopiesASharedSchema() throws {
        let shared = try files.contentsOfDirectory(atPath: FixtureProject.sharedSchemas.path).filter { $0.hasSuffix(".yaml") }
        let sharedBytes = Set(shared.compactMap { files.contents(atPath: FixtureProject.sharedSchemas.appendingPathComponent($0).path) })
        XCTAssertEqual(sharedBytes.count, shared.count)
        var lists = 0
        let groups = ["codes", "plan", "projects", "simulate"]
        let paths = groups.flatMap { group in
            (files.enumerator(atPath: FixtureProject.fixtures.appendingPathComponent(group).path)?.compactMap { $0 as? String } ?? [])
                .map { "\(group)/\($0)" }
        }
        for path in paths {
            let url = FixtureProject.fixtures.appendingPathComponent(path)
            if url.lastPathComponent == FixtureProject.manifestName {
                lists += 1
                for app in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
                    XCTAssertTrue(shared.contains("\(app).yaml"), "\(path) names \(app), which is not in Tests/Fixtures/schemas")
                }
            } else if url.deletingLastPathComponent().lastPathComponent == "schemas", let bytes = files.contents(atPath: url.path) {
                XCTAssertFalse(sharedBytes.contains(bytes), "\(path) is a copy of a shared schema: list it in \(FixtureProject.manifestName) instead")
            }
        }
        XCTAssertGreaterThan(lists, 25)
    }

    func testABulkProjectHasItsKonnectorsAndValidates() throws {
        let project = try FixtureProject.bulk("bulk", count: 150, prefix: "k", for: self)
        let result = try validateJSON(project, exit: 0)
        let summary = try XCTUnwrap(try result.json()["summary"] as? [String: Any])
        XCTAssertEqual(summary["konnectors"] as? Int, 150)
        XCTAssertEqual(summary["files"] as? Int, 3, "two konnector files and the webhook schema")
    }
}
