/// Reads an expression's source one token at a time (SPEC §5.3), keeping
/// each token's byte range so diagnostics can point at it.
struct Lexer {
    let bytes: [UInt8]
    /// The source is `bytes[base..<end]`, so a template's expressions are read
    /// in place; spans are relative to `base`.
    private let base: Int
    private let end: Int
    /// Where `next()` goes on from.
    private var cursor: Int

    init(bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        base = range?.lowerBound ?? 0
        end = range?.upperBound ?? bytes.count
        cursor = base
    }

    /// A span relative to the source's start.
    private func span(_ a: Int, _ b: Int) -> Range<Int> { (a - base)..<(b - base) }

    private static func symbol(_ c: UInt8) -> Token.Symbol? {
        switch c {
        case 0x3C: return .less
        case 0x3E: return .greater
        case 0x2B: return .plus
        case 0x2D: return .minus
        case 0x2A: return .star
        case 0x2F: return .slash
        case 0x25: return .percent
        case 0x7C: return .pipe
        case 0x2E: return .dot
        case 0x5B: return .openBracket
        case 0x5D: return .closeBracket
        case 0x28: return .openParen
        case 0x29: return .closeParen
        case 0x2C: return .comma
        default: return nil
        }
    }

    /// The next token; `.end` once the source is used up, and again after.
    /// The parser pulls tokens one at a time, so no expression needs an
    /// array of them.
    mutating func next() throws(ExpressionSyntaxError) -> Token {
        var i = cursor
        defer { cursor = i }
        let n = end
        while i < n, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        guard i < n else { return Token(kind: .end, span: span(n, n)) }
        let start = i
        let c = bytes[i]
        if isIdentStart(c) {
            while i < n, isIdentStart(bytes[i]) || isDigit(bytes[i]) { i += 1 }
            return Token(kind: .identifier(word(start, i)), span: span(start, i))
        } else if isDigit(c) {
            return try number(&i)
        } else if c == 0x27 || c == 0x22 {
            return try string(&i, quote: c)
        } else if i + 1 < n, bytes[i + 1] == 0x3D, c == 0x3D || c == 0x21 || c == 0x3C || c == 0x3E {
            // == != <= >=
            let symbol: Token.Symbol = switch c {
            case 0x3D: .equal
            case 0x21: .notEqual
            case 0x3C: .lessOrEqual
            default: .greaterOrEqual
            }
            i += 2
            return Token(kind: .symbol(symbol), span: span(start, i))
        } else if let symbol = Self.symbol(c) {
            i += 1
            return Token(kind: .symbol(symbol), span: span(start, i))
        } else {
            var charEnd = i + 1
            while charEnd < n, bytes[charEnd] & 0xC0 == 0x80 { charEnd += 1 }
            let ch = text(i, charEnd)
            let hint: String? = switch ch {
            case "=": "compare with `==`"
            case "&": "write `and`"
            case "!": "write `not` or `!=`"
            case "{", "}": "`{{` and `}}` only delimit templates; write a literal brace inside quotes"
            default: nil
            }
            throw ExpressionSyntaxError("unexpected character `\(ch)`", span: span(i, charEnd), hint: hint)
        }
    }

    /// Classifies the identifier `bytes[a..<b]` without making a String of it.
    private func word(_ a: Int, _ b: Int) -> Token.Word {
        // Called under the case of `w`'s first byte, so comparing starts at the second.
        func isWord(_ w: StaticString) -> Bool {
            guard b - a == w.utf8CodeUnitCount else { return false }
            let p = w.utf8Start
            for k in 1..<w.utf8CodeUnitCount where bytes[a + k] != p[k] { return false }
            return true
        }
        switch bytes[a] {
        case 0x61: return isWord("and") ? .and : .other
        case 0x63:
            if isWord("contains") { return .contains }
            return .other
        case 0x65: return isWord("ends_with") ? .endsWith : .other
        case 0x66: return isWord("false") ? .false : .other
        case 0x69: return isWord("in") ? .in : .other
        case 0x6B: return isWord("konnector") ? .konnector : .other
        case 0x6D: return isWord("matches") ? .matches : .other
        case 0x6E:
            if isWord("not") { return .not }
            if isWord("null") { return .null }
            return .other
        case 0x6F: return isWord("or") ? .or : .other
        case 0x73:
            if isWord("steps") { return .steps }
            if isWord("starts_with") { return .startsWith }
            return .other
        case 0x74:
            if isWord("trigger") { return .trigger }
            if isWord("true") { return .true }
            return .other
        default: return .other
        }
    }

    private func number(_ i: inout Int) throws(ExpressionSyntaxError) -> Token {
        let start = i
        while i < end, isDigit(bytes[i]) { i += 1 }
        var isFloat = false
        if i + 1 < end, bytes[i] == 0x2E, isDigit(bytes[i + 1]) {
            isFloat = true
            i += 1
            while i < end, isDigit(bytes[i]) { i += 1 }
        }
        if i < end, bytes[i] == 0x65 || bytes[i] == 0x45 {
            var j = i + 1
            if j < end, bytes[j] == 0x2B || bytes[j] == 0x2D { j += 1 }
            if j < end, isDigit(bytes[j]) {
                isFloat = true
                i = j
                while i < end, isDigit(bytes[i]) { i += 1 }
            }
        }
        if !isFloat, let v = integer(start, i) { return Token(kind: .integer(v), span: span(start, i)) }
        let t = text(start, i)
        // `1e999` reads as infinity; the checker reports it (`invalid-value`: numbers stay finite, SPEC §9).
        guard let d = Double(t) else {
            throw ExpressionSyntaxError("number `\(t)` is out of range", span: span(start, i))
        }
        return Token(kind: .number(d), span: span(start, i))
    }

    /// The digits `bytes[a..<b]` as an Int, or nil when it overflows (as `Int(String)`).
    private func integer(_ a: Int, _ b: Int) -> Int? {
        var v = 0
        for k in a..<b {
            let (times10, o1) = v.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(bytes[k] &- 0x30))
            if o1 || o2 { return nil }
            v = sum
        }
        return v
    }

    /// Scans a string literal (checking its escapes); the value is decoded
    /// by `stringValue` when the parser makes the literal.
    private func string(_ i: inout Int, quote: UInt8) throws(ExpressionSyntaxError) -> Token {
        let start = i
        i += 1
        var hasEscapes = false
        while i < end {
            let c = bytes[i]
            if c == quote {
                i += 1
                return Token(kind: .string(hasEscapes: hasEscapes), span: span(start, i))
            }
            if c == 0x5C {
                guard i + 1 < end else { break }
                let e = bytes[i + 1]
                guard Self.unescaped(e) != nil else {
                    throw ExpressionSyntaxError("unknown escape `\\\(String(decoding: [e], as: UTF8.self))` in a string",
                                                span: span(i, i + 2), hint: "the escapes are \\\\ \\' \\\" \\n \\t")
                }
                hasEscapes = true
                i += 2
                continue
            }
            i += 1
        }
        throw ExpressionSyntaxError("string is not closed", span: span(start, end),
                                    hint: "close it with `\(String(decoding: [quote], as: UTF8.self))`")
    }

    /// The byte an escape `\e` stands for, or nil when it is no escape.
    private static func unescaped(_ e: UInt8) -> UInt8? {
        switch e {
        case 0x5C: return 0x5C
        case 0x27: return 0x27
        case 0x22: return 0x22
        case 0x6E: return 0x0A
        case 0x74: return 0x09
        default: return nil
        }
    }

    /// The value of the string literal at `bytes[literal]` (quotes included),
    /// which the lexer has checked.
    static func stringValue(_ bytes: [UInt8], _ literal: Range<Int>, hasEscapes: Bool) -> String {
        let inner = (literal.lowerBound + 1)..<(literal.upperBound - 1)
        guard hasEscapes else { return String(decoding: bytes[inner], as: UTF8.self) }
        var value: [UInt8] = []
        value.reserveCapacity(inner.count)
        var i = inner.lowerBound
        while i < inner.upperBound {
            if bytes[i] == 0x5C, i + 1 < inner.upperBound, let c = unescaped(bytes[i + 1]) {
                value.append(c)
                i += 2
            } else {
                value.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: value, as: UTF8.self)
    }

    private func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    func text(_ a: Int, _ b: Int) -> String {
        String(decoding: bytes[a..<min(b, end)], as: UTF8.self)
    }
}
