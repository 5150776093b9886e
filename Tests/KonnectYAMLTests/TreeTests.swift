import XCTest
@testable import KonnectYAML

/// The flat tree behind `YAMLNode`, and the line index's fast path for
/// lines of plain ASCII.
final class TreeTests: XCTestCase {
    /// Every node of the stream, aliases included, depth first.
    private func allNodes(_ stream: YAMLStream) -> [YAMLNode] {
        var out: [YAMLNode] = []
        var pending = stream.documents.compactMap(\.root)
        while let node = pending.popLast() {
            out.append(node)
            switch node.content {
            case .scalar: break
            case .sequence(let items): pending += items
            case .mapping(let pairs): for p in pairs { pending += [p.key, p.value] }
            }
        }
        return out
    }

    func testNodePositionsAgreeWithTheLineIndex() throws {
        let text = """
        konnector: k1
        name: "Signup → HubSpot"
        """
        // The same file twice: once plain ASCII, once with one multi-byte character.
        for yaml in [text.replacingOccurrences(of: "→", with: "->"), text] {
            let full = yaml + """

            tags: [crm, web]
            steps:
              - id: a
                with: { x: 'y', z: "{{ trigger.body.email }}" }
                note: |
                  two
                  lines
              - &anchor {k: v}
              - *anchor
            ---
            second: doc
            """
            let stream = parse(full)
            XCTAssertEqual(stream.problems, [])
            let nodes = allNodes(stream)
            XCTAssertGreaterThan(nodes.count, 20)
            for node in nodes {
                XCTAssertEqual(stream.source.position(atOffset: node.range.start.offset), node.range.start, "\(node.range)")
                XCTAssertEqual(stream.source.position(atOffset: node.range.end.offset), node.range.end, "\(node.range)")
            }
        }
    }

    func testLinesAreIndexedAlikeWhereverACROrAWideCharacterFalls() {
        // Lines of 0 to 19 bytes, so breaks and wide characters fall at every place in a word.
        let base = Array("abcdefghijklmnopq\nij\n\nklmnopqrstuvwxyz0\nq".utf8)
        for i in base.indices {
            for insert in [[0x0D], [0x0D, 0x0A], [0xC3, 0xA9], [0xE2, 0x86, 0x92], [0xC2, 0x85]] as [[UInt8]] {
                var bytes = base
                bytes.insert(contentsOf: insert, at: i)
                let source = SourceText(bytes: bytes)
                XCTAssertEqual(source.lineStarts, Self.referenceLineStarts(bytes), "\(insert) at \(i)")
                // Columns count characters: the offset after each character has the column after it.
                var column = 1, line = 0
                var offset = 0
                while offset < bytes.count {
                    if line + 1 < source.lineStarts.count, offset == source.lineStarts[line + 1] { line += 1; column = 1 }
                    XCTAssertEqual(source.position(atOffset: offset), SourcePosition(line: line + 1, column: column, offset: offset),
                                   "\(insert) at \(i), offset \(offset)")
                    offset += 1
                    while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
                    column += 1
                }
            }
        }
    }

    /// Line starts the slow way: after LF, CR (not followed by LF), CR LF, NEL.
    private static func referenceLineStarts(_ b: [UInt8]) -> [Int] {
        var starts = [0]
        var i = 0
        while i < b.count {
            if b[i] == 0x0A { starts.append(i + 1) }
            else if b[i] == 0x0D { if i + 1 < b.count, b[i + 1] == 0x0A { i += 1 }; starts.append(i + 1) }
            else if b[i] == 0xC2, i + 1 < b.count, b[i + 1] == 0x85 { i += 1; starts.append(i + 1) }
            i += 1
        }
        return starts
    }

    func testAnAliasIsTheAnchoredNodeItself() throws {
        let stream = parse("a: &x {k: [1, 2]}\nb: *x\n")
        let root = try XCTUnwrap(stream.singleRoot())
        let a = try XCTUnwrap(root.pair("a")?.value), b = try XCTUnwrap(root.pair("b")?.value)
        XCTAssertEqual(a.range, b.range)
        XCTAssertEqual(b["k"]?.sequence?.map { $0.scalar?.text }, ["1", "2"])
    }

    func testPairsAreFoundByKeyInPlace() throws {
        let stream = parse("name: n\nnamf: m\n'name2': o\n? [x]\n: list key\n")
        let pairs = try XCTUnwrap(stream.singleRoot()?.mapping)
        XCTAssertEqual(pairs.count, 4)
        XCTAssertEqual(pairs.firstIndex(ofKey: "namf"), 1)
        XCTAssertEqual(pairs.firstIndex(ofKey: "name2"), 2)
        XCTAssertNil(pairs.firstIndex(ofKey: "nam"))
        XCTAssertNil(pairs.firstIndex(ofKey: "[x]"))
        XCTAssertEqual(pairs.value(at: 2).scalar?.text, "o")
        XCTAssertEqual(pairs.keyText(at: 0), "name")
        XCTAssertNil(pairs.keyText(at: 3))
        XCTAssertTrue(pairs[1].hasKey("namf"))
        XCTAssertFalse(pairs[1].hasKey("name"))
        XCTAssertTrue(YAMLNode.emptyMapping(at: .fileStart).mapping?.isEmpty ?? false)
        XCTAssertTrue(YAMLPairs.empty.isEmpty && YAMLItems.empty.isEmpty)
    }
}
