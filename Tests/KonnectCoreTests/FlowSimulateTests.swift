import Foundation
import XCTest
@testable import KonnectCore

/// SPEC §2.1 "Simulation": paths by mode, repeats per element bounded by
/// `max:`, delays advancing the run's clock.
final class FlowSimulateTests: XCTestCase {
    private func checked(_ steps: String, file: StaticString = #filePath, line: UInt = #line) throws -> CheckedKonnector {
        let project = TC.validate(TC.head() + steps)
        XCTAssertEqual(project.diagnostics.filter { $0.severity == .error }.map(brief), [], file: file, line: line)
        return try XCTUnwrap(project.checkedKonnectors.first, file: file, line: line)
    }

    private func event(total: Int, items: Int = 0) -> RuntimeValue {
        let item = RuntimeValue.object(["sku": .string("x"), "qty": .int(1), "price": .number(1)], order: ["sku", "qty", "price"])
        return .object(["total": .number(Double(total)), "items": .array(Array(repeating: item, count: items))], order: ["total", "items"])
    }

    private let paths = """
      - id: route
        mode: MODE
        paths:
          - id: big
            when: trigger.total > 100
            steps: [{id: a, app: shop, action: take}]
          - id: bigger
            when: trigger.total > 1000
            steps: [{id: b, app: shop, action: take}]
          - id: rest
            steps: [{id: c, app: shop, action: take}]

    """

    func testFirstModeTakesTheFirstPathThatHolds() throws {
        let k = try checked(paths.replacingOccurrences(of: "MODE", with: "first"))
        let t = Simulator(now: 0).run(k, event: event(total: 5000))
        XCTAssertEqual(t.ids(.ran), ["a"])
        XCTAssertEqual(t.steps.first { $0.id == "route" }?.output["taken"], .array([.string("big")]))
    }

    func testAllModeTakesEveryPathThatHoldsAndTheFallbackOnlyWhenNoneDid() throws {
        let k = try checked(paths.replacingOccurrences(of: "MODE", with: "all"))
        XCTAssertEqual(Simulator(now: 0).run(k, event: event(total: 5000)).ids(.ran), ["a", "b"])
        XCTAssertEqual(Simulator(now: 0).run(k, event: event(total: 5)).ids(.ran), ["c"])
    }

    func testARepeatRunsItsStepsPerElementUpToMax() throws {
        let k = try checked("  - {id: each, repeat: trigger.items, max: 3, steps: [{id: a, app: shop, action: take}]}\n")
        let t = Simulator(now: 0).run(k, event: event(total: 1, items: 3))
        XCTAssertEqual(t.ids(.ran), ["a", "a", "a"])
        XCTAssertEqual(t.steps.first { $0.id == "each" }?.output["count"], .int(3))
        XCTAssertFalse(t.failed)

        // SPEC §2.1: loop.count is the length capped by max:, and an element past max: fails the step.
        let over = Simulator(now: 0).run(k, event: event(total: 1, items: 4))
        XCTAssertTrue(over.failed)
        XCTAssertEqual(over.ids(.ran), ["a", "a", "a"], "the iterations up to max: run")
        XCTAssertTrue(over.steps.first { $0.id == "each" }?.error?.hasPrefix("limit-exceeded") ?? false)
    }

    func testADelayAdvancesTheClock() throws {
        let k = try checked("""
          - {id: wait, delay: 2h}
          - {id: a, app: shop, action: take, with: {dt: "{{ now() }}"}}
        """)
        let t = Simulator(now: 1_000).run(k, event: event(total: 1))
        XCTAssertEqual(t.steps.first { $0.id == "wait" }?.output["resumed_at"], .datetime(1_000 + 7_200))
        XCTAssertEqual(t.steps.first { $0.id == "a" }?.inputs?["dt"], .datetime(1_000 + 7_200))
    }

    private func items(_ skus: [String]) -> RuntimeValue {
        .object(["total": .number(1), "items": .array(skus.map { .object(["sku": .string($0), "qty": .int(2), "price": .number(1)], order: ["sku", "qty", "price"]) }),
                 "tags": .array([.string("t1"), .string("t2")])], order: ["total", "items", "tags"])
    }

    func testEachIterationSeesItsElementAndLoop() throws {
        let k = try checked("""
          - id: each
            repeat: trigger.items
            max: 2
            steps:
              - {id: a, app: shop, action: take, with: {s: "{{ item.sku }}/{{ loop.index }}/{{ loop.count }}"}}
        """)
        let t = Simulator(now: 0).run(k, event: items(["x", "y"]))
        XCTAssertEqual(t.steps.filter { $0.id == "a" }.map { $0.inputs?["s"] }, [.string("x/0/2"), .string("y/1/2")])
        let capped = Simulator(now: 0).run(k, event: items(["x", "y", "z"]))
        XCTAssertEqual(capped.steps.filter { $0.id == "a" }.map { $0.inputs?["s"] }, [.string("x/0/2"), .string("y/1/2")],
                       "loop.count is capped by max:")
    }

    func testANestedRepeatShadowsAndTheOuterNamesComeBack() throws {
        let k = try checked("""
        \(FlowStepsYAML.nestedRepeats)
                  - {id: a, app: shop, action: take, with: {s: "{{ item }}@{{ loop.index }}"}}
              - {id: b, app: shop, action: take, with: {s: "{{ item.sku }}@{{ loop.index }}"}}
        """)
        let t = Simulator(now: 0).run(k, event: items(["x", "y"]))
        XCTAssertEqual(t.steps.filter { !$0.isFlow }.map { "\($0.id)=\($0.inputs?["s"]?.text ?? "-")" },
                       ["a=t1@0", "a=t2@1", "b=x@0", "a=t1@0", "a=t2@1", "b=y@1"])
    }

    func testAsNamesTheElement() throws {
        let k = try checked("""
          - {id: each, repeat: trigger.items, as: line, steps: [{id: a, app: shop, action: take, with: {i: "{{ line.qty * 10 }}"}}]}
        """)
        XCTAssertEqual(Simulator(now: 0).run(k, event: items(["x"])).steps.last?.inputs?["i"], .int(20))
    }
}

/// A scheduled run happens at its `scheduled_at`: `now()` and delays count from it, not from `--now`.
final class ScheduledClockTests: XCTestCase {
    func testAScheduledRunsClockStartsAtItsScheduledTime() throws {
        let project = TC.validate("""
        konnector: k
        name: K
        trigger:
          schedule: { cron: "0 9 * * *", timezone: UTC }
        steps:
          - {id: wait, delay: 1h}
          - {id: a, app: shop, action: take, with: {s: "{{ now() | format_date('%H:%M') }}"}}

        """)
        XCTAssertEqual(project.diagnostics.filter { $0.severity == .error }.map(\.message), [])
        let k = try XCTUnwrap(project.checkedKonnectors.first)
        let nineOClock = 1_773_392_400.0   // 2026-03-13T09:00:00Z
        let event = RuntimeValue.object(["scheduled_at": .datetime(nineOClock), "timezone": .string("UTC")], order: ["scheduled_at", "timezone"])
        let t = Simulator(now: 0).run(k, event: event)
        XCTAssertEqual(t.steps.first { $0.id == "wait" }?.output["resumed_at"], .datetime(nineOClock + 3600))
        XCTAssertEqual(t.steps.first { $0.id == "a" }?.inputs?["s"], .string("10:00"))
    }
}

/// SPEC §9: no run exhausts the machine — nested repeats and large values stop at a bound.
final class RunBoundTests: XCTestCase {
    private func checked(_ steps: String) throws -> CheckedKonnector {
        let project = TC.validate(TC.head() + steps)
        XCTAssertEqual(project.diagnostics.filter { $0.severity == .error }.map(\.message), [])
        return try XCTUnwrap(project.checkedKonnectors.first)
    }

    private let event = RuntimeValue.object(["total": .number(1)], order: ["total"])

    func testNestedRepeatsStopAfterTenThousandStepRuns() throws {
        let list = "[" + (0..<200).map(String.init).joined(separator: ", ") + "]"
        let k = try checked("""
          - id: outer
            repeat: "\(list)"
            max: 1000
            steps:
              - id: inner
                repeat: "\(list)"
                max: 1000
                steps: [{id: a, app: shop, action: take, on_error: continue}]

        """)
        let t = Simulator(now: 0).run(k, event: event)
        XCTAssertTrue(t.failed)
        XCTAssertLessThan(t.steps.count, 10_300, "the trace stops at the bound")
        XCTAssertTrue(t.steps.contains { $0.error?.contains("more than 10000 step runs") == true }, "\(t.steps.last?.error ?? "")")
    }

    func testLargeValuesKeptByTheTraceStopAtABound() throws {
        let x = String(repeating: "x", count: 2000)
        let k = try checked("""
          - id: each
            repeat: "[\((0..<100).map(String.init).joined(separator: ", "))]"
            steps: [{id: a, app: shop, action: take, with: {s: "{{ replace('\(x)', 'x', '\(x)') }}"}}]

        """)
        let t = Simulator(now: 0).run(k, event: event)
        XCTAssertTrue(t.steps.contains { $0.error?.contains("MiB") == true }, "\(t.steps.map { $0.error ?? "" }.filter { !$0.isEmpty })")
        XCTAssertLessThan(t.steps.count, 30, "4 MB per iteration: stopped near 64 MiB")
    }

    func testTheClockCannotLeaveTheCalendar() throws {
        let k = try checked("""
          - id: each
            repeat: "[\((0..<1000).map(String.init).joined(separator: ", "))]"
            max: 1000
            steps:
              - {id: wait, delay: 31d}
          - {id: a, app: shop, action: take}

        """)
        let t = Simulator(now: 253_402_300_799 - 86_400 * 31 * 500).run(k, event: event)
        XCTAssertTrue(t.steps.contains { $0.error?.contains("9999-12-31") == true })
        XCTAssertEqual(t.steps.last?.status, .notReached)
    }
}

/// A typed webhook payload is checked when a run starts, whatever made the
/// event: a body without a required field fails the run with the field named.
final class TypedPayloadRunTests: XCTestCase {
    func testABodyMissingARequiredFieldFailsTheRun() throws {
        let text = """
        konnector: typed
        name: Typed
        trigger:
          app: webhook
          event: catch_hook
          payload: { count: integer, note: string? }
        steps:
          - { id: post, app: webhook, action: get, with: { url: "env:URL" } }

        """
        // The bundled webhook schema, whose catch_hook declares `payload: body`.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let schemas = [SourceFile(path: "schemas/webhook.yaml", bytes: Array(try Data(contentsOf: root.appendingPathComponent("schemas/webhook.yaml"))))]
        let project = ProjectValidator().validate(files: [SourceFile(path: "konnectors/k.yaml", bytes: Array(text.utf8))], schemaFiles: schemas)
        let k = try XCTUnwrap(project.checkedKonnectors.first, "\(project.diagnostics.map(\.message))")
        let body = { (fields: [String: RuntimeValue]) in RuntimeValue.object(["body": .object(fields, order: Array(fields.keys).sorted())], order: ["body"]) }
        let missing = Simulator(now: 0).run(k, event: body([:]))
        XCTAssertTrue(missing.failed)
        XCTAssertTrue(missing.filterError?.contains("required `trigger.body.count` is missing") == true, missing.filterError ?? "no error")
        XCTAssertNil(Simulator(now: 0).run(k, event: body(["count": .int(3)])).filterError, "optional fields may be absent")
    }
}

/// A trace is shown (printed, kept by a test) as its first and last step
/// runs with long strings cut: many long cases hold a page each.
final class ShownTraceTests: XCTestCase {
    func testALongTraceIsShownByItsEnds() {
        let step = RunTrace.StepRun(id: "a", operation: "shop.take", status: .ran, inputs: .object(["s": .string(String(repeating: "x", count: 10_000))], order: ["s"]),
                                    output: .null, error: nil, onError: .stop, sensitiveInputs: [])
        let trace = RunTrace(konnector: "k", event: .null, filtered: false, filterError: nil, steps: Array(repeating: step, count: 1_000))
        let shown = trace.shown()
        XCTAssertEqual(shown.steps.count, 2 * RunTrace.shownSteps)
        XCTAssertEqual(shown.omittedSteps, 1_000 - 2 * RunTrace.shownSteps)
        XCTAssertEqual(shown.steps.first?.inputs?["s"], .string(String(repeating: "x", count: RunTrace.shownStringBytes) + "… (10000 bytes)"))
        let text = RunTraceView().json(shown)
        XCTAssertTrue(text.contains("\"omitted_steps\":800"), String(text.suffix(200)))
    }
}
