import XCTest
@testable import KonnectCore

final class PlanMarkdownViewTests: XCTestCase {
    private func change(_ action: PlanChange.Action, _ id: String, kind: ObjectKind = .konnector,
                        diff: [FieldDiff] = [], renamedFrom: String? = nil, activate: Bool = false) -> PlanChange {
        PlanChange(kind: kind, id: id, action: action, renamedFrom: renamedFrom, activate: activate, diff: diff,
                   after: nil, beforeHash: nil, beforeVersion: nil)
    }

    private func plan(_ changes: [PlanChange], project: String = "acme") -> Plan {
        Plan(project: project, lineage: "L", serial: 12, changes: changes, unchanged: 3)
    }

    private var sample: Plan {
        plan([
            change(.create, "slack-sales", kind: .connection, diff: [
                FieldDiff(path: "app", before: nil, after: .string("slack"), sensitive: false),
            ]),
            change(.update, "order-alert", diff: [
                FieldDiff(path: "steps.notify.with.channel", before: .string("#sales"), after: .string("#sales-eu"), sensitive: false),
                FieldDiff(path: "steps.hook.with.url", before: .string("https://x/T1"), after: .string("https://x/T2"), sensitive: true),
            ], activate: true),
            change(.rename, "new-id", diff: [], renamedFrom: "old-id"),
            change(.delete, "gone"),
        ])
    }

    func testGolden() {
        Golden.assertMatches(PlanMarkdownView().render(sample), "plan.md")
    }

    func testTheSummaryComesFirstAndSensitiveValuesAreMasked() {
        let out = PlanMarkdownView().render(sample)
        XCTAssertTrue(out.hasPrefix("### Plan: 1 to create, 1 to update, 1 to rename, 1 to delete"))
        XCTAssertTrue(out.contains("(sensitive) -> (sensitive)"))
        XCTAssertFalse(out.contains("T1"))
        XCTAssertFalse(out.contains("T2"))
    }

    func testNoChanges() {
        XCTAssertTrue(PlanMarkdownView().render(plan([])).hasPrefix("### No changes. The library matches the configuration.\n"))
    }

    func testUserStringsCannotBreakTheMarkdownOrTheHTML() {
        let hostile = "x</code></summary></details><script>alert(1)</script>|```@team\u{1B}[2K"
        let p = plan([
            change(.create, hostile, diff: [FieldDiff(path: "name", before: nil, after: .string("```\n</details>\n# hi @all"), sensitive: false)]),
            change(.rename, "b", renamedFrom: "a|b<i>"),
        ], project: "p*r_o|j<b>")
        let out = PlanMarkdownView().render(p)
        XCTAssertFalse(out.contains("<script>"))
        XCTAssertFalse(out.contains("<b>"))
        XCTAssertFalse(out.contains("<i>"))
        XCTAssertFalse(out.contains("\u{1B}"))
        XCTAssertFalse(out.contains("@team"))
        // Exactly the view's own HTML elements, balanced.
        // Exactly the view's own HTML elements, balanced; the one in a value stays inside its code block.
        XCTAssertEqual(out.components(separatedBy: "<details><summary>").count - 1, 2)
        XCTAssertEqual(out.split(separator: "\n").filter { $0 == "</details>" }.count, 2)
        XCTAssertEqual(out.components(separatedBy: "</summary>").count - 1, 2)
        // Each table row has exactly its five pipes.
        for line in out.split(separator: "\n") where line.hasPrefix("| `") {
            XCTAssertEqual(line.filter { $0 == "|" }.count, 5, String(line))
        }
        // The diff's code block is fenced longer than any backtick run inside it.
        XCTAssertTrue(out.contains("````diff\n"))
    }

    func testTheSameBytesEveryTime() {
        let p = sample
        XCTAssertEqual(PlanMarkdownView().render(p), PlanMarkdownView().render(p))
    }

    func testLargestDetailsAreLeftOutFirstThenRows() {
        let big = (0..<200).map { FieldDiff(path: "steps.s\($0).with.text", before: .string("a"), after: .string(String(repeating: "b", count: 40)), sensitive: false) }
        let small = [FieldDiff(path: "name", before: .string("a"), after: .string("b"), sensitive: false)]
        let p = plan([change(.update, "small-one", diff: small), change(.update, "big-one", diff: big), change(.update, "small-two", diff: small)])
        let full = PlanMarkdownView().render(p)
        let limit = full.utf8.count - 100
        let cut = PlanMarkdownView(limit: limit).render(p)
        XCTAssertLessThanOrEqual(cut.utf8.count, limit)
        XCTAssertFalse(cut.contains("big-one</code> ("), "the largest detail goes first")
        XCTAssertTrue(cut.contains("small-one</code> ("))
        XCTAssertTrue(cut.contains("small-two</code> ("))
        XCTAssertTrue(cut.contains("1 of 3 changes are not shown in full"))
        XCTAssertTrue(cut.contains("`konnect plan --format json` has them all"))

        // Far too small a limit: rows go too, from the end, and the count says so.
        let many = plan((0..<2_000).map { change(.create, "k\($0)", diff: small) })
        let out = PlanMarkdownView().render(many)
        XCTAssertLessThanOrEqual(out.utf8.count, PlanMarkdownView.defaultLimit)
        XCTAssertTrue(out.contains("| <code>k0</code> |"))
        XCTAssertFalse(out.contains("| <code>k1999</code> |"))
        XCTAssertTrue(out.contains("more changes |"), String(out.suffix(300)))
        XCTAssertTrue(out.contains("2000 changes are not shown in full"))
    }
}
