import XCTest
@testable import KonnectCore

/// A quote left open on its line and closed by a later quote is reported at
/// the quote that opened it, not where YAML finally failed or as the keys the
/// string swallowed (issue 19).
final class UnclosedQuoteTests: XCTestCase {
    private let tail = "trigger: {app: shop, event: order}\nsteps:\n  - id: a\n    app: shop\n    action: take\n"

    func testAStringThatSwallowsKeysIsReportedAtItsOpeningQuote() {
        // The quote on line 2 is closed by the first quote of line 8: the file parses, and the
        // konnector seems to have no trigger and no steps.
        let ds = TC.loneFileDiagnostics("konnector: k\nname: \"Orders\n" + tail + "    with: {s: \"#x\"}\n")
        XCTAssertEqual(ds.map(\.code), [.yamlSyntax], "\(ds.map(\.message))")
        XCTAssertEqual(ds.first.map { "\($0.range.start.line):\($0.range.start.column)" }, "2:7")
        XCTAssertEqual(ds.first?.message,
                       "this quoted string is not closed on its line: it runs on to the `\"` at line 8, column 15, and takes lines 3 to 8 into the string")
    }

    func testAFileThatFailsBelowAnOpenQuoteIsReportedAtTheQuote() {
        let ds = TC.loneFileDiagnostics("konnector: k\nname: 'Orders\n" + tail + "    with:\n      s: 'x'\n      t: y\n")
        XCTAssertEqual(ds.map(\.code), [.yamlSyntax])
        XCTAssertEqual(ds.first.map { "\($0.range.start.line):\($0.range.start.column)" }, "2:7")
        XCTAssertTrue(ds.first?.message.hasPrefix("this quoted string is not closed on its line (YAML reads on to the next `'`, then fails: ") == true,
                      ds.first?.message ?? "")
        XCTAssertEqual(ds.first?.hint, "close it with a `'` where the value ends")
    }

    func testQuotedStringsOverSeveralLinesAndClosedQuotesAreFine() {
        XCTAssertEqual(TC.loneFileDiagnostics("konnector: k\nname: \"Orders\n  to the shop\"\ndescription: 'it''s \"fine\"'\n" + tail).map(\.code), [])
        XCTAssertNil(UnclosedQuote.unclosedValueQuote(Array(#"  text: "a \" b""#.utf8)))
        XCTAssertNil(UnclosedQuote.unclosedValueQuote(Array("  - 'it''s'".utf8)))
        XCTAssertEqual(UnclosedQuote.unclosedValueQuote(Array("  - \"open".utf8)), 4)
        XCTAssertNil(UnclosedQuote.unclosedValueQuote(Array("# name: \"open".utf8)), "a comment")
    }
}

/// One cause, one diagnostic: a konnector file that does not parse hides its
/// konnectors, and the suite that tests one of them is not called unknown.
final class SuiteOfUnparsedFileTests: XCTestCase {
    func testASuiteOfAKonnectorInABrokenFileIsNotReported() {
        let broken = TC.file("konnectors/k.yaml", "konnector: k\nname: \"K\ntrigger: {app: shop, event: order}\nsteps: [{id: a, app: shop, action: take, with: {s: \"x\"}}]\n  bad: [\n")
        let suite = TC.file("konnectors/k.test.yaml", "tests: k\ncases: [{name: one}]\n")
        let ds = ProjectValidator().validate(files: [broken, suite], schemaFiles: TC.schemaFiles).diagnostics
        XCTAssertEqual(ds.map(\.code), [.yamlSyntax], "\(ds.map(\.message))")
        let other = TC.file("konnectors/k.yaml", "konnector: other\nname: O\ntrigger: {app: shop, event: order}\nsteps: [{id: a, app: shop, action: take}]\n")
        XCTAssertEqual(ProjectValidator().validate(files: [other, suite], schemaFiles: TC.schemaFiles).diagnostics.map(\.code), [.unknownReference],
                       "with every file read, an unknown konnector is reported")
    }
}
