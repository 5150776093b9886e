import XCTest
@testable import KonnectYAML

/// Every node carries start and end line, column (Unicode scalars, 1-based)
/// and byte offset (0-based), also on lines holding multi-byte characters.
final class MarkTests: XCTestCase {
    /// `root`'s pair `key`, whose key and value must cover `keyRange` and `valueRange`.
    @discardableResult
    func assertPair(_ key: String, in root: YAMLNode, key keyRange: SourceRange, value valueRange: SourceRange,
                    file: StaticString = #filePath, line: UInt = #line) throws -> YAMLPair {
        let pair = try XCTUnwrap(root.pair(key), file: file, line: line)
        XCTAssertEqual(pair.key.range, keyRange, key, file: file, line: line)
        XCTAssertEqual(pair.value.range, valueRange, key, file: file, line: line)
        return pair
    }

    func testMultiByteValueThenKeyOnNextLine() throws {
        // n a m e : ␠ " C a f é ␠ → ␠ ü "
        // é is 2 bytes, → is 3 bytes, ü is 2 bytes.
        let stream = parse("name: \"Café → ü\"\nnext: 1\n")
        let root = try XCTUnwrap(stream.singleRoot())
        let name = try assertPair("name", in: root, key: range(pos(1, 1, 0), pos(1, 5, 4)), value: range(pos(1, 7, 6), pos(1, 17, 20)))
        XCTAssertEqual(name.value.scalar?.text, "Café → ü")
        XCTAssertEqual(stream.text(of: name.value.range), "\"Café → ü\"")

        try assertPair("next", in: root, key: range(pos(2, 1, 21), pos(2, 5, 25)), value: range(pos(2, 7, 27), pos(2, 8, 28)))
        XCTAssertEqual(root.range.start, pos(1, 1, 0))
        XCTAssertEqual(root.range.end.line, 3)
        XCTAssertEqual(root.range.end.offset, 29)
    }

    func testMultiByteValueThenKeyOnSameLine() throws {
        // { a : ␠ " é → " , ␠ b : ␠ " ü " }
        let stream = parse("{a: \"é→\", b: \"ü\"}")
        let root = try XCTUnwrap(stream.singleRoot())
        try assertPair("a", in: root, key: range(pos(1, 2, 1), pos(1, 3, 2)), value: range(pos(1, 5, 4), pos(1, 9, 11)))
        let b = try assertPair("b", in: root, key: range(pos(1, 11, 13), pos(1, 12, 14)), value: range(pos(1, 14, 16), pos(1, 17, 20)))
        XCTAssertEqual(root.range, range(pos(1, 1, 0), pos(1, 18, 21)))
        XCTAssertEqual(stream.text(of: b.value.range), "\"ü\"")
    }

    func testPlainMultiByteScalarsAndFourByteCharacters() throws {
        // 👍🏽 is two scalars of four bytes each: columns count scalars, not graphemes.
        let stream = parse("k: 👍🏽 ok\nz: ü\n")
        let root = try XCTUnwrap(stream.singleRoot())
        let k = try XCTUnwrap(root.pair("k"))
        XCTAssertEqual(k.value.scalar?.text, "👍🏽 ok")
        XCTAssertEqual(k.value.range, range(pos(1, 4, 3), pos(1, 9, 14)))
        try assertPair("z", in: root, key: range(pos(2, 1, 15), pos(2, 2, 16)), value: range(pos(2, 4, 18), pos(2, 5, 20)))
    }

    func testMultiByteKeys() throws {
        let stream = parse("größe: 1\n日本語: 2\n")
        let root = try XCTUnwrap(stream.singleRoot())
        try assertPair("größe", in: root, key: range(pos(1, 1, 0), pos(1, 6, 7)), value: range(pos(1, 8, 9), pos(1, 9, 10)))
        try assertPair("日本語", in: root, key: range(pos(2, 1, 11), pos(2, 4, 20)), value: range(pos(2, 6, 22), pos(2, 7, 23)))
    }

    func testNestedBlockNodes() throws {
        let text = """
        konnector: café
        steps:
          - id: ü
            with:
              text: "→ {{ x }}"
        """
        let stream = parse(text)
        let root = try XCTUnwrap(stream.singleRoot())
        let steps = try XCTUnwrap(root["steps"])
        XCTAssertEqual(steps.range.start, pos(3, 3, 26))
        let step = try XCTUnwrap(steps.sequence?.first)
        XCTAssertEqual(step.range.start, pos(3, 5, 28))
        let id = try XCTUnwrap(step.pair("id"))
        XCTAssertEqual(id.value.range, range(pos(3, 9, 32), pos(3, 10, 34)))
        let textNode = try XCTUnwrap(step["with"]?["text"])
        XCTAssertEqual(textNode.range.start, pos(5, 13, 57))
        XCTAssertEqual(textNode.range.end.line, 5)
        XCTAssertEqual(stream.text(of: textNode.range), "\"→ {{ x }}\"")
    }

    func testCRLFLineEndings() throws {
        let stream = parse("a: 1\r\nb: é\r\nc: 3\r\n")
        let root = try XCTUnwrap(stream.singleRoot())
        XCTAssertEqual(root.pair("a")?.value.range, range(pos(1, 4, 3), pos(1, 5, 4)))
        XCTAssertEqual(root.pair("b")?.key.range, range(pos(2, 1, 6), pos(2, 2, 7)))
        XCTAssertEqual(root.pair("b")?.value.range, range(pos(2, 4, 9), pos(2, 5, 11)))
        XCTAssertEqual(root.pair("c")?.key.range, range(pos(3, 1, 13), pos(3, 2, 14)))
        XCTAssertEqual(root.pair("c")?.value.range, range(pos(3, 4, 16), pos(3, 5, 17)))
        XCTAssertEqual(stream.source.lineText(2), "b: é")
        XCTAssertEqual(stream.source.lineStarts, [0, 6, 13, 19])
    }

    func testLoneCRLineEndings() throws {
        let stream = parse("a: 1\rb: 2\r")
        let root = try XCTUnwrap(stream.singleRoot())
        XCTAssertEqual(root.pair("b")?.key.range, range(pos(2, 1, 5), pos(2, 2, 6)))
        XCTAssertEqual(root.pair("b")?.value.range, range(pos(2, 4, 8), pos(2, 5, 9)))
    }

    func testCRLFInsideBlockScalar() throws {
        let stream = parse("text: |\r\n  one\r\n  two\r\nnext: x\r\n")
        let root = try XCTUnwrap(stream.singleRoot())
        XCTAssertEqual(root["text"]?.scalar?.text, "one\ntwo\n")
        XCTAssertEqual(root.pair("next")?.key.range.start, pos(4, 1, 23))
    }

    func testSourceTextConversions() {
        let source = SourceText(bytes: Array("ab\néx\r\nz".utf8))
        XCTAssertEqual(source.lineCount, 3)
        XCTAssertEqual(source.position(atOffset: 0), pos(1, 1, 0))
        XCTAssertEqual(source.position(atOffset: 3), pos(2, 1, 3))
        XCTAssertEqual(source.position(atOffset: 5), pos(2, 2, 5))
        XCTAssertEqual(source.position(atOffset: 8), pos(3, 1, 8))
        XCTAssertEqual(source.position(atOffset: 9), pos(3, 2, 9))
        XCTAssertEqual(source.position(atOffset: 1_000), pos(3, 2, 9), "clamped to the end")
        XCTAssertEqual(source.position(atOffset: -5), pos(1, 1, 0), "clamped to the start")
        XCTAssertEqual(source.position(line0: 1, column0: 1), pos(2, 2, 5))
        XCTAssertEqual(source.position(line0: 1, column0: 2), pos(2, 3, 6))
        XCTAssertEqual(source.position(line0: 0, column0: 2), pos(1, 3, 2))
        XCTAssertEqual(source.lineText(1), "ab")
        XCTAssertEqual(source.lineText(2), "éx")
        XCTAssertEqual(source.lineText(3), "z")
        XCTAssertEqual(source.lineText(0), "")
        XCTAssertEqual(source.lineText(4), "")
        XCTAssertNil(source.firstInvalidUTF8Offset)
    }

    func testUnicodeLineSeparatorsBreakLines() {
        // NEL, LS and PS are line breaks for libyaml, so they are for us.
        let source = SourceText(bytes: Array("a\u{85}b\u{2028}c\u{2029}d".utf8))
        XCTAssertEqual(source.lineCount, 4)
        XCTAssertEqual(source.lineText(1), "a")
        XCTAssertEqual(source.lineText(2), "b")
        XCTAssertEqual(source.lineText(3), "c")
        XCTAssertEqual(source.lineText(4), "d")
        XCTAssertEqual(source.position(atOffset: 3), pos(2, 1, 3))
    }
}
