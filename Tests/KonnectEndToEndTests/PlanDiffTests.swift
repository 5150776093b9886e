import Foundation
import XCTest

/// Plans a person can read (issue 19 item 7), through the binary on a copy
/// of the bundled project: a first plan lists only the fields each object
/// sets; an edit of a list shows the elements that changed, an edit of a
/// multi-line message the lines that changed.
final class PlanDiffTests: XCTestCase {
    private func bundledProject() throws -> URL {
        let dir = try FixtureProject.emptyDirectory(for: self)
        for item in ["konnect.yaml", "konnectors", "schemas"] {
            try FileManager.default.copyItem(at: KonnectRunner.packageRoot.appendingPathComponent(item),
                                            to: dir.appendingPathComponent(item))
        }
        return dir
    }

    private func edit(_ path: String, in project: URL, _ old: String, _ new: String) throws {
        let url = project.appendingPathComponent(path)
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.contains(old), "\(path) lacks \(old)")
        try write(text.replacingOccurrences(of: old, with: new), to: url)
    }

    func testAFirstPlanListsOnlyTheFieldsThatAreSet() throws {
        let project = try bundledProject()
        let plan = try konnect(["plan"], in: project, environment: ["NO_COLOR": "1"])
        assertExit(plan, 0)
        XCTAssertTrue(plan.out.contains("  + konnector stripe-payment-to-sheets (create)\n"), plan.out)
        XCTAssertFalse(plan.out.contains(": null\n"), plan.out)
        XCTAssertFalse(plan.out.contains(": []\n"), plan.out)
        // Steps in the order the file gives them.
        let ledger = try XCTUnwrap(plan.out.range(of: "+ steps.ledger.app:"))
        let big = try XCTUnwrap(plan.out.range(of: "+ steps.big-payment.app:"))
        XCTAssertLessThan(ledger.lowerBound, big.lowerBound)
    }

    func testListsAndMultiLineTextsShowWhatChanged() throws {
        let project = try bundledProject()
        assertExit(try konnect(["apply", "--auto-approve"], in: project), 0)
        let ledger = "konnectors/finance/stripe-payment-to-sheets.yaml"
        try edit(ledger, in: project, "        - \"{{ trigger.currency | upper }}\"\n", "        - \"{{ trigger.currency | lower }}\"\n")
        try edit(ledger, in: project, "        - \"{{ trigger.id }}\"\n", "        - \"{{ trigger.id }}\"\n        - \"{{ trigger.livemode }}\"\n")
        try edit("konnectors/support/zendesk-ticket-to-slack.yaml", in: project, "Tags: {{ trigger.tags", "Labels: {{ trigger.tags")
        let plan = try konnect(["plan"], in: project, environment: ["NO_COLOR": "1"])
        assertExit(plan, 0)
        XCTAssertTrue(plan.out.contains("""
          ~ konnector stripe-payment-to-sheets (update)
              + steps.ledger.with.values[2]: "{{ trigger.livemode }}"
              ~ steps.ledger.with.values[4]: "{{ trigger.currency | upper }}" -> "{{ trigger.currency | lower }}"

        """), plan.out)
        XCTAssertTrue(plan.out.contains("""
              ~ steps.post.with.text:
                  ":ticket: New ticket #{{ trigger.id }}: {{ trigger.subject | default('(no subject)') | truncate(120) }}\\n"
                  "From: {{ coalesce(trigger.requester_name, trigger.requester_email, 'unknown requester') }}\\n"
                - "Tags: {{ trigger.tags | join(', ') }} ({{ trigger.tags | length }})\\n"
                + "Labels: {{ trigger.tags | join(', ') }} ({{ trigger.tags | length }})\\n"
                  "{{ trigger.url }}"

        """), plan.out)
        let markdown = try konnect(["plan", "--format", "markdown"], in: project)
        assertExit(markdown, 0)
        XCTAssertTrue(markdown.out.contains("\n+ steps.ledger.with.values[2]: \"{{ trigger.livemode }}\"\n"), markdown.out)
        XCTAssertTrue(markdown.out.contains("\n-   \"Tags: {{ trigger.tags | join(', ') }} ({{ trigger.tags | length }})\\n\"\n"), markdown.out)
        let json = try konnect(["plan", "--format", "json"], in: project).json()
        let changes = try XCTUnwrap(json["changes"] as? [[String: Any]])
        let paths = changes.flatMap { ($0["diff"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String } }
        XCTAssertEqual(paths, ["steps.ledger.with.values[2]", "steps.ledger.with.values[4]", "steps.post.with.text"])
    }
}
