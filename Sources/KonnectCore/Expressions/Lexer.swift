/// Splits an expression's source into tokens (SPEC §5.3), keeping each
/// token's byte range so diagnostics can point at it.
struct Lexer {
    let bytes: [UInt8]

    init(_ source: String) {
        bytes = Array(source.utf8)
    }

    private static func symbol(_ c: UInt8) -> String? {
        switch c {
        case 0x3C: return "<"
        case 0x3E: return ">"
        case 0x2B: return "+"
        case 0x2D: return "-"
        case 0x2A: return "*"
        case 0x2F: return "/"
        case 0x25: return "%"
        case 0x7C: return "|"
        case 0x2E: return "."
        case 0x5B: return "["
        case 0x5D: return "]"
        case 0x28: return "("
        case 0x29: return ")"
        case 0x2C: return ","
        default: return nil
        }
    }

    func tokens() throws(ExpressionSyntaxError) -> [Token] {
        var out: [Token] = []
        out.reserveCapacity(bytes.count / 3 + 2)
        var i = 0
        let n = bytes.count
        while true {
            while i < n, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
            guard i < n else {
                out.append(Token(kind: .end, span: n..<n))
                return out
            }
            let start = i
            let c = bytes[i]
            if isIdentStart(c) {
                while i < n, isIdentStart(bytes[i]) || isDigit(bytes[i]) { i += 1 }
                out.append(Token(kind: .identifier(text(start, i)), span: start..<i))
            } else if isDigit(c) {
                out.append(try number(&i))
            } else if c == 0x27 || c == 0x22 {
                out.append(try string(&i, quote: c))
            } else if i + 1 < n, bytes[i + 1] == 0x3D, c == 0x3D || c == 0x21 || c == 0x3C || c == 0x3E {
                // == != <= >=
                i += 2
                out.append(Token(kind: .symbol(text(start, i)), span: start..<i))
            } else if let symbol = Self.symbol(c) {
                i += 1
                out.append(Token(kind: .symbol(symbol), span: start..<i))
            } else {
                var end = i + 1
                while end < n, bytes[end] & 0xC0 == 0x80 { end += 1 }
                let ch = text(i, end)
                let hint: String? = switch ch {
                case "=": "compare with `==`"
                case "&": "write `and`"
                case "!": "write `not` or `!=`"
                case "{", "}": "`{{` and `}}` only delimit templates; write a literal brace inside quotes"
                default: nil
                }
                throw ExpressionSyntaxError("unexpected character `\(ch)`", span: i..<end, hint: hint)
            }
        }
    }

    private func number(_ i: inout Int) throws(ExpressionSyntaxError) -> Token {
        let start = i
        while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        var isFloat = false
        if i + 1 < bytes.count, bytes[i] == 0x2E, isDigit(bytes[i + 1]) {
            isFloat = true
            i += 1
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == 0x65 || bytes[i] == 0x45 {
            var j = i + 1
            if j < bytes.count, bytes[j] == 0x2B || bytes[j] == 0x2D { j += 1 }
            if j < bytes.count, isDigit(bytes[j]) {
                isFloat = true
                i = j
                while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            }
        }
        let t = text(start, i)
        if !isFloat, let v = Int(t) { return Token(kind: .integer(v), span: start..<i) }
        guard let d = Double(t), d.isFinite else {
            throw ExpressionSyntaxError("number `\(t)` is out of range", span: start..<i)
        }
        return Token(kind: .number(d), span: start..<i)
    }

    private func string(_ i: inout Int, quote: UInt8) throws(ExpressionSyntaxError) -> Token {
        let start = i
        i += 1
        var value: [UInt8] = []
        while i < bytes.count {
            let c = bytes[i]
            if c == quote {
                i += 1
                return Token(kind: .string(String(decoding: value, as: UTF8.self)), span: start..<i)
            }
            if c == 0x5C {
                guard i + 1 < bytes.count else { break }
                let e = bytes[i + 1]
                switch e {
                case 0x5C: value.append(0x5C)
                case 0x27: value.append(0x27)
                case 0x22: value.append(0x22)
                case 0x6E: value.append(0x0A)
                case 0x74: value.append(0x09)
                default:
                    throw ExpressionSyntaxError("unknown escape `\\\(String(decoding: [e], as: UTF8.self))` in a string",
                                                span: i..<(i + 2), hint: "the escapes are \\\\ \\' \\\" \\n \\t")
                }
                i += 2
                continue
            }
            value.append(c)
            i += 1
        }
        throw ExpressionSyntaxError("string is not closed", span: start..<bytes.count,
                                    hint: "close it with `\(String(decoding: [quote], as: UTF8.self))`")
    }

    private func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    private func text(_ a: Int, _ b: Int) -> String {
        String(decoding: bytes[a..<min(b, bytes.count)], as: UTF8.self)
    }
}
