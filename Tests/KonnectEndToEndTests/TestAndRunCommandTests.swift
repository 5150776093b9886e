// `konnect test` and `konnect run` end to end (SPEC §9, issue 5), on temp
// copies of Tests/Fixtures/simulate/shop and on the bundled project.
import Foundation
import XCTest

private let now = ["--now", "2026-03-02T12:00:00Z"]

/// The last non-empty line.
private func lastLine(_ s: String) -> String {
    s.split(separator: "\n", omittingEmptySubsequences: true).last.map(String.init) ?? ""
}

private let failingSuite = """
tests: order-to-mailchimp
cases:
  - name: broken expectation
    event:
      id: 9
      created_at: "2026-03-02T12:00:00Z"
      total_price: 200
      currency: usd
      customer: { id: 7, email: ada@example.com, first_name: ada, accepts_marketing: true }
      line_items: []
    expect:
      ran: [subscribe, notify]
      inputs:
        subscribe: { email: ada@example.com, first_name: Bob }

"""

private extension XCTestCase {
    /// A copy of the fixture project `simulate/shop`.
    func shopCopy(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        try FixtureProject.copy("shop", in: "simulate", for: self, file: file, line: line)
    }

    /// A copy of the fixture project `simulate/shop` with `text` written at `path`.
    func shopCopy(writing path: String, _ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let project = try shopCopy(file: file, line: line)
        try write(text, to: project.appendingPathComponent(path))
        return project
    }

    /// `konnect` with `arguments` and the fixed `--now` in `project`, which must exit with `status`.
    func konnectAtNow(_ arguments: [String], in project: URL, exit status: Int32,
                      file: StaticString = #filePath, line: UInt = #line) throws -> KonnectResult {
        let result = try KonnectRunner.run(arguments + now, in: project, file: file, line: line)
        assertExit(result, status, file: file, line: line)
        return result
    }

    /// Asserts that `output` ends with the line `last` and contains each of `fragments`.
    func assertOutput(_ output: String, lastLine last: String, contains fragments: [String],
                      file: StaticString = #filePath, line: UInt = #line) {
        assertContains(output, fragments, file: file, line: line)
        XCTAssertEqual(lastLine(output), last, file: file, line: line)
    }
}

final class TestCommandEndToEndTests: XCTestCase {
    func testPassingSuite() throws {
        let project = try shopCopy()
        let result = try konnectAtNow(["test"], in: project, exit: 0)
        XCTAssertEqual(result.err, "")
        XCTAssertEqual(lastLine(result.out), "5 passed, 0 failed")
        for name in ["order-to-mailchimp › paying customer is subscribed", "order-to-mailchimp › declining customer is not subscribed",
                     "order-to-mailchimp › small order is filtered", "order-to-webhook › posts the order",
                     "order-to-webhook › a bad icon url stops the run"] {
            XCTAssertTrue(result.out.contains("PASS \(name)\n"), result.out)
        }
        XCTAssertFalse(result.out.contains("\u{1B}"), "no colour when stdout is not a terminal")
    }

    func testAFailingCase() throws {
        let project = try shopCopy(writing: "konnectors/failing.test.yaml", failingSuite)
        let result = try konnectAtNow(["test"], in: project, exit: 1)
        assertContains(result.out, [
            "FAIL order-to-mailchimp › broken expectation\n",
            "--> konnectors/failing.test.yaml:3:5",
            "expect.inputs.subscribe.first_name: expected \"Bob\", got \"Ada\"",
        ])
        XCTAssertFalse(result.out.contains("expect.inputs.subscribe.email"), "a matching field is not reported\n\(result.out)")
        XCTAssertEqual(lastLine(result.out), "5 passed, 1 failed")
    }

    /// A new user breaks a mapping on purpose and reads the failure.
    func testABrokenMappingFailsItsTest() throws {
        let project = try shopCopy()
        let file = project.appendingPathComponent("konnectors/order-to-mailchimp.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(text.contains("| trim | title }}"))
        try write(text.replacingOccurrences(of: "| trim | title }}", with: "| trim }}"), to: file)
        let result = try konnectAtNow(["test"], in: project, exit: 1)
        assertOutput(result.out, lastLine: "4 passed, 1 failed", contains: [
            "FAIL order-to-mailchimp › paying customer is subscribed",
            "expect.inputs.subscribe.first_name: expected \"Ada\", got \"ada\"",
        ])
    }

    func testJSONFormat() throws {
        let project = try shopCopy(writing: "konnectors/failing.test.yaml", failingSuite)
        let result = try konnectAtNow(["test", "--format", "json"], in: project, exit: 1)
        XCTAssertEqual(result.err, "")
        let json = try result.json()
        let summary = try XCTUnwrap(json["summary"] as? [String: Any])
        XCTAssertEqual(summary["passed"] as? Int, 5)
        XCTAssertEqual(summary["failed"] as? Int, 1)
        let cases = try XCTUnwrap(json["cases"] as? [[String: Any]])
        XCTAssertEqual(cases.count, 6)
        for c in cases {
            XCTAssertNotNil(c["konnector"] as? String)
            XCTAssertNotNil(c["name"] as? String)
            XCTAssertNotNil(c["file"] as? String)
            XCTAssertNotNil(c["line"] as? Int)
            XCTAssertNotNil(c["passed"] as? Bool)
            XCTAssertNotNil(c["failures"] as? [Any])
        }
        let failing = try XCTUnwrap(cases.first { $0["passed"] as? Bool == false })
        XCTAssertEqual(failing["name"] as? String, "broken expectation")
        XCTAssertEqual(failing["konnector"] as? String, "order-to-mailchimp")
        XCTAssertEqual(failing["file"] as? String, "konnectors/failing.test.yaml")
        XCTAssertEqual(failing["line"] as? Int, 3)
        let failures = try XCTUnwrap(failing["failures"] as? [[String: Any]])
        XCTAssertEqual(failures.count, 1)
        XCTAssertEqual(failures[0]["path"] as? String, "expect.inputs.subscribe.first_name")
        XCTAssertEqual(failures[0]["expected"] as? String, "Bob")
        XCTAssertEqual(failures[0]["actual"] as? String, "Ada")
        XCTAssertTrue(failures[0]["message"] is NSNull)
    }

    func testFilteringByKonnectorID() throws {
        let project = try shopCopy(writing: "konnectors/failing.test.yaml", failingSuite)
        let result = try konnectAtNow(["test", "order-to-webhook"], in: project, exit: 0)
        XCTAssertFalse(result.out.contains("order-to-mailchimp"), result.out)
        XCTAssertTrue(result.out.contains("PASS order-to-webhook › posts the order"), result.out)
        XCTAssertEqual(lastLine(result.out), "2 passed, 0 failed")

        let json = try konnectAtNow(["test", "order-to-mailchimp", "--format", "json"], in: project, exit: 1)
        let cases = try XCTUnwrap(try json.json()["cases"] as? [[String: Any]])
        XCTAssertEqual(Set(cases.compactMap { $0["konnector"] as? String }), ["order-to-mailchimp"])
        XCTAssertEqual(cases.count, 4)

        let unknown = try konnectAtNow(["test", "nope"], in: project, exit: 1)
        XCTAssertTrue(unknown.err.contains("no konnector `nope`"), unknown.err)
    }

    func testAMistypedEventIsAPositionedDiagnostic() throws {
        let project = try shopCopy(writing: "konnectors/bad.test.yaml", """
        tests: order-to-webhook
        cases:
          - name: mistyped
            event:
              id: "abc"
              created_at: "2026-03-02T12:00:00Z"
              total_price: 10
              line_items: []
              email: nobody
            expect: { ran: [post] }

        """)
        let result = try konnectAtNow(["test"], in: project, exit: 1)
        assertContains(result.err, [
            "error[type-mismatch]",
            "--> konnectors/bad.test.yaml:5:11",
        ])
        // `currency` is not written: it comes from the trigger's sample (SPEC §9).
        XCTAssertFalse(result.err.contains("missing-field"), result.err)
        assertContains(result.err, [
            "error[invalid-value]",
            "--> konnectors/bad.test.yaml:9:14",
            "2 errors, 0 warnings",
        ])
        // The well-typed cases still run; the mistyped one cannot, and is a failed case listed with its errors.
        XCTAssertTrue(result.out.contains("""
        FAIL order-to-webhook › mistyped
             --> konnectors/bad.test.yaml:3:5
             error[type-mismatch]: `id` expects integer, found a string
               --> konnectors/bad.test.yaml:5:11
             error[invalid-value]: `nobody` is not a valid email for `email`
               --> konnectors/bad.test.yaml:9:14
               = hint: write it like `ada@example.com`

        """), result.out)
        XCTAssertEqual(lastLine(result.out), "5 passed, 1 failed")
    }

    func testUnknownKonnectorAndStepInATestFile() throws {
        let project = try shopCopy(writing: "konnectors/refs.test.yaml", """
        tests: order-to-mailchimpp
        cases: [{ name: c, expect: { filtered: false } }]
        ---
        tests: order-to-webhook
        cases:
          - name: c
            outputs: { pots: {} }
            expect: { ran: [post, pnig] }

        """)
        let result = try konnectAtNow(["test", "--format", "json"], in: project, exit: 1)
        assertContains(result.err, [
            "error[unknown-reference]: no konnector `order-to-mailchimpp` to test",
            "--> konnectors/refs.test.yaml:1:8",
            "konnector `order-to-webhook` has no step `pots`",
            "--> konnectors/refs.test.yaml:7:16",
            "konnector `order-to-webhook` has no step `pnig`",
            "--> konnectors/refs.test.yaml:8:27",
            "did you mean `ping`?",
        ])

        // Both cases fail, each listed with its diagnostics.
        XCTAssertEqual(try XCTUnwrap(result.json()["summary"] as? [String: Int]), ["passed": 5, "failed": 2])
        let text = try konnectAtNow(["test"], in: project, exit: 1)
        XCTAssertTrue(text.out.contains("""
        FAIL order-to-mailchimpp › c
             --> konnectors/refs.test.yaml:2:9
             error[unknown-reference]: no konnector `order-to-mailchimpp` to test
               --> konnectors/refs.test.yaml:1:8
               = hint: did you mean `order-to-mailchimp`?

        """), text.out)
        assertOutput(text.out, lastLine: "5 passed, 2 failed", contains: [
            "FAIL order-to-webhook › c\n",
            "     error[unknown-reference]: konnector `order-to-webhook` has no step `pnig`\n",
        ])
    }

    /// Issue 19: two cases whose `outputs:` did not check were dropped, and
    /// the run said `5 passed, 0 failed` while exiting 1. Every case counts.
    func testCasesThatCannotRunAreFailedCases() throws {
        let project = try shopCopy(writing: "konnectors/outputs.test.yaml", """
        tests: order-to-mailchimp
        cases:
          - name: output of the wrong type
            outputs: { subscribe: { status: 5 } }
          - name: output of an unknown field
            outputs: { subscribe: { stauts: pending } }

        """)
        let text = try konnectAtNow(["test"], in: project, exit: 1)
        assertOutput(text.out, lastLine: "5 passed, 2 failed", contains: [
            "FAIL order-to-mailchimp › output of the wrong type\n",
            "FAIL order-to-mailchimp › output of an unknown field\n",
            "       = hint: did you mean `status`?\n",
        ])

        let result = try konnectAtNow(["test", "--format", "json"], in: project, exit: 1)
        let json = try result.json()
        XCTAssertEqual(json["summary"] as? [String: Int], ["passed": 5, "failed": 2])
        let cases = try XCTUnwrap(json["cases"] as? [[String: Any]])
        XCTAssertEqual(cases.count, 7)
        let errors = cases.filter { $0["status"] as? String == "error" }
        XCTAssertEqual(errors.map { $0["name"] as? String }, ["output of the wrong type", "output of an unknown field"])
        XCTAssertEqual(Set(cases.compactMap { $0["status"] as? String }), ["passed", "error"])
        // The diagnostics are the objects `validate --format json` prints.
        let validate = try KonnectRunner.run(["validate", "--format", "json"], in: project)
        let all = try XCTUnwrap(validate.json()["diagnostics"] as? [[String: Any]]).map(NSDictionary.init(dictionary:))
        XCTAssertEqual(all.count, 2)
        for c in errors {
            let diagnostics = try XCTUnwrap(c["diagnostics"] as? [[String: Any]])
            XCTAssertEqual(diagnostics.count, 1)
            XCTAssertTrue(all.contains(NSDictionary(dictionary: diagnostics[0])), "\(diagnostics[0])")
        }
    }

    /// Errors in unrelated files are reported (exit 1) but do not stop `konnect test ID`.
    func testErrorsElsewhereDoNotStopTheCasesOfAnID() throws {
        let project = try shopCopy(writing: "konnectors/broken.yaml", """
        konnector: broken
        name: B
        trigger: { app: shopify, event: new_order, connection: shopify-main }
        steps: [{ id: s, app: slack, action: send_message, connection: slack-sales, with: { channel: "#x", text: "{{ trigger.totl }}" } }]

        """)
        try write("tests: broken\ncases: [{ name: never }]\n", to: project.appendingPathComponent("konnectors/broken.test.yaml"))
        let result = try konnectAtNow(["test", "order-to-webhook"], in: project, exit: 1)
        XCTAssertTrue(result.err.contains("error[unknown-reference]"), result.err)
        XCTAssertTrue(result.out.contains("PASS order-to-webhook › posts the order\n"), result.out)
        XCTAssertEqual(lastLine(result.out), "2 passed, 0 failed")

        // The cases of the broken konnector itself fail, with its errors.
        let own = try konnectAtNow(["test", "broken"], in: project, exit: 1)
        assertOutput(own.out, lastLine: "0 passed, 1 failed", contains: [
            "FAIL broken › never\n",
            "     error[unknown-reference]: ",
            "       --> konnectors/broken.yaml:4:118\n",
        ])
    }

    /// `event: {}` is the trigger's sample; a case writes only what it is about.
    func testAnEmptyEventIsTheSample() throws {
        let project = try shopCopy(writing: "konnectors/sample.test.yaml", """
        tests: order-to-mailchimp
        cases:
          - name: the sample
            event: {}
            expect: { ran: [subscribe, notify], inputs: { subscribe: { first_name: Ada, tags: [shopify, usd] } } }
          - name: one field over the sample
            event: { customer: { accepts_marketing: false } }
            expect: { ran: [notify], skipped: [subscribe], inputs: { notify: { text: "ada@example.com subscribed (): 149.5 USD on Mon 05 Jan 2026, seen 2026-03-02" } } }

        """)
        let result = try konnectAtNow(["test", "order-to-mailchimp"], in: project, exit: 0)
        XCTAssertEqual(result.err, "")
        assertOutput(result.out, lastLine: "5 passed, 0 failed", contains: [
            "PASS order-to-mailchimp › the sample\n",
            "PASS order-to-mailchimp › one field over the sample\n",
        ])
    }

    /// The bundled project's own tests pass (issue 5: "part of the test suite"),
    /// whatever the clock says: a new user runs plain `konnect test`.
    func testBundledProjectPasses() throws {
        for clock in [now, [], ["--now", "1999-12-31T23:59:59Z"]] {
            let result = try KonnectRunner.run(["test"] + clock, in: KonnectRunner.packageRoot)
            assertExit(result, 0)
            let last = lastLine(result.out)
            XCTAssertTrue(last.hasSuffix(" passed, 0 failed"), "\(clock): \(result.out)")
            let passed = Int(last.split(separator: " ").first ?? "") ?? 0
            XCTAssertGreaterThanOrEqual(passed, 2, result.out)
            XCTAssertFalse(result.out.contains("FAIL "), result.out)
        }
    }
}

final class RunCommandEndToEndTests: XCTestCase {
    func testSample() throws {
        let project = try shopCopy()
        let result = try konnectAtNow(["run", "order-to-mailchimp", "--sample"], in: project, exit: 0)
        XCTAssertEqual(result.err, "")
        let out = result.out
        XCTAssertTrue(out.hasPrefix("konnector order-to-mailchimp — Order → Mailchimp\n"), out)
        assertOutput(out, lastLine: "Run complete: 2 ran, 0 skipped, 0 failed.", contains: [
            "event (shopify.new_order):",
            "\"id\": 1001",
            "\"created_at\": \"2026-01-05T10:00:00Z\"",
            "when: trigger.total_price >= 100 and trigger.customer.email != null\n  true\n",
            "step subscribe (mailchimp.add_subscriber): ran\n",
            "    email: \"ada@example.com\"\n",
            "    first_name: \"Ada\"\n",
            "    tags: [\"shopify\",\"usd\"]\n",
            "step notify (slack.send_message): ran\n",
            "    text: \"ada@example.com subscribed (subscribed): 149.5 USD on Mon 05 Jan 2026, seen 2026-03-02\"\n",
            "  output: {",
        ])
    }

    func testEventFromJSONWithASkippedStep() throws {
        let project = try shopCopy(writing: "event.json", """
        {
          "id": 2,
          "created_at": "2026-03-02T07:00:00-05:00",
          "total_price": 120.5,
          "currency": "eur",
          "customer": {"id": 8, "email": "grace@example.com", "accepts_marketing": false},
          "line_items": []
        }
        """)
        let result = try konnectAtNow(["run", "order-to-mailchimp", "--event", "event.json"], in: project, exit: 0)
        let out = result.out
        XCTAssertTrue(out.contains("\"created_at\": \"2026-03-02T12:00:00Z\""), "datetimes in UTC\n\(out)")
        XCTAssertTrue(out.contains("\"name\": null"), "missing optional fields are null\n\(out)")
        assertOutput(out, lastLine: "Run complete: 1 ran, 1 skipped, 0 failed.", contains: [
            "step subscribe (mailchimp.add_subscriber): skipped\n",
            "    text: \"grace@example.com subscribed (): 120.5 EUR on Mon 02 Mar 2026, seen 2026-03-02\"\n",
        ])
    }

    func testEventFromYAMLThatIsFiltered() throws {
        let project = try shopCopy(writing: "small.yaml", """
        # a small order
        id: 3
        created_at: 2026-03-02T12:00:00Z
        total_price: 5
        currency: USD
        customer: { id: 7, email: ada@example.com, accepts_marketing: true }
        line_items: []

        """)
        let result = try konnectAtNow(["run", "order-to-mailchimp", "--event", "small.yaml"], in: project, exit: 0)
        XCTAssertTrue(result.out.contains("  false → filtered, nothing runs\n"), result.out)
        XCTAssertFalse(result.out.contains("\nstep "), result.out)
        XCTAssertEqual(lastLine(result.out), "Run filtered: no step ran.")
    }

    func testAFailingStepAndSensitiveInputs() throws {
        let project = try shopCopy()
        try write("id: 43\ncreated_at: \"2026-03-02T12:00:00Z\"\ntotal_price: 10\ncurrency: USD\nnote: not a url\nline_items: []\n",
                  to: project.appendingPathComponent("ev.yml"))
        let result = try konnectAtNow(["run", "order-to-webhook", "--event", "ev.yml"], in: project, exit: 1)
        let out = result.out
        assertContains(out, [
            "when: (none)",
            "step post (webhook.post): ran\n",
            "    url: (sensitive)\n",
            "    headers: (sensitive)\n",
            "    body: {\"id\":43,\"total\":10}\n",
        ])
        XCTAssertFalse(out.contains("SECRET"), out)
        assertOutput(out, lastLine: "Run failed: 1 ran, 0 skipped, 1 failed.", contains: [
            "step ping (slack.send_message): failed — invalid input: `icon_url`: `not a url` is not a valid url (on_error: stop)\n",
            "    icon_url: \"not a url\"\n",
            "step done (slack.send_message): not reached\n",
        ])
    }

    func testJSONFormat() throws {
        let project = try shopCopy()
        let result = try konnectAtNow(["run", "order-to-mailchimp", "--sample", "--format", "json"], in: project, exit: 0)
        XCTAssertEqual(result.err, "")
        let json = try result.json()
        XCTAssertEqual(json["konnector"] as? String, "order-to-mailchimp")
        XCTAssertEqual(json["filtered"] as? Bool, false)
        XCTAssertEqual(json["failed"] as? Bool, false)
        XCTAssertTrue(json["filter_error"] is NSNull)
        XCTAssertEqual((json["event"] as? [String: Any])?["id"] as? Int, 1001)
        let steps = try XCTUnwrap(json["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.map { $0["id"] as? String }, ["subscribe", "notify"])
        XCTAssertEqual(steps.map { $0["status"] as? String }, ["ran", "ran"])
        XCTAssertEqual(steps[0]["operation"] as? String, "mailchimp.add_subscriber")
        let inputs = try XCTUnwrap(steps[0]["inputs"] as? [String: Any])
        XCTAssertEqual(inputs["first_name"] as? String, "Ada")
        XCTAssertEqual(inputs["tags"] as? [String], ["shopify", "usd"])
        XCTAssertEqual((steps[0]["output"] as? [String: Any])?["status"] as? String, "subscribed")
        XCTAssertTrue(steps[0]["error"] is NSNull)

        try write("{\"id\": 7, \"created_at\": \"2026-03-02T12:00:00Z\", \"total_price\": 1, \"currency\": \"USD\", \"note\": \"x\", \"line_items\": []}",
                  to: project.appendingPathComponent("hook.json"))
        let hook = try konnectAtNow(["run", "order-to-webhook", "--event", "hook.json", "--format", "json"], in: project, exit: 1)
        XCTAssertFalse(hook.out.contains("SECRET"), hook.out)
        let hookJSON = try hook.json()
        XCTAssertEqual(hookJSON["failed"] as? Bool, true)
        let hookSteps = try XCTUnwrap(hookJSON["steps"] as? [[String: Any]])
        XCTAssertEqual(hookSteps.map { $0["status"] as? String }, ["ran", "failed", "not reached"])
        XCTAssertEqual((hookSteps[0]["inputs"] as? [String: Any])?["url"] as? String, "(sensitive)")
        XCTAssertTrue((hookSteps[1]["error"] as? String)?.contains("`icon_url`") ?? false)
        XCTAssertTrue(hookSteps[2]["inputs"] is NSNull)
    }

    func testAMistypedEventFile() throws {
        let project = try shopCopy()
        try write("{\n  \"id\": \"abc\",\n  \"created_at\": \"2026-03-02T12:00:00Z\",\n  \"total_price\": 10,\n  \"currency\": \"USD\",\n  \"line_items\": []\n}\n",
                  to: project.appendingPathComponent("bad.json"))
        let result = try konnectAtNow(["run", "order-to-webhook", "--event", "bad.json"], in: project, exit: 1)
        XCTAssertEqual(result.out, "", "no trace for an event that does not type-check")
        assertContains(result.err, [
            "error[type-mismatch]",
            "--> bad.json:2:9",
        ])
        XCTAssertTrue(result.err.contains("1 errors, 0 warnings in 1 files") || result.err.contains("1 error, 0 warnings in 1 file"), result.err)

        try write("id: 1\ncreated_at: 2026-03-02T12:00:00Z\ntotal_price: cheap\nline_items: []\n", to: project.appendingPathComponent("bad.yaml"))
        let yaml = try konnectAtNow(["run", "order-to-webhook", "--event", "bad.yaml"], in: project, exit: 1)
        XCTAssertEqual(yaml.out, "")
        assertContains(yaml.err, [
            "error[type-mismatch]",
            "--> bad.yaml:3:14",
            "error[missing-field]",
            "`currency`",
        ])

        try write("", to: project.appendingPathComponent("empty.json"))
        let empty = try konnectAtNow(["run", "order-to-webhook", "--event", "empty.json"], in: project, exit: 1)
        XCTAssertTrue(empty.err.contains("the event file is empty"), empty.err)
    }

    func testUsageErrors() throws {
        let project = try shopCopy()
        try write("{}", to: project.appendingPathComponent("e.json"))
        let neither = try KonnectRunner.run(["run", "order-to-webhook"], in: project)
        assertExit(neither, 64)
        XCTAssertTrue(neither.err.contains("give exactly one of --event FILE and --sample"), neither.err)
        let both = try KonnectRunner.run(["run", "order-to-webhook", "--sample", "--event", "e.json"], in: project)
        assertExit(both, 64)
        XCTAssertTrue(both.err.contains("give exactly one of --event FILE and --sample"), both.err)
        XCTAssertEqual(both.out, "")
        let badNow = try KonnectRunner.run(["run", "order-to-webhook", "--sample", "--now", "noon"], in: project)
        assertExit(badNow, 64)
    }

    func testUnknownKonnector() throws {
        let project = try shopCopy()
        let result = try KonnectRunner.run(["run", "order-to-webhok", "--sample"], in: project)
        assertExit(result, 1)
        assertContains(result.err, [
            "no konnector `order-to-webhok`",
            "did you mean `order-to-webhook`?",
        ])
    }
}
