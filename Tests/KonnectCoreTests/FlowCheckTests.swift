import XCTest
@testable import KonnectCore

/// SPEC §2.1's scopes and types for paths, repeat and delay steps, checked
/// against the harness's `shop` app (TC).
final class FlowCheckTests: XCTestCase {
    private func konnector(_ steps: String) -> String {
        TC.head() + steps
    }

    private func codes(_ steps: String) -> [String] {
        TC.diagnostics(konnector(steps)).filter { $0.file == "konnectors/k.yaml" }.map(brief)
    }

    func testInsideAPathTheEarlierStepsOfThePathAndThoseBeforeAreVisible() {
        XCTAssertEqual(codes("""
          - {id: first, app: shop, action: take}
          - id: route
            paths:
              - id: p
                when: trigger.paid
                steps:
                  - {id: a, app: shop, action: take, with: {i: "{{ steps.first.id }}"}}
                  - {id: b, app: shop, action: take, with: {i: "{{ steps.a.id }}"}}
              - id: q
                steps:
                  - {id: c, app: shop, action: take, with: {i: "{{ steps.a.id }}"}}
        """), ["unknown-reference@15:66"], "a step of another path is not visible inside this one")
    }

    func testAPathsWhenNarrows() {
        XCTAssertEqual(codes("""
          - id: route
            paths:
              - id: p
                when: trigger.maybe_count != null
                steps:
                  - {id: a, app: shop, action: take, with: {i: "{{ trigger.maybe_count + 1 }}"}}
        """), [])
    }

    func testAfterAPathsStepItsStepsAreNullableAndItsOutputIsTaken() {
        let diagnostics = TC.diagnostics(konnector("""
          - id: route
            paths:
              - id: p
                steps:
                  - {id: a, app: shop, action: take}
          - {id: after, app: shop, action: take, with: {i: "{{ steps.a.id + 1 }}", arr: "{{ steps.route.taken }}"}}
        """)).filter { $0.file == "konnectors/k.yaml" }
        XCTAssertEqual(diagnostics.map(\.code), [.nullable], "steps.a may not have run")
    }

    func testAfterARepeatItsStepsAreNotVisibleAndItsOutputIsACount() {
        let diagnostics = TC.diagnostics(konnector("""
          - id: each
            repeat: trigger.items
            steps:
              - {id: a, app: shop, action: take}
          - {id: after, app: shop, action: take, with: {i: "{{ steps.each.count }}", s: "{{ steps.a.id }}"}}
        """)).filter { $0.file == "konnectors/k.yaml" }
        XCTAssertEqual(diagnostics.map(brief), ["unknown-reference@9:91"])
        XCTAssertEqual(diagnostics.first?.message, "step `a` runs inside repeat `each`; it is not visible after it")
        XCTAssertEqual(diagnostics.first?.hint, "its outputs are per iteration; refer to `steps.each.count`, or use them inside the repeat")
    }

    func testRepeatNeedsAnArray() {
        XCTAssertEqual(codes("""
          - {id: each, repeat: trigger.count, steps: [{id: a, app: shop, action: take}]}
        """), ["type-mismatch@5:24"])
    }

    func testADelayOutputsResumedAtAndDelayUntilNeedsADatetime() {
        XCTAssertEqual(codes("""
          - {id: wait, delay: 1h}
          - {id: a, app: shop, action: take, with: {dt: "{{ steps.wait.resumed_at }}"}}
          - {id: until, delay_until: trigger.at}
        """), [])
        XCTAssertEqual(codes("  - {id: until, delay_until: trigger.name}\n"), ["type-mismatch@5:30"])
    }

    func testIfIsAllowedOnEveryKindAndChecked() {
        XCTAssertEqual(codes("""
          - {id: wait, if: trigger.paid, delay: 1h}
          - {id: each, if: trigger.nope, repeat: trigger.items, steps: [{id: a, app: shop, action: take}]}
        """), ["unknown-reference@6:28"])
    }

    func testAFlowKonnectorChecksAndCompiles() throws {
        let project = TC.validate(konnector("""
          - id: route
            mode: first
            paths:
              - id: vip
                when: trigger.total >= 500
                steps: [{id: alert, app: shop, action: take, retry: {times: 3}}]
              - id: rest
                steps: [{id: log, app: shop, action: take}]
          - {id: each, repeat: trigger.items, max: 10, steps: [{id: add, app: shop, action: take}]}
          - {id: cool, delay: 120m}
        """))
        XCTAssertEqual(project.diagnostics.filter { $0.severity == .error }.map(brief), [])
        let k = try XCTUnwrap(project.checkedKonnectors.first)
        XCTAssertEqual(k.allSteps.map(\.id), ["route", "alert", "log", "each", "add", "cool"])
        let d = try XCTUnwrap(Compiler.compile(k).definition)
        let steps = try XCTUnwrap(d["steps"]?.arrayValue)
        XCTAssertEqual(steps[0]["mode"], .string("first"))
        XCTAssertEqual(steps[0]["paths"]?.arrayValue?[0]["when"], .string("trigger.total >= 500"))
        XCTAssertEqual(steps[0]["paths"]?.arrayValue?[0]["steps"]?.arrayValue?[0]["retry"],
                       .object(["times": .int(3), "wait": .string("1m")]), "wait defaults to 1m")
        XCTAssertEqual(steps[1]["repeat"], .string("trigger.items"))
        XCTAssertEqual(steps[1]["as"], .string("item"))
        XCTAssertEqual(steps[1]["max"], .int(10))
        XCTAssertEqual(steps[2]["delay"], .string("2h"), "120m and 2h are one definition")
    }

    // MARK: item and loop inside a repeat (SPEC §2.1 "Scope and types")

    func testItemHasTheElementTypeAndLoopIsIndexAndCount() {
        XCTAssertEqual(codes("""
          - id: each
            repeat: trigger.items
            steps:
              - {id: a, app: shop, action: take, with: {s: "{{ item.sku }}", n: "{{ item.price }}", i: "{{ loop.index + loop.count }}"}}
        """), [])
        XCTAssertEqual(codes("""
          - id: each
            repeat: trigger.items
            steps:
              - {id: a, app: shop, action: take, with: {i: "{{ item.sku }}", s: "{{ loop.index }}"}}
        """), ["type-mismatch@8:56", "type-mismatch@8:77"], "sku is a string, loop.index an integer")
    }

    func testAnUnknownFieldOfItemHasADidYouMean() {
        let d = TC.diagnostics(konnector("""
          - id: each
            repeat: trigger.items
            steps:
              - {id: a, app: shop, action: take, with: {s: "{{ item.skus }}"}}
        """)).filter { $0.file == "konnectors/k.yaml" }
        XCTAssertEqual(d.map(brief), ["unknown-reference@8:61"], "at the field, as for trigger paths")
        XCTAssertEqual(d.first?.message, "`item` has no field `skus`")
        XCTAssertTrue(d.first?.hint?.contains("`sku`") ?? false, d.first?.hint ?? "no hint")
    }

    func testItemAndLoopAreUnknownOutsideARepeat() {
        XCTAssertEqual(codes("""
          - {id: each, repeat: trigger.items, steps: [{id: a, app: shop, action: take}]}
          - {id: b, app: shop, action: take, with: {s: "{{ item.sku }}", i: "{{ loop.index }}"}}
        """), ["unknown-reference@6:52", "unknown-reference@6:73"])
    }

    func testAsNamesTheElementAndItemIsThenUnknown() {
        XCTAssertEqual(codes("""
          - id: each
            repeat: trigger.items
            as: line
            steps:
              - {id: a, app: shop, action: take, with: {s: "{{ line.sku }}", i: "{{ item.qty }}"}}
        """), ["unknown-reference@9:77"])
    }

    func testANestedRepeatShadowsTheOuterOne() {
        XCTAssertEqual(codes("""
        \(FlowStepsYAML.nestedRepeats)
                  - {id: a, app: shop, action: take, with: {s: "{{ item }}", i: "{{ loop.index }}"}}
              - {id: b, app: shop, action: take, with: {s: "{{ item.sku }}"}}
        """), [], "inside, item is a tag (a string); after the inner repeat, an Item again")
        XCTAssertEqual(codes("""
        \(FlowStepsYAML.nestedRepeats)
                  - {id: a, app: shop, action: take, with: {s: "{{ item.sku }}"}}
        """), ["unknown-reference@11:65"], "inside the inner repeat, item is a string: it has no fields")
    }

    func testAPathFromItemIsNullableAndNarrows() {
        XCTAssertEqual(codes("""
          - id: each
            repeat: "[trigger.owner]"
            steps:
              - {id: a, app: shop, action: take, if: "item.address.zip starts_with '1'"}
        """), ["nullable@8:47"], "address is Address?")
        XCTAssertEqual(codes("""
          - id: each
            repeat: "[trigger.owner]"
            steps:
              - {id: a, app: shop, action: take, if: "item.address != null and item.address.zip starts_with '1'"}
        """), [], "`and` narrows a path from item")
    }

    func testAnIfOnItemNarrowsTheStepsInputsAndAShadowingRepeatForgetsIt() {
        let need = #"app: shop, action: need, with: {re: a@b.co, rb: true, rs: "{{ item.address.zip }}"}"#
        XCTAssertEqual(codes("""
          - id: each
            repeat: "[trigger.owner]"
            steps:
              - {id: a, \(need)}
        """), ["nullable@8:79"], "address is Address?")
        XCTAssertEqual(codes("""
          - id: each
            repeat: "[trigger.owner]"
            steps:
              - {id: a, if: "item.address != null", \(need)}
        """), [], "the step's `if:` narrows its `with:`")
        XCTAssertEqual(codes("""
          - id: each
            repeat: "[trigger.owner]"
            steps:
              - id: inner
                if: "item.address != null"
                repeat: "[trigger.owner]"
                steps:
                  - {id: a, \(need)}
        """), ["nullable@12:83"], "the inner item is another value")
    }
}

/// A paths step `route` whose path `vip` holds the action step `alert`.
private let vipRoute = "  - id: route\n    paths:\n      - {id: vip, when: trigger.paid, steps: [{id: alert, app: shop, action: take}]}\n"

/// Steps that exist where they are not visible are explained, not "unknown".
final class HiddenStepMessageTests: XCTestCase {
    func testAStepOfAnotherPathIsNamedWithItsPath() {
        let ds = TC.diagnostics(TC.head() + vipRoute + """
              - {id: rest, steps: [{id: log, app: shop, action: take, with: {i: "{{ steps.alert.id }}"}}]}

        """).filter { $0.file == "konnectors/k.yaml" }
        XCTAssertEqual(ds.map(\.message), ["step `alert` is in path `vip` of `route`; it is not visible in this path"])
        XCTAssertEqual(ds.first?.code, .unknownReference)
    }
}

/// `fail:` and `attempts:` name action steps; a flow step there is told so.
final class FailOfAFlowStepTests: XCTestCase {
    func testFailOnAPathsStepSaysOnlyActionStepsCanFail() {
        let ds = TC.diagnostics(TC.head() + vipRoute + """
        ---
        tests: k
        cases:
          - name: one
            fail: { route: 2 }
            expect: { attempts: { route: 1 } }

        """).filter { $0.file == "konnectors/k.yaml" && $0.message.hasPrefix("step `route`") }
        XCTAssertEqual(ds.map(\.message), ["step `route` of konnector `k` is a paths step; only action steps can fail",
                                           "step `route` of konnector `k` is a paths step; only action steps have attempts"])
        XCTAssertEqual(ds.first?.hint, "its action steps: `alert`")
    }
}
