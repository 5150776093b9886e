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
            case .text(let t): if t.utf8.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A }) { text = true }
            }
        }
        isSingleExpression = expressions == 1 && !text
    }

    /// Whether the string holds any template at all (a cheap test first).
    public static func mayContainTemplate(_ s: String) -> Bool {
        var previous: UInt8 = 0
        for c in s.utf8 {
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
        var parts: [Part] = []
        var textStart = 0
        var i = 0
        while i + 1 < b.count {
            guard b[i] == 0x7B, b[i + 1] == 0x7B else { i += 1; continue }
            if i > textStart { parts.append(.text(String(decoding: b[textStart..<i], as: UTF8.self))) }
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
            parts.append(.expression(String(decoding: b[(open + 2)..<close], as: UTF8.self), offset: open + 2))
            i = close + 2
            textStart = i
        }
        if textStart < b.count { parts.append(.text(String(decoding: b[textStart...], as: UTF8.self))) }
        return Template(parts: parts)
    }
}
