import Foundation
import XCTest

/// Repeat variables, retries and simulated failures (SPEC §2.1, §9) through
/// the binary: `Tests/Fixtures/flow-retry/clean` (a repeat over the order's
/// lines with `as:` and `max:`, and a step with `retry:`) tests and runs.
final class FlowRetryEndToEndTests: XCTestCase {
    private let now = ["--now", "2026-01-05T10:00:00Z"]

    func project() throws -> URL { try FixtureProject.copy("clean", in: "flow-retry", for: self) }

    func testCasesWithFailAndAttemptsPass() throws {
        let result = try konnect(["test"] + now, in: try project())
        assertExit(result, 0)
        XCTAssertTrue(result.out.contains("3 passed, 0 failed"), result.out + result.err)
    }

    func testAFailingCaseShowsTheTraceWithIterationsAndAttempts() throws {
        let dir = try project()
        try write("""
        tests: order-lines
        cases:
          - name: wrong count
            fail: { summary: always }
            expect: { attempts: { summary: 2 } }

        """, to: dir.appendingPathComponent("konnectors/wrong.test.yaml"))
        let result = try konnect(["test", "order-lines"] + now, in: dir)
        assertExit(result, 1)
        XCTAssertTrue(result.out.contains("expect.attempts.summary: expected 2, got 3"), result.out)
        XCTAssertTrue(result.out.contains("       each-line[0] › post-line (slack.send_message): ran\n"), result.out)
        XCTAssertTrue(result.out.contains("       summary (slack.send_message): failed after 3 of 3 attempts — simulated failure (attempt 3 of 3)\n"), result.out)

        let json = try konnect(["test", "order-lines", "--format", "json"] + now, in: dir)
        let cases = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])?["cases"] as? [[String: Any]])
        let wrong = try XCTUnwrap(cases.first { $0["name"] as? String == "wrong count" })
        let trace = try XCTUnwrap(wrong["trace"] as? [[String: Any]])
        let summary = try XCTUnwrap(trace.last?["attempts"] as? [[String: Any]])
        XCTAssertEqual(summary.map { $0["wait"] as? String }, ["5m", "5m", nil])
        XCTAssertNil(cases.first { $0["name"] as? String == "one message per line, numbered" }?["trace"], "a passing case has no trace")
    }

    func testRunShowsEachIterationAndEachAttempt() throws {
        let result = try konnect(["run", "order-lines", "--sample"] + now, in: try project())
        assertExit(result, 0)
        XCTAssertTrue(result.out.contains("""

        step each-line (repeat): ran
          output: {"count":1}

        each-line: iteration 1 of 1 (loop.index 0)

        step post-line (slack.send_message): ran
        """), result.out)
        XCTAssertTrue(result.out.contains(#"    text: "1/1: 2 x TEE-1""#), result.out)
        XCTAssertTrue(result.out.contains("""
        step summary (slack.send_message): ran
          attempt 1 of 3 at 2026-01-05T10:00:00Z: ok
        """), result.out)

        let json = try konnect(["run", "order-lines", "--sample", "--format", "json"] + now, in: try project())
        assertExit(json, 0)
        let steps = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])?["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.map { $0["id"] as? String }, ["each-line", "post-line", "summary"])
        let iteration = try XCTUnwrap(steps[1]["iteration"] as? [[String: Any]])
        XCTAssertEqual(iteration.first?["repeat"] as? String, "each-line")
        XCTAssertEqual(iteration.first?["index"] as? Int, 0)
        XCTAssertEqual(iteration.first?["count"] as? Int, 1)
        XCTAssertNil(steps[0]["attempts"], "a step without retry: lists no attempts")
        XCTAssertEqual((steps[2]["attempts"] as? [[String: Any]])?.count, 1)
    }
}
