/// Reads JSON back into `JSONValue`, keeping member order and telling
/// integers from fractions (Foundation's parser does neither reliably).
public struct JSONParser {
    public struct Failure: Error, CustomStringConvertible {
        public var offset: Int
        public var message: String
        public var description: String { "invalid JSON at byte \(offset): \(message)" }
    }

    /// Arrays and objects nest at most this deep. konnect's own JSON nests
    /// as deep as the YAML it was compiled from (64) and a few levels more;
    /// everything that reads JSON recurses on it, so deeper is refused.
    public static let maxDepth = 128

    private let b: [UInt8]
    private var i = 0
    private var depth = 0

    public static func parse(_ text: String) throws(Failure) -> JSONValue {
        try parse(Array(text.utf8))
    }

    public static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        var p = JSONParser(b: bytes)
        p.skipSpace()
        let v = try p.value()
        p.skipSpace()
        guard p.i == bytes.count else { throw Failure(offset: p.i, message: "unexpected data after the value") }
        return v
    }

    private init(b: [UInt8]) { self.b = b }

    private func fail(_ m: String) -> Failure { Failure(offset: i, message: m) }

    private mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    private mutating func literal(_ word: String, _ v: JSONValue) throws(Failure) -> JSONValue {
        let w = Array(word.utf8)
        guard i + w.count <= b.count, Array(b[i..<(i + w.count)]) == w else { throw fail("expected `\(word)`") }
        i += w.count
        return v
    }

    private mutating func value() throws(Failure) -> JSONValue {
        guard i < b.count else { throw fail("unexpected end") }
        switch b[i] {
        case 0x7B: return try object()
        case 0x5B: return try array()
        case 0x22: return .string(try string())
        case 0x74: return try literal("true", .bool(true))
        case 0x66: return try literal("false", .bool(false))
        case 0x6E: return try literal("null", .null)
        default: return try number()
        }
    }

    private mutating func nest() throws(Failure) {
        depth += 1
        if depth > Self.maxDepth { throw fail("nested more than \(Self.maxDepth) levels") }
    }

    private mutating func object() throws(Failure) -> JSONValue {
        try nest()
        defer { depth -= 1 }
        i += 1
        var members: [JSONValue.Member] = []
        skipSpace()
        if i < b.count, b[i] == 0x7D { i += 1; return .object(members) }
        while true {
            skipSpace()
            guard i < b.count, b[i] == 0x22 else { throw fail("expected a member name") }
            let key = try string()
            skipSpace()
            guard i < b.count, b[i] == 0x3A else { throw fail("expected `:`") }
            i += 1
            skipSpace()
            members.append(.init(key, try value()))
            if try closes(with: 0x7D) { return .object(members) }
        }
    }

    private mutating func array() throws(Failure) -> JSONValue {
        try nest()
        defer { depth -= 1 }
        i += 1
        var items: [JSONValue] = []
        skipSpace()
        if i < b.count, b[i] == 0x5D { i += 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try value())
            if try closes(with: 0x5D) { return .array(items) }
        }
    }

    /// After a member or an element: true at the closing `}` or `]`, false at
    /// a `,` (another follows); both are consumed.
    private mutating func closes(with close: UInt8) throws(Failure) -> Bool {
        skipSpace()
        guard i < b.count else { throw fail("unexpected end") }
        if b[i] == 0x2C { i += 1; return false }
        if b[i] == close { i += 1; return true }
        throw fail("expected `,` or `\(Character(Unicode.Scalar(close)))`")
    }

    private mutating func string() throws(Failure) -> String {
        i += 1
        var out: [UInt8] = []
        while i < b.count {
            let c = b[i]
            if c == 0x22 { i += 1; return String(decoding: out, as: UTF8.self) }
            if c == 0x5C {
                guard i + 1 < b.count else { break }
                let e = b[i + 1]
                i += 2
                switch e {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x2F: out.append(0x2F)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x75:
                    var code = try hex4()
                    if code >= 0xD800, code < 0xDC00, i + 1 < b.count, b[i] == 0x5C, b[i + 1] == 0x75 {
                        let next = i
                        i += 2
                        let low = try hex4()
                        if low >= 0xDC00, low < 0xE000 {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            i = next  // a lone high surrogate (U+FFFD); the next escape stands on its own
                        }
                    }
                    out += Array(String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}").utf8)
                default: throw fail("bad escape")
                }
                continue
            }
            out.append(c)
            i += 1
        }
        throw fail("unterminated string")
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard i + 4 <= b.count, let v = UInt32(String(decoding: b[i..<(i + 4)], as: UTF8.self), radix: 16) else {
            throw fail("bad \\u escape")
        }
        i += 4
        return v
    }

    private mutating func number() throws(Failure) -> JSONValue {
        let start = i
        var isFraction = false
        while i < b.count {
            let c = b[i]
            if (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2B { i += 1; continue }
            if c == 0x2E || c == 0x65 || c == 0x45 { isFraction = true; i += 1; continue }
            break
        }
        let text = String(decoding: b[start..<i], as: UTF8.self)
        if !isFraction, let v = Int(text) { return .int(v) }
        guard !text.isEmpty, let d = Double(text) else { throw Failure(offset: start, message: "unexpected character") }
        return .number(d)
    }
}
