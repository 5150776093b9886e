import Foundation
import XCTest

/// Schedules and typed webhook payloads (SPEC §2.1) through the binary:
/// `Tests/Fixtures/flow-schedule/clean` validates, tests and plans; each
/// file of `flow-schedule/invalid/`, added to it alone, gives its code at its token.
final class ScheduleEndToEndTests: XCTestCase {
    func project() throws -> URL { try FixtureProject.copy("clean", in: "flow-schedule", for: self) }

    func testCleanProjectValidates() throws {
        let result = try konnect(["validate"], in: try project())
        assertExit(result, 0)
        XCTAssertTrue(result.err.contains("0 errors, 0 warnings"), result.err)
    }

    func testCasesRunWithTheDefaultEventAndTheTypedBody() throws {
        // Friday 27 March 2026, 11:00 in Berlin: the next weekday run is Monday 30 March, 09:00.
        let result = try konnect(["test", "--now", "2026-03-27T10:00:00Z"], in: try project())
        assertExit(result, 0)
        XCTAssertTrue(result.out.contains("4 passed, 0 failed"), result.out + result.err)
    }

    func testRunFailsOnABodyThatDoesNotMatchThePayload() throws {
        let dir = try project()
        try write(#"{"method": "POST", "path": "/h", "query": {}, "headers": {}, "body": {"email": "a@example.com", "plan": "gold"}, "received_at": "2026-01-05T10:00:00Z"}"#,
                  to: dir.appendingPathComponent("event.json"))
        let result = try konnect(["run", "typed-signup", "--event", "event.json"], in: dir)
        assertExit(result, 1)
        XCTAssertTrue((result.out + result.err).contains("plan"), result.out + result.err)
    }

    func testPlanShowsTheNextThreeRunsOfACreatedSchedule() throws {
        let result = try konnect(["plan"], in: try project())
        assertExit(result, 0)
        // The plan's clock is the current time: three 09:00 weekday runs in Berlin, whatever today is.
        let note = try XCTUnwrap(result.out.split(separator: "\n").first { $0.contains("next runs:") }, result.out)
        XCTAssertEqual(note.components(separatedBy: " 09:00 +0").count - 1, 3, String(note))
        XCTAssertEqual(note.components(separatedBy: "(Europe/Berlin)").count - 1, 3, String(note))
        XCTAssertEqual(result.out.components(separatedBy: "next runs:").count - 1, 1, "only the scheduled konnector has a note")
    }

    func testCosmeticCronEditPlansNoChange() throws {
        let dir = try project()
        assertExit(try konnect(["apply", "--auto-approve"], in: dir), 0)
        let file = dir.appendingPathComponent("konnectors/weekday-digest.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try write(text.replacingOccurrences(of: "\"0  9 * * MON-FRI\"", with: "'0 9 *   * MON-FRI'"), to: file)
        let result = try konnect(["plan"], in: dir)
        assertExit(result, 0)
        XCTAssertTrue(result.out.contains("No changes."), result.out)
    }

    /// Each invalid file: the diagnostics `code@line:column-end_column` it must give, and nothing else.
    static let invalid: [String: [String]] = [
        "cron-out-of-range.yaml": ["invalid-value@4:24-26"],
        "cron-unknown-name.yaml": ["invalid-value@5:23-26"],
        "cron-never-fires.yaml": ["invalid-value@4:26-28"],
        "cron-field-count.yaml": ["invalid-value@4:22-29"],
        "unknown-zone.yaml": ["invalid-value@6:15-27"],
        "schedule-and-app.yaml": ["unknown-field@5:3-6"],
        "schedule-without-cron.yaml": ["missing-field@4:15-23"],
        "scheduled-at-typo.yaml": ["unknown-reference@6:116-125"],
        "payload-bad-type.yaml": ["invalid-value@6:21-26"],
        "payload-unknown-field-use.yaml": ["unknown-reference@8:121-125"],
        "payload-wrong-type-use.yaml": ["type-mismatch@7:7-35"],
        "payload-without-schema-payload.yaml": ["unknown-field@8:3-10"],
        "payload-test-event.test.yaml": ["type-mismatch@5:22-26"],
    ]

    func testEachInvalidFileGivesItsCodeAtItsToken() throws {
        let invalidFolder = FixtureProject.fixtures.appendingPathComponent("flow-schedule/invalid")
        let names = try FileManager.default.contentsOfDirectory(atPath: invalidFolder.path).sorted()
        XCTAssertEqual(names, Self.invalid.keys.sorted(), "every invalid file has its expectation")
        for name in names {
            let dir = try project()
            try FileManager.default.copyItem(at: invalidFolder.appendingPathComponent(name),
                                             to: dir.appendingPathComponent("konnectors/\(name)"))
            let result = try konnect(["validate", "--format", "json"], in: dir)
            assertExit(result, 1)
            let diagnostics = try XCTUnwrap(result.json()["diagnostics"] as? [[String: Any]])
            let found = diagnostics.map { d in
                "\(d["code"] ?? "?")@\(d["line"] ?? "?"):\(d["column"] ?? "?")-\(d["end_column"] ?? "?")"
            }
            XCTAssertEqual(found, Self.invalid[name], "\(name): \(result.out)")
            for d in diagnostics { XCTAssertEqual(d["file"] as? String, "konnectors/\(name)", name) }
            try FileManager.default.removeItem(at: dir)
        }
    }
}
