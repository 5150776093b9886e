import XCTest
@testable import KonnectCore
import KonnectYAML

// The checker harness `TC`, shared by TypeCheckerTests, ExpressionParserTests,
// FunctionSignatureTests, SchemaLoaderTests and the evaluator tests: small
// inline projects driven through `ProjectValidator`.
//
// Positions are marked in the text rather than counted by hand, as
// swift-syntax's tests mark them: `⟨` and `⟩` around what a diagnostic
// should cover. `TC.marked` takes the marks out before validating and says
// where each pair stood, as `line:column-line:column` of the text without marks.

/// The harness: a test app schema with a field of every type, konnector
/// builders with fixed line numbers, and a type probe.
enum TC {
    /// `shop`: auth none (no connection needed). The trigger's output has a
    /// field of every type, nullable and not; `take` has an optional input of
    /// every type; `need` has required inputs.
    static let shopSchema = """
    app: shop
    name: Shop
    auth: none
    scopes:
      read: Read things
      write: Write things
    types:
      Customer:
        id: integer
        email: email?
        name: string?
        vip: boolean
        address: Address?
      Address:
        city: string?
        zip: string
      Item:
        sku: string
        qty: integer
        price: number
    triggers:
      order:
        name: Order
        scopes: [read]
        config:
          status: { type: "enum(any, paid)", default: any }
          min: integer
        output:
          id: integer
          count: integer
          maybe_count: integer?
          total: number
          maybe_total: number?
          name: string
          note: string?
          email: email
          maybe_email: email?
          site: url
          day: date
          at: datetime
          maybe_at: datetime?
          paid: boolean
          maybe_paid: boolean?
          state: "enum(open, closed)"
          tags: array<string>
          maybe_tags: array<string>?
          counts: array<integer>
          items: array<Item>
          customer: Customer?
          owner: Customer
          extra: any
    actions:
      take:
        name: Take
        scopes: [write]
        input:
          s: string
          i: integer
          n: number
          b: boolean
          d: date
          dt: datetime
          e: email
          u: url
          en: "enum(red, green)"
          en2: "enum(open, closed, archived)"
          a: any
          arr: array<string>
          arri: array<integer>
          obj: { city: string, zip: string? }
          items: array<Item>
          cust: Customer
          probe: { zzz_probe: boolean }
        output:
          id: integer
          ok: boolean
      need:
        name: Need
        input:
          rs: { type: string, required: true }
          re: { type: email, required: true }
          rb: { type: boolean, required: true }
        output:
          id: integer
          label: string?

    """

    /// `crm`: an app that needs connections and scopes.
    static let crmSchema = """
    app: crm
    name: CRM
    auth: oauth2
    scopes:
      contacts.read: Read contacts
      contacts.write: Write contacts
    triggers:
      new_contact:
        name: New Contact
        scopes: [contacts.read]
        output:
          id: integer
          email: email
          name: string?
    actions:
      upsert_contact:
        name: Upsert Contact
        scopes: [contacts.read, contacts.write]
        input:
          email: { type: email, required: true }
          name: string
        output:
          id: integer

    """

    static let crmConnections = """
    connection: crm-main
    app: crm
    scopes: [contacts.read, contacts.write]
    secret: env:CRM_TOKEN
    ---
    connection: crm-readonly
    app: crm
    scopes: [contacts.read]
    secret: env:CRM_TOKEN

    """

    static func file(_ path: String, _ text: String) -> SourceFile {
        SourceFile(path: path, bytes: Array(text.utf8))
    }

    static var schemaFiles: [SourceFile] {
        [file("schemas/shop.yaml", shopSchema), file("schemas/crm.yaml", crmSchema)]
    }

    /// Validates `text` as `konnectors/k.yaml`, with the crm connections in
    /// another file and the test schemas.
    static func validate(_ text: String, schemas: [SourceFile]? = nil) -> CheckedProject {
        ProjectValidator().validate(files: [file("konnectors/k.yaml", text), file("konnectors/connections.yaml", crmConnections)],
                                    schemaFiles: schemas ?? schemaFiles)
    }

    static func diagnostics(_ text: String) -> [Diagnostic] { validate(text).diagnostics }

    /// The diagnostics of `text` as the project's only file (`konnectors/k.yaml`,
    /// no connections), with the test schemas.
    static func loneFileDiagnostics(_ text: String) -> [Diagnostic] {
        ProjectValidator().validate(files: [file("konnectors/k.yaml", text)], schemaFiles: schemaFiles).diagnostics
    }

    /// A YAML double-quoted scalar holding `s`.
    static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// `"{{ expr }}"` as a YAML double-quoted scalar.
    static func template(_ expr: String) -> String { quoted("{{ \(expr) }}") }

    /// The first four lines of a test konnector: `konnector:`, `name:`, a
    /// one-line `trigger:` and `steps:`; its steps follow.
    static func head(_ id: String = "k", name: String = "K", trigger: String = "{app: shop, event: order}") -> String {
        "konnector: \(id)\nname: \(name)\ntrigger: \(trigger)\nsteps:\n"
    }

    /// A konnector with one step. Lines are fixed: `when:` is line 4, the
    /// step's `if:` line 9, and the `with:` entries start on line 11, at column 7.
    static func konnector(when: String? = nil, action: String = "take", if condition: String? = nil, with lines: [String]) -> String {
        var y = "konnector: k\nname: K\ntrigger: {app: shop, event: order}\n"
        y += when.map { "when: \($0)\n" } ?? "# no filter\n"
        y += "steps:\n  - id: a\n    app: shop\n    action: \(action)\n"
        y += condition.map { "    if: \($0)\n" } ?? "    # no condition\n"
        y += "    with:\n"
        for line in lines { y += "      \(line)\n" }
        return y
    }

    /// The diagnostics of `field: "{{ expr }}"` in a `take` step.
    static func check(_ expr: String, into field: String = "s", when: String? = nil) -> [Diagnostic] {
        diagnostics(konnector(when: when.map(quoted), with: ["\(field): \(template(expr))"]))
    }

    /// The diagnostics of `when: "expr"`.
    static func condition(_ expr: String) -> [Diagnostic] {
        diagnostics(konnector(when: quoted(expr), with: ["s: x"]))
    }

    static let probePrefix = "`probe` expects { zzz_probe: boolean }, found `"

    /// The static type of `expr`, read from the type-mismatch of assigning it
    /// to a field nothing else fits. "<assignable>" when no mismatch is
    /// reported (`any`); other diagnostics are appended, so a test fails
    /// with them in view.
    static func typeOf(_ expr: String, when: String? = nil) -> String {
        let all = check(expr, into: "probe", when: when)
        var type = "<assignable>"
        var others: [String] = []
        for d in all {
            if d.code == .typeMismatch, d.message.hasPrefix(probePrefix) {
                type = String(d.message.dropFirst(probePrefix.count).dropLast())
            } else {
                others.append(d.tcBrief + " " + d.message)
            }
        }
        return others.isEmpty ? type : type + " + " + others.joined(separator: "; ")
    }
}

extension Diagnostic {
    /// `code@line:column`.
    var tcBrief: String { "\(code.rawValue)@\(range.start.line):\(range.start.column)" }
    /// `code@line:column-line:column`.
    var tcSpan: String { tcBrief + "-\(range.end.line):\(range.end.column)" }
}

/// Asserts `TC.typeOf(expr) == type` for each pair, in order.
func tcAssertTypes(_ cases: KeyValuePairs<String, String>, file: StaticString = #filePath, line: UInt = #line) {
    for (expr, type) in cases {
        XCTAssertEqual(TC.typeOf(expr), type, expr, file: file, line: line)
    }
}

/// Asserts what is given of `ds`: the spans of them all (`tcSpan`), and
/// the first one's severity, message and hint.
func tcExpect(_ ds: [Diagnostic], spans: [String]? = nil, severity: Severity? = nil, message: String? = nil, hint: String? = nil,
              file: StaticString = #filePath, line: UInt = #line) {
    if let spans { XCTAssertEqual(ds.map(\.tcSpan), spans, file: file, line: line) }
    if let severity { XCTAssertEqual(ds.first?.severity, severity, file: file, line: line) }
    if let message { XCTAssertEqual(ds.first?.message, message, file: file, line: line) }
    if let hint { XCTAssertEqual(ds.first?.hint, hint, file: file, line: line) }
}

/// Asserts a marked text's diagnostics: one, `code`, at the first mark;
/// its `message`, and its `hint` when one is given.
func tcAssertMarked(_ marked: (diagnostics: [Diagnostic], marks: Marks), _ code: String, _ message: String, hint: String? = nil,
                    file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(marked.diagnostics.map(\.tcSpan), marked.marks.spans(code), file: file, line: line)
    XCTAssertEqual(marked.diagnostics.first?.message, message, file: file, line: line)
    if let hint { XCTAssertEqual(marked.diagnostics.first?.hint, hint, file: file, line: line) }
}

/// `tcBrief` of each diagnostic.
func tcBriefs(_ ds: [Diagnostic]) -> [String] { ds.map(\.tcBrief) }


// MARK: - Inline position marks

/// Where the `⟨…⟩` pairs of a marked text stood once the marks are taken out.
struct Marks {
    /// `line:column-line:column` of each pair, in the order the pairs open.
    var spans: [String]
    /// `line:column` of each pair's start.
    var starts: [String]

    /// The span of the `i`-th pair (from 0); "no mark \(i)" when there is none, so a test fails instead of trapping.
    subscript(_ i: Int) -> String { spans.indices.contains(i) ? spans[i] : "no mark \(i)" }

    /// The start of the `i`-th pair.
    func start(_ i: Int) -> String { starts.indices.contains(i) ? starts[i] : "no mark \(i)" }

    /// Takes the marks out of `text`. Lines and columns are 1-based; columns
    /// count Unicode scalars, as `SourcePosition` does.
    static func strip(_ text: String) -> (text: String, marks: Marks) {
        var plain = ""
        var line = 1, column = 1
        var open: [(index: Int, at: String)] = []
        var found: [(index: Int, start: String, end: String)] = []
        for scalar in text.unicodeScalars {
            switch scalar {
            case "⟨":
                open.append((found.count + open.count, "\(line):\(column)"))
            case "⟩":
                if let start = open.popLast() { found.append((start.index, start.at, "\(line):\(column)")) }
            default:
                plain.unicodeScalars.append(scalar)
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            }
        }
        let ordered = found.sorted { $0.index < $1.index }
        return (plain, Marks(spans: ordered.map { "\($0.start)-\($0.end)" }, starts: ordered.map(\.start)))
    }
}

extension TC {
    /// The diagnostics of a konnector text with marks in it, and the marks.
    static func marked(_ text: String) -> (diagnostics: [Diagnostic], marks: Marks) {
        let (plain, marks) = Marks.strip(text)
        return (diagnostics(plain), marks)
    }

    /// `check` of a marked expression.
    static func checkMarked(_ expr: String, into field: String = "s", when: String? = nil) -> (diagnostics: [Diagnostic], marks: Marks) {
        marked(konnector(when: when.map(quoted), with: ["\(field): \(template(expr))"]))
    }

    /// `condition` of a marked expression.
    static func conditionMarked(_ expr: String) -> (diagnostics: [Diagnostic], marks: Marks) {
        marked(konnector(when: quoted(expr), with: ["s: x"]))
    }
}

extension Marks {
    /// What the diagnostics' `tcSpan`s should read: `code@span`, one code a pair, in order.
    func spans(_ codes: String...) -> [String] { spans(codes) }

    func spans(_ codes: [String]) -> [String] {
        codes.enumerated().map { "\($0.element)@\(self[$0.offset])" }
    }

    /// What `tcBriefs` should read: `code@start`, one code a pair, in order.
    func briefs(_ codes: String...) -> [String] {
        codes.enumerated().map { "\($0.element)@\(start($0.offset))" }
    }
}

// MARK: - The harness's own tests

final class MarksTests: XCTestCase {
    func testMarksBecomeSpansOfTheTextWithoutThem() {
        let (text, marks) = Marks.strip("a⟨bc⟩\n⟨d⟨e⟩⟩ é⟨😀⟩")
        XCTAssertEqual(text, "abc\nde é😀")
        XCTAssertEqual(marks.spans, ["1:2-1:4", "2:1-2:3", "2:2-2:3", "2:5-2:6"])
        XCTAssertEqual(marks.starts, ["1:2", "2:1", "2:2", "2:5"])
        XCTAssertEqual(marks.spans("x", "y"), ["x@1:2-1:4", "y@2:1-2:3"])
        XCTAssertEqual(marks[7], "no mark 7")
    }

    func testMarkedPositionsAreThoseOfTheDiagnostics() {
        let (ds, at) = TC.checkMarked("trigger.name + ⟨upper⟩")
        XCTAssertEqual(ds.map(\.tcSpan), at.spans("unknown-reference"))
        XCTAssertEqual(at.spans, ["11:29-11:34"], "counted by hand: `      s: \"{{ trigger.name + ` is 28 characters")
    }
}
