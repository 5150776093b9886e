import XCTest
@testable import KonnectYAML

/// SPEC §6 limits: 1 MiB files, nesting 64, 100 aliases per document,
/// 10,000 expanded nodes. Hostile input must be rejected, never trap.
final class LimitTests: XCTestCase {
    func testStandardLimits() {
        let limits = YAMLLimits.standard
        XCTAssertEqual(limits.maxFileBytes, 1_048_576)
        XCTAssertEqual(limits.maxDepth, 64)
        XCTAssertEqual(limits.maxAliasesPerDocument, 100)
        XCTAssertEqual(limits.maxExpandedNodes, 10_000)
    }

    // MARK: file size

    func testFileOverOneMebibyteIsRejectedBeforeParsing() {
        var bytes = Array("key: value\n".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "#"), count: 1_048_576 - bytes.count + 1)
        XCTAssertEqual(bytes.count, 1_048_577)
        let stream = parse(bytes: bytes)
        XCTAssertEqual(stream.problems, [.limitExceeded(.fileSize(bytes: 1_048_577, max: 1_048_576), at: .fileStart)])
        XCTAssertEqual(stream.documents.count, 0)
    }

    func testFiveMegabyteGarbageIsRejectedOnSizeAlone() {
        // Invalid UTF-8 too, but the size check comes first.
        let bytes = [UInt8](repeating: 0xFF, count: 5_000_000)
        let stream = parse(bytes: bytes)
        XCTAssertEqual(stream.problems, [.limitExceeded(.fileSize(bytes: 5_000_000, max: 1_048_576), at: .fileStart)])
    }

    func testFileOfExactlyOneMebibyteIsAccepted() {
        let line = Array("# comment line padding padding padding\n".utf8)
        var bytes = Array("key: value\n".utf8)
        while bytes.count + line.count <= 1_048_576 { bytes += line }
        bytes += [UInt8](repeating: UInt8(ascii: " "), count: 1_048_576 - bytes.count)
        XCTAssertEqual(bytes.count, 1_048_576)
        let stream = parse(bytes: bytes)
        XCTAssertEqual(stream.problems, [])
        XCTAssertEqual(stream.documents.first?.root?["key"]?.scalar?.text, "value")
    }

    func testCustomFileSizeLimit() {
        let stream = parse("a: 1234567890\n", limits: YAMLLimits(maxFileBytes: 10))
        XCTAssertEqual(stream.problems, [.limitExceeded(.fileSize(bytes: 14, max: 10), at: .fileStart)])
    }

    // MARK: depth

    func testFlowNestingOf64IsAccepted() throws {
        let text = String(repeating: "[", count: 64) + "x" + String(repeating: "]", count: 64)
        let stream = parse(text)
        XCTAssertEqual(stream.problems, [])
        var node = try XCTUnwrap(stream.documents.first?.root)
        var depth = 0
        while let inner = node.sequence?.first { node = inner; depth += 1 }
        XCTAssertEqual(depth, 64)
        XCTAssertEqual(node.scalar?.text, "x")
    }

    func testFlowNestingOf65IsRejectedAtThe65thOpening() {
        let text = String(repeating: "[", count: 65) + "x" + String(repeating: "]", count: 65)
        let stream = parse(text)
        XCTAssertEqual(stream.problems.count, 1)
        XCTAssertEqual(limit(of: stream.problems.first), .depth(max: 64))
        XCTAssertEqual(stream.problems.first?.range.start, pos(1, 65, 64))
        XCTAssertEqual(stream.documents.count, 0)
    }

    func testTenThousandDeepFlowNestingIsRejected() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let stream = parse(text)
        XCTAssertEqual(stream.problems.count, 1)
        XCTAssertEqual(limit(of: stream.problems.first), .depth(max: 64))
        XCTAssertEqual(stream.problems.first?.range.start, pos(1, 65, 64))
    }

    func testTenThousandDeepUnclosedFlowNestingIsRejected() {
        let stream = parse(String(repeating: "{a: [", count: 10_000))
        XCTAssertEqual(stream.problems.count, 1)
        XCTAssertEqual(limit(of: stream.problems.first), .depth(max: 64))
    }

    func testTenThousandDeepBlockSequenceNestingIsRejected() {
        // `- - - … x`: each dash opens a block sequence inside the previous one.
        let text = String(repeating: "- ", count: 10_000) + "x\n"
        let stream = parse(text)
        XCTAssertEqual(stream.problems.count, 1)
        XCTAssertEqual(limit(of: stream.problems.first), .depth(max: 64))
        XCTAssertEqual(stream.problems.first?.range.start, pos(1, 129, 128))
    }

    func testBlockMappingNestingLimit() {
        func nested(_ n: Int) -> String {
            (0..<n).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " leaf\n"
        }
        XCTAssertEqual(parse(nested(64)).problems, [])
        let deep = parse(nested(65))
        XCTAssertEqual(deep.problems.count, 1)
        XCTAssertEqual(limit(of: deep.problems.first), .depth(max: 64))
        XCTAssertEqual(deep.problems.first?.range.start.line, 65)
        XCTAssertEqual(deep.problems.first?.range.start.column, 65)
    }

    func testCustomDepthLimit() {
        let stream = parse("a: {b: [c]}", limits: YAMLLimits(maxDepth: 2))
        XCTAssertEqual(limit(of: stream.problems.first), .depth(max: 2))
        XCTAssertEqual(stream.problems.first?.range.start, pos(1, 8, 7))
        XCTAssertEqual(parse("a: {b: c}", limits: YAMLLimits(maxDepth: 2)).problems, [])
    }

    // MARK: aliases

    func testOneHundredAliasesAreAccepted() {
        let text = "base: &b v\nlist: [" + Array(repeating: "*b", count: 100).joined(separator: ", ") + "]\n"
        let stream = parse(text)
        XCTAssertEqual(stream.problems, [])
        XCTAssertEqual(stream.documents.first?.root?["list"]?.sequence?.count, 100)
    }

    func testMoreThanOneHundredAliasesAreRejectedAtThe101st() {
        let text = "base: &b v\nlist: [" + Array(repeating: "*b", count: 101).joined(separator: ", ") + "]\n"
        let stream = parse(text)
        XCTAssertEqual(stream.problems.count, 1)
        XCTAssertEqual(limit(of: stream.problems.first), .aliases(max: 100))
        // `list: [` is 7 characters; each `*b, ` is 4: the 101st starts at column 8 + 100 * 4.
        XCTAssertEqual(stream.problems.first?.range.start, pos(2, 408, 11 + 407))
        XCTAssertEqual(stream.problems.first?.range.end, pos(2, 410, 11 + 409))
    }

    func testAliasLimitIsPerDocument() {
        let doc = "base: &b v\nlist: [" + Array(repeating: "*b", count: 60).joined(separator: ", ") + "]\n"
        let stream = parse(doc + "---\n" + doc)
        XCTAssertEqual(stream.problems, [])
        XCTAssertEqual(stream.documents.count, 2)
    }

    func testBillionLaughsIsRejected() {
        let text = """
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]
        i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]
        """
        let stream = parse(text)
        XCTAssertEqual(stream.problems.count, 1)
        XCTAssertEqual(limit(of: stream.problems.first), .expandedNodes(max: 10_000))
        // a: 11 nodes; b: 10 × 11 expanded; c: 10 × 111; d crosses 10,000 at its 8th `*c`:
        // 110 + 1,110 + 8 × 1,111 = 10,108.
        XCTAssertEqual(stream.problems.first?.range.start.line, 4)
        XCTAssertEqual(stream.problems.first?.range.start.column, 8 + 7 * 3)
        XCTAssertEqual(stream.documents.count, 0)
    }

    func testBillionLaughsInBlockStyleIsRejected() {
        var lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
        for i in 1..<12 {
            lines.append("l\(i): &l\(i)")
            for _ in 0..<10 { lines.append("  - *l\(i - 1)") }
        }
        let stream = parse(lines.joined(separator: "\n"))
        XCTAssertEqual(stream.problems.count, 1)
        XCTAssertEqual(limit(of: stream.problems.first), .expandedNodes(max: 10_000))
    }

    func testSingleAliasOfAHugeNodeIsRejected() {
        let text = "big: &big [" + Array(repeating: "1", count: 10_000).joined(separator: ",") + "]\ncopy: *big\n"
        let stream = parse(text)
        XCTAssertEqual(limit(of: stream.problems.first), .expandedNodes(max: 10_000))
        XCTAssertEqual(stream.problems.first?.range.start, pos(2, 7, text.utf8.count - 5))
    }

    func testCustomAliasLimits() {
        let text = "a: &a [1, 2]\nb: [*a, *a, *a]\n"
        XCTAssertEqual(parse(text).problems, [])
        XCTAssertEqual(limit(of: parse(text, limits: YAMLLimits(maxAliasesPerDocument: 2)).problems.first), .aliases(max: 2))
        XCTAssertEqual(limit(of: parse(text, limits: YAMLLimits(maxExpandedNodes: 8)).problems.first), .expandedNodes(max: 8))
        XCTAssertEqual(parse(text, limits: YAMLLimits(maxExpandedNodes: 9)).problems, [])
    }
}
