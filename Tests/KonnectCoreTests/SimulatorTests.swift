// Running konnectors without touching any app (SPEC §9, issue 5): the
// simulator, the test runner's comparisons, and the checks of `tests:`
// documents. Konnectors are inline YAML checked against the bundled schemas.
import XCTest
@testable import KonnectCore
import KonnectYAML

/// 2026-03-02T12:00:00Z.
private let noon: Double = 1_772_452_800

/// The bundled app schemas (`<package>/schemas`), read once.
private let bundledSchemas = FixtureFiles.schemas(["shopify", "mailchimp", "slack", "webhook"], bundled: true)

private let connectionsYAML = """
connection: shopify-main
app: shopify
scopes: [read_orders, read_customers]
secret: env:SHOPIFY_TOKEN
---
connection: mailchimp-main
app: mailchimp
scopes: [audience:write]
secret: env:MAILCHIMP_API_KEY
---
connection: slack-sales
app: slack
scopes: [chat:write]
secret: env:SLACK_TOKEN

"""

/// The SPEC §2 example, a little reduced.
private let shopYAML = """
konnector: shop
name: Shop → Mail
trigger:
  app: shopify
  event: new_order
  connection: shopify-main
when: trigger.total_price >= 100 and trigger.customer.email != null
steps:
\(KonnectorYAML.subscribe)
    with:
      list_id: "4ca5becb"
      email: "{{ trigger.customer.email }}"
      first_name: "{{ trigger.customer.first_name | default('friend') | title }}"
      tags: [shopify, "{{ trigger.currency | lower }}"]
\(KonnectorYAML.notifySales)
      text: "{{ trigger.customer.email }} subscribed ({{ steps.subscribe.status }}) for {{ trigger.total_price }} {{ trigger.currency }}"

"""

/// Inputs that type-check but are validated only when they run.
private let checksYAML = """
konnector: checks
name: Run-time checks
trigger: { app: shopify, event: new_order, connection: shopify-main }
steps:
  - id: bad-email
    app: mailchimp
    action: add_subscriber
    connection: mailchimp-main
    on_error: continue
    with: { list_id: L1, email: "{{ trigger.note | default('') }}" }
  - id: bad-enum
    app: mailchimp
    action: add_subscriber
    connection: mailchimp-main
    on_error: continue
    with: { list_id: L1, email: ada@example.com, status: "{{ trigger.tags | default('') }}" }
  - id: bad-url
    app: slack
    action: send_message
    connection: slack-sales
    on_error: continue
    with: { channel: "#x", text: hi, icon_url: "{{ trigger.name | default('') }}" }
  - id: null-required
    app: slack
    action: send_message
    connection: slack-sales
    on_error: continue
    with: { channel: "#x", text: "{{ trigger.note }}" }
  - id: secret-url
    app: webhook
    action: post
    on_error: continue
    with: { url: "{{ trigger.customer.phone | default('') }}", body: { order: "{{ trigger.id }}" } }

"""

/// `on_error: continue` and `stop`, and a filter that fails.
private let errorsYAML = """
konnector: errors
name: Errors
trigger: { app: shopify, event: new_order, connection: shopify-main }
when: 100 / trigger.total_price > 0
steps:
  - id: soft
    app: slack
    action: send_message
    connection: slack-sales
    on_error: continue
    with: { channel: "#x", text: "soft {{ 1 / (trigger.total_price - 1) }}" }
  - id: hard
    app: slack
    action: send_message
    connection: slack-sales
    with: { channel: "#x", text: "hard {{ 2 / (trigger.total_price - 2) }}" }
  - id: after
    app: slack
    action: send_message
    connection: slack-sales
    with: { channel: "#x", text: "after [{{ steps.soft.ts }}]" }

"""

private func project(_ extra: [(String, String)] = []) -> CheckedProject {
    var files = [
        ("konnectors/connections.yaml", connectionsYAML),
        ("konnectors/shop.yaml", shopYAML),
        ("konnectors/checks.yaml", checksYAML),
        ("konnectors/errors.yaml", errorsYAML),
    ]
    files += extra
    return ProjectValidator().validate(files: files.map { SourceFile(path: $0.0, bytes: Array($0.1.utf8)) },
                                       schemaFiles: bundledSchemas)
}

private func fields(_ pairs: KeyValuePairs<String, RuntimeValue>) -> RuntimeValue {
    var out: [String: RuntimeValue] = [:]
    for (k, v) in pairs { out[k] = v }
    return .object(out, order: pairs.map(\.key))
}

private func order(total: RuntimeValue = .int(150), currency: String = "USD", customer: RuntimeValue? = nil,
                   note: RuntimeValue = .null, tags: RuntimeValue = .null, name: RuntimeValue = .null,
                   phone: RuntimeValue = .null) -> RuntimeValue {
    fields([
        "id": .int(1001),
        "name": name,
        "created_at": .datetime(noon),
        "total_price": total,
        "currency": .string(currency),
        "tags": tags,
        "note": note,
        "customer": customer ?? fields(["id": .int(7), "email": .string("ada@example.com"), "first_name": .string("ada"),
                                        "phone": phone, "accepts_marketing": .bool(true)]),
        "line_items": .array([]),
    ])
}

private func codeAt(_ d: Diagnostic) -> String { "\(d.code.rawValue)@\(d.range.start.line):\(d.range.start.column)" }

final class SimulatorTests: XCTestCase {
    var checked: CheckedProject!

    override func setUp() {
        super.setUp()
        checked = project()
    }

    func konnector(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> CheckedKonnector {
        try XCTUnwrap(checked.checkedKonnectors.first { $0.id == id }, "konnector \(id) did not check: \(checked.diagnostics)",
                      file: file, line: line)
    }

    func run(_ id: String, _ event: RuntimeValue, outputs: [String: RuntimeValue] = [:]) throws -> RunTrace {
        Simulator(now: noon).run(try konnector(id), event: event, outputs: outputs)
    }

    func step(_ t: RunTrace, _ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> RunTrace.StepRun {
        try XCTUnwrap(t.steps.first { $0.id == id }, "no step \(id)", file: file, line: line)
    }

    func testTheProjectChecksWithoutErrors() {
        XCTAssertEqual(checked.diagnostics.filter { $0.severity == .error }.map { "\($0.file):\(codeAt($0)) \($0.message)" }, [])
        XCTAssertEqual(Set(checked.checkedKonnectors.map(\.id)), ["shop", "checks", "errors"])
    }

    // MARK: filter, steps, skip

    func testARunThatRunsEveryStep() throws {
        let t = try run("shop", order())
        XCTAssertFalse(t.filtered)
        XCTAssertNil(t.filterError)
        XCTAssertFalse(t.failed)
        XCTAssertEqual(t.ids(.ran), ["subscribe", "notify"])
        XCTAssertEqual(t.konnector, "shop")
        XCTAssertEqual(t.event, order())
        let subscribe = try step(t, "subscribe")
        XCTAssertEqual(subscribe.operation, "mailchimp.add_subscriber")
        // Rendered inputs, schema defaults filled in, in the schema's field order.
        XCTAssertEqual(subscribe.inputs, fields([
            "list_id": .string("4ca5becb"),
            "email": .string("ada@example.com"),
            "first_name": .string("Ada"),
            "tags": .array([.string("shopify"), .string("usd")]),
            "status": .string("subscribed"),
            "update_existing": .bool(true),
        ]))
        let notify = try step(t, "notify")
        XCTAssertEqual(notify.inputs?["text"], .string("ada@example.com subscribed (subscribed) for 150 USD"))
        XCTAssertEqual(notify.inputs?["channel"], .string("#sales"))
        XCTAssertEqual(notify.inputs?["unfurl_links"], .bool(false))
        XCTAssertEqual(notify.inputs?["mrkdwn"], .bool(true))
        XCTAssertNil(notify.inputs?["username"], "an optional input without a default is left out")
    }

    func testFilteredByWhen() throws {
        for event in [order(total: .number(99.99)), order(customer: .null),
                      order(customer: fields(["id": .int(7), "email": .null, "accepts_marketing": .bool(true)]))] {
            let t = try run("shop", event)
            XCTAssertTrue(t.filtered)
            XCTAssertNil(t.filterError)
            XCTAssertFalse(t.failed)
            XCTAssertEqual(t.steps.count, 0, "nothing runs")
        }
        XCTAssertFalse(try run("shop", order(total: .int(100))).filtered)
    }

    func testIfFalseSkipsTheStepWithANullOutput() throws {
        let customer = fields(["id": .int(8), "email": .string("grace@example.com"), "accepts_marketing": .bool(false)])
        let t = try run("shop", order(total: .number(120.1), currency: "EUR", customer: customer))
        XCTAssertEqual(t.ids(.skipped), ["subscribe"])
        XCTAssertEqual(t.ids(.ran), ["notify"])
        XCTAssertFalse(t.failed)
        let subscribe = try step(t, "subscribe")
        XCTAssertEqual(subscribe.status, .skipped)
        XCTAssertNil(subscribe.inputs)
        XCTAssertEqual(subscribe.output, .null)
        // The skipped step's output is null: rendered as the empty string.
        XCTAssertEqual(try step(t, "notify").inputs?["text"], .string("grace@example.com subscribed () for 120.1 EUR"))
    }

    func testIfWithNullIsFalse() throws {
        let customer = fields(["id": .int(8), "email": .string("grace@example.com"), "accepts_marketing": .null])
        XCTAssertEqual(try run("shop", order(customer: customer)).ids(.skipped), ["subscribe"])
    }

    func testMissingOptionalNameFallsBackToTheDefault() throws {
        let customer = fields(["id": .int(9), "email": .string("alan@example.com"), "accepts_marketing": .bool(true)])
        let t = try run("shop", order(customer: customer))
        XCTAssertEqual(try step(t, "subscribe").inputs?["first_name"], .string("Friend"))
    }

    // MARK: simulated outputs

    func testOutputsComeFromTheSchemaSampleByDefault() throws {
        let t = try run("shop", order())
        let subscribe = try step(t, "subscribe")
        let sample = try XCTUnwrap(try konnector("shop").steps[0].action?.operation.sample)
        XCTAssertEqual(subscribe.output, RuntimeValue.from(sample, as: try XCTUnwrap(try konnector("shop").steps[0].action).operation.output))
        XCTAssertEqual(subscribe.output["status"], .string("subscribed"))
        XCTAssertEqual(subscribe.output["timestamp_signup"], .datetime(1_767_607_500), "sample datetimes are read as datetimes")
        XCTAssertEqual(try step(t, "notify").output["ts"], .string("1767607260.000200"))
    }

    func testSimulatedOutputsReplaceTheSample() throws {
        let t = try run("shop", order(), outputs: ["subscribe": fields(["id": .string("m-1"), "status": .string("pending")])])
        XCTAssertEqual(try step(t, "subscribe").output["status"], .string("pending"))
        XCTAssertEqual(try step(t, "notify").inputs?["text"], .string("ada@example.com subscribed (pending) for 150 USD"))
        // The other step still gets its sample.
        XCTAssertEqual(try step(t, "notify").output["channel"], .string("C024BE91L"))
    }

    // MARK: run-time validation of inputs

    func testInvalidInputsFailTheStepNamingTheFieldAndTheValue() throws {
        let t = try run("checks", order(note: .string("not-an-email"), tags: .string("maybe"), name: .string("not a url")))
        XCTAssertEqual(t.ids(.failed), ["bad-email", "bad-enum", "bad-url", "secret-url"])
        XCTAssertEqual(t.ids(.ran), ["null-required"])
        XCTAssertFalse(t.failed, "every step is on_error: continue")

        let email = try XCTUnwrap(try step(t, "bad-email").error)
        XCTAssertTrue(email.contains("`email`") && email.contains("not-an-email") && email.contains("not a valid email"), email)
        let enumeration = try XCTUnwrap(try step(t, "bad-enum").error)
        XCTAssertTrue(enumeration.contains("`status`") && enumeration.contains("`maybe`"), enumeration)
        XCTAssertTrue(enumeration.contains("subscribed, pending"), enumeration)
        let url = try XCTUnwrap(try step(t, "bad-url").error)
        XCTAssertTrue(url.contains("`icon_url`") && url.contains("not a url") && url.contains("not a valid url"), url)
        // The rendered inputs are kept for the trace, and the output is null.
        XCTAssertEqual(try step(t, "bad-email").inputs?["email"], .string("not-an-email"))
        XCTAssertEqual(try step(t, "bad-email").output, .null)
    }

    func testASensitiveValueNeverAppearsInTheMessage() throws {
        let secret = "hunter2-token-xyz"
        let t = try run("checks", order(phone: .string(secret)))
        let webhook = try step(t, "secret-url")
        XCTAssertEqual(webhook.status, .failed)
        let message = try XCTUnwrap(webhook.error)
        XCTAssertTrue(message.contains("`url`"), message)
        XCTAssertTrue(message.contains("sensitive"), message)
        XCTAssertFalse(message.contains(secret), message)
        XCTAssertEqual(webhook.sensitiveInputs, ["url", "headers"])
        // A valid URL passes.
        let ok = try run("checks", order(phone: .string("https://hooks.example.com/T0/abc")))
        XCTAssertEqual(try step(ok, "secret-url").status, .ran)
        XCTAssertEqual(try step(ok, "secret-url").inputs?["body"], fields(["order": .int(1001)]))
    }

    func testRequiredNullFailsTheStep() throws {
        let t = try run("checks", order(note: .null, tags: .string("pending"), name: .string("https://example.com/i.png")))
        let message = try XCTUnwrap(try step(t, "null-required").error)
        XCTAssertTrue(message.contains("`text`") && message.contains("null") && message.contains("required"), message)
        XCTAssertEqual(try step(t, "bad-enum").status, .ran)
        XCTAssertEqual(try step(t, "bad-url").status, .ran)
        // An empty string is no email either.
        let email = try XCTUnwrap(try step(t, "bad-email").error)
        XCTAssertTrue(email.contains("`email`") && email.contains("not a valid email"), email)
    }

    func testValidatorDirectly() {
        let specs = [
            FieldSpec(name: "email", type: .email, required: true),
            FieldSpec(name: "when", type: .date, required: false),
            FieldSpec(name: "at", type: .datetime, required: false),
            FieldSpec(name: "count", type: .integer, required: false),
            FieldSpec(name: "token", type: .url, required: true, sensitive: true),
        ]
        let problems = RuntimeValidator.checkFields([
            "when": .string("tomorrow"), "at": .string("2026-03-02"), "count": .string("3"), "token": .string("s3cr3t"),
        ], specs, prefix: "")
        XCTAssertEqual(problems.count, 5, "\(problems)")
        XCTAssertTrue(problems.contains("required `email` is missing"), "\(problems)")
        XCTAssertTrue(problems.contains { $0.contains("`when`") && $0.contains("`tomorrow`") && $0.contains("date") }, "\(problems)")
        XCTAssertTrue(problems.contains { $0.contains("`at`") && $0.contains("`2026-03-02`") && $0.contains("datetime") }, "\(problems)")
        XCTAssertTrue(problems.contains { $0.contains("`count`") && $0.contains("not an integer") }, "\(problems)")
        XCTAssertFalse(problems.joined().contains("s3cr3t"), "\(problems)")
        XCTAssertEqual(RuntimeValidator.checkFields([
            "email": .string("a@b.co"), "when": .date(20_514), "at": .datetime(noon), "count": .number(3), "token": .string("https://x.io"),
        ], specs, prefix: ""), [])
    }

    // MARK: on_error

    func testOnErrorStopLeavesLaterStepsNotReached() throws {
        let t = try run("errors", order(total: .int(2)))
        XCTAssertEqual(t.steps.map(\.status), [.ran, .failed, .notReached])
        XCTAssertTrue(t.failed)
        let hard = try step(t, "hard")
        XCTAssertTrue(hard.error?.contains("division by zero") ?? false, hard.error ?? "")
        XCTAssertTrue(hard.error?.contains("`text`") ?? false, hard.error ?? "")
        XCTAssertEqual(hard.onError, .stop)
        XCTAssertEqual(try step(t, "after").inputs, nil)
        XCTAssertEqual(RunTrace.StepStatus.notReached.rawValue, "not reached")
    }

    func testOnErrorContinueGoesOnWithANullOutput() throws {
        let t = try run("errors", order(total: .int(1)))
        XCTAssertEqual(t.steps.map(\.status), [.failed, .ran, .ran])
        XCTAssertFalse(t.failed, "a failing step with on_error: continue does not fail the run")
        XCTAssertEqual(try step(t, "soft").onError, .continue)
        XCTAssertEqual(try step(t, "soft").output, .null)
        XCTAssertEqual(try step(t, "hard").inputs?["text"], .string("hard -2"))
        XCTAssertEqual(try step(t, "after").inputs?["text"], .string("after []"))
    }

    func testACleanRunReadsEarlierOutputs() throws {
        let t = try run("errors", order(total: .int(4)))
        XCTAssertEqual(t.steps.map(\.status), [.ran, .ran, .ran])
        XCTAssertEqual(try step(t, "soft").inputs?["text"], .string("soft 0.3333333333333333"))
        XCTAssertEqual(try step(t, "hard").inputs?["text"], .string("hard 1"))
        XCTAssertEqual(try step(t, "after").inputs?["text"], .string("after [1767607260.000200]"))
    }

    func testAFilterErrorFailsTheRun() throws {
        let t = try run("errors", order(total: .int(0)))
        XCTAssertTrue(t.failed)
        XCTAssertFalse(t.filtered)
        XCTAssertTrue(t.filterError?.contains("division by zero") ?? false, t.filterError ?? "nil")
        XCTAssertEqual(t.steps.count, 0)
    }

    func testTheSampleEventRuns() throws {
        let k = try konnector("shop")
        let sample = RuntimeValue.from(try XCTUnwrap(k.trigger.sample), as: k.trigger.output)
        XCTAssertEqual(sample["created_at"], .datetime(1_767_607_200))
        let t = Simulator(now: noon).run(k, event: sample)
        XCTAssertEqual(t.ids(.ran), ["subscribe", "notify"])
        XCTAssertEqual(try step(t, "notify").inputs?["text"], .string("ada@example.com subscribed (subscribed) for 149.5 USD"))
    }

    // MARK: views

    func testRunTraceViews() throws {
        let k = try konnector("checks")
        let t = Simulator(now: noon).run(k, event: order(phone: .string("hunter2-token-xyz")))
        let text = RunTraceView().text(t, konnector: k)
        XCTAssertTrue(text.contains("step secret-url (webhook.post): failed"), text)
        XCTAssertTrue(text.contains("url: (sensitive)"), text)
        XCTAssertTrue(text.contains("(on_error: continue)"), text)
        // The event itself is shown (its fields are not sensitive); the steps never show the value.
        let stepsText = try XCTUnwrap(text.range(of: "\nstep ")).lowerBound
        XCTAssertFalse(text[stepsText...].contains("hunter2-token-xyz"), text)
        let json = RunTraceView().json(t)
        let secretSteps = json.components(separatedBy: "\"id\":\"secret-url\"")
        XCTAssertEqual(secretSteps.count, 2, json)
        XCTAssertTrue(json.contains("\"url\":\"(sensitive)\""), json)
        let stepsJSON = try XCTUnwrap(json.range(of: "\"steps\":")).lowerBound
        XCTAssertFalse(json[stepsJSON...].contains("hunter2-token-xyz"), json)
    }
}

// MARK: - the test runner

private let suiteYAML = """
tests: shop
cases:
  - name: runs
    event:
      id: 1
      created_at: "2026-03-02T12:00:00Z"
      total_price: 150
      currency: USD
      customer: { id: 7, email: ada@example.com, first_name: ada, accepts_marketing: true }
      line_items: []
    outputs:
      subscribe: { id: m-1, status: subscribed }
    expect:
      filtered: false
      ran: [subscribe, notify]
      skipped: []
      failed: []
      inputs:
        subscribe: { email: ada@example.com, first_name: Ada, tags: [shopify, usd], update_existing: true }
        notify: { text: "ada@example.com subscribed (subscribed) for 150 USD" }
  - name: everything wrong
    event:
      id: 2
      created_at: "2026-03-02T12:00:00Z"
      total_price: 150.0
      currency: USD
      customer: { id: 7, email: ada@example.com, first_name: ada, accepts_marketing: false }
      line_items: []
    expect:
      filtered: true
      ran: [subscribe, notify]
      skipped: [notify]
      failed: [subscribe]
      inputs:
        subscribe: { first_name: Ada }
        notify: { channel: "#general", text: "ada@example.com subscribed () for 150 USD" }
  - name: filtered
    event:
      id: 3
      created_at: "2026-03-02T12:00:00Z"
      total_price: 5
      currency: USD
      line_items: []
    expect:
      filtered: true
      ran: []
      inputs:
        notify: { text: x }

"""

private let errorsSuiteYAML = """
tests: errors
cases:
  - name: an unexpected failure
    event: { id: 1, created_at: "2026-03-02T12:00:00Z", total_price: 2, currency: USD, line_items: [] }
    expect:
      ran: [soft]
  - name: an expected failure
    event: { id: 1, created_at: "2026-03-02T12:00:00Z", total_price: 1, currency: USD, line_items: [] }
    expect:
      ran: [hard, after]
      failed: [soft]
  - name: the filter fails
    event: { id: 1, created_at: "2026-03-02T12:00:00Z", total_price: 0, currency: USD, line_items: [] }
    expect:
      filtered: false

"""

private let checksSuiteYAML = """
tests: checks
cases:
  - name: sensitive mismatch
    event:
      id: 1
      created_at: "2026-03-02T12:00:00Z"
      total_price: 1
      currency: USD
      line_items: []
      note: ada@example.com
      tags: pending
      name: https://example.com/icon.png
      customer: { id: 7, phone: "https://hooks.example.com/real-token", accepts_marketing: true }
    expect:
      inputs:
        secret-url: { url: "https://hooks.example.com/other" }

"""

final class TestRunnerComparisonTests: XCTestCase {
    func results(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> [TestRunner.Result] {
        let checked = project([("konnectors/shop.test.yaml", suiteYAML), ("konnectors/errors.test.yaml", errorsSuiteYAML),
                               ("konnectors/checks.test.yaml", checksSuiteYAML)])
        XCTAssertEqual(checked.diagnostics.filter { $0.severity == .error }.map { "\($0.file):\(codeAt($0)) \($0.message)" }, [],
                       file: file, line: line)
        let suite = try XCTUnwrap(checked.checkedTestSuites.first { $0.konnector == id }, file: file, line: line)
        let k = try XCTUnwrap(checked.checkedKonnectors.first { $0.id == id }, file: file, line: line)
        return TestRunner(simulator: Simulator(now: noon)).run(suite, konnector: k)
    }

    func failures(_ r: TestRunner.Result) -> [String] {
        r.failures.map { f in
            if let m = f.message { return "\(f.path): \(m)" }
            return "\(f.path): \(f.expected?.serialized() ?? "-") vs \(f.actual?.serialized() ?? "-")"
        }
    }

    func testAPassingCase() throws {
        let r = try results("shop")[0]
        XCTAssertEqual(r.name, "runs")
        XCTAssertEqual(r.konnector, "shop")
        XCTAssertEqual(r.file, "konnectors/shop.test.yaml")
        XCTAssertEqual(r.range.start.line, 3)
        XCTAssertTrue(r.passed, "\(failures(r))")
    }

    func testEveryKindOfMismatch() throws {
        let r = try results("shop")[1]
        XCTAssertFalse(r.passed)
        XCTAssertEqual(failures(r), [
            "expect.filtered: true vs false",
            "expect.ran: [\"subscribe\",\"notify\"] vs [\"notify\"]",
            "expect.skipped: [\"notify\"] vs [\"subscribe\"]",
            "expect.failed: [\"subscribe\"] vs []",
            "expect.inputs.subscribe: step `subscribe` was skipped, so it received no inputs",
            "expect.inputs.notify.channel: \"#general\" vs \"#sales\"",
        ])
        // Only listed fields are compared, and `text` (150.0 rendered as 150) matches.
    }

    func testInputsOfAFilteredRun() throws {
        let r = try results("shop")[2]
        XCTAssertEqual(failures(r), ["expect.inputs.notify: step `notify` did not run, so it received no inputs"])
    }

    func testFailingStepsAreFailuresUnlessExpected() throws {
        let rs = try results("errors")
        XCTAssertEqual(rs.count, 3)
        let unexpected = failures(rs[0])
        XCTAssertEqual(unexpected.count, 1, "\(unexpected)")
        XCTAssertTrue(unexpected[0].hasPrefix("steps.hard: step `hard` failed: "), unexpected[0])
        XCTAssertTrue(unexpected[0].contains("division by zero"), unexpected[0])
        XCTAssertTrue(rs[1].passed, "\(failures(rs[1]))")
        let filter = failures(rs[2])
        XCTAssertEqual(filter.count, 1, "\(filter)")
        XCTAssertTrue(filter[0].hasPrefix("when: the filter failed: "), filter[0])
    }

    func testSensitiveValuesAreMaskedInFailures() throws {
        let r = try results("checks")[0]
        XCTAssertEqual(failures(r), ["expect.inputs.secret-url.url: \"(sensitive)\" vs \"(sensitive)\""])
        let report = TestReportView(color: false).render([r]) + TestReportView(color: false).json([r])
        XCTAssertFalse(report.contains("real-token"), report)
        XCTAssertFalse(report.contains("hooks.example.com/other"), report)
    }

    func testReportViews() throws {
        let rs = try results("shop")
        let text = TestReportView(color: false).render(rs)
        XCTAssertTrue(text.contains("PASS shop › runs\n"), text)
        XCTAssertTrue(text.contains("FAIL shop › everything wrong\n"), text)
        XCTAssertTrue(text.contains("     --> konnectors/shop.test.yaml:"), text)
        XCTAssertTrue(text.contains("expect.inputs.notify.channel: expected \"#general\", got \"#sales\""), text)
        XCTAssertTrue(text.hasSuffix("\n1 passed, 2 failed\n"), text)
        XCTAssertFalse(text.contains("\u{1B}"))
        XCTAssertTrue(TestReportView(color: true).render(rs).contains("\u{1B}["))

        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(TestReportView(color: false).json(rs).utf8)) as? [String: Any])
        XCTAssertEqual((json["summary"] as? [String: Any])?["passed"] as? Int, 1)
        XCTAssertEqual((json["summary"] as? [String: Any])?["failed"] as? Int, 2)
        let cases = try XCTUnwrap(json["cases"] as? [[String: Any]])
        XCTAssertEqual(cases.map { $0["name"] as? String }, ["runs", "everything wrong", "filtered"])
        XCTAssertEqual(cases.map { $0["passed"] as? Bool }, [true, false, false])
        let first = try XCTUnwrap((cases[1]["failures"] as? [[String: Any]])?.first)
        XCTAssertEqual(first["path"] as? String, "expect.filtered")
        XCTAssertEqual(first["expected"] as? Bool, true)
        XCTAssertEqual(first["actual"] as? Bool, false)
    }
}

// MARK: - checking `tests:` documents

final class TestSuiteCheckerDiagnosticsTests: XCTestCase {
    func diagnostics(_ text: String) -> [Diagnostic] {
        project([("konnectors/t.test.yaml", text)]).diagnostics.filter { $0.file == "konnectors/t.test.yaml" }
    }

    func testUnknownKonnector() {
        let ds = diagnostics("tests: shops\ncases: []\n")
        XCTAssertEqual(ds.map(codeAt), ["unknown-reference@1:8"])
        XCTAssertEqual(ds.first?.message, "no konnector `shops` to test")
        XCTAssertTrue(ds.first?.hint?.contains("`shop`") ?? false, ds.first?.hint ?? "no hint")
    }

    func testABrokenKonnectorIsNotReportedAgain() {
        let checked = project([("konnectors/bad.yaml", "konnector: bad\nname: B\ntrigger: {app: nope, event: e}\nsteps: [{id: s, app: slack, action: send_message}]\n"),
                               ("konnectors/t.test.yaml", "tests: bad\ncases: [{name: c, expect: {filtered: false}}]\n")])
        XCTAssertEqual(checked.diagnostics.filter { $0.file == "konnectors/t.test.yaml" }.map(codeAt), [])
        XCTAssertTrue(checked.hasErrors)
        XCTAssertTrue(checked.checkedTestSuites.isEmpty)
    }

    func testUnknownStepsInOutputsAndExpect() {
        let ds = diagnostics("""
        tests: shop
        cases:
          - name: c
            outputs:
              subscrbe: { id: m-1, status: subscribed }
            expect:
              ran: [subscribe, notfy]
              skipped: [nope]
              failed: [subscribe]
              inputs:
                notiffy: { text: x }
                notify: { txt: x }

        """)
        XCTAssertEqual(ds.map(codeAt), [
            "unknown-reference@5:7", "unknown-reference@7:24", "unknown-reference@8:17",
            "unknown-reference@11:9", "unknown-field@12:19",
        ])
        XCTAssertEqual(ds[0].message, "konnector `shop` has no step `subscrbe`")
        XCTAssertTrue(ds[0].hint?.contains("`subscribe`") ?? false, ds[0].hint ?? "no hint")
        XCTAssertEqual(ds[1].message, "konnector `shop` has no step `notfy`")
        XCTAssertTrue(ds[3].hint?.contains("`notify`") ?? false, ds[3].hint ?? "no hint")
        XCTAssertTrue(ds[4].message.contains("`txt`"), ds[4].message)
        XCTAssertTrue(ds[4].hint?.contains("`text`") ?? false, ds[4].hint ?? "no hint")
    }

    func testMistypedEvent() {
        let ds = diagnostics("""
        tests: shop
        cases:
          - name: mistyped
            event:
              id: "abc"
              created_at: yesterday
              total_price: 150
              financial_status: bogus
              customer: { id: 7, email: not-an-email, accepts_marketing: true }
              line_items: []
            expect: { filtered: false }

        """)
        // `currency`, not written, comes from the trigger's sample (SPEC §9).
        XCTAssertEqual(ds.map(codeAt), ["type-mismatch@5:11", "invalid-value@6:19", "invalid-value@8:25", "invalid-value@9:33"])
        guard ds.count == 4 else { return }
        XCTAssertTrue(ds[0].message.contains("integer"), ds[0].message)
        XCTAssertTrue(ds[1].message.contains("`yesterday`") && ds[1].message.contains("datetime"), ds[1].message)
        XCTAssertTrue(ds[2].message.contains("`bogus`"), ds[2].message)
        XCTAssertTrue(ds[3].message.contains("`not-an-email`"), ds[3].message)
    }

    func testMistypedOutput() {
        let ds = diagnostics("""
        tests: shop
        cases:
          - name: bad output
            outputs:
              subscribe: { id: 5, status: maybe }
            expect: {}

        """)
        XCTAssertEqual(ds.map(codeAt), ["type-mismatch@5:24", "invalid-value@5:35"])
    }

    func testCaseShape() {
        let ds = diagnostics("""
        tests: shop
        cases:
          - event: { id: 1, created_at: "2026-03-02T12:00:00Z", total_price: 1, currency: USD, line_items: [] }
            expct: {}
          - name: shapes
            expect: { filtered: maybe, ran: subscribe, surprise: 1 }
          - just a string

        """)
        XCTAssertEqual(Set(ds.map(\.code)), [.missingField, .unknownField, .invalidValue])
        XCTAssertTrue(ds.contains { codeAt($0) == "unknown-field@4:5" }, "\(ds.map(codeAt))")
        XCTAssertTrue(ds.contains { codeAt($0) == "invalid-value@6:25" }, "\(ds.map(codeAt))")
        XCTAssertTrue(ds.contains { codeAt($0) == "invalid-value@6:37" }, "\(ds.map(codeAt))")
        XCTAssertTrue(ds.contains { codeAt($0) == "unknown-field@6:48" }, "\(ds.map(codeAt))")
        XCTAssertTrue(ds.contains { codeAt($0) == "invalid-value@7:5" }, "\(ds.map(codeAt))")
    }

    func testGoodCasesStillRunNextToBadOnes() throws {
        let checked = project([("konnectors/t.test.yaml", """
        tests: shop
        cases:
          - name: bad
            event: { id: x }
          - name: good
            event: { id: 1, created_at: "2026-03-02T12:00:00Z", total_price: 1, currency: USD, line_items: [] }
            expect: { filtered: true }

        """)])
        XCTAssertTrue(checked.hasErrors)
        let suite = try XCTUnwrap(checked.checkedTestSuites.first)
        XCTAssertEqual(suite.cases.map(\.name), ["good"])
        // Fields it does not write come from the trigger's sample (SPEC §9).
        XCTAssertEqual(suite.cases[0].event["customer"]?["id"], .int(7))
        XCTAssertEqual(suite.cases[0].event["created_at"], .datetime(noon))
    }

    func testAnEventDefaultsToTheTriggerSample() throws {
        let checked = project([("konnectors/t.test.yaml", "tests: shop\ncases: [{name: sample, expect: {ran: [subscribe, notify]}}]\n")])
        XCTAssertFalse(checked.hasErrors, "\(checked.diagnostics.map(codeAt))")
        let suite = try XCTUnwrap(checked.checkedTestSuites.first)
        XCTAssertEqual(suite.cases[0].event["id"], .int(1001))
        let k = try XCTUnwrap(checked.checkedKonnectors.first { $0.id == "shop" })
        XCTAssertTrue(TestRunner(simulator: Simulator(now: noon)).run(suite, konnector: k)[0].passed)
    }
}
