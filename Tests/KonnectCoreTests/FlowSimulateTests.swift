import XCTest
@testable import KonnectCore

/// SPEC §2.1 "Simulation": paths by mode, repeats per element bounded by
/// `max:`, delays advancing the run's clock.
final class FlowSimulateTests: XCTestCase {
    private func checked(_ steps: String, file: StaticString = #filePath, line: UInt = #line) throws -> CheckedKonnector {
        let project = TC.validate("konnector: k\nname: K\ntrigger: {app: shop, event: order}\nsteps:\n" + steps)
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

        let over = Simulator(now: 0).run(k, event: event(total: 1, items: 4))
        XCTAssertTrue(over.failed)
        XCTAssertEqual(over.ids(.ran), [])
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
}
