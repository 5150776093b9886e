import Foundation
import XCTest
@testable import KonnectCore
import KonnectYAML

/// SPEC §6: every string that reaches a terminal has its control characters
/// escaped (`\u{1b}`), in every diagnostic format.
final class TerminalEscapeViewTests: XCTestCase {
    let forged = "x\u{1B}[2K\rok\npassed\u{7F}\u{9B}\u{2028}"

    func testTheTextFormatEscapesMessagesHintsNotesAndPaths() {
        let d = Diagnostic(.error, .unknownApp, "unknown app `\(forged)`", file: "k\u{1B}.yaml", range: .fileStart,
                           hint: "hint \(forged)", notes: [.init("note \(forged)", file: "n\r.yaml", range: .fileStart)])
        let out = DiagnosticTextView(color: false, sources: [:]).render(d)
        XCTAssertEqual(out, """
        error[unknown-app]: unknown app `x\\u{1b}[2K\\u{d}ok\\u{a}passed\\u{7f}\\u{9b}\\u{2028}`
         --> k\\u{1b}.yaml:1:1
          = hint: hint x\\u{1b}[2K\\u{d}ok\\u{a}passed\\u{7f}\\u{9b}\\u{2028}
          = note: note x\\u{1b}[2K\\u{d}ok\\u{a}passed\\u{7f}\\u{9b}\\u{2028} (n\\u{d}.yaml:1:1)

        """)
    }

    func testTheGitHubFormatEscapesItsOwnWayThenEveryControl() {
        XCTAssertEqual(DiagnosticGitHubView.escapeData("50%\r\n\u{1B}[1m\u{85}"), "50%25%0D%0A\\u{1b}[1m\\u{85}")
        XCTAssertEqual(DiagnosticGitHubView.escapeProperty("a:b,c\u{1B}"), "a%3Ab%2Cc\\u{1b}")
        let d = Diagnostic(.warning, .nullable, forged, file: "f\u{7}.yaml", range: .fileStart)
        let out = DiagnosticGitHubView().render([d])
        XCTAssertEqual(out.filter { $0 == "\n" }.count, 1, out)
        XCTAssertFalse(out.unicodeScalars.contains { $0 != "\n" && TerminalText.isUnsafe($0) }, out.debugDescription)
    }

    func testSARIFArtifactURIsArePercentEncoded() {
        XCTAssertEqual(DiagnosticSARIFView.uri("konnectors/a b/#1%é\u{1B}.yaml"), "konnectors/a%20b/%231%25%C3%A9%1B.yaml")
        XCTAssertEqual(DiagnosticSARIFView.uri("konnectors/plain-name_1.~yaml"), "konnectors/plain-name_1.~yaml")
    }

    func testJSONOutputEscapesEveryControlAndReadsBackTheSame() throws {
        let d = Diagnostic(.error, .invalidValue, forged, file: forged, range: .fileStart)
        for out in [DiagnosticJSONView().render([d], summary: DiagnosticSummary(files: 1, konnectors: 0, connections: 0, diagnostics: [d])),
                    DiagnosticSARIFView(toolVersion: "t").render([d])] {
            XCTAssertFalse(out.dropLast().unicodeScalars.contains(where: TerminalText.isUnsafe), out.debugDescription)
            XCTAssertTrue(out.contains(#"\u001b[2K\rok\npassed\u007f\u009b\u2028"#), out)
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
            XCTAssertNotNil(object)
        }
        let json = DiagnosticJSONView().render([d], summary: DiagnosticSummary(files: 1, konnectors: 0, connections: 0, diagnostics: [d]))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let first = try XCTUnwrap((object["diagnostics"] as? [[String: Any]])?.first)
        XCTAssertEqual(first["message"] as? String, forged)
        // Layout outside strings is left alone.
        XCTAssertEqual(JSONValue.terminalSafe("{\n  \"a\": \"\u{7F}\"\n}"), "{\n  \"a\": \"\\u007f\"\n}")
    }
}
