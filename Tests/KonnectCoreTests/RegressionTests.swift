// Regression tests for bugs found while testing, now fixed.
import XCTest
@testable import KonnectCore
import KonnectYAML

final class RegressionCoreTests: XCTestCase {
    /// The snippet line is sanitised ("never write control bytes to a
    /// terminal"), but the message is not, and messages quote user text: a
    /// key written `"\e[2J"` (a double-quoted escape) puts a raw ESC on the
    /// terminal through "unknown field `…`".
    func testTextMessagesNeverCarryControlCharacters() {
        let (_, diagnostics) = decode("connection: c\napp: slack\n\"\\e[2J\\e]0;title\\a\": x\n")
        XCTAssertEqual(diagnostics.map(\.code), [.unknownField])
        let out = DiagnosticTextView(color: false, sources: [:]).render(diagnostics[0])
        XCTAssertFalse(out.contains("\u{1B}"), out.debugDescription)
        XCTAssertFalse(out.contains("\u{07}"), out.debugDescription)
    }

    /// Secrets are masked only where a literal-secret diagnostic is made.
    /// A credential under a repeated `secret:` key (its value is dropped by
    /// the duplicate-key check, so never decoded) or written as a mapping or
    /// list (reported as invalid-value) is printed in the snippet.
    func testEverySecretValueIsMaskedInSnippets() {
        for text in [
            "connection: c\napp: slack\nsecret: env:SLACK_TOKEN\nsecret: xoxb-real-token-123\n",
            "connection: c\napp: slack\nsecret: {token: xoxb-real-token-123}\n",
            "connection: c\napp: slack\nsecret: [xoxb-real-token-123]\n",
        ] {
            let checked = ProjectValidator().validate(files: [SourceFile(path: "k.yaml", bytes: Array(text.utf8))])
            XCTAssertTrue(checked.hasErrors, text)
            let out = DiagnosticTextView(color: false, sources: checked.sources).render(checked.diagnostics, summary: checked.summary)
            XCTAssertFalse(out.contains("xoxb-real-token-123"), out)
        }
    }
}
