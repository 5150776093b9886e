import Foundation
@testable import KonnectCore
import XCTest

/// A created or changed schedule's next 3 run times are in every view of the
/// plan a reviewer reads (SPEC §2.1, §12): text, markdown and JSON.
final class PlanScheduleViewsTests: XCTestCase {
    typealias P = PlannerTests

    func plan() throws -> Plan {
        let repo = P.objects(["konnectors/digest.yaml": """
        konnector: digest
        name: Digest
        trigger:
          schedule: { cron: "0 9 * * MON-FRI", timezone: Europe/Berlin }
        steps:
          - { id: post, app: slack, action: send_message, connection: slack-ops, with: { channel: "#ops", text: digest } }

        """])
        return P.plan(repo, against: P.snapshot([], serial: 1))
    }

    // Thursday 26 March 2026, 10:00 in Berlin; summer time starts on Sunday 29 March.
    let now = 1_774_515_600.0

    func testTheMarkdownAndJSONPlansShowTheNextRuns() throws {
        let plan = try plan()
        XCTAssertTrue(plan.changes.contains { $0.id == "digest" && $0.action == .create })
        let markdown = PlanMarkdownView(now: now).render(plan)
        XCTAssertTrue(markdown.contains("next runs: 2026-03-27 09:00 +01:00 (Europe/Berlin), 2026-03-30 09:00 +02:00 (Europe/Berlin), 2026-03-31 09:00 +02:00 (Europe/Berlin)"), markdown)
        let json = try JSONParser.parse(PlanJSONView(now: now).render(plan))
        let change = try XCTUnwrap(json["changes"]?.arrayValue?.first { $0["id"] == .string("digest") })
        XCTAssertEqual(change["next_runs"], .array(["2026-03-27T09:00:00+01:00", "2026-03-30T09:00:00+02:00", "2026-03-31T09:00:00+02:00"].map(JSONValue.string)))
        let saved = try JSONParser.parse(PlanJSONView(includeObjects: true, now: now).render(plan))
        XCTAssertNil(saved["changes"]?.arrayValue?.first { $0["id"] == .string("digest") }?["next_runs"], "a saved plan holds no clock")
        XCTAssertFalse(PlanMarkdownView(now: now).render(plan).components(separatedBy: "next runs").count > 2, "only the scheduled konnector")
    }
}
