import KonnectCore
import KonnectYAML
import XCTest

/// `comment-in-value` (SPEC §6): a `#word` after a space on the line of a
/// plain or empty value, in every kind of document.
final class CommentInValueTests: XCTestCase {
    func validate(_ text: String, path: String = "konnectors/k.yaml") -> [Diagnostic] {
        ProjectValidator().validate(files: [SourceFile(path: path, bytes: Array(text.utf8))], schemaFiles: CompilerTests.schemaFiles).diagnostics
    }

    func konnector(name: String = "Alerts", description: String = "fine", channel: String = "\"#sales\"") -> String {
        """
        konnector: alerts
        name: \(name)
        description: \(description)
        trigger:
          app: webhook
          event: catch_hook
        steps:
          - id: post
            app: slack
            action: send_message
            connection: slack-team
            with:
              channel: \(channel)
              text: hi
        ---
        connection: slack-team
        app: slack
        scopes: [chat:write]
        secret: env:SLACK_TOKEN

        """
    }

    func testAValueCutShortIsAWarningWithTheQuotedValue() throws {
        let diagnostics = validate(konnector(name: "Stripe payment → Sheets + #finance"))
        XCTAssertEqual(diagnostics.count, 1, "\(diagnostics)")
        let d = try XCTUnwrap(diagnostics.first)
        XCTAssertEqual(d.code, .commentInValue)
        XCTAssertEqual(d.severity, .warning)
        XCTAssertEqual([d.range.start.line, d.range.start.column, d.range.end.column], [2, 33, 41])
        XCTAssertEqual(d.hint, "a `#` after a space starts a comment; quote the value: `name: \"Stripe payment → Sheets + #finance\"`")
    }

    func testAnEmptiedOptionalValueIsAWarning() throws {
        let diagnostics = validate(konnector(description: "#finance-alerts"))
        XCTAssertEqual(diagnostics.map(\.code), [.commentInValue])
        XCTAssertEqual(diagnostics.first?.message, "`#finance-alerts` is a YAML comment, so `description` has no value")
    }

    func testTheNullErrorItCausesIsExplainedByTheComment() throws {
        // The warning SPEC §6 names, and the error the null causes, both at the comment.
        let diagnostics = validate(konnector(channel: "#finance-alerts"))
        XCTAssertEqual(diagnostics.map(\.code), [.commentInValue, .typeMismatch], "\(diagnostics)")
        XCTAssertEqual(diagnostics.first?.severity, .warning)
        let d = try XCTUnwrap(diagnostics.last)
        XCTAssertEqual(d.severity, .error, "a null where a value is needed still fails")
        XCTAssertEqual([d.range.start.line, d.range.start.column, d.range.end.column], [13, 16, 31])
        XCTAssertEqual(d.message, "`channel` expects string, found null: `#finance-alerts` is a comment, not the value",
                       "the cause is in the message, which every format shows")
        XCTAssertEqual(d.hint, "quote the value: `channel: \"#finance-alerts\"`")
    }

    func testARealCommentGetsNothing() {
        XCTAssertEqual(validate(konnector(description: "fine  # a note")).map(\.code), [])
        XCTAssertEqual(validate(konnector(description: "fine #")).map(\.code), [])
        XCTAssertEqual(validate(konnector(description: "\"quoted #kept\" #")).map(\.code), [])
        XCTAssertEqual(validate(konnector(description: "issue#12 is kept")).map(\.code), [])
    }

    func testConnectionsAndTestSuitesToo() {
        let connection = "connection: slack-team\napp: slack #team\nscopes: [chat:write]\nsecret: env:SLACK_TOKEN\n"
        XCTAssertEqual(validate(connection).map(\.code), [.commentInValue])
        let suite = konnector() + "---\ntests: alerts\ncases:\n  - name: a #1 case\n    expect: { ran: [post] }\n"
        let diagnostics = validate(suite)
        XCTAssertEqual(diagnostics.map(\.code), [.commentInValue])
        XCTAssertEqual(diagnostics.first?.hint, "a `#` after a space starts a comment; quote the value: `name: \"a #1 case\"`")
    }
}
