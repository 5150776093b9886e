import XCTest
@testable import KonnectCore

/// `with: {channel: #sales, text: hi}`: the `#` starts a comment that takes
/// the closing `}` with it, and libyaml fails lines later at the end of the
/// file. The error is reported at the `#`, with the quoted value as its fix.
final class CommentInFlowTests: XCTestCase {
    private let head = "konnector: k\nname: K\ntrigger: {app: shop, event: order}\nsteps:\n  - id: a\n    app: shop\n    action: take\n"

    func testACommentThatCutsAFlowMappingIsReportedAtItsHash() {
        let ds = TC.loneFileDiagnostics(head + "    with: {s: #sales, t: hi}\n")
        XCTAssertEqual(ds.map(\.code), [.yamlSyntax], "\(ds.map(\.message))")
        XCTAssertEqual(ds.first.map { "\($0.range.start.line):\($0.range.start.column)-\($0.range.end.column)" }, "8:15-21")
        XCTAssertTrue(ds.first?.message.hasPrefix("`#sales` starts a comment inside an open `{ … }` or `[ … ]`: YAML reads no further on the line, "
                                                  + "its closing bracket included, then fails at line 9 (") == true, ds.first?.message ?? "")
        XCTAssertEqual(ds.first?.hint, "quote the value: `\"#sales\"`")
    }

    func testAFlowSequenceOverLinesToo() {
        let ds = TC.loneFileDiagnostics(head + "    with:\n      s: [a,\n        #b]\n")
        XCTAssertEqual(ds.first.map { "\($0.range.start.line):\($0.range.start.column)" }, "10:9", "\(ds.map(\.message))")
        XCTAssertEqual(ds.first?.hint, "quote the value: `\"#b\"`")
    }

    func testCommentsAsMeantAndQuotedHashesAreLeftAlone() {
        // A comment with a blank after `#`, a `#` inside quotes or a word, and a `#` after the collection closed.
        XCTAssertNil(CommentInValue.inFlowCollection(of: .init(bytes: Array("a: [x, # note\n  y]\nb: {c: '#d', e: f#g} #h\n".utf8)), before: 3))
        XCTAssertNotNil(CommentInValue.inFlowCollection(of: .init(bytes: Array("a: [x, #y]\n".utf8)), before: 2))
    }
}
