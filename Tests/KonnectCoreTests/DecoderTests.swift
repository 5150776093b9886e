import XCTest
@testable import KonnectCore
import KonnectYAML

/// Decodes one file's text; returns what was decoded and every diagnostic
/// (YAML-level ones included, as ProjectValidator reports them).
func decode(_ text: String, file: String = "konnectors/k.yaml") -> ([DocumentDecoder.Decoded], [Diagnostic]) {
    let parsed = ParsedFile(SourceFile(path: file, bytes: Array(text.utf8)))
    var decoder = DocumentDecoder(file: file)
    let decoded = decoder.decode(parsed.stream)
    return (decoded, parsed.diagnostics + decoder.diagnostics)
}

func konnectors(_ decoded: [DocumentDecoder.Decoded]) -> [Konnector] {
    decoded.compactMap { if case .konnector(let k) = $0 { return k } else { return nil } }
}

func connections(_ decoded: [DocumentDecoder.Decoded]) -> [Connection] {
    decoded.compactMap { if case .connection(let c) = $0 { return c } else { return nil } }
}

/// A compact, comparable description of a diagnostic: code@line:column.
func brief(_ d: Diagnostic) -> String { "\(d.code.rawValue)@\(d.range.start.line):\(d.range.start.column)" }

let validKonnector = """
konnector: shopify-order-to-mailchimp
name: New Shopify order → Mailchimp
description: Adds paying customers to the newsletter.
tags: [marketing, ecommerce]
enabled: true
renamed_from: shopify-to-mailchimp
trigger:
  app: shopify
  event: new_order
  connection: shopify-main
  with:
    status: paid
when: trigger.total_price >= 100
steps:
\(KonnectorYAML.subscribe)
    on_error: continue
    with:
      email: "{{ trigger.customer.email }}"
\(KonnectorYAML.notifySales)

"""

final class DocumentDecoderTests: XCTestCase {
    func testValidKonnector() throws {
        let (decoded, diagnostics) = decode(validKonnector)
        XCTAssertEqual(diagnostics, [])
        let k = try XCTUnwrap(konnectors(decoded).first)
        XCTAssertEqual(k.id?.value, "shopify-order-to-mailchimp")
        XCTAssertEqual(k.id?.range.start.line, 1)
        XCTAssertEqual(k.id?.range.start.column, 12)
        XCTAssertEqual(k.name?.value, "New Shopify order → Mailchimp")
        XCTAssertEqual(k.description?.value, "Adds paying customers to the newsletter.")
        XCTAssertEqual(k.tags.map(\.value), ["marketing", "ecommerce"])
        XCTAssertEqual(k.enabled?.value, true)
        XCTAssertTrue(k.isEnabled)
        XCTAssertEqual(k.renamedFrom?.value, "shopify-to-mailchimp")
        XCTAssertEqual(k.trigger?.app?.value, "shopify")
        XCTAssertEqual(k.trigger?.event?.value, "new_order")
        XCTAssertEqual(k.trigger?.connection?.value, "shopify-main")
        XCTAssertEqual(k.trigger?.with?["status"]?.scalar?.text, "paid")
        XCTAssertEqual(k.when?.scalar?.text, "trigger.total_price >= 100")
        XCTAssertEqual(k.steps.map { $0.id?.value }, ["subscribe", "notify"])
        XCTAssertEqual(k.steps.map { $0.action?.onError }, [.continue, .stop])
        XCTAssertEqual(k.steps[0].condition?.scalar?.text, "trigger.customer.accepts_marketing")
        XCTAssertEqual(k.steps[1].action?.with?["channel"]?.scalar?.text, "#sales")
        XCTAssertEqual(k.file, "konnectors/k.yaml")
    }

    func testDisabledKonnector() throws {
        let (decoded, diagnostics) = decode(validKonnector.replacingOccurrences(of: "enabled: true", with: "enabled: false"))
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(konnectors(decoded).first?.isEnabled, false)
    }

    // MARK: unknown-field

    func testUnknownFieldWithDidYouMean() throws {
        let text = validKonnector
            .replacingOccurrences(of: "description:", with: "descripton:")
            .replacingOccurrences(of: "  event: new_order", with: "  evnt: new_order")
            .replacingOccurrences(of: "    action: add_subscriber", with: "    Action: add_subscriber")
        let (_, diagnostics) = decode(text)
        let unknown = diagnostics.filter { $0.code == .unknownField }
        XCTAssertEqual(Set(unknown.map(brief)), ["unknown-field@3:1", "unknown-field@9:3", "unknown-field@17:5"])
        let description = try XCTUnwrap(unknown.first { $0.range.start.line == 3 })
        XCTAssertEqual(description.message, "unknown field `descripton` in konnector `shopify-order-to-mailchimp`")
        XCTAssertEqual(description.hint, "did you mean `description`?")
        XCTAssertEqual(description.range.end.column, 11)
        let event = try XCTUnwrap(unknown.first { $0.range.start.line == 9 })
        XCTAssertEqual(event.message, "unknown field `evnt` in the trigger")
        XCTAssertEqual(event.hint, "did you mean `event`?")
        let action = try XCTUnwrap(unknown.first { $0.range.start.line == 17 })
        XCTAssertEqual(action.message, "unknown field `Action` in step `subscribe`")
        XCTAssertEqual(action.hint, "did you mean `action`?")
        // One cause, one diagnostic (SPEC §6): a misspelt required key is
        // reported as unknown with its correction, not also as missing.
        XCTAssertEqual(diagnostics.filter { $0.code == .missingField }.map(\.message), [])
        XCTAssertEqual(diagnostics.count, 3)
    }

    func testUnknownFieldFarFromAnyListsTheValidOnes() throws {
        let text = "connection: shopify-main\napp: shopify\ncompletely_different: 1\n"
        let (_, diagnostics) = decode(text)
        let d = try XCTUnwrap(diagnostics.first)
        XCTAssertEqual(diagnostics.map(brief), ["unknown-field@3:1"])
        XCTAssertEqual(d.hint, "valid fields: `connection`, `app`, `scopes`, `secret`")
    }

    func testNonScalarKey() {
        let (_, diagnostics) = decode("connection: c\napp: shopify\n? [a, b]\n: 1\n")
        XCTAssertEqual(diagnostics.map(brief), ["invalid-value@3:3"])
    }

    // MARK: missing-field

    func testMissingFieldsAreReportedAtTheFirstKey() {
        let (decoded, diagnostics) = decode("konnector: lonely\ndescription: nothing else\n")
        XCTAssertEqual(konnectors(decoded).count, 1)
        XCTAssertEqual(diagnostics.map(brief), ["missing-field@1:1", "missing-field@1:1", "missing-field@1:1"])
        XCTAssertEqual(diagnostics.map(\.message), [
            "missing required field `name` in konnector `lonely`",
            "missing required field `trigger` in konnector `lonely`",
            "missing required field `steps` in konnector `lonely`",
        ])
    }

    func testMissingFieldsInTriggerAndStep() {
        let text = """
        konnector: k
        name: K
        trigger:
          connection: c
        steps:
          - app: slack
        """
        let (_, diagnostics) = decode(text)
        XCTAssertEqual(diagnostics.map(brief), ["missing-field@4:3", "missing-field@4:3", "missing-field@6:5", "missing-field@6:5"])
        XCTAssertEqual(diagnostics.map(\.message), [
            "missing required field `app` in the trigger",
            "missing required field `event` in the trigger",
            "missing required field `id` in step 1",
            "missing required field `action` in step 1",
        ])
    }

    func testMissingAppInConnection() {
        let (_, diagnostics) = decode("connection: c\nsecret: env:TOKEN\n")
        XCTAssertEqual(diagnostics.map(brief), ["missing-field@1:1"])
    }

    // MARK: invalid-value

    func testInvalidSlugs() {
        let text = validKonnector
            .replacingOccurrences(of: "konnector: shopify-order-to-mailchimp", with: "konnector: Shopify_Order")
            .replacingOccurrences(of: "tags: [marketing, ecommerce]", with: "tags: [marketing, Bad Tag, marketing]")
            .replacingOccurrences(of: "  - id: notify", with: "  - id: -notify")
        let (decoded, diagnostics) = decode(text)
        XCTAssertEqual(diagnostics.map(brief), ["invalid-value@1:12", "invalid-value@4:19", "invalid-value@4:28", "invalid-value@23:9"])
        XCTAssertEqual(diagnostics[0].message, "konnector id `Shopify_Order` is not a valid slug")
        XCTAssertNotNil(diagnostics[0].hint)
        XCTAssertEqual(diagnostics[1].message, "tag `Bad Tag` is not a valid slug")
        XCTAssertEqual(diagnostics[2].message, "tag `marketing` is listed twice")
        XCTAssertEqual(diagnostics[3].message, "step id `-notify` is not a valid slug")
        XCTAssertNil(konnectors(decoded).first?.id)
    }

    func testNameLength() throws {
        let ok = String(repeating: "é", count: 200)
        XCTAssertEqual(decode(validKonnector.replacingOccurrences(of: "name: New Shopify order → Mailchimp", with: "name: \(ok)")).1, [])
        let long = String(repeating: "é", count: 201)
        let (_, diagnostics) = decode(validKonnector.replacingOccurrences(of: "name: New Shopify order → Mailchimp", with: "name: \(long)"))
        XCTAssertEqual(diagnostics.map(brief), ["invalid-value@2:7"])
        XCTAssertEqual(diagnostics.first?.message, "`name` is 201 characters long, over the limit of 200")
        XCTAssertEqual(diagnostics.first?.range.end.column, 208)
    }

    func testEmptyAndWronglyShapedNames() {
        for (value, message) in [
            ("\"\"", "`name` must not be empty"),
            ("\"   \"", "`name` must not be empty"),
            ("", "`name` must be a string, found null"),
            ("true", "`name` must be a string, found a boolean"),
            ("[a]", "`name` must be a string, found a list"),
        ] {
            let (_, diagnostics) = decode(validKonnector.replacingOccurrences(of: "name: New Shopify order → Mailchimp", with: "name: \(value)"))
            XCTAssertEqual(diagnostics.map(\.code), [.invalidValue], value)
            XCTAssertEqual(diagnostics.first?.message, message, value)
            XCTAssertEqual(diagnostics.first?.range.start.line, 2, value)
        }
        // A number is accepted as a name (it is written as text).
        XCTAssertEqual(decode(validKonnector.replacingOccurrences(of: "name: New Shopify order → Mailchimp", with: "name: 2026")).1, [])
    }

    func testEnabledMustBeABoolean() throws {
        for (value, hintPart) in [("yes", "YAML 1.2: `yes` is a string"), ("on", "YAML 1.2: `on` is a string"),
                                  ("Off", "YAML 1.2: `Off` is a string"), ("\"true\"", "write `true` or `false`"),
                                  ("1", "write `true` or `false`"), ("", "write `true` or `false`")] {
            let (_, diagnostics) = decode(validKonnector.replacingOccurrences(of: "enabled: true", with: "enabled: \(value)"))
            XCTAssertEqual(diagnostics.map(brief), [value.isEmpty ? "invalid-value@5:9" : "invalid-value@5:10"], value)
            XCTAssertEqual(diagnostics.first?.message.hasPrefix("`enabled` must be a boolean, found "), true, value)
            XCTAssertEqual(diagnostics.first?.hint?.contains(hintPart), true, "\(value): \(diagnostics.first?.hint ?? "nil")")
        }
    }

    func stepsYAML(_ count: Int) -> String {
        (1...count).map { "  - {id: s\($0), app: slack, action: send_message}" }.joined(separator: "\n")
    }

    func konnector(steps: String) -> String {
        "konnector: k\nname: K\ntrigger: {app: shopify, event: new_order}\nsteps:\(steps)\n"
    }

    func testStepCount() throws {
        XCTAssertEqual(decode(konnector(steps: "\n" + stepsYAML(1))).1, [])
        XCTAssertEqual(decode(konnector(steps: "\n" + stepsYAML(100))).1, [], "SPEC §2: at most 100 steps in all")

        let (_, none) = decode(konnector(steps: " []"))
        XCTAssertEqual(none.map(brief), ["invalid-value@4:8"])
        XCTAssertEqual(none.first?.message, "a konnector needs at least one step")

        let (decoded, many) = decode(konnector(steps: "\n" + stepsYAML(101)))
        XCTAssertEqual(many.map(brief), ["invalid-value@105:5"], "at the 101st step")
        XCTAssertEqual(many.first?.message, "a konnector has at most 100 steps in all, nested ones included; this one has 101")
        XCTAssertNotNil(many.first?.hint)
        XCTAssertEqual(konnectors(decoded).first?.steps.count, 101)
    }

    func testOnError() throws {
        let base = konnector(steps: "\n  - {id: s, app: slack, action: send_message, on_error: VALUE}")
        XCTAssertEqual(decode(base.replacingOccurrences(of: "VALUE", with: "stop")).1, [])
        XCTAssertEqual(decode(base.replacingOccurrences(of: "VALUE", with: "continue")).1, [])
        let (_, typo) = decode(base.replacingOccurrences(of: "VALUE", with: "stpo"))
        XCTAssertEqual(typo.map(brief), ["invalid-value@5:57"])
        XCTAssertEqual(typo.first?.message, "`on_error` must be `stop` or `continue`, found `stpo`")
        XCTAssertEqual(typo.first?.hint, "did you mean `stop`?")
        let (_, other) = decode(base.replacingOccurrences(of: "VALUE", with: "retry"))
        XCTAssertEqual(other.first?.hint, "valid values: `stop`, `continue`")
        let (_, wrongType) = decode(base.replacingOccurrences(of: "VALUE", with: "true"))
        XCTAssertEqual(wrongType.map(\.message), ["`on_error` must be a string, found a boolean"])
    }

    func testWrongShapes() {
        let cases: [(String, String)] = [
            ("konnector: k\nname: K\ntrigger: shopify\nsteps: [{id: s, app: a, action: b}]\n",
             "`trigger` must be a mapping with `app` and `event`, found a string"),
            ("konnector: k\nname: K\ntrigger: {app: a, event: e}\nsteps: {id: s}\n",
             "`steps` must be a list of steps, found a mapping"),
            ("konnector: k\nname: K\ntrigger: {app: a, event: e}\nsteps: [just-a-string]\n",
             "step 1 must be a mapping with `id`, `app` and `action`, found a string"),
            ("konnector: k\nname: K\ntrigger: {app: a, event: e, with: [1]}\nsteps: [{id: s, app: a, action: b}]\n",
             "the trigger's `with` must be a mapping of field names to values, found a list"),
            ("konnector: k\nname: K\ntrigger: {app: a, event: e}\nsteps: [{id: s, app: a, action: b, with: 3}]\n",
             "`with` must be a mapping of field names to values, found an integer"),
            ("konnector: k\nname: K\ntags: marketing\ntrigger: {app: a, event: e}\nsteps: [{id: s, app: a, action: b}]\n",
             "`tags` must be a list of slugs, found a string"),
            ("konnector: k\nname: K\nwhen: {a: 1}\ntrigger: {app: a, event: e}\nsteps: [{id: s, app: a, action: b}]\n",
             "`when` must be an expression, found a mapping"),
            ("connection: c\napp: shopify\nscopes: read_orders\n",
             "`scopes` must be a list of scope names, found a string"),
            ("konnector: [k]\nname: K\ntrigger: {app: a, event: e}\nsteps: [{id: s, app: a, action: b}]\n",
             "konnector id must be a string, found a list"),
        ]
        for (text, message) in cases {
            let (_, diagnostics) = decode(text)
            XCTAssertEqual(diagnostics.map(\.message), [message], text)
            XCTAssertEqual(diagnostics.map(\.code), [.invalidValue], text)
        }
    }

    // MARK: duplicate-id

    func testDuplicateStepID() throws {
        let text = konnector(steps: "\n  - {id: same, app: slack, action: a}\n  - {id: other, app: slack, action: a}\n  - {id: same, app: slack, action: b}")
        let (decoded, diagnostics) = decode(text)
        XCTAssertEqual(diagnostics.map(brief), ["duplicate-id@7:10"])
        let d = try XCTUnwrap(diagnostics.first)
        XCTAssertEqual(d.message, "duplicate step id `same` (first defined at konnectors/k.yaml:5)")
        XCTAssertEqual(konnectors(decoded).first?.steps.count, 3)
    }

    // MARK: connections and literal-secret

    func testValidConnections() throws {
        let text = """
        connection: shopify-main
        app: shopify
        scopes: [read_orders, read_customers]
        secret: env:SHOPIFY_TOKEN
        ---
        connection: vaulted
        app: slack
        secret: vault:secret/slack/token
        ---
        connection: webhook-in
        app: webhook
        """
        let (decoded, diagnostics) = decode(text)
        XCTAssertEqual(diagnostics, [])
        let cs = connections(decoded)
        XCTAssertEqual(cs.map { $0.id?.value }, ["shopify-main", "vaulted", "webhook-in"])
        XCTAssertEqual(cs[0].scopes.map(\.value), ["read_orders", "read_customers"])
        XCTAssertEqual(cs[0].secret?.value, .env("SHOPIFY_TOKEN"))
        XCTAssertEqual(cs[0].secret?.value.reference, "env:SHOPIFY_TOKEN")
        XCTAssertEqual(cs[1].secret?.value, .vault("secret/slack/token"))
        XCTAssertNil(cs[2].secret)
        XCTAssertEqual(cs[1].range.start.line, 6)
    }

    func testLiteralSecretIsNeverEchoed() throws {
        for secret in ["sk_live_51HxQzV2eZvKYlo2C", "\"hunter2-quoted\"", "'abc:def'", "123456789012", "Bearer abc.def.ghi"] {
            let text = "connection: stripe-main\napp: stripe\nsecret: \(secret)\n"
            let (decoded, diagnostics) = decode(text)
            XCTAssertEqual(diagnostics.map(brief), ["literal-secret@3:9"], secret)
            let d = try XCTUnwrap(diagnostics.first)
            XCTAssertEqual(d.severity, .error)
            XCTAssertEqual(d.message, "connection `stripe-main` has a literal credential in `secret`")
            let bare = secret.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            let everything = [d.message, d.hint ?? ""] + d.notes.map(\.message)
            for text in everything {
                XCTAssertFalse(text.contains(bare), "the secret leaks in \(text.debugDescription)")
            }
            // Nor in any rendering that does not quote the source.
            let summary = DiagnosticSummary(files: 1, konnectors: 0, connections: 1, diagnostics: diagnostics)
            XCTAssertFalse(DiagnosticJSONView().render(diagnostics, summary: summary).contains(bare))
            XCTAssertFalse(DiagnosticGitHubView().render(diagnostics).contains(bare))
            XCTAssertFalse(DiagnosticSARIFView(toolVersion: "t").render(diagnostics).contains(bare))
            XCTAssertNil(connections(decoded).first?.secret)
        }
    }

    func testMalformedSecretReferences() {
        for (secret, message) in [
            ("\"env:\"", "`env:` must name an environment variable, like `env:SHOPIFY_TOKEN`"),
            ("env:lower-case", "`env:` must name an environment variable, like `env:SHOPIFY_TOKEN`"),
            ("env:1ABC", "`env:` must name an environment variable, like `env:SHOPIFY_TOKEN`"),
            ("\"vault:\"", "`vault:` must name a secret path, like `vault:secret/shopify`"),
            ("\"vault:a b\"", "`vault:` must name a secret path, like `vault:secret/shopify`"),
        ] {
            let (_, diagnostics) = decode("connection: c\napp: a\nsecret: \(secret)\n")
            XCTAssertEqual(diagnostics.map(\.message), [message], secret)
            XCTAssertEqual(diagnostics.map(\.code), [.invalidValue], secret)
        }
        // A secret that is not a reference is a literal credential, whatever its shape.
        let (_, shape) = decode("connection: c\napp: a\nsecret: {token: abc123}\n")
        XCTAssertEqual(shape.map(\.code), [.literalSecret])
        XCTAssertFalse(shape.first?.message.contains("abc123") ?? true)
        XCTAssertEqual(decode("connection: c\napp: a\nsecret: env:_OK_1\n").1, [])
    }

    // MARK: documents

    func testUnknownDocument() throws {
        let (decoded, diagnostics) = decode("konnectr: x\nname: y\n")
        XCTAssertEqual(decoded.count, 0)
        XCTAssertEqual(diagnostics.map(brief), ["unknown-document@1:1"])
        XCTAssertEqual(diagnostics.first?.message, "a document starting with `konnectr` is not a konnector, connection or test suite")
        XCTAssertEqual(diagnostics.first?.hint, "did you mean `konnector`?")
        XCTAssertEqual(diagnostics.first?.range.end.column, 9)

        let (_, far) = decode("apiVersion: v1\nkind: Pod\n")
        XCTAssertEqual(far.first?.hint, "a document holds one of the keys `konnector:`, `connection:` or `tests:`")
    }

    func testDocumentsThatAreNotMappings() {
        for text in ["just a string\n", "- a\n- b\n", "42\n"] {
            let (_, diagnostics) = decode(text)
            XCTAssertEqual(diagnostics.map(brief), ["unknown-document@1:1"], text)
            XCTAssertEqual(diagnostics.first?.message, "this document is not a konnector, connection or test suite")
        }
    }

    func testEmptyFile() {
        for text in ["", "\n", "# only a comment\n"] {
            let (_, diagnostics) = decode(text)
            XCTAssertEqual(diagnostics.map(brief), ["unknown-document@1:1"], text.debugDescription)
            XCTAssertEqual(diagnostics.first?.message, "the file holds no document")
        }
    }

    func testTestSuitesAreAcceptedStructurally() throws {
        let (decoded, diagnostics) = decode("tests: shopify-order-to-mailchimp\ncases:\n  - name: one\n  - name: two\n")
        XCTAssertEqual(diagnostics, [])
        guard case .tests(let suite)? = decoded.first else { return XCTFail("expected a test suite") }
        XCTAssertEqual(suite.konnector?.value, "shopify-order-to-mailchimp")
        XCTAssertEqual(suite.cases.count, 2)

        // One cause, one diagnostic: the misspelt `cases` is not also reported missing.
        let (_, bad) = decode("tests: k\ncase: []\n")
        XCTAssertEqual(bad.map(brief), ["unknown-field@2:1"])
        XCTAssertEqual(bad.first?.hint, "did you mean `cases`?")
        let (_, absent) = decode("tests: k\n")
        XCTAssertEqual(absent.map(brief), ["missing-field@1:1"])
    }

    func testMultiDocumentFileReportsEveryDocument() {
        let text = "konnector: a\n---\nconnection: b\napp: x\n---\nbogus: 1\n---\nconnection: B\napp: x\n"
        let (decoded, diagnostics) = decode(text)
        XCTAssertEqual(konnectors(decoded).count, 1)
        XCTAssertEqual(connections(decoded).count, 2)
        XCTAssertEqual(Diagnostic.sorted(diagnostics).map(brief),
                       ["missing-field@1:1", "missing-field@1:1", "missing-field@1:1", "unknown-document@6:1", "invalid-value@8:13"])
    }

    // MARK: YAML problems as diagnostics

    func testYAMLProblemsBecomeDiagnostics() throws {
        let (_, tab) = decode("konnector: k\n\tname: x\n")
        XCTAssertEqual(tab.map(brief), ["yaml-syntax@2:1"])
        XCTAssertEqual(tab.first?.hint, "YAML does not allow tabs for indentation; indent with spaces")

        let (_, colon) = decode("konnector: k\nname: a: b\n")
        XCTAssertEqual(colon.map(brief), ["yaml-syntax@2:8"])
        XCTAssertEqual(colon.first?.message, "mapping values are not allowed in this context")
        XCTAssertEqual(colon.first?.hint, "a value containing `: ` must be quoted")

        let (_, flow) = decode("konnector: k\ntags: [a, b\n")
        XCTAssertEqual(flow.first?.code, .yamlSyntax)
        XCTAssertEqual(flow.first?.message, "did not find expected ',' or ']' (while parsing a flow sequence that started at line 2, column 7)")

        let (dupDecoded, dup) = decode("connection: c\napp: a\napp: b\n")
        XCTAssertEqual(dup.map(brief), ["duplicate-key@3:1"])
        XCTAssertEqual(dup.first?.message, "duplicate key `app` (first defined on line 2)")
        XCTAssertEqual(connections(dupDecoded).first?.app?.value, "a", "the document is still decoded")

        let parsed = ParsedFile(SourceFile(path: "bin.yaml", bytes: [0x61, 0x3A, 0x20, 0xC0, 0xAF]))
        XCTAssertEqual(parsed.diagnostics.map(brief), ["invalid-utf8@1:4"])
        XCTAssertEqual(parsed.diagnostics.first?.message, "the file is not valid UTF-8 (bad byte at offset 3)")

        let deep = ParsedFile(SourceFile(path: "d.yaml", bytes: Array((String(repeating: "[", count: 100)).utf8)))
        XCTAssertEqual(deep.diagnostics.map(brief), ["limit-exceeded@1:65"])
        XCTAssertEqual(deep.diagnostics.first?.message, "nesting deeper than 64 levels")

        let huge = ParsedFile(SourceFile(path: "h.yaml", bytes: [UInt8](repeating: 0x20, count: 2_000_000)))
        XCTAssertEqual(huge.diagnostics.map(brief), ["limit-exceeded@1:1"])
        XCTAssertEqual(huge.diagnostics.first?.message, "file is 2000000 bytes, over the limit of 1048576 bytes (1 MiB)")

        let aliases = ParsedFile(SourceFile(path: "a.yaml", bytes: Array(("a: &a x\nb: [" + Array(repeating: "*a", count: 101).joined(separator: ",") + "]").utf8)))
        XCTAssertEqual(aliases.diagnostics.first?.message, "more than 100 aliases in one document")
    }
}

/// The codes this slice's structural validation produces; later stages
/// (type checking against schemas) add others, which these tests ignore.
let structuralCodes: Set<DiagnosticCode> = [
    .yamlSyntax, .invalidUTF8, .duplicateKey, .limitExceeded, .unknownDocument, .unknownField,
    .missingField, .invalidValue, .duplicateID, .literalSecret,
]

final class ProjectValidatorTests: XCTestCase {
    func file(_ path: String, _ text: String) -> SourceFile { SourceFile(path: path, bytes: Array(text.utf8)) }

    let konnectorA = "konnector: dup\nname: A\ntrigger: {app: a, event: e}\nsteps: [{id: s, app: a, action: b}]\n"

    func structural(_ checked: CheckedProject) -> [Diagnostic] {
        checked.diagnostics.filter { structuralCodes.contains($0.code) }
    }

    func assertSorted(_ diagnostics: [Diagnostic], file: StaticString = #filePath, line: UInt = #line) {
        for (a, b) in zip(diagnostics, diagnostics.dropFirst()) {
            let ordered = (a.file, a.range.start.line, a.range.start.column) <= (b.file, b.range.start.line, b.range.start.column)
            XCTAssertTrue(ordered, "\(a.file):\(brief(a)) before \(b.file):\(brief(b))", file: file, line: line)
        }
    }

    func testDuplicateIDsAcrossFiles() throws {
        let checked = ProjectValidator().validate(files: [
            file("konnectors/a.yaml", konnectorA + "---\nconnection: conn\napp: a\n"),
            file("konnectors/b.yaml", "connection: conn\napp: a\n---\n" + konnectorA),
            file("konnectors/c.yaml", "connection: other\napp: a\n---\nconnection: conn\napp: b\n"),
        ])
        let duplicates = checked.diagnostics.filter { $0.code == .duplicateID }
        XCTAssertEqual(duplicates.map { "\($0.file):\(brief($0))" }, [
            "konnectors/b.yaml:duplicate-id@1:13",
            "konnectors/b.yaml:duplicate-id@4:12",
            "konnectors/c.yaml:duplicate-id@4:13",
        ])
        XCTAssertEqual(duplicates.map(\.message), [
            "duplicate connection id `conn` (first defined at konnectors/a.yaml:6)",
            "duplicate konnector id `dup` (first defined at konnectors/a.yaml:1)",
            "duplicate connection id `conn` (first defined at konnectors/a.yaml:6)",
        ])
        XCTAssertEqual(structural(checked).count, 3)
        XCTAssertEqual(checked.konnectors.count, 2)
        XCTAssertEqual(checked.connections.count, 4)
        XCTAssertEqual(checked.fileCount, 3)
        XCTAssertTrue(checked.hasErrors)
        assertSorted(checked.diagnostics)
    }

    func testAKonnectorAndAConnectionMayShareAnID() {
        let checked = ProjectValidator().validate(files: [
            file("konnectors/a.yaml", konnectorA),
            file("konnectors/b.yaml", "connection: dup\napp: a\n"),
        ])
        XCTAssertEqual(structural(checked), [])
    }

    func testDiagnosticsAreSortedByFileLineColumn() {
        let checked = ProjectValidator().validate(files: [
            file("konnectors/z.yaml", "connection: c1\napp: a\nzz: 1\naa: 2\nsecret: plain\n"),
            file("konnectors/a.yaml", "konnector: k\nname: [x]\nbogus: 1\n"),
            file("konnectors/m/nested.yaml", "nope: 1\n"),
            file("konnectors/b.yaml", "x: [\n"),
        ], extraDiagnostics: [
            Diagnostic(.error, .unknownField, "in konnect.yaml", file: "konnect.yaml", range: Samples.r(2, 1, 2, 4)),
        ])
        XCTAssertEqual(structural(checked).map { "\($0.file):\(brief($0))" }, [
            "konnect.yaml:unknown-field@2:1",
            "konnectors/a.yaml:missing-field@1:1",
            "konnectors/a.yaml:missing-field@1:1",
            "konnectors/a.yaml:invalid-value@2:7",
            "konnectors/a.yaml:unknown-field@3:1",
            "konnectors/b.yaml:yaml-syntax@2:1",
            "konnectors/m/nested.yaml:unknown-document@1:1",
            "konnectors/z.yaml:unknown-field@3:1",
            "konnectors/z.yaml:unknown-field@4:1",
            "konnectors/z.yaml:literal-secret@5:9",
        ])
        assertSorted(checked.diagnostics)
        XCTAssertTrue(Set(checked.sources.keys).isSuperset(of: ["konnectors/z.yaml", "konnectors/a.yaml", "konnectors/m/nested.yaml", "konnectors/b.yaml"]))
        XCTAssertEqual(checked.summary.files, 4)
    }

    func testOutputIsDeterministic() {
        let files = (0..<40).map { i in
            file("konnectors/f\(i).yaml", "konnector: k\(i % 7)\nname: N\nbad\(i): 1\ntrigger: {app: a, event: e}\nsteps: [{id: s, app: a, action: b}]\n")
        }
        let first = ProjectValidator().validate(files: files).diagnostics
        XCTAssertEqual(first.filter { $0.code == .duplicateID }.count, 33)
        for _ in 0..<5 {
            XCTAssertEqual(ProjectValidator().validate(files: files).diagnostics, first)
        }
    }

    func testSortedOrdersByFileThenLineThenColumn() {
        let ds = [
            Diagnostic(.error, .invalidValue, "m", file: "b", range: Samples.r(1, 1, 1, 1)),
            Diagnostic(.error, .invalidValue, "m", file: "a", range: Samples.r(10, 1, 10, 1)),
            Diagnostic(.error, .invalidValue, "m", file: "a", range: Samples.r(2, 9, 2, 9)),
            Diagnostic(.error, .invalidValue, "m", file: "a", range: Samples.r(2, 3, 2, 3)),
        ]
        XCTAssertEqual(Diagnostic.sorted(ds).map { "\($0.file)\($0.range.start.line):\($0.range.start.column)" },
                       ["a2:3", "a2:9", "a10:1", "b1:1"])
    }
}
