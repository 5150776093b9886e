import XCTest
@testable import KonnectYAML

/// Parses a Swift string (as UTF-8) with the given limits.
func parse(_ text: String, limits: YAMLLimits = .standard) -> YAMLStream {
    YAMLParser(limits: limits).parse(Array(text.utf8))
}

/// Parses raw bytes with the given limits.
func parse(bytes: [UInt8], limits: YAMLLimits = .standard) -> YAMLStream {
    YAMLParser(limits: limits).parse(bytes)
}

/// A position: 1-based line and column (Unicode scalars), 0-based byte offset.
func pos(_ line: Int, _ column: Int, _ offset: Int) -> SourcePosition {
    SourcePosition(line: line, column: column, offset: offset)
}

func range(_ start: SourcePosition, _ end: SourcePosition) -> SourceRange {
    SourceRange(start: start, end: end)
}

extension YAMLStream {
    /// The root of the only document, failing the test when there is not exactly one.
    func singleRoot(file: StaticString = #filePath, line: UInt = #line) -> YAMLNode? {
        XCTAssertEqual(problems, [], "unexpected problems", file: file, line: line)
        XCTAssertEqual(documents.count, 1, "expected one document", file: file, line: line)
        return documents.first?.root
    }

    /// The bytes a range covers, decoded.
    func text(of range: SourceRange) -> String {
        String(decoding: source.bytes[range.start.offset..<range.end.offset], as: UTF8.self)
    }
}

extension YAMLNode {
    /// The pair whose key text is `key`.
    func pair(_ key: String) -> YAMLPair? {
        mapping?.first(where: { $0.keyText == key })
    }
}

/// The limit a problem reports, or nil when it is another kind of problem.
func limit(of problem: YAMLProblem?) -> YAMLProblem.Limit? {
    if case .limitExceeded(let limit, _)? = problem { return limit }
    return nil
}

extension YAMLStream {
    /// The first problem's parts, failing the test when it is not a syntax
    /// problem whose libyaml text is `text`.
    func firstSyntaxProblem(is text: String, file: StaticString = #filePath, line: UInt = #line)
        -> (problem: String, context: String?, contextStart: SourcePosition?, at: SourceRange)? {
        guard case .syntax(let problem, let context, let contextStart, let at)? = problems.first else {
            XCTFail("expected a syntax problem, got \(problems)", file: file, line: line)
            return nil
        }
        XCTAssertEqual(problem, text, file: file, line: line)
        return (problem, context, contextStart, at)
    }
}

/// The libyaml problem text of a syntax problem, or nil.
func syntaxText(of problem: YAMLProblem?) -> String? {
    if case .syntax(let text, _, _, _)? = problem { return text }
    return nil
}
