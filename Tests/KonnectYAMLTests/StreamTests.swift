import XCTest
@testable import KonnectYAML

/// Aliases, multi-document streams, syntax errors, UTF-8 and empty input.
final class StreamTests: XCTestCase {
    // MARK: aliases

    func testAliasSharesTheAnchoredNode() throws {
        let stream = parse("a: &x {k: 1, l: [2, 3]}\nb: *x\nc: &s scalar\nd: *s\n")
        let root = try XCTUnwrap(stream.singleRoot())
        let a = try XCTUnwrap(root["a"])
        let b = try XCTUnwrap(root["b"])
        XCTAssertEqual(b.range, a.range, "an alias is the anchored node, with the anchor's range")
        // libyaml starts an anchored node at its anchor (`&x`).
        XCTAssertEqual(b.range, range(pos(1, 4, 3), pos(1, 24, 23)))
        XCTAssertEqual(b["k"]?.scalar?.value, .int(1))
        XCTAssertEqual(b["l"]?.sequence?.count, 2)
        XCTAssertEqual(root["d"]?.scalar?.text, "scalar")
        XCTAssertEqual(root["d"]?.range, root["c"]?.range)
        // The alias's key still has its own position.
        XCTAssertEqual(root.pair("b")?.key.range, range(pos(2, 1, 24), pos(2, 2, 25)))
    }

    func testAnchorsCanBeRedefined() throws {
        let root = try XCTUnwrap(parse("a: &x 1\nb: *x\nc: &x 2\nd: *x\n").singleRoot())
        XCTAssertEqual(root["b"]?.scalar?.value, .int(1))
        XCTAssertEqual(root["d"]?.scalar?.value, .int(2))
    }

    func testUndefinedAliasIsASyntaxProblem() {
        let stream = parse("a: 1\nb: *nope\n")
        XCTAssertEqual(stream.problems.count, 1)
        XCTAssertEqual(syntaxText(of: stream.problems.first)?.contains("undefined alias"), true)
        XCTAssertEqual(syntaxText(of: stream.problems.first)?.contains("nope"), true)
        XCTAssertEqual(stream.problems.first?.range, range(pos(2, 4, 8), pos(2, 9, 13)))
    }

    func testAnchorsDoNotCrossDocuments() {
        let stream = parse("a: &x 1\n---\nb: *x\n")
        XCTAssertEqual(stream.problems.count, 1)
        XCTAssertEqual(syntaxText(of: stream.problems.first)?.contains("undefined alias"), true)
        XCTAssertEqual(stream.problems.first?.range.start, pos(3, 4, 15))
    }

    func testAliasToAnEnclosingNodeIsRejectedNotLooped() {
        let stream = parse("a: &x [1, *x]\n")
        XCTAssertEqual(stream.problems.count, 1)
        XCTAssertNotNil(syntaxText(of: stream.problems.first))
    }

    // MARK: multi-document streams

    func testMultiDocumentStream() throws {
        let text = """
        konnector: one
        ---
        connection: two
        ...
        ---
        # a comment
        tests: three
        """
        let stream = parse(text)
        XCTAssertEqual(stream.problems, [])
        XCTAssertEqual(stream.documents.count, 3)
        XCTAssertEqual(stream.documents.map { $0.root?.mapping?.first?.keyText }, ["konnector", "connection", "tests"])
        XCTAssertEqual(stream.documents.map { $0.root?.range.start.line }, [1, 3, 7])
        XCTAssertEqual(stream.documents[0].range.start, pos(1, 1, 0))
        XCTAssertEqual(stream.documents[1].range.start.line, 2)
        XCTAssertEqual(stream.documents[2].range.start.line, 5)
        XCTAssertEqual(stream.documents[1].root?["connection"]?.range.start, pos(3, 13, 31))
    }

    func testSyntaxErrorInASecondDocumentKeepsTheFirst() {
        let stream = parse("a: 1\n---\nb: [\n")
        XCTAssertEqual(stream.documents.count, 1)
        XCTAssertEqual(stream.documents.first?.root?["a"]?.scalar?.value, .int(1))
        XCTAssertEqual(stream.problems.count, 1)
        XCTAssertNotNil(syntaxText(of: stream.problems.first))
        XCTAssertEqual(stream.problems.first?.range.start.line, 4)
    }

    func testEmptyDocumentBetweenSeparators() {
        let stream = parse("---\n---\na: 1\n")
        XCTAssertEqual(stream.problems, [])
        XCTAssertEqual(stream.documents.count, 2)
        XCTAssertEqual(stream.documents[0].root?.isNull, true)
        XCTAssertEqual(stream.documents[1].root?["a"]?.scalar?.value, .int(1))
    }

    // MARK: empty input

    func testEmptyInput() {
        let stream = parse("")
        XCTAssertEqual(stream.problems, [])
        XCTAssertEqual(stream.documents.count, 0)
        XCTAssertEqual(stream.source.lineCount, 1)
    }

    func testWhitespaceAndCommentOnlyInput() {
        for text in ["\n\n", "   ", "# only a comment\n", "\r\n# x\r\n"] {
            let stream = parse(text)
            XCTAssertEqual(stream.problems, [], text.debugDescription)
            XCTAssertEqual(stream.documents.count, 0, text.debugDescription)
        }
    }

    func testSingleScalarDocument() throws {
        let stream = parse("just text")
        let root = try XCTUnwrap(stream.singleRoot())
        XCTAssertEqual(root.scalar?.text, "just text")
        XCTAssertEqual(root.range, range(pos(1, 1, 0), pos(1, 10, 9)))
    }

    // MARK: syntax errors

    func testMappingValuesNotAllowed() throws {
        let stream = parse("a: b: c\n")
        XCTAssertEqual(stream.documents.count, 0)
        XCTAssertEqual(stream.problems.count, 1, "expected one syntax problem, got \(stream.problems)")
        guard let syntax = stream.firstSyntaxProblem(is: "mapping values are not allowed in this context") else { return }
        XCTAssertEqual(syntax.at, range(pos(1, 5, 4), pos(1, 6, 5)))
    }

    func testSyntaxErrorPositionAfterMultiByteText() {
        let stream = parse("é: «b»: c\n")
        XCTAssertEqual(stream.problems.count, 1)
        XCTAssertEqual(syntaxText(of: stream.problems.first), "mapping values are not allowed in this context")
        // é : ␠ « b » :  -> the second colon is column 7, byte 9.
        XCTAssertEqual(stream.problems.first?.range, range(pos(1, 7, 9), pos(1, 8, 10)))
    }

    func testUnclosedFlowSequenceNamesItsContext() {
        let stream = parse("key: [1, 2\nnext: 3\n")
        guard let syntax = stream.firstSyntaxProblem(is: "did not find expected ',' or ']'") else { return }
        XCTAssertEqual(syntax.context, "while parsing a flow sequence")
        XCTAssertEqual(syntax.contextStart, pos(1, 6, 5))
        XCTAssertEqual(syntax.at.start.line, 2)
    }

    func testUnclosedQuote() {
        let stream = parse("a: \"abc\n")
        guard let syntax = stream.firstSyntaxProblem(is: "found unexpected end of stream") else { return }
        XCTAssertEqual(syntax.context, "while scanning a quoted scalar")
        XCTAssertEqual(syntax.contextStart, pos(1, 4, 3))
        XCTAssertEqual(syntax.at.start, pos(2, 1, 8))
        XCTAssertEqual(syntax.at.end, syntax.at.start, "an error at the end of the file has an empty range")
    }

    func testTabIndentation() {
        let stream = parse("a:\n\tb: 1\n")
        guard let syntax = stream.firstSyntaxProblem(is: "found character that cannot start any token") else { return }
        XCTAssertEqual(syntax.at, range(pos(2, 1, 3), pos(2, 2, 4)))
    }

    func testBadIndentation() {
        let stream = parse("a:\n  b: 1\n c: 2\n")
        XCTAssertEqual(stream.problems.count, 1)
        XCTAssertNotNil(syntaxText(of: stream.problems.first))
        XCTAssertEqual(stream.problems.first?.range.start.line, 3)
    }

    func testControlCharacterIsAReaderErrorAtItsOffset() {
        let stream = parse("a: é\u{01}\n")
        guard let syntax = stream.firstSyntaxProblem(is: "control characters are not allowed") else { return }
        XCTAssertEqual(syntax.at.start, pos(1, 5, 5))
    }

    func testNULByteIsRejected() {
        let stream = parse(bytes: Array("a: b\n".utf8) + [0] + Array("c: d\n".utf8))
        XCTAssertEqual(stream.problems.count, 1)
        XCTAssertNotNil(syntaxText(of: stream.problems.first))
        XCTAssertEqual(stream.problems.first?.range.start, pos(2, 1, 5))
    }

    // MARK: UTF-8

    func assertInvalidUTF8(_ bytes: [UInt8], at expected: SourcePosition, file: StaticString = #filePath, line: UInt = #line) {
        let stream = parse(bytes: bytes)
        XCTAssertEqual(stream.problems, [.invalidUTF8(at: range(expected, pos(expected.line, expected.column + 1, expected.offset + 1)))],
                       file: file, line: line)
        XCTAssertEqual(stream.documents.count, 0, file: file, line: line)
        XCTAssertEqual(stream.source.firstInvalidUTF8Offset, expected.offset, file: file, line: line)
    }

    func testInvalidUTF8AtTheFirstBadByte() {
        let prefix = Array("a: ".utf8)
        assertInvalidUTF8(prefix + [0xFF], at: pos(1, 4, 3))
        assertInvalidUTF8(prefix + [0xFE, 0x41], at: pos(1, 4, 3))
        assertInvalidUTF8(prefix + [0x80], at: pos(1, 4, 3))
        assertInvalidUTF8(prefix + [0xC3], at: pos(1, 4, 3))                  // truncated at the end
        assertInvalidUTF8(prefix + [0xE2, 0x82, 0x0A], at: pos(1, 4, 3))      // truncated before a newline
        assertInvalidUTF8(prefix + [0xF5, 0x80, 0x80, 0x80], at: pos(1, 4, 3)) // lead byte above U+10FFFF
        assertInvalidUTF8(prefix + [0xF4, 0x90, 0x80, 0x80], at: pos(1, 4, 3)) // U+110000
    }

    func testOverlongSequencesAreInvalid() {
        let prefix = Array("a: ".utf8)
        assertInvalidUTF8(prefix + [0xC0, 0xAF], at: pos(1, 4, 3))             // '/' in two bytes
        assertInvalidUTF8(prefix + [0xC1, 0xBF], at: pos(1, 4, 3))
        assertInvalidUTF8(prefix + [0xE0, 0x80, 0xAF], at: pos(1, 4, 3))       // '/' in three bytes
        assertInvalidUTF8(prefix + [0xE0, 0x9F, 0xBF], at: pos(1, 4, 3))
        assertInvalidUTF8(prefix + [0xF0, 0x80, 0x80, 0xAF], at: pos(1, 4, 3)) // '/' in four bytes
        assertInvalidUTF8(prefix + [0xF0, 0x8F, 0xBF, 0xBF], at: pos(1, 4, 3))
    }

    func testSurrogatesAreInvalid() {
        let prefix = Array("a: ".utf8)
        assertInvalidUTF8(prefix + [0xED, 0xA0, 0x80], at: pos(1, 4, 3))       // U+D800
        assertInvalidUTF8(prefix + [0xED, 0xBF, 0xBF], at: pos(1, 4, 3))       // U+DFFF
        // CESU-8 style pair.
        assertInvalidUTF8(prefix + [0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80], at: pos(1, 4, 3))
    }

    func testValidBoundarySequencesAreAccepted() {
        let text: [UInt8] = Array("a: ".utf8) + [0xC2, 0x80] + [0xDF, 0xBF] + [0xE0, 0xA0, 0x80] + [0xED, 0x9F, 0xBF]
            + [0xEE, 0x80, 0x80] + [0xF0, 0x90, 0x80, 0x80] + [0xF4, 0x8F, 0xBF, 0xBF] + [0x0A]
        let stream = parse(bytes: text)
        XCTAssertNil(stream.source.firstInvalidUTF8Offset)
        XCTAssertFalse(stream.problems.contains { if case .invalidUTF8 = $0 { return true } else { return false } })
    }

    func testInvalidUTF8PositionAfterMultiByteText() {
        let bytes = Array("é: ok\nb: ü".utf8) + [0xFF] + Array(" tail\n".utf8)
        assertInvalidUTF8(bytes, at: pos(2, 5, 12))
    }

    func testOnlyTheFirstBadByteIsReported() {
        let bytes = Array("a: x\n".utf8) + [0x80, 0x81] + Array("\nb: ".utf8) + [0xFF]
        assertInvalidUTF8(bytes, at: pos(2, 1, 5))
    }

    func testBinaryGarbage() {
        let bytes = (0..<4096).map { UInt8(0x80 + $0 % 0x80) }
        assertInvalidUTF8(bytes, at: pos(1, 1, 0))
    }

    // MARK: robustness

    /// Deterministic pseudo-random YAML-ish input: any trap here fails the run.
    func testNoTrapOnRandomInput() {
        let alphabet: [UInt8] = Array("ab:- \n\t[]{},&*!|>'\"#?%@`~.0x\r".utf8) + [0xC3, 0xA9, 0x00, 0xFF]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var problems = 0
        for _ in 0..<3_000 {
            let length = next() % 60
            let bytes = (0..<length).map { _ in alphabet[next() % alphabet.count] }
            let stream = parse(bytes: bytes)
            problems += stream.problems.count
            for problem in stream.problems {
                XCTAssertGreaterThanOrEqual(problem.range.start.line, 1)
                XCTAssertGreaterThanOrEqual(problem.range.start.column, 1)
                XCTAssertLessThanOrEqual(problem.range.start.offset, bytes.count)
                XCTAssertLessThanOrEqual(problem.range.end.offset, bytes.count)
                XCTAssertLessThanOrEqual(problem.range.start.offset, problem.range.end.offset)
            }
        }
        XCTAssertGreaterThan(problems, 0)
    }
}
