// Test cases start from the schemas' samples, and every case is counted
// (SPEC §9, issue 19 items 1 and 6): the merge, its diagnostics, and the
// cases that cannot run.
import XCTest
@testable import KonnectCore
import KonnectYAML

private let schema = ShopSchemaYAML.head + """
  Customer:
    id: integer
    email: email?
    name: string?

""" + ShopSchemaYAML.itemType + """
triggers:
  order:
    name: Order
    output:
      id: integer
      total: number
      currency: string
      note: string?
      customer: Customer?
      items: array<Item>
      meta: any
    sample:
      id: 1
      total: 150
      currency: USD
      note: gift
      customer: { id: 7, email: ada@example.com, name: Ada }
      items: [{ sku: A, qty: 1 }, { sku: B, qty: 2 }]
      meta: { source: web, tags: [x] }
  bare:
    name: Bare
    output:
      id: integer
      total: number
      currency: string
      note: string?
actions:

""" + ShopSchemaYAML.logAction + """
    output:
      id: string
      status: string
      count: integer
    sample: { id: l-1, status: ok, count: 3 }

"""

private let konnectors = """
konnector: k
name: K
trigger: { app: shop, event: order }
when: trigger.total >= 100
steps:
  - id: log
    app: shop
    action: log
    with: { text: "{{ trigger.currency }} {{ trigger.customer.name }}" }
---
konnector: b
name: B
trigger: { app: shop, event: bare }
steps:
  - id: log
    app: shop
    action: log
    with: { text: "{{ trigger.currency }}" }

"""

private func checked(_ files: [(String, String)], konnectorFile: String = konnectors) -> CheckedProject {
    let all = [("konnectors/k.yaml", konnectorFile)] + files
    return ProjectValidator().validate(files: all.map { SourceFile(path: $0.0, bytes: Array($0.1.utf8)) },
                                       schemaFiles: [SourceFile(path: "schemas/shop.yaml", bytes: Array(schema.utf8))])
}

private func located(_ d: Diagnostic) -> String { "\(d.code.rawValue)@\(d.range.start.line):\(d.range.start.column)" }

private func object(_ pairs: KeyValuePairs<String, RuntimeValue>) -> RuntimeValue {
    var values: [String: RuntimeValue] = [:]
    for (k, v) in pairs { values[k] = v }
    return .object(values, order: pairs.map(\.key))
}

final class TestSuiteSampleTests: XCTestCase {
    func suite(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> (CheckedTestSuite, [Diagnostic]) {
        let project = checked([("konnectors/t.test.yaml", text)])
        let diagnostics = project.diagnostics.filter { $0.file == "konnectors/t.test.yaml" }
        return (try XCTUnwrap(project.checkedTestSuites.first, file: file, line: line), diagnostics)
    }

    func testNoEventAnEmptyOneAndANullOneAreTheSample() throws {
        let (s, ds) = try suite("""
        tests: k
        cases:
          - name: none
          - name: empty
            event: {}
          - name: null
            event:

        """)
        XCTAssertEqual(ds.map(located), [])
        XCTAssertEqual(s.cases.map(\.name), ["none", "empty", "null"])
        for c in s.cases {
            XCTAssertEqual(c.event["id"], .int(1), c.name)
            XCTAssertEqual(c.event["note"], .string("gift"), c.name)
            XCTAssertEqual(c.event["customer"]?["email"], .string("ada@example.com"), c.name)
            XCTAssertEqual(c.event["items"], .array([object(["sku": .string("A"), "qty": .int(1)]),
                                                     object(["sku": .string("B"), "qty": .int(2)])]), c.name)
        }
    }

    func testObjectsMergeArraysAndScalarsReplaceNullClears() throws {
        let (s, ds) = try suite("""
        tests: k
        cases:
          - name: merged
            event:
              total: 99
              note: null
              customer: { name: Bob }
              items: [{ sku: Z, qty: 5 }]
              meta: { tags: [y] }

        """)
        XCTAssertEqual(ds.map(located), [])
        let e = try XCTUnwrap(s.cases.first?.event)
        XCTAssertEqual(e["total"], .number(99))
        XCTAssertEqual(e["currency"], .string("USD"))
        XCTAssertEqual(e["note"], .null)
        XCTAssertEqual(e["customer"], object(["id": .int(7), "email": .string("ada@example.com"), "name": .string("Bob")]))
        XCTAssertEqual(e["items"], .array([object(["sku": .string("Z"), "qty": .int(5)])]))
        XCTAssertEqual(e["meta"], object(["source": .string("web"), "tags": .array([.string("y")])]))
    }

    func testOutputsMergeOverTheActionSample() throws {
        let (s, ds) = try suite("""
        tests: k
        cases:
          - name: c
            outputs:
              log: { status: failed }

        """)
        XCTAssertEqual(ds.map(located), [])
        XCTAssertEqual(s.cases.first?.outputs["log"], object(["id": .string("l-1"), "status": .string("failed"), "count": .int(3)]))
    }

    /// `event: {}` with no sample to start from: one diagnostic names every
    /// missing field (there were one per field, all at the same caret).
    func testMissingFieldsAreOneDiagnostic() throws {
        let project = checked([("konnectors/t.test.yaml", """
        tests: b
        cases:
          - name: empty
            event: {}
          - name: absent
            expect: { filtered: false }
          - name: some
            event: { id: 1, note: x }

        """)])
        let ds = project.diagnostics.filter { $0.file == "konnectors/t.test.yaml" }
        XCTAssertEqual(ds.map(located), ["missing-field@4:12", "missing-field@5:5", "missing-field@8:12"])
        XCTAssertEqual(ds[0].message, "missing required fields `id`, `total`, `currency` for the event")
        XCTAssertEqual(ds[0].hint, "shop.bare has no sample event to start from; write them under `event:`")
        XCTAssertEqual(ds[1].message, ds[0].message)
        XCTAssertEqual(ds[2].message, "missing required fields `total`, `currency` for the event")
        XCTAssertEqual(project.checkedTestSuites.first?.cases.count, 0)
    }

    func testNewArrayItemsStartFromNothing() throws {
        let project = checked([("konnectors/t.test.yaml", """
        tests: k
        cases:
          - name: item
            event: { items: [{ sku: Z }, { qty: 1 }] }
          - name: customer
            event: { customer: null }
          - name: customer again
            event: { customer: { email: b@example.com } }

        """)])
        let ds = project.diagnostics.filter { $0.file == "konnectors/t.test.yaml" }
        // The sample's customer is merged into; the items replace the sample's.
        XCTAssertEqual(ds.map(located), ["missing-field@4:22", "missing-field@4:34"])
        XCTAssertEqual(ds.map(\.message), ["missing required field `qty` for item 1 of `items`",
                                           "missing required field `sku` for item 2 of `items`"])
        XCTAssertEqual(project.checkedTestSuites.first?.cases.map(\.name), ["customer", "customer again"])
    }

    func testDiagnosticsPointAtWhatTheUserWrote() throws {
        let (_, ds) = try suite("""
        tests: k
        cases:
          - name: c
            event:
              custmer: { name: Bob }
              customer: { email: nope, id: "7" }
            outputs:
              log: { count: many, stauts: ok }

        """)
        XCTAssertEqual(ds.map(located), ["unknown-field@5:7", "invalid-value@6:26", "type-mismatch@6:36",
                                         "type-mismatch@8:21", "unknown-field@8:27"])
        XCTAssertTrue(ds[0].hint?.contains("`customer`") ?? false, ds[0].hint ?? "no hint")
        XCTAssertTrue(ds[4].hint?.contains("`status`") ?? false, ds[4].hint ?? "no hint")
    }

    func testMergedValuesKeepTheSamplesKeyOrder() {
        let base = SchemaValue.object(["a": .int(1), "b": .object(["x": .int(1)], order: ["x"])], order: ["a", "b"])
        let over = SchemaValue.object(["c": .int(3), "b": .object(["y": .int(2)], order: ["y"])], order: ["c", "b"])
        XCTAssertEqual(over.merged(over: base),
                       .object(["a": .int(1), "b": .object(["x": .int(1), "y": .int(2)], order: ["x", "y"]), "c": .int(3)],
                               order: ["a", "b", "c"]))
        XCTAssertEqual(SchemaValue.int(5).merged(over: base), .int(5))
        XCTAssertEqual(over.merged(over: nil), over)
        XCTAssertEqual(over.merged(over: .array([])), over)
    }
}

/// Every case is counted: a case that cannot run is a failed case, listed
/// with its errors (SPEC §9, issue 19 item 1).
final class TestCaseCountTests: XCTestCase {
    static let suites = """
    tests: k
    cases:
      - name: runs
        expect: { ran: [log] }
      - name: bad output
        outputs: { log: { count: many } }
      - name: bad event
        event: { total: cheap }
      - name: bad expectation
        expect: { ran: [lgo] }
    ---
    tests: kk
    cases:
      - name: unknown konnector
    ---
    tests: b
    cases:
      - name: fine
        event: { id: 1, total: 2, currency: EUR }

    """

    func testEveryCaseIsRunOrBlocked() throws {
        let project = checked([("konnectors/t.test.yaml", Self.suites)])
        let cases = project.testCases()
        XCTAssertEqual(cases.count, 6)
        var summary: [String] = []
        for c in cases {
            switch c {
            case .ready(let c, let k): summary.append("ready \(k.id) \(c.name)")
            case .blocked(let b): summary.append("blocked \(b.konnector) \(b.name): \(b.errors.map(located).joined(separator: " "))")
            }
        }
        XCTAssertEqual(summary, [
            "ready k runs",
            "blocked k bad output: type-mismatch@6:30",
            "blocked k bad event: type-mismatch@8:21",
            "blocked k bad expectation: unknown-reference@10:21",
            "blocked kk unknown konnector: unknown-reference@12:8",
            "ready b fine",
        ])
        XCTAssertEqual(project.testCases(of: ["b"]).count, 1)
        XCTAssertEqual(project.testCases(of: ["kk"]).count, 1)

        let results = TestRunner(simulator: Simulator(now: 0)).run(cases)
        XCTAssertEqual(results.map(\.passed), [true, false, false, false, false, true])
        let text = TestReportView(color: false).render(results)
        XCTAssertTrue(text.contains("""
        FAIL k › bad output
             --> konnectors/t.test.yaml:5:5
             error[type-mismatch]: `count` expects integer, found a string
               --> konnectors/t.test.yaml:6:30

        """), text)
        XCTAssertTrue(text.contains("FAIL kk › unknown konnector\n"), text)
        XCTAssertTrue(text.contains("       = hint: did you mean `k`?\n"), text)
        XCTAssertTrue(text.hasSuffix("\n2 passed, 4 failed\n"), text)

        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(TestReportView(color: false).json(results).utf8)) as? [String: Any])
        XCTAssertEqual(json["summary"] as? [String: Int], ["passed": 2, "failed": 4])
        let listed = try XCTUnwrap(json["cases"] as? [[String: Any]])
        XCTAssertEqual(listed.map { $0["status"] as? String }, ["passed", "error", "error", "error", "error", "passed"])
        let diagnostics = try XCTUnwrap(listed[1]["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(diagnostics.count, 1)
        // The same objects as `validate --format json`.
        let validate = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(DiagnosticJSONView().render(project.diagnostics, summary: project.summary).utf8)) as? [String: Any])
        let same = try XCTUnwrap(validate["diagnostics"] as? [[String: Any]]).filter { $0["line"] as? Int == 6 }
        XCTAssertEqual(same.count, 1)
        XCTAssertEqual(NSDictionary(dictionary: diagnostics[0]), NSDictionary(dictionary: same[0]))
    }

    /// The cases of a konnector with errors cannot run: they fail with the konnector's errors.
    func testTheCasesOfABrokenKonnectorFailWithItsErrors() throws {
        let broken = konnectors.replacingOccurrences(of: "{{ trigger.currency }} {{", with: "{{ trigger.curency }} {{")
        let project = checked([("konnectors/t.test.yaml", "tests: k\ncases: [{ name: a }, { name: b }]\n")], konnectorFile: broken)
        let cases = project.testCases(of: ["k"])
        XCTAssertEqual(cases.count, 2)
        for c in cases {
            guard case .blocked(let b) = c else { return XCTFail("\(c) runs") }
            XCTAssertEqual(b.errors.map { "\($0.file) \(located($0))" }, ["konnectors/k.yaml unknown-reference@9:31"])
        }
        // The suite names a konnector that exists: no "no konnector" error in the test file.
        XCTAssertEqual(project.diagnostics.filter { $0.file == "konnectors/t.test.yaml" }.count, 0)
    }

    /// An error the decoder finds in the test document (not the checker) blocks its cases too.
    func testAnErrorInTheDocumentBlocksEveryCase() {
        let project = checked([("konnectors/t.test.yaml", "tests: k\ncsaes: 1\ncases: [{ name: a }, { name: b }]\n")])
        let blocked = project.testCases().compactMap { c -> [String]? in
            if case .blocked(let b) = c { return b.errors.map(located) }
            return nil
        }
        XCTAssertEqual(blocked, [["unknown-field@2:1"], ["unknown-field@2:1"]])
    }

    /// A near miss of a konnector that has errors still gets a "did you mean".
    func testAMisspelledIdOfABrokenKonnectorGetsAHint() {
        let broken = konnectors.replacingOccurrences(of: "{{ trigger.currency }} {{", with: "{{ trigger.curency }} {{")
        let project = checked([("konnectors/t.test.yaml", "tests: kx\ncases: [{ name: a }]\n")],
                              konnectorFile: broken.replacingOccurrences(of: "konnector: k\n", with: "konnector: kz\n"))
        let d = project.diagnostics.first { $0.file == "konnectors/t.test.yaml" }
        XCTAssertEqual(d?.message, "no konnector `kx` to test")
        XCTAssertEqual(d?.hint, "did you mean `kz`?")
    }
}

/// `konnect run --event FILE` checks the file as a test case's event with no
/// sample under it: the missing fields are one diagnostic.
final class EventFileTests: XCTestCase {
    func testMissingFieldsOfAnEventFileAreOneDiagnostic() throws {
        let project = checked([])
        let k = try XCTUnwrap(project.checkedKonnectors.first { $0.id == "k" })
        let file = SourceFile(path: "event.yaml", bytes: Array("id: 1\ncustomer: { email: nope }\n".utf8))
        let (event, found, _) = EventChecker.check(file, for: k)
        let ds = Diagnostic.sorted(found)
        XCTAssertNil(event)
        XCTAssertEqual(ds.map(located), ["missing-field@1:1", "missing-field@2:11", "invalid-value@2:20"])
        XCTAssertEqual(ds.first?.message, "missing required fields `total`, `currency`, `items` for the event")
        XCTAssertEqual(ds[1].message, "missing required field `id` for `customer`")

        let good = SourceFile(path: "event.json", bytes: Array(#"{"id": 2, "total": 3, "currency": "EUR", "items": [], "meta": null}"#.utf8))
        let (value, none, _) = EventChecker.check(good, for: k)
        XCTAssertEqual(none.map(located), [])
        XCTAssertEqual(value?["note"], .null, "an event file has no sample under it")
        XCTAssertEqual(value?["total"], .number(3))
    }
}
