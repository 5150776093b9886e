import KonnectYAML
import XCTest
@testable import KonnectCore

/// A diagnostic's notes reach every machine format, not only the text one:
/// `notes` in JSON, the message text and related locations in SARIF.
final class DiagnosticNotesViewTests: XCTestCase {
    private let d = Diagnostic(.error, .missingScope, "connection `shop` lacks scope `orders.read`", file: "konnectors/k.yaml",
                               range: SourceRange(start: SourcePosition(line: 3, column: 5, offset: 20), end: SourcePosition(line: 3, column: 9, offset: 24)),
                               hint: "add it to the connection", notes: [
                                   Diagnostic.Note("the connection is declared here", file: "konnectors/c.yaml",
                                                   range: SourceRange(start: SourcePosition(line: 1, column: 1, offset: 0), end: SourcePosition(line: 1, column: 11, offset: 10))),
                                   Diagnostic.Note("scopes are granted by the app's admin"),
                               ])

    func testJSONHasTheNotes() throws {
        let json = DiagnosticJSONView().render([d], summary: DiagnosticSummary(files: 1, konnectors: 1, connections: 1, diagnostics: [d]))
        XCTAssertTrue(json.contains(#""notes":[{"message":"the connection is declared here","file":"konnectors/c.yaml","line":1,"column":1},{"message":"scopes are granted by the app's admin"}]"#), json)
        let plain = DiagnosticJSONView().render([Diagnostic(.error, .missingField, "m", file: "f", range: d.range)],
                                                summary: DiagnosticSummary(files: 1, konnectors: 1, connections: 0, diagnostics: []))
        XCTAssertFalse(plain.contains("notes"), "no notes, no field: SPEC §6's objects as they were")
    }

    func testSARIFHasTheNotesInTheTextAndAsRelatedLocations() throws {
        let sarif = DiagnosticSARIFView(toolVersion: "t").render([d])
        XCTAssertTrue(sarif.contains(#"hint: add it to the connection\nnote: the connection is declared here\nnote: scopes are granted by the app's admin"#), sarif)
        XCTAssertTrue(sarif.contains(#""relatedLocations":[{"id":0,"message":{"text":"the connection is declared here"}"#), sarif)
    }
}
