import XCTest
@testable import KonnectCore

/// SPEC §2.1: the paths, repeat and delay step kinds and `retry:`, as decoded.
final class FlowDecodeTests: XCTestCase {
    private func konnector(_ steps: String) -> String {
        TC.head() + steps
    }

    func testEveryKindDecodes() throws {
        let (decoded, diagnostics) = decode(konnector("""
          - id: route
            mode: all
            paths:
              - id: big
                when: trigger.total > 100
                steps:
                  - {id: a, app: shop, action: take}
              - id: rest
                steps:
                  - {id: b, app: shop, action: take}
          - id: each
            repeat: trigger.items
            as: line
            max: 20
            steps:
              - {id: c, app: shop, action: take, retry: {times: 3, wait: 2m}}
          - {id: wait, delay: 2h}
          - {id: until, delay_until: trigger.at}
        """))
        XCTAssertEqual(diagnostics.map(brief), [])
        let k = try XCTUnwrap(konnectors(decoded).first)
        XCTAssertEqual(k.allSteps.compactMap { $0.id?.value }, ["route", "a", "b", "each", "c", "wait", "until"])
        guard case .paths(let p) = k.steps[0].kind else { return XCTFail("not a paths step") }
        XCTAssertEqual(p.mode, .all)
        XCTAssertEqual(p.paths.map { $0.id?.value }, ["big", "rest"])
        XCTAssertNil(p.paths[1].when)
        guard case .repeatLoop(let r) = k.steps[1].kind else { return XCTFail("not a repeat step") }
        XCTAssertEqual(r.name?.value, "line")
        XCTAssertEqual(r.max?.value, 20)
        XCTAssertEqual(r.steps.first?.action?.retry?.times?.value, 3)
        XCTAssertEqual(r.steps.first?.action?.retry?.wait?.value, FlowDuration(seconds: 120))
        guard case .delay(let d) = k.steps[2].kind, case .duration(let two)? = d.wait else { return XCTFail("not a delay") }
        XCTAssertEqual(two.value.seconds, 7200)
        guard case .delay(let u) = k.steps[3].kind, case .until? = u.wait else { return XCTFail("not a delay_until") }
    }

    func testKeysOfAnotherKindAreUnknown() {
        let (_, diagnostics) = decode(konnector("""
          - id: wait
            delay: 1m
            on_error: continue
          - id: route
            retry: {times: 2}
            paths:
              - id: p
                steps: [{id: a, app: shop, action: take}]
        """))
        XCTAssertEqual(diagnostics.map(brief), ["unknown-field@7:5", "unknown-field@9:5"])
        XCTAssertEqual(diagnostics.first?.message, "unknown field `on_error` in step `wait`")
    }

    func testIdsAreUniqueInTheWholeKonnectorAndPathIdsInTheirStep() {
        let (_, diagnostics) = decode(konnector("""
          - id: route
            paths:
              - id: p
                when: trigger.paid
                steps: [{id: a, app: shop, action: take}]
              - id: p
                steps: [{id: a, app: shop, action: take}]
        """))
        XCTAssertEqual(diagnostics.map(brief).sorted(), ["duplicate-id@10:13", "duplicate-id@11:22"])
        XCTAssertTrue(diagnostics.contains { $0.message.hasPrefix("duplicate path id `p`") })
        XCTAssertTrue(diagnostics.contains { $0.message.hasPrefix("duplicate step id `a`") })
    }

    func testDurationsAndBounds() {
        func codes(_ step: String) -> [String] { decode(konnector("  - " + step + "\n")).1.map(brief) }
        let cases: KeyValuePairs<String, [String]> = [
            "{id: w, delay: 31d}": [],
            "{id: w, delay: 32d}": ["invalid-value@5:20"],
            "{id: w, delay: 90}": ["invalid-value@5:20"],
            "{id: w, delay: 1.5h}": ["invalid-value@5:20"],
            "{id: w, delay: 0s}": ["invalid-value@5:20"],
            "{id: w, delay: 1m, delay_until: trigger.at}": ["invalid-value@5:24"],
            "{id: s, app: shop, action: take, retry: {times: 10, wait: 1h}}": [],
            "{id: s, app: shop, action: take, retry: {times: 11}}": ["invalid-value@5:53"],
            "{id: s, app: shop, action: take, retry: {times: 0}}": ["invalid-value@5:53"],
            "{id: s, app: shop, action: take, retry: {times: 2, wait: 61m}}": ["invalid-value@5:62"],
            "{id: s, app: shop, action: take, retry: {wait: 1m}}": ["missing-field@5:46"],
            "{id: r, repeat: trigger.items, max: 1001, steps: [{id: a, app: shop, action: take}]}": ["invalid-value@5:41"],
            "{id: r, repeat: trigger.items, as: loop, steps: [{id: a, app: shop, action: take}]}": ["invalid-value@5:40"],
            "{id: r, mode: some, paths: [{id: p, steps: [{id: a, app: shop, action: take}]}]}": ["invalid-value@5:19"],
        ]
        for (step, expected) in cases {
            XCTAssertEqual(codes(step), expected, step)
        }
    }

    func testNestingIsAtMostFiveLevels() {
        func nested(_ levels: Int) -> String {
            var step = "{id: s\(levels), app: shop, action: take}"
            for level in stride(from: levels - 1, through: 1, by: -1) {
                step = "{id: r\(level), repeat: trigger.items, steps: [\(step)]}"
            }
            return konnector("  - " + step + "\n")
        }
        XCTAssertEqual(decode(nested(5)).1.map(brief), [])
        let (_, deep) = decode(nested(6))
        XCTAssertEqual(deep.map(\.code), [.invalidValue])
        XCTAssertEqual(deep.first?.message, "steps nest at most 5 levels deep")
    }

    func testAtMostOneHundredStepsCountingNestedOnes() {
        let inner = (1...99).map { "{id: s\($0), app: shop, action: take}" }.joined(separator: ", ")
        XCTAssertEqual(decode(konnector("  - {id: r, repeat: trigger.items, steps: [\(inner)]}\n")).1.map(brief), [])
        let (_, many) = decode(konnector("  - {id: r, repeat: trigger.items, steps: [\(inner), {id: s100, app: shop, action: take}]}\n"))
        XCTAssertEqual(many.map(\.message), ["a konnector has at most 100 steps in all, nested ones included; this one has 101"])
    }
}

/// A paths step's fallback is the one path without `when:`; a second could never run.
final class FallbackPathTests: XCTestCase {
    func testASecondPathWithoutWhenIsInvalid() {
        let text = TC.head() + """
          - id: route
            paths:
              - {id: big, when: trigger.total > 9, steps: [{id: a, app: shop, action: take}]}
              - {id: rest, steps: [{id: b, app: shop, action: take}]}
              - {id: also, when: null, steps: [{id: c, app: shop, action: take}]}

        """
        let ds = TC.diagnostics(text).filter { $0.file == "konnectors/k.yaml" }
        XCTAssertEqual(ds.map(\.code), [.invalidValue])
        XCTAssertEqual(ds.first.map { "\($0.range.start.line):\($0.range.start.column)" }, "9:14")
        XCTAssertEqual(ds.first?.message, "a paths step has at most one path without `when:` (the fallback); `rest` is one already, so this one would never run")
        XCTAssertEqual(TC.diagnostics(text.replacingOccurrences(of: "when: null, ", with: "")).filter { $0.file == "konnectors/k.yaml" }.map(\.code),
                       [.invalidValue])
        XCTAssertEqual(TC.diagnostics(text.replacingOccurrences(of: "when: null", with: "when: trigger.paid")).filter { $0.file == "konnectors/k.yaml" }.map(\.code),
                       [])
    }
}

/// Flow messages name the value written and lead to the fix.
final class FlowMessageTests: XCTestCase {
    private func messages(_ steps: String) -> [String] {
        TC.diagnostics(TC.head() + steps)
            .filter { $0.file == "konnectors/k.yaml" }.map { $0.message + ($0.hint.map { " | " + $0 } ?? "") }
    }

    func testNumbersAndDurationsAreQuotedAsWritten() {
        XCTAssertEqual(messages("  - {id: a, app: shop, action: take, retry: {times: 0}}\n"),
                       ["`retry.times` must be a whole number from 1 to 10, found `0`"])
        XCTAssertEqual(messages("  - {id: d, delay: 1h30m}\n"),
                       ["`delay` must be a duration such as `30s`, `15m`, `2h` or `3d`, found `1h30m` | a whole number and one unit, s, m, h or d (`90m`, not `1h30m`)"])
    }

    func testItemAndLoopOutsideARepeatAndInsideOneWithAnotherName() {
        XCTAssertEqual(messages("  - {id: a, app: shop, action: take, with: {s: \"{{ item.sku }}\"}}\n"),
                       ["unknown name `item` | `item` exists only inside a repeat step's `steps:`"])
        let inside = messages("  - {id: each, repeat: trigger.items, as: line, steps: [{id: a, app: shop, action: take, with: {s: \"{{ itme.sku }}\"}}]}\n")
        XCTAssertTrue(inside.first?.contains("unknown name `itme`") == true, "\(inside)")
        let other = messages("  - {id: each, repeat: trigger.items, as: line, steps: [{id: a, app: shop, action: take, with: {s: \"{{ entry.sku }}\"}}]}\n")
        XCTAssertEqual(other, ["unknown name `entry` | paths start with `trigger`, `steps.<id>`, `konnector`, `line` or `loop`; quote text as 'text'"])
    }
}

/// `delay_until:` written as a bare datetime gets the function that reads one.
final class DelayUntilLiteralTests: XCTestCase {
    func testABareDatetimeSaysDelayUntilIsAnExpression() {
        let ds = TC.diagnostics(TC.head() + "  - {id: d, delay_until: \"2026-03-05T10:00:00Z\"}\n")
            .filter { $0.file == "konnectors/k.yaml" }
        XCTAssertEqual(ds.map(\.code), [.invalidValue])
        XCTAssertEqual(ds.first?.hint, "write `parse_datetime('2026-03-05T10:00:00Z')`, or an expression such as `trigger.starts_at`")
        let ok = TC.diagnostics(TC.head() + "  - {id: d, delay_until: \"parse_datetime('2026-03-05T10:00:00Z')\"}\n")
            .filter { $0.file == "konnectors/k.yaml" && $0.severity == .error }
        XCTAssertEqual(ok.map(\.message), [])
    }
}
