// SPEC §2.1 `retry:` and §9 "Simulated failures": attempts, waits on the
// run's clock, `on_error:` after the last attempt, and a test case's `fail:`,
// `expect.failed` and `expect.attempts`.
import XCTest
@testable import KonnectCore
import KonnectYAML

private let schema = ShopSchemaYAML.head + ShopSchemaYAML.itemType + """
triggers:
  order:
    name: Order
    output:
      id: integer
      email: string
      items: array<Item>
    sample:
      id: 1
      email: ada@example.com
      items: [{ sku: A, qty: 1 }, { sku: B, qty: 2 }]
actions:

""" + ShopSchemaYAML.logAction + """
    output:
      id: string
    sample: { id: l-1 }
  mail:
    name: Mail
    input:
      to: email
    output:
      id: string
    sample: { id: m-1 }

"""

private func project(_ konnector: String, tests: String = "") -> CheckedProject {
    var files = [SourceFile(path: "konnectors/k.yaml", bytes: Array((TC.head() + konnector).utf8))]
    if !tests.isEmpty { files.append(SourceFile(path: "konnectors/k.test.yaml", bytes: Array(tests.utf8))) }
    return ProjectValidator().validate(files: files, schemaFiles: [SourceFile(path: "schemas/shop.yaml", bytes: Array(schema.utf8))])
}

private let event = RuntimeValue.object(["id": .int(1), "email": .string("ada@example.com"), "items": .array([])],
                                        order: ["id", "email", "items"])

final class FlowRetryTests: XCTestCase {
    private func konnector(_ steps: String, file: StaticString = #filePath, line: UInt = #line) throws -> CheckedKonnector {
        let p = project(steps)
        XCTAssertEqual(p.diagnostics.filter { $0.severity == .error }.map(brief), [], file: file, line: line)
        return try XCTUnwrap(p.checkedKonnectors.first, file: file, line: line)
    }

    private func step(_ t: RunTrace, _ id: String) throws -> RunTrace.StepRun {
        try XCTUnwrap(t.steps.first { $0.id == id })
    }

    // MARK: simulator

    func testEachRetryWaitAdvancesTheClockAndFailNFailsTheFirstNAttempts() throws {
        let k = try konnector("""
          - {id: a, app: shop, action: log, retry: {times: 3, wait: 5m}, with: {text: "{{ now() }}"}}
          - {id: b, app: shop, action: log, with: {text: "{{ now() }}"}}
        """)
        let t = Simulator(now: 1_000).run(k, event: event, failures: ["a": .first(2)])
        let a = try step(t, "a")
        XCTAssertEqual(a.status, .ran, "fail: 2 with retry times 3 succeeds on attempt 3")
        XCTAssertEqual(a.attempts.map(\.at), [1_000, 1_300, 1_600])
        XCTAssertEqual(a.attempts.map(\.error), ["simulated failure (attempt 1 of 4)", "simulated failure (attempt 2 of 4)", nil])
        XCTAssertEqual(a.attempts.map(\.wait), [300, 300, nil])
        XCTAssertEqual(a.inputs?["text"], .datetime(1_600), "the inputs are the last attempt's")
        XCTAssertEqual(try step(t, "b").inputs?["text"], .datetime(1_600), "later steps see the clock after the waits")
        XCTAssertEqual(t.attempts(of: "a"), 3)
        XCTAssertEqual(t.ranActions, ["a", "b"])
        XCTAssertFalse(t.failed)
    }

    func testOnErrorAppliesAfterTheLastAttempt() throws {
        for (onError, failed, b) in [("continue", false, RunTrace.StepStatus.ran), ("stop", true, .notReached)] {
            let k = try konnector("""
              - {id: a, app: shop, action: log, retry: {times: 2}, on_error: \(onError), with: {text: x}}
              - {id: b, app: shop, action: log, with: {text: y}}
            """)
            let t = Simulator(now: 0).run(k, event: event, failures: ["a": .always])
            let a = try step(t, "a")
            XCTAssertEqual(a.status, .failed, onError)
            XCTAssertEqual(a.attempts.count, 3, onError)
            XCTAssertEqual(a.error, "simulated failure (attempt 3 of 3)", onError)
            XCTAssertEqual(a.attempts.map(\.at), [0, 60, 120], "wait defaults to 1m")
            XCTAssertEqual(t.failed, failed, onError)
            XCTAssertEqual(try step(t, "b").status, b, onError)
            XCTAssertEqual(t.ids(.failed), ["a"], onError)
            XCTAssertEqual(t.ranActions.first, "a", "a step whose calls failed ran (SPEC §9: at least one attempt)")
        }
    }

    func testWithoutRetryAStepIsAttemptedOnce() throws {
        let k = try konnector("  - {id: a, app: shop, action: log, with: {text: x}}\n")
        let t = Simulator(now: 0).run(k, event: event, failures: ["a": .first(1)])
        XCTAssertEqual(try step(t, "a").attempts.count, 1)
        XCTAssertEqual(try step(t, "a").error, "simulated failure (attempt 1 of 1)")
        XCTAssertTrue(t.failed)
        XCTAssertEqual(Simulator(now: 0).run(k, event: event).attempts(of: "a"), 1)
    }

    func testInputsThatDoNotCheckAreRetriedButNeverCallTheApp() throws {
        let k = try konnector("""
          - {id: a, app: shop, action: mail, retry: {times: 1, wait: 30s}, on_error: continue, with: {to: "{{ trigger.email }}"}}
        """)
        let t = Simulator(now: 0).run(k, event: .object(["id": .int(1), "email": .string("not an email"), "items": .array([])],
                                                        order: ["id", "email", "items"]))
        let a = try step(t, "a")
        XCTAssertEqual(a.status, .failed)
        XCTAssertEqual(a.attempts.map(\.called), [false, false])
        XCTAssertEqual(t.ranActions, [], "it failed without running")
    }

    func testFailNCountsPerIterationAndAttemptsSumOverIterations() throws {
        let k = try konnector("""
          - id: each
            repeat: trigger.items
            steps:
              - {id: a, app: shop, action: log, retry: {times: 1, wait: 1m}, with: {text: "{{ item.sku }}"}}
        """)
        let two = RuntimeValue.object(["id": .int(1), "email": .string("x"),
                                       "items": .array([.object(["sku": .string("A"), "qty": .int(1)], order: ["sku", "qty"]),
                                                        .object(["sku": .string("B"), "qty": .int(1)], order: ["sku", "qty"])])],
                                      order: ["id", "email", "items"])
        let t = Simulator(now: 0).run(k, event: two, failures: ["a": .first(1)])
        XCTAssertEqual(t.steps.filter { $0.id == "a" }.map(\.status), [.ran, .ran])
        XCTAssertEqual(t.attempts(of: "a"), 4)
        XCTAssertEqual(t.ranActions, ["a", "a"])
        XCTAssertEqual(t.steps.filter { $0.id == "a" }.map { $0.iteration.map(\.index) }, [[0], [1]])
        XCTAssertEqual(t.steps.filter { $0.id == "a" }.map { $0.iteration.map(\.count) }, [[2], [2]])
    }

    // MARK: traces

    func testTheRunTraceShowsEachIterationAndEachAttempt() throws {
        let k = try konnector("""
          - id: outer
            repeat: trigger.items
            steps:
              - id: inner
                repeat: "[1, 2]"
                max: 1
                steps:
                  - {id: a, app: shop, action: log, retry: {times: 1, wait: 90s}, on_error: continue, with: {text: "n{{ item }}"}}
        """)
        let one = RuntimeValue.object(["id": .int(1), "email": .string("x"),
                                       "items": .array([.object(["sku": .string("A"), "qty": .int(1)], order: ["sku", "qty"])])],
                                      order: ["id", "email", "items"])
        let t = Simulator(now: 0).run(k, event: one, failures: ["a": .always])
        let text = RunTraceView().text(t, konnector: k)
        XCTAssertTrue(text.contains("""

        outer: iteration 1 of 1 (loop.index 0)

        step inner (repeat): failed — limit-exceeded: `repeat` has 2 elements, over its `max:` of 1 (on_error: stop)

        outer: iteration 1 of 1 (loop.index 0) › inner: iteration 1 of 1 (loop.index 0)

        step a (shop.log): failed — simulated failure (attempt 2 of 2) (on_error: continue)
          attempt 1 of 2 at 1970-01-01T00:00:00Z: failed — simulated failure (attempt 1 of 2); retry after 90s
          attempt 2 of 2 at 1970-01-01T00:01:30Z: failed — simulated failure (attempt 2 of 2)
          inputs:
            text: "n1"

        """), text)
        let outline = RunTraceView.outline(t)
        XCTAssertEqual(outline.last, "outer[0] › inner[0] › a (shop.log): failed after 2 of 2 attempts — simulated failure (attempt 2 of 2)")
    }

    func testAStraightTraceHasNoAttemptsOrIterations() throws {
        let k = try konnector("  - {id: a, app: shop, action: log, with: {text: x}}\n")
        let t = Simulator(now: 0).run(k, event: event)
        XCTAssertFalse(RunTraceView().text(t, konnector: k).contains("attempt"))
        XCTAssertFalse(RunTraceView().json(t).contains("attempts"))
        XCTAssertFalse(RunTraceView().json(t).contains("iteration"))
        XCTAssertFalse(RunTraceView.hasFlow(t))
    }

    // MARK: test documents

    private let flaky = """
      - {id: a, app: shop, action: log, retry: {times: 3, wait: 1m}, on_error: continue, with: {text: x}}
      - id: each
        repeat: trigger.items
        steps:
          - {id: inner, app: shop, action: log, with: {text: "{{ item.sku }}"}}
      - {id: b, app: shop, action: log, with: {text: y}}

    """

    private func results(_ tests: String, file: StaticString = #filePath, line: UInt = #line) -> [TestRunner.Result] {
        let p = project(flaky, tests: tests)
        XCTAssertEqual(p.diagnostics.filter { $0.severity == .error }.map(brief), [], file: file, line: line)
        return TestRunner(simulator: Simulator(now: 0)).run(p.testCases())
    }

    func testFailedAndAttemptsPassWhenTheyMatch() {
        let r = results("""
        tests: k
        cases:
          - name: recovers
            fail: { a: 2 }
            expect: { ran: [a, inner, inner, b], failed: [], attempts: { a: 3, inner: 2, b: 1 } }
          - name: gives up
            fail: { a: always, inner: 1 }
            expect: { ran: [a, inner], failed: [a, inner], attempts: { a: 4, inner: 1, b: 0 } }

        """)
        XCTAssertEqual(r.map(\.passed), [true, true], r.flatMap(\.failures).map { "\($0.path) \($0.expected.map { $0.serialized() } ?? "") \($0.actual.map { $0.serialized() } ?? "")" }.joined(separator: "; "))
    }

    func testFailedAndAttemptsShowExpectedAndActual() throws {
        let r = results("""
        tests: k
        cases:
          - name: wrong
            fail: { a: 2 }
            expect: { failed: [a], attempts: { a: 2 } }

        """)
        let failures = try XCTUnwrap(r.first?.failures)
        XCTAssertEqual(failures.map(\.path), ["expect.failed", "expect.attempts.a"])
        XCTAssertEqual(failures.map(\.expected), [.array([.string("a")]), .int(2)])
        XCTAssertEqual(failures.map(\.actual), [.array([]), .int(3)])
        let text = TestReportView(color: false).render(r)
        XCTAssertTrue(text.contains("expect.attempts.a: expected 2, got 3"), text)
    }

    func testAFailureTheCaseAskedForNeedNotBeListedButAnyOtherMust() throws {
        let r = results("""
        tests: k
        cases:
          - name: asked for
            fail: { a: always }
            expect: { ran: [a, inner, inner, b], attempts: { a: 4 } }
          - name: listed wrongly
            fail: { a: always }
            expect: { failed: [] }

        """)
        XCTAssertEqual(r.map(\.passed), [true, false])
        XCTAssertEqual(r.last?.failures.map(\.path), ["expect.failed"])

        let p = project("""
          - {id: a, app: shop, action: mail, retry: {times: 1}, on_error: continue, with: {to: "{{ trigger.email }}"}}

        """, tests: """
        tests: k
        cases:
          - name: bad inputs are no simulated failure
            event: { email: nope }
            fail: { a: 1 }

        """)
        let bad = TestRunner(simulator: Simulator(now: 0)).run(p.testCases())
        XCTAssertEqual(bad.first?.failures.map(\.message), ["step `a` failed: invalid input: `to`: `nope` is not a valid email"])
    }

    func testFailAndAttemptsAreChecked() {
        let p = project(flaky, tests: """
        tests: k
        cases:
          - name: bad
            fail: { aa: 1, each: 1, a: 0, b: sometimes, inner: 1.5 }
            expect: { attempts: { a: -1, inner: always, bb: 1 } }

        """)
        let d = p.diagnostics.filter { $0.file == "konnectors/k.test.yaml" }
        XCTAssertEqual(d.map(brief), ["unknown-reference@4:13", "unknown-reference@4:20", "invalid-value@4:32", "invalid-value@4:38",
                                      "invalid-value@4:56", "invalid-value@5:30", "invalid-value@5:41", "unknown-reference@5:49"])
        XCTAssertEqual(d.first?.hint, "did you mean `a`?")
        XCTAssertEqual(d.first { $0.range.start.column == 32 }?.message, "`fail:` of step `a` must be a whole number ≥ 1 or `always`, found `0`")
        XCTAssertEqual(d.first { $0.range.start.column == 41 }?.message, "`attempts:` of step `inner` must be a whole number ≥ 0, found `always`")
        XCTAssertEqual(p.testCases().count, 1, "the case is still counted, as blocked")
    }
}
