/// A string split into text and `{{ expression }}` parts (SPEC §5.2).
/// Offsets are byte offsets in the string, so parts can be located.
public struct Template: Sendable, Hashable {
    public enum Part: Sendable, Hashable {
        case text(String)
        /// The expression's source and the byte offset where it starts.
        case expression(String, offset: Int)
    }

    public var parts: [Part]
    /// The string is exactly one template, spaces around allowed: it then has
    /// the expression's type.
    public let isSingleExpression: Bool

    public init(parts: [Part]) {
        self.parts = parts
        var expressions = 0
        var text = false
        for part in parts {
            switch part {
            case .expression: expressions += 1
            case .text(let t): if t.utf8.contains(where: { !Self.isSpace($0) }) { text = true }
            }
        }
        isSingleExpression = expressions == 1 && !text
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A }

    /// A part as a range of the string's bytes: the checker parses
    /// expressions in place, making Strings only of the text it keeps.
    enum Piece {
        case text(Range<Int>)
        /// The expression between `{{` and `}}`.
        case expression(Range<Int>)
    }

    /// `isSingleExpression` for the pieces of `bytes`.
    static func isSingleExpression(_ pieces: [Piece], in bytes: [UInt8]) -> Bool {
        var expressions = 0
        for piece in pieces {
            switch piece {
            case .expression: expressions += 1
            case .text(let r): if bytes[r].contains(where: { !isSpace($0) }) { return false }
            }
        }
        return expressions == 1
    }

    /// Whether the string holds any template at all (a cheap test first).
    public static func mayContainTemplate(_ s: String) -> Bool {
        // This runs for every string value: scan the contiguous UTF-8 when the string has it (native strings do).
        s.utf8.withContiguousStorageIfAvailable(hasDoubleBrace) ?? hasDoubleBrace(s.utf8)
    }

    private static func hasDoubleBrace<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Bool {
        var previous: UInt8 = 0
        for c in bytes {
            if c == 0x7B && previous == 0x7B { return true }
            previous = c
        }
        return false
    }

    public var expressions: [(source: String, offset: Int)] {
        parts.compactMap { if case .expression(let s, let o) = $0 { return (s, o) } else { return nil } }
    }

    /// Splits `s`; `}}` inside a quoted string of the expression does not close it.
    public static func split(_ s: String) throws(ExpressionSyntaxError) -> Template {
        let b = Array(s.utf8)
        let parts = try pieces(b).map { piece -> Part in
            switch piece {
            case .text(let r): return .text(String(decoding: b[r], as: UTF8.self))
            case .expression(let r): return .expression(String(decoding: b[r], as: UTF8.self), offset: r.lowerBound)
            }
        }
        return Template(parts: parts)
    }

    /// The pieces of `b`, as `split` makes its parts.
    static func pieces(_ b: [UInt8]) throws(ExpressionSyntaxError) -> [Piece] {
        var pieces: [Piece] = []
        pieces.reserveCapacity(8)  // one allocation for nearly every template
        var textStart = 0
        var i = 0
        while i + 1 < b.count {
            guard b[i] == 0x7B, b[i + 1] == 0x7B else { i += 1; continue }
            if i > textStart { pieces.append(.text(textStart..<i)) }
            let open = i
            var j = i + 2
            var quote: UInt8? = nil
            var close: Int? = nil
            while j < b.count {
                let c = b[j]
                if let q = quote {
                    if c == 0x5C { j += 2; continue }
                    if c == q { quote = nil }
                } else if c == 0x27 || c == 0x22 {
                    quote = c
                } else if c == 0x7D, j + 1 < b.count, b[j + 1] == 0x7D {
                    close = j
                    break
                }
                j += 1
            }
            guard let close else {
                throw ExpressionSyntaxError("`{{` is not closed with `}}`", span: open..<(open + 2),
                                            hint: "close the template with `}}`, or write a literal `{{` as `{{ '{{' }}`")
            }
            pieces.append(.expression((open + 2)..<close))
            i = close + 2
            textStart = i
        }
        if textStart < b.count { pieces.append(.text(textStart..<b.count)) }
        return pieces
    }
}
