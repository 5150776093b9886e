// Issue 18, class 2: evaluation is bounded (SPEC §9). Strings at most
// 16 MiB, arrays at most 100,000 elements, numbers finite, a run at most
// 10 s of evaluation in all; past a bound the step fails with a runtime
// error `limit-exceeded`, checked before the value is allocated. Time is
// tested with an injected clock, never measured.
import XCTest
@testable import KonnectCore
import KonnectYAML

/// A clock that moves `step` nanoseconds each time it is read.
final class TickingClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now: UInt64 = 0
    private let step: UInt64
    private(set) var reads = 0

    init(step: UInt64) { self.step = step }

    var read: EvaluationBudget.Clock {
        { [self] in
            lock.lock()
            defer { lock.unlock() }
            reads += 1
            now += step
            return now
        }
    }
}

private let big = String(repeating: "x", count: 9 << 20)

private let event: RuntimeValue = .object([
    "big": .string(big),
    "chars": .string(String(repeating: "ab", count: 50_001)),
    "csv": .string(Array(repeating: "a", count: 100_001).joined(separator: ",")),
    "fine": .string(Array(repeating: "a", count: 100_000).joined(separator: ",")),
    // ΐ upper-cases to three scalars, six bytes.
    "iota": .string(String(repeating: "\u{390}", count: 3 << 20)),
], order: ["big", "chars", "csv", "fine", "iota"])

private func evaluate(_ source: String, budget: EvaluationBudget = EvaluationBudget()) throws -> RuntimeValue {
    let e = try ExpressionParser.parse(source)
    return try Evaluator(Environment(trigger: event, konnectorID: "k", konnectorName: "K", now: 0), budget: budget).evaluate(e)
}

final class EvaluationLimitTests: XCTestCase {
    func checkLimit(_ source: String, _ fragment: String, budget: EvaluationBudget = EvaluationBudget(),
                    file: StaticString = #filePath, line: UInt = #line) {
        guard let e = tcRuntimeError(source, expected: "limit-exceeded", shown: \.typeName, file: file, line: line,
                                     { try evaluate(source, budget: budget) }) else { return }
        XCTAssertEqual(e.code, .limitExceeded, e.message, file: file, line: line)
        XCTAssertTrue(e.description.hasPrefix("limit-exceeded: "), e.description, file: file, line: line)
        XCTAssertTrue(e.message.contains(fragment), "`\(source)`: \(e.message)", file: file, line: line)
    }

    func value(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> RuntimeValue? {
        tcValue(source, file: file, line: line) { try evaluate(source) }
    }

    // MARK: arrays

    /// `split('')` of a long text made an array of one element a character.
    func testSplitIsBoundedBeforeItAllocates() {
        checkLimit("split(trigger.chars, '')", "`split` would make an array of more than 100000 elements")
        checkLimit("split(trigger.big, '')", "more than 100000 elements")
        checkLimit("split(trigger.csv, ',')", "more than 100000 elements")
        XCTAssertEqual(value("length(split(trigger.fine, ','))"), .int(100_000))
        XCTAssertEqual(value("length(split(truncate(trigger.chars, 100000), ''))"), .int(100_000))
    }

    /// A list of large lists, or of one long string many times, is large
    /// to render though small to hold.
    func testListLiteralsAreBoundedInAll() {
        checkLimit("[split(trigger.fine, ','), split(trigger.fine, ',')]", "the list would make a value of more than 100000 elements")
        checkLimit("[trigger.big, trigger.big]", "more than 16 MiB")
        XCTAssertEqual(value("length([trigger.big, 'x'])"), .int(2))
    }

    // MARK: strings

    func testStringsAreBoundedBeforeTheyAreBuilt() {
        checkLimit("trigger.big + trigger.big", "`+` would make a string of more than 16 MiB")
        checkLimit("replace(trigger.big, 'x', 'yy')", "`replace` would make a string of more than 16 MiB")
        checkLimit("join([trigger.big, trigger.big], '')", "more than 16 MiB")
        checkLimit("upper(trigger.iota)", "more than 16 MiB")
        // Four times as long: `%A` is `Thursday`.
        checkLimit("format_date(now(), replace(truncate(trigger.big, 3000000), 'x', '%A'))", "`format_date` would make a string")
        XCTAssertEqual(value("length(replace(trigger.chars, 'a', ''))"), .int(50_001))
    }

    func testTemplatesAreBoundedAsTheyAreRendered() throws {
        let part = CheckedValue.TemplatePart.expression(try ExpressionParser.parse("trigger.big"))
        let evaluator = Evaluator(Environment(trigger: event, konnectorID: "k", konnectorName: "K", now: 0))
        XCTAssertThrowsError(try evaluator.render(.template([part, .text("-"), part]), as: .string)) { error in
            XCTAssertEqual((error as? RuntimeError)?.code, .limitExceeded)
        }
        XCTAssertEqual(try evaluator.render(.template([part, .text("-")]), as: .string).text.utf8.count, big.utf8.count + 1)
    }

    // MARK: numbers

    /// A result past the largest number was infinity, rendered `null` in silence.
    func testNumbersStayFinite() {
        checkLimit("1e308 * 10", "`1e+308 * 10` is beyond the largest number")
        checkLimit("1e308 + 1e308", "beyond the largest number")
        checkLimit("-1e308 - 1e308", "beyond the largest number")
        checkLimit("9007199254740993 * 1e300", "beyond the largest number")
        checkLimit("1e300 / 1e-300", "beyond the largest number")
        XCTAssertEqual(value("1e308 * 1"), .number(1e308))
    }

    /// A literal past the largest number is `invalid-value` when checked,
    /// at the literal (it was `expression-syntax`, "out of range").
    func testInfiniteLiteralsAreInvalidValues() {
        let diagnostics = TC.check("trigger.total * 1e999", into: "n")
        XCTAssertEqual(diagnostics.map(\.tcBrief), ["invalid-value@11:30"])
        XCTAssertEqual(diagnostics.first?.message, "this number is beyond the largest number (about 1.8e308)")
        XCTAssertEqual(TC.check("trigger.total * 1e308", into: "n"), [])
    }

    /// `round` of a number too small for `Decimal` gave NaN, rendered `null`.
    func testRoundingTinyAndHugeNumbers() {
        XCTAssertEqual(value("round(5e-324, 2)"), .number(0))
        XCTAssertEqual(value("round(1.5e-300, 300)"), .number(2e-300))
        XCTAssertEqual(value("round(1.25e-300, 301)"), .number(1.3e-300))
        XCTAssertEqual(value("round(1e300, 2)"), .number(1e300))
        XCTAssertEqual(value("round(1e308, -400)"), .int(0))
        XCTAssertEqual(value("round(-2.5)"), .int(-3))
        XCTAssertEqual(value("round(0.5, 0)"), .int(1))
        XCTAssertEqual(value("round(1.7976931348623157e308)"), .number(1.7976931348623157e308))
    }

    // MARK: time

    func testTheBudgetStopsARunOnceItsTimeIsSpent() {
        let clock = TickingClock(step: 1_000_000_000)
        let budget = EvaluationBudget(seconds: 10, clock: clock.read)
        XCTAssertNoThrow(try evaluate("lower('A')", budget: budget))
        checkLimit("lower(lower(lower(lower(lower(lower(lower(lower(lower(lower('A'))))))))))",
                   "the run took more than 10 s of evaluation", budget: budget)
        // Spent is spent: the next expression of the same run fails at once.
        checkLimit("lower('A')", "the run took more than 10 s", budget: budget)
    }

    /// Thirty steps of slow matches took thirty seconds: each match had a
    /// second of its own. The run's steps share one budget now.
    func testStepsShareTheRunsBudget() throws {
        var steps = ""
        for i in 0..<30 {
            steps += "  - id: s\(i)\n    app: shop\n    action: take\n    on_error: continue\n"
            steps += "    with:\n      b: \"{{ trigger.name matches '(a+)+$' }}\"\n"
        }
        let project = TC.validate(TC.head() + steps)
        let k = try XCTUnwrap(project.checkedKonnectors.first, "\(project.diagnostics)")
        let clock = TickingClock(step: 100_000_000)
        var simulator = Simulator(now: 0)
        simulator.clock = clock.read
        let name = RuntimeValue.string(String(repeating: "a", count: 30) + "!")
        let trace = simulator.run(k, event: .object(["name": name], order: ["name"]))
        XCTAssertEqual(trace.steps.count, 30)
        // Past the bound the run stops, `on_error: continue` or not: the rest are not reached.
        let failed = trace.steps.filter { $0.status == .failed }
        XCTAssertEqual(failed.count, 1, "\(trace.steps.map(\.status))")
        XCTAssertEqual(trace.steps.filter { $0.status == .notReached }.count, 29)
        XCTAssertTrue(trace.failed, "a run stopped by a bound failed")
        XCTAssertTrue(failed.allSatisfy { $0.error?.hasPrefix("limit-exceeded: input `b`: the run took more than 10 s") == true },
                      "\(failed.compactMap(\.error))")
        // About a hundred readings of a clock moving 0.1 s: the whole run, not each step.
        XCTAssertLessThan(clock.reads, 400)
    }

    func testARunWithinItsBudgetIsUnaffected() throws {
        let project = TC.validate(TC.head()
                                  + "  - id: a\n    app: shop\n    action: take\n    with:\n      s: \"{{ trigger.name | upper }}\"\n")
        let k = try XCTUnwrap(project.checkedKonnectors.first, "\(project.diagnostics)")
        let trace = Simulator(now: 0).run(k, event: .object(["name": .string("ada")], order: ["name"]))
        XCTAssertEqual(trace.steps.first?.inputs?["s"], .string("ADA"))
        XCTAssertFalse(trace.failed)
    }

    /// A step's inputs are bounded together: each field may hold the same long value.
    func testStepInputsAreBoundedTogether() throws {
        let project = TC.validate(TC.head()
                                  + "  - id: a\n    app: shop\n    action: take\n    with:\n"
                                  + "      s: \"{{ trigger.name }}\"\n      a: \"{{ trigger.name }}\"\n")
        let k = try XCTUnwrap(project.checkedKonnectors.first, "\(project.diagnostics)")
        let trace = Simulator(now: 0).run(k, event: .object(["name": .string(big)], order: ["name"]))
        XCTAssertEqual(trace.steps.first?.status, .failed)
        XCTAssertEqual(trace.steps.first?.error?.hasPrefix("limit-exceeded: "), true, trace.steps.first?.error ?? "")
        XCTAssertTrue(trace.failed)
    }

    func testTheBudgetStartsWhenItIsMade() {
        let clock = TickingClock(step: 1)
        let budget = EvaluationBudget(seconds: 10, clock: clock.read)
        XCTAssertFalse(budget.isExhausted)
        XCTAssertNoThrow(try budget.check())
        XCTAssertTrue(EvaluationBudget(seconds: 0, clock: TickingClock(step: 1).read).isExhausted)
    }
}
