import Foundation
@testable import KonnectCore
import KonnectYAML
import XCTest

/// `konnect export`'s YAML (SPEC §10): names and values with control
/// characters, DEL, C1 controls and Unicode line breaks are written as
/// escaped double-quoted scalars, so every file parses back to the
/// library's data and compiles to the same hash.
final class ExportViewTests: XCTestCase {
    typealias P = PlannerTests

    /// Every scalar that must not stand in a YAML file as itself, and a few that may.
    static let hostile: String = {
        var s = ""
        for v in Array(0x01...0x1F) + [0x7F] + Array(0x80...0x9F) + [0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF] {
            s.unicodeScalars.append(Unicode.Scalar(v)!)
        }
        return s + "\"quote\" \\back\\slash é → 😀 #hash: colon - dash"
    }()

    /// The scalars a written file holds must all be printable, line ends aside.
    func assertPrintable(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        for scalar in text.unicodeScalars where scalar != "\n" {
            XCTAssertTrue(YAMLSafe.isPrintable(scalar), "U+\(String(scalar.value, radix: 16)) written as itself", file: file, line: line)
        }
    }

    func testAQuotedScalarReadsBackAsEveryScalar() throws {
        for value in [Self.hostile, "", "plain", "\u{0}nul", "line\nbreak\r\n", "\u{85}", "\u{2028}\u{2029}", "tab\there", "yes", "null", "0x1F"] {
            let text = "key: \(YAMLSafe.quoted(value))\n"
            assertPrintable(text)
            let stream = YAMLParser().parse(Array(text.utf8))
            XCTAssertEqual(stream.problems.count, 0, "\(stream.problems) in \(text)")
            let node = try XCTUnwrap(stream.documents.first?.root?.mapping?.first { $0.keyText == "key" }?.value, text)
            XCTAssertEqual(node.scalarText, value, text)
        }
    }

    func testNamesAndValuesWithUnsafeScalarsExportToTheSameDefinition() throws {
        // Written with YAML's escapes, as a user could.
        let source = P.files["konnectors/signup-to-slack.yaml"]!
            .replacingOccurrences(of: "name: Signup → Slack",
                                  with: #"name: "Signup \e[31m red\N next\L line\P para\nnew \x7f\x9b\uFEFF \"q\" \\ 😀""#
                                      + "\ndescription: \"desc\\e[2J\\r\\n\\t end\"")
            .replacingOccurrences(of: #"text: "New signup: {{ trigger.body.email }}""#,
                                  with: #"text: "New\L signup\e[1m: {{ trigger.body.email }}\N""#)
            .replacingOccurrences(of: #"body: { email: "{{ trigger.body.email }}" }"#,
                                  with: #"body: { "we\x85ird\nkey": "v\u2028", email: "{{ trigger.body.email }}" }"#)
        let original = try XCTUnwrap(CompilerTests.compile(["konnectors/signup-to-slack.yaml": source]).first { $0.id == "signup-to-slack" })
        let definition = try XCTUnwrap(original.definition)
        XCTAssertTrue(definition["name"]?.stringValue?.contains("\u{2028}") == true, "the fixture holds the scalars under test")
        XCTAssertTrue(definition.serialized().contains("we\u{85}ird"), "the fixture holds a hostile key")

        let exported = ExportYAMLView().render(kind: .konnector, definition: definition)
        assertPrintable(exported)
        let again = try XCTUnwrap(CompilerTests.compile(["konnectors/signup-to-slack.yaml": exported]).first { $0.id == "signup-to-slack" })
        XCTAssertEqual(again.canonicalJSON, original.canonicalJSON, exported)
        XCTAssertEqual(again.hash, original.hash)
    }

    func testAConnectionWithHostileScopesStillParses() throws {
        let definition: JSONValue = .object(["id": .string("c"), "app": .string("slack"), "scopes": .array([.string(Self.hostile)]),
                                             "secret": .string("env:TOKEN\u{2028}")])
        let text = ExportYAMLView().render(kind: .connection, definition: definition)
        assertPrintable(text)
        let stream = YAMLParser().parse(Array(text.utf8))
        XCTAssertEqual(stream.problems.count, 0, text)
        let root = try XCTUnwrap(stream.documents.first?.root?.mapping)
        XCTAssertEqual(root.first { $0.keyText == "scopes" }?.value.sequence?.first?.scalarText, Self.hostile)
        XCTAssertEqual(root.first { $0.keyText == "secret" }?.value.scalarText, "env:TOKEN\u{2028}")
    }

    /// SPEC §2.1 forms through export: every kind of step, nested, with
    /// `if:` on each, non-default `mode`, `as`, `max`, both delays and retry,
    /// compile back to the same definition.
    func testFlowStepsExportToTheSameDefinition() throws {
        let source = TC.head("flow", name: "Flow", trigger: "{ app: webhook, event: catch_hook }") + """
          - id: route
            if: trigger.method == 'POST'
            mode: all
            paths:
              - id: known
                when: trigger.body != null
                steps:
                  - id: loop
                    if: trigger.path != ''
                    repeat: "[1, 2, 3]"
                    as: n
                    max: 7
                    steps:
                      - { id: say, app: slack, action: send_message, connection: slack-sales, if: "n > 1", with: { channel: "#x", text: "{{ n }} of {{ loop.count }}" } }
              - id: other
                steps:
                  - { id: wait, if: "trigger.path == '/slow'", delay: 120m }
          - { id: later, delay_until: trigger.received_at }
          - id: tell
            app: slack
            action: send_message
            connection: slack-sales
            retry: { times: 2, wait: 30s }
            on_error: continue
            with: { channel: "#x", text: "done {{ steps.route.taken | join(',') }}" }
        """
        let original = try XCTUnwrap(CompilerTests.compile(["konnectors/flow.yaml": source]).first { $0.id == "flow" })
        let exported = ExportYAMLView().render(kind: .konnector, definition: try XCTUnwrap(original.definition))
        for written in ["mode: all", "as: \"n\"", "max: 7", "delay: \"2h\"", "delay_until: \"trigger.received_at\"",
                        "retry: {\"times\": 2, \"wait\": \"30s\"}", "if: \"n > 1\"", "when: \"trigger.body != null\""] {
            XCTAssertTrue(exported.contains(written), "\(written) in\n\(exported)")
        }
        let again = try XCTUnwrap(CompilerTests.compile(["konnectors/flow.yaml": exported]).first { $0.id == "flow" })
        XCTAssertEqual(again.canonicalJSON, original.canonicalJSON, exported)
        XCTAssertEqual(again.hash, original.hash)
    }

    /// A scheduled trigger is written as its schedule alone (it was `app: null`).
    func testAScheduledTriggerIsWrittenAsItsSchedule() throws {
        let definition: JSONValue = .object([
            "id": .string("digest"), "name": .string("Digest"),
            "trigger": .object(["schedule": .object(["cron": .string("0 9 * * MON-FRI"), "timezone": .string("Europe/Berlin")])]),
            "steps": .array([.object(["id": .string("wait"), "if": .null, "delay": .string("1h")])]),
        ])
        XCTAssertEqual(ExportYAMLView().render(kind: .konnector, definition: definition), """
            konnector: digest
            name: "Digest"

            trigger:
              schedule:
                cron: "0 9 * * MON-FRI"
                timezone: "Europe/Berlin"

            steps:
              - id: wait
                delay: "1h"

            """)
    }

    /// A typed payload's fields: type strings, and inline objects (compiled
    /// as `{ name: type, … }`) written back as mappings, at any depth.
    func testATypedPayloadIsWrittenAsFieldSpecs() throws {
        let definition: JSONValue = .object([
            "id": .string("hook"), "name": .string("Hook"),
            "trigger": .object(["app": .string("webhook"), "event": .string("catch_hook"), "connection": .null, "with": .object([]),
                                "payload": .object([
                                    "company": .string("{ name: string, address: { city: string?, tags: array<string> }, kind: enum(a, b) }"),
                                    "empty": .string("{  }"),
                                    "plan": .string("enum(free, pro)"),
                                    "seats": .string("integer?"),
                                ])]),
            "steps": .array([]),
        ])
        let text = ExportYAMLView().render(kind: .konnector, definition: definition)
        XCTAssertTrue(text.contains("""
              payload:
                company:
                  name: "string"
                  address:
                    city: "string?"
                    tags: "array<string>"
                  kind: "enum(a, b)"
                empty: {}
                plan: "enum(free, pro)"
                seats: "integer?"

            """), text)
        XCTAssertNil(PayloadTypeText.objectFields("array<string>"))
        XCTAssertNil(PayloadTypeText.objectFields("{ no colon here }"))
    }

    /// "Exported 1 object", "Exported 2 objects"; the folder escaped (SPEC §6).
    func testTheSummaryCountsInTheRightNumber() {
        XCTAssertEqual(ExportYAMLView.summary(count: 1, folder: "out"), "Exported 1 object to out\n")
        XCTAssertEqual(ExportYAMLView.summary(count: 2, folder: "out"), "Exported 2 objects to out\n")
        XCTAssertEqual(ExportYAMLView.summary(count: 0, folder: "o\u{1B}[2J"), "Exported 0 objects to o\\u{1b}[2J\n")
    }
}
