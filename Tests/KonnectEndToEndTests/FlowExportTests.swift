import Foundation
import XCTest

/// The flow forms of SPEC §2.1 through the library commands (SPEC §10):
/// `Tests/Fixtures/flow-export/project` (paths, repeats, delays, retry, `if:`
/// on every kind, a schedule, a typed payload) is applied to a temporary
/// SQLite library, exported, and the exported folder validates and plans to
/// no changes; `show` lists a scheduled konnector's next 5 runs.
final class FlowExportTests: XCTestCase {
    typealias S = PlanApplySupport

    func applied() throws -> URL {
        let project = try FixtureProject.copy("project", in: "flow-export", for: self)
        assertExit(try konnect(["apply", "--auto-approve"], in: project), 0)
        return project
    }

    func testEveryFlowFormExportsToFilesThatValidateAndPlanToNoChanges() throws {
        let project = try applied()
        let (copy, out, export) = try exportToSibling(of: project, owner: "flow-export")
        XCTAssertEqual(export.out, "Exported 7 objects to \(out.path)\n")
        let digest = try String(contentsOf: out.appendingPathComponent("konnectors/weekday-digest.yaml"), encoding: .utf8)
        XCTAssertTrue(digest.contains("trigger:\n  schedule:\n    cron: \"0 9 * * MON-FRI\"\n    timezone: \"Europe/Berlin\"\n"), digest)
        XCTAssertFalse(digest.contains("app: null"), digest)

        let validate = try konnect(["validate"], in: copy)
        assertExit(validate, 0)
        XCTAssertTrue(validate.err.contains("0 errors, 0 warnings"), validate.err)
        let plan = try konnect(["plan", "--detailed-exitcode", "--library", S.defaultLibrary(project)], in: copy)
        assertExit(plan, 0)
        XCTAssertEqual(plan.out, "No changes. The library matches the configuration.\n")
    }

    /// One object is "1 object" (issue 21).
    func testExportingOneObjectSaysSo() throws {
        let project = try applied()
        let export = try konnect(["export", "typed-signup", "--out", "out"], in: project)
        assertExit(export, 0)
        XCTAssertEqual(export.out, "Exported 1 object to out\n")
        let text = try String(contentsOf: project.appendingPathComponent("out/konnectors/typed-signup.yaml"), encoding: .utf8)
        XCTAssertTrue(text.contains("  payload:\n    company:\n      name: \"string\"\n      size: \"integer?\"\n"), text)
    }

    func testShowListsAScheduledKonnectorsNextFiveRuns() throws {
        let project = try applied()
        // Thursday 26 March 2026, 10:00 in Berlin; summer time starts on Sunday 29 March.
        let text = try konnect(["show", "weekday-digest", "--now", "2026-03-26T09:00:00Z"], in: project)
        assertExit(text, 0)
        XCTAssertTrue(text.out.contains("""
            next     2026-03-27 09:00 +01:00 (Europe/Berlin)
                     2026-03-30 09:00 +02:00 (Europe/Berlin)
                     2026-03-31 09:00 +02:00 (Europe/Berlin)
                     2026-04-01 09:00 +02:00 (Europe/Berlin)
                     2026-04-02 09:00 +02:00 (Europe/Berlin)

            """), text.out)

        let json = try konnect(["show", "weekday-digest", "--now", "2026-03-26T09:00:00Z", "--format", "json"], in: project).json()
        XCTAssertEqual(json["next_runs"] as? [String], ["2026-03-27T09:00:00+01:00", "2026-03-30T09:00:00+02:00", "2026-03-31T09:00:00+02:00",
                                                        "2026-04-01T09:00:00+02:00", "2026-04-02T09:00:00+02:00"])

        // Without --now: the current time; five weekday 09:00 runs all the same.
        let now = try konnect(["show", "weekday-digest", "--format", "json"], in: project).json()
        let runs = try XCTUnwrap(now["next_runs"] as? [String])
        XCTAssertEqual(runs.count, 5)
        XCTAssertTrue(runs.allSatisfy { $0.contains("T09:00:00+0") }, "\(runs)")

        let other = try konnect(["show", "order-flow", "--format", "json"], in: project).json()
        XCTAssertNil(other["next_runs"])
        XCTAssertFalse(try konnect(["show", "order-flow"], in: project).out.contains("next "))
    }

    func testShowPrintsTheSourceRelativeToTheCurrentDirectory() throws {
        let project = try applied()
        let fromProject = try konnect(["show", "order-flow", "--format", "json"], in: project).json()
        let file = try XCTUnwrap((fromProject["source"] as? [String: Any])?["file"] as? String)
        XCTAssertTrue(file.hasPrefix("konnectors/"), file)
        // From inside konnectors/, the same file without that folder (SPEC §6).
        let inside = try konnect(["show", "order-flow", "--format", "json"], in: project.appendingPathComponent("konnectors")).json()
        XCTAssertEqual((inside["source"] as? [String: Any])?["file"] as? String, String(file.dropFirst("konnectors/".count)))
    }
}
