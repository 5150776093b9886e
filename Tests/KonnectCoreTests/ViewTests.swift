import Foundation
import XCTest
@testable import KonnectCore
import KonnectYAML

/// Golden tests of each renderer plus the properties each format promises.
final class TextViewTests: XCTestCase {
    func testSpecExampleExactly() {
        let view = DiagnosticTextView(color: false, sources: Samples.sources)
        let expected = """
        error[unknown-field]: unknown input `emial` for mailchimp.add_subscriber
          --> konnectors/shop.yaml:14:7
           |
        14 |       emial: "{{ trigger.customer.email }}"
           |       ^^^^^ did you mean `email`?

        """
        XCTAssertEqual(view.render(Samples.specExample), expected)
    }

    func testGoldenPlain() {
        let view = DiagnosticTextView(color: false, sources: Samples.sources)
        let out = view.render(Samples.diagnostics, summary: Samples.summary)
        Golden.assertMatches(out, "text-plain.txt")
        XCTAssertFalse(out.contains("\u{1B}"), "no escape sequences without colour")
        XCTAssertTrue(out.hasSuffix("\n8 errors, 2 warnings in 3 files\n"))
    }

    func testGoldenColor() {
        let view = DiagnosticTextView(color: true, sources: Samples.sources)
        let out = view.render(Samples.diagnostics, summary: Samples.summary)
        Golden.assertMatches(out, "text-color.txt")
        XCTAssertTrue(out.contains("\u{1B}[1;31merror[unknown-field]\u{1B}[0m"))
        XCTAssertTrue(out.contains("\u{1B}[1;33mwarning[nullable]\u{1B}[0m"))
        // Stripping the escapes gives the plain rendering.
        let plain = DiagnosticTextView(color: false, sources: Samples.sources).render(Samples.diagnostics, summary: Samples.summary)
        XCTAssertEqual(stripANSI(out), plain)
    }

    func testCaretsCountCharactersNotBytes() {
        let view = DiagnosticTextView(color: false, sources: Samples.sources)
        let d = Samples.diagnostics.first { $0.code == .nullable }!
        let lines = view.render(d).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines[3], "2 | name: \"Café → Mailchimp ü\"")
        XCTAssertEqual(lines[4], "  |             ^")
    }

    func testTabsAreExpandedAndUnderlined() {
        let view = DiagnosticTextView(color: false, sources: Samples.sources)
        let d = Samples.diagnostics.first { $0.range.start.line == 7 && $0.code == .yamlSyntax }!
        let lines = view.render(d).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines[3], "7 |     status: paid")
        XCTAssertTrue(lines[4].hasPrefix("  | ^^^^ YAML does not allow tabs"), String(lines[4]))
        XCTAssertFalse(view.render(d).contains("\t"))
    }

    func testLongLinesAreCutToAWindowAroundTheRange() {
        let view = DiagnosticTextView(color: false, sources: Samples.sources)
        let d = Samples.diagnostics.first { $0.code == .unknownReference }!
        let lines = view.render(d).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let source = lines[3]
        let carets = lines[4]
        XCTAssertTrue(source.contains("…"))
        XCTAssertLessThanOrEqual(source.count, 130)
        // The underline sits under `nope`.
        let caretColumn = carets.distance(from: carets.startIndex, to: carets.firstIndex(of: "^")!)
        let shown = Array(source)
        XCTAssertEqual(String(shown[caretColumn..<caretColumn + 4]), "nope")
        XCTAssertTrue(carets.contains("^^^^ a hint at the end of a long line"))
    }

    func testControlCharactersAreNeverWritten() {
        let source = SourceText(bytes: Array("a: \u{1B}[31mred\u{07}\n".utf8))
        let d = Diagnostic(.error, .invalidValue, "x", file: "f.yaml", range: Samples.r(1, 4, 1, 5))
        let out = DiagnosticTextView(color: false, sources: ["f.yaml": source]).render(d)
        XCTAssertFalse(out.contains("\u{1B}"))
        XCTAssertFalse(out.contains("\u{07}"))
        XCTAssertTrue(out.contains("\u{FFFD}"))
    }

    func testSnippetDoesNotEchoALiteralSecret() {
        // SPEC §3: a literal credential is never echoed in any output, the quoted source line included.
        let text = "connection: stripe-main\napp: stripe\nsecret: sk_live_51HxQzV2eZvKYlo2C # é\n"
        let checked = ProjectValidator().validate(files: [SourceFile(path: "k.yaml", bytes: Array(text.utf8))])
        let secrets = checked.diagnostics.filter { $0.code == .literalSecret }
        XCTAssertEqual(secrets.map(brief), ["literal-secret@3:9"])
        for color in [false, true] {
            let out = DiagnosticTextView(color: color, sources: checked.sources).render(checked.diagnostics, summary: checked.summary)
            XCTAssertTrue(out.contains("error[literal-secret]"))
            XCTAssertFalse(out.contains("sk_live"), out)
            XCTAssertFalse(out.contains("51HxQzV2eZvKYlo2C"), out)
            XCTAssertTrue(out.contains("# é"), "the rest of the line is kept: \(out)")
        }
        // The masked source keeps every position.
        let masked = checked.sources["k.yaml"]
        XCTAssertEqual(masked?.lineCount, 4)
        XCTAssertEqual(masked?.lineText(3).unicodeScalars.count, "secret: sk_live_51HxQzV2eZvKYlo2C # é".unicodeScalars.count)
    }

    func testWithoutSourceTheHintIsANote() {
        let view = DiagnosticTextView(color: false, sources: [:])
        let d = Diagnostic(.error, .limitExceeded, "too big", file: "k.yaml", range: Samples.r(1, 1, 1, 1), hint: "split it")
        XCTAssertEqual(view.render(d), "error[limit-exceeded]: too big\n --> k.yaml:1:1\n  = hint: split it\n")
    }

    func testSummaryLineWording() {
        let summary = DiagnosticSummary(files: 12, konnectors: 10, connections: 3, diagnostics: Samples.diagnostics)
        XCTAssertEqual(summary.errors, 8)
        XCTAssertEqual(summary.warnings, 2)
        XCTAssertEqual(summary.line, "8 errors, 2 warnings in 12 files")
        XCTAssertEqual(DiagnosticSummary(files: 0, konnectors: 0, connections: 0, diagnostics: []).line,
                       "0 errors, 0 warnings in 0 files")
        XCTAssertEqual(DiagnosticTextView(color: false, sources: [:])
                        .render([], summary: DiagnosticSummary(files: 2, konnectors: 2, connections: 0, diagnostics: [])),
                       "0 errors, 0 warnings in 2 files\n")
    }
}

final class JSONViewTests: XCTestCase {
    func testGolden() throws {
        let out = DiagnosticJSONView().render(Samples.diagnostics, summary: Samples.summary)
        Golden.assertMatches(out, "diagnostics.json")
        XCTAssertTrue(out.hasSuffix("}\n"))
        XCTAssertEqual(out.filter { $0 == "\n" }.count, 1, "one JSON object on one line")
    }

    func testShapeMatchesTheSpec() throws {
        let out = DiagnosticJSONView().render([Samples.specExample],
                                              summary: DiagnosticSummary(files: 12, konnectors: 10, connections: 3,
                                                                         diagnostics: [Samples.specExample]))
        XCTAssertEqual(out, """
        {"diagnostics":[{"severity":"error","code":"unknown-field","message":"unknown input `emial` for mailchimp.add_subscriber",\
        "file":"konnectors/shop.yaml","line":14,"column":7,"end_line":14,"end_column":12,"hint":"did you mean `email`?"}],\
        "summary":{"files":12,"konnectors":10,"connections":3,"errors":1,"warnings":0}}

        """)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let diagnostics = try XCTUnwrap(object["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(diagnostics.first?["line"] as? Int, 14)
        XCTAssertEqual(diagnostics.first?["end_column"] as? Int, 12)
    }

    func testValidJSONWithAwkwardText() throws {
        let d = Diagnostic(.warning, .nullable, "quote \" backslash \\ newline \n tab \t bell \u{07} é 😀", file: "a \"b\".yaml",
                           range: Samples.r(1, 1, 1, 2))
        let out = DiagnosticJSONView().render([d], summary: DiagnosticSummary(files: 1, konnectors: 0, connections: 0, diagnostics: [d]))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let first = try XCTUnwrap((object["diagnostics"] as? [[String: Any]])?.first)
        XCTAssertEqual(first["message"] as? String, d.message)
        XCTAssertEqual(first["file"] as? String, d.file)
        XCTAssertEqual(first["severity"] as? String, "warning")
        XCTAssertTrue(first["hint"] is NSNull)
        let summary = try XCTUnwrap(object["summary"] as? [String: Any])
        XCTAssertEqual(summary["warnings"] as? Int, 1)
        XCTAssertEqual(summary["errors"] as? Int, 0)
    }
}

final class GitHubViewTests: XCTestCase {
    func testGolden() {
        Golden.assertMatches(DiagnosticGitHubView().render(Samples.diagnostics), "github.txt")
    }

    func testOneCommandPerDiagnostic() {
        let out = DiagnosticGitHubView().render([Samples.specExample])
        XCTAssertEqual(out, "::error file=konnectors/shop.yaml,line=14,col=7,endLine=14,endColumn=12,title=unknown-field::"
                       + "unknown input `emial` for mailchimp.add_subscriber\n")
        let warning = Diagnostic(.warning, .nullable, "maybe null", file: "k.yaml", range: Samples.r(2, 3, 2, 9))
        XCTAssertEqual(DiagnosticGitHubView().render([warning]),
                       "::warning file=k.yaml,line=2,col=3,endLine=2,endColumn=9,title=nullable::maybe null\n")
        XCTAssertEqual(DiagnosticGitHubView().render([]), "")
    }

    func testMessageEscaping() {
        let d = Diagnostic(.error, .invalidValue, "100% sure\nsecond\rthird: a, b %0A", file: "k.yaml", range: Samples.r(1, 1, 1, 2))
        XCTAssertEqual(DiagnosticGitHubView().render([d]),
                       "::error file=k.yaml,line=1,col=1,endLine=1,endColumn=2,title=invalid-value::"
                       + "100%25 sure%0Asecond%0Dthird: a, b %250A\n")
    }

    func testCRLFPairsAreEscaped() {
        // "\r\n" is one Character in Swift; it must still become %0D%0A.
        let d = Diagnostic(.error, .invalidValue, "first\r\nsecond", file: "a\r\nb.yaml", range: Samples.r(1, 1, 1, 2))
        XCTAssertEqual(DiagnosticGitHubView().render([d]),
                       "::error file=a%0D%0Ab.yaml,line=1,col=1,endLine=1,endColumn=2,title=invalid-value::first%0D%0Asecond\n")
    }

    func testPropertyEscaping() {
        let d = Diagnostic(.error, .invalidValue, "m", file: "dir:a,b/100%.yaml", range: Samples.r(1, 1, 1, 2))
        XCTAssertEqual(DiagnosticGitHubView().render([d]),
                       "::error file=dir%3Aa%2Cb/100%25.yaml,line=1,col=1,endLine=1,endColumn=2,title=invalid-value::m\n")
    }
}

final class SARIFViewTests: XCTestCase {
    func testGolden() {
        Golden.assertMatches(DiagnosticSARIFView(toolVersion: "0.0.0-test").render(Samples.diagnostics), "diagnostics.sarif")
    }

    func testStructure() throws {
        let out = DiagnosticSARIFView(toolVersion: "1.2.3").render(Samples.diagnostics)
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        XCTAssertEqual(log["version"] as? String, "2.1.0")
        XCTAssertEqual((log["$schema"] as? String)?.contains("sarif"), true)
        let runs = try XCTUnwrap(log["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.count, 1)
        let driver = try XCTUnwrap((runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any])
        XCTAssertEqual(driver["name"] as? String, "konnect")
        XCTAssertEqual(driver["version"] as? String, "1.2.3")

        // One rule per code, in the declaration order, ids are the codes.
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        let ids = rules.compactMap { $0["id"] as? String }
        XCTAssertEqual(ids, DiagnosticCode.allCases.map(\.rawValue))
        XCTAssertEqual(Set(ids).count, ids.count)
        for rule in rules {
            let text = (rule["shortDescription"] as? [String: Any])?["text"] as? String
            XCTAssertFalse(text?.isEmpty ?? true, "rule \(rule["id"] ?? "?") has a description")
        }

        let results = try XCTUnwrap(runs[0]["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, Samples.diagnostics.count)
        for (result, d) in zip(results, Samples.diagnostics) {
            XCTAssertEqual(result["ruleId"] as? String, d.code.rawValue)
            let index = try XCTUnwrap(result["ruleIndex"] as? Int)
            XCTAssertEqual(ids[index], d.code.rawValue, "ruleIndex points at the rule")
            XCTAssertEqual(result["level"] as? String, d.severity == .error ? "error" : "warning")
            let message = try XCTUnwrap((result["message"] as? [String: Any])?["text"] as? String)
            XCTAssertTrue(message.hasPrefix(d.message))
            if let hint = d.hint { XCTAssertTrue(message.contains(hint)) }
            let locations = try XCTUnwrap(result["locations"] as? [[String: Any]])
            XCTAssertEqual(locations.count, 1)
            let physical = try XCTUnwrap(locations[0]["physicalLocation"] as? [String: Any])
            XCTAssertEqual((physical["artifactLocation"] as? [String: Any])?["uri"] as? String, d.file)
            let region = try XCTUnwrap(physical["region"] as? [String: Any])
            XCTAssertEqual(region["startLine"] as? Int, d.range.start.line)
            XCTAssertEqual(region["startColumn"] as? Int, d.range.start.column)
            XCTAssertEqual(region["endLine"] as? Int, d.range.end.line)
            XCTAssertEqual(region["endColumn"] as? Int, d.range.end.column)
        }
    }

    func testEmptyRunStillListsTheRules() throws {
        let out = DiagnosticSARIFView(toolVersion: "1").render([])
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let run = try XCTUnwrap((log["runs"] as? [[String: Any]])?.first)
        XCTAssertEqual((run["results"] as? [Any])?.count, 0)
        let rules = ((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [Any]
        XCTAssertEqual(rules?.count, DiagnosticCode.allCases.count)
    }

    func testRuleIdsAreStable() {
        // Reordering or renaming codes breaks SARIF consumers that track rules by id and index;
        // new codes may only be appended.
        XCTAssertEqual(Array(DiagnosticCode.allCases.map(\.rawValue).prefix(26)), [
            "yaml-syntax", "invalid-utf8", "duplicate-key", "limit-exceeded", "unknown-document", "unknown-field",
            "missing-field", "invalid-value", "duplicate-id", "unknown-app", "unknown-trigger", "unknown-action",
            "unknown-connection", "connection-app-mismatch", "missing-scope", "missing-connection", "literal-secret",
            "expression-syntax", "unknown-reference", "unknown-function", "type-mismatch", "not-interpolable",
            "nullable", "unchecked-enum", "invalid-schema", "owned-elsewhere",
        ])
    }
}

/// Removes ANSI SGR sequences.
func stripANSI(_ s: String) -> String {
    var out = ""
    var scalars = s.unicodeScalars.makeIterator()
    while let c = scalars.next() {
        if c == "\u{1B}" {
            while let d = scalars.next(), d != "m" {}
            continue
        }
        out.unicodeScalars.append(c)
    }
    return out
}

/// Many diagnostics on one long line cost their number, not its product with
/// the line's length: each snippet walks only its window of the line.
final class LongLineSnippetTests: XCTestCase {
    func testSnippetsOnOneLongLineShowTheirWindow() {
        let line = (0..<5000).map { "k\($0): v" }.joined(separator: ", ")
        let source = SourceText(bytes: Array("{\(line)}\n".utf8))
        var diagnostics: [Diagnostic] = []
        var offset = 1
        for i in 0..<5000 {
            let key = "k\(i)"
            let start = SourcePosition(line: 1, column: offset + 1, offset: offset)
            diagnostics.append(Diagnostic(.error, .unknownField, "unknown field `\(key)`", file: "f.yaml",
                                          range: SourceRange(start: start, end: SourcePosition(line: 1, column: offset + 1 + key.count, offset: offset + key.count))))
            offset += key.count + 5
        }
        let text = DiagnosticTextView(color: false, sources: ["f.yaml": source])
            .render(diagnostics, summary: DiagnosticSummary(files: 1, konnectors: 0, connections: 0, diagnostics: diagnostics))
        XCTAssertTrue(text.hasSuffix("""
            1 | … k4988: v, k4989: v, k4990: v, k4991: v, k4992: v, k4993: v, k4994: v, k4995: v, k4996: v, k4997: v, k4998: v, k4999: v}
              |                                                                                                                 ^^^^^

            5000 errors, 0 warnings in 1 file

            """), String(text.suffix(400)))
        XCTAssertEqual(text.components(separatedBy: "error[unknown-field]").count - 1, 5000)
    }
}
