import XCTest
@testable import KonnectYAML

final class DuplicateKeyTests: XCTestCase {
    func testDuplicateKeyIsReportedAtTheRepeatedKeyWithTheFirstRange() throws {
        let stream = parse("a: 1\nb: 2\na: 3\n")
        XCTAssertEqual(stream.problems, [
            .duplicateKey(key: "a", first: range(pos(1, 1, 0), pos(1, 2, 1)), at: range(pos(3, 1, 10), pos(3, 2, 11))),
        ])
        // The document is still built; the first value wins.
        let root = try XCTUnwrap(stream.documents.first?.root)
        XCTAssertEqual(root.mapping?.map(\.keyText), ["a", "b"])
        XCTAssertEqual(root["a"]?.scalar?.value, .int(1))
    }

    func testDuplicateWithCollectionValueIsDroppedWholly() throws {
        let stream = parse("a:\n  x: 1\na:\n  y: [1, 2]\nb: 3\n")
        XCTAssertEqual(stream.problems.count, 1)
        guard case .duplicateKey("a", let first, let at)? = stream.problems.first else {
            return XCTFail("expected duplicate-key, got \(stream.problems)")
        }
        XCTAssertEqual(first.start, pos(1, 1, 0))
        XCTAssertEqual(at.start, pos(3, 1, 10))
        let root = try XCTUnwrap(stream.documents.first?.root)
        XCTAssertEqual(root.mapping?.map(\.keyText), ["a", "b"])
        XCTAssertEqual(root["a"]?["x"]?.scalar?.value, .int(1))
        XCTAssertEqual(root["b"]?.scalar?.value, .int(3))
    }

    func testDuplicatesInNestedAndFlowMappings() {
        let stream = parse("outer:\n  k: 1\n  k: 2\nflow: {é: 1, é: 2}\n")
        XCTAssertEqual(stream.problems, [
            .duplicateKey(key: "k", first: range(pos(2, 3, 9), pos(2, 4, 10)), at: range(pos(3, 3, 16), pos(3, 4, 17))),
            .duplicateKey(key: "é", first: range(pos(4, 8, 28), pos(4, 9, 30)), at: range(pos(4, 14, 35), pos(4, 15, 37))),
        ])
    }

    func testQuotedAndPlainSpellingsOfTheSameKeyAreDuplicates() {
        let stream = parse("name: a\n\"name\": b\n")
        XCTAssertEqual(stream.problems.count, 1)
        if case .duplicateKey(let key, let first, let at)? = stream.problems.first {
            XCTAssertEqual(key, "name")
            XCTAssertEqual(first.start.line, 1)
            XCTAssertEqual(at.start, pos(2, 1, 8))
        } else {
            XCTFail("expected duplicate-key, got \(stream.problems)")
        }
    }

    func testSameKeyInSiblingMappingsIsFine() {
        let stream = parse("- id: a\n- id: a\n- {id: b}\n")
        XCTAssertEqual(stream.problems, [])
    }

    func testDuplicatesInALargeMapping() throws {
        // More than 16 keys: the lookup switches to a hash index.
        var lines = (0..<30).map { "k\($0): \($0)" }
        lines.append("k3: again")
        lines.append("k29: again")
        lines.append("k30: new")
        let stream = parse(lines.joined(separator: "\n") + "\n")
        XCTAssertEqual(stream.problems.count, 2)
        guard stream.problems.count == 2,
              case .duplicateKey("k3", let first3, let at3) = stream.problems[0],
              case .duplicateKey("k29", let first29, let at29) = stream.problems[1] else {
            return XCTFail("unexpected problems \(stream.problems)")
        }
        XCTAssertEqual(first3.start.line, 4)
        XCTAssertEqual(at3.start.line, 31)
        XCTAssertEqual(first29.start.line, 30)
        XCTAssertEqual(at29.start.line, 32)
        let root = try XCTUnwrap(stream.documents.first?.root)
        XCTAssertEqual(root.mapping?.count, 31)
        XCTAssertEqual(root["k3"]?.scalar?.value, .int(3))
        XCTAssertEqual(root["k30"]?.scalar?.value, .string("new"))
    }

    func testEveryRepeatIsReported() {
        let stream = parse("a: 1\na: 2\na: 3\n")
        XCTAssertEqual(stream.problems.map(\.range.start.line), [2, 3])
        for problem in stream.problems {
            guard case .duplicateKey(_, let first, _) = problem else { return XCTFail("\(problem)") }
            XCTAssertEqual(first.start.line, 1)
        }
    }
}
