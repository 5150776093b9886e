/// A scalar as written, plus its YAML 1.2 core-schema value.
public struct YAMLScalar: Sendable, Hashable {
    public enum Style: String, Sendable, Hashable {
        case plain, singleQuoted = "single", doubleQuoted = "double", literal, folded
    }

    /// The resolved value. Only plain scalars are resolved; quoted and block
    /// scalars are strings (explicit core tags aside).
    public enum Value: Sendable, Hashable {
        case null
        case bool(Bool)
        case int(Int)
        case float(Double)
        case string(String)
    }

    /// `Value` without a string payload: a string's value is `text` itself, so
    /// storing it once keeps a scalar to one reference (copies retain once).
    private enum Resolved: Sendable {
        case null
        case bool(Bool)
        case int(Int)
        case float(Double)
        case string
    }

    public let text: String
    public let style: Style
    private let resolved: Resolved

    public var value: Value {
        switch resolved {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .string: return .string(text)
        }
    }

    public init(text: String, style: Style, tag: String? = nil) {
        var copy = text
        self = copy.withUTF8 { YAMLScalar(text: text, utf8: $0, style: style, tag: tag) }
    }

    /// `utf8` holds the bytes of `text`; the parser has them at hand, and
    /// resolving from bytes spares comparisons of whole strings.
    init(text: String, utf8: UnsafeBufferPointer<UInt8>, style: Style, tag: String?) {
        self.text = text
        self.style = style
        if let tag, tag != "!" {
            self.resolved = YAMLScalar.resolve(text, utf8, tag: tag)
        } else if style == .plain && tag == nil {
            self.resolved = YAMLScalar.resolveCore(text, utf8)
        } else {
            self.resolved = .string
        }
    }

    public var isNull: Bool { if case .null = resolved { return true } else { return false } }

    /// What the value is, without its payload.
    public enum Kind: Sendable { case null, bool, int, float, string }

    public var kind: Kind {
        switch resolved {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .float: return .float
        case .string: return .string
        }
    }

    public static func == (a: YAMLScalar, b: YAMLScalar) -> Bool {
        a.text == b.text && a.style == b.style && a.value == b.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(text)
        hasher.combine(style)
        hasher.combine(value)
    }

    private static func resolve(_ text: String, _ utf8: UnsafeBufferPointer<UInt8>, tag: String) -> Resolved {
        let core = resolveCore(text, utf8)
        switch (tag, core) {
        case ("tag:yaml.org,2002:null", .null),
             ("tag:yaml.org,2002:bool", .bool),
             ("tag:yaml.org,2002:int", .int),
             ("tag:yaml.org,2002:float", .float):
            return core
        case ("tag:yaml.org,2002:float", .int(let i)):
            return .float(Double(i))
        default:
            return .string
        }
    }

    /// YAML 1.2 core schema (§10.3.2).
    public static func resolveCore(_ text: String) -> Value {
        YAMLScalar(text: text, style: .plain).value
    }

    /// YAML 1.2 core schema (§10.3.2), written out by hand over the bytes:
    /// this runs once per plain scalar, so no regular expressions and no
    /// string comparisons. All the special forms are ASCII, so comparing
    /// bytes matches comparing strings.
    private static func resolveCore(_ text: String, _ u: UnsafeBufferPointer<UInt8>) -> Resolved {
        guard let first = u.first else { return .null }
        // Most scalars are words: only these first bytes can start a non-string.
        switch first {
        case 0x2B, 0x2D, 0x2E, 0x30...0x39, 0x7E, 0x6E, 0x4E, 0x74, 0x54, 0x66, 0x46: break  // + - . 0-9 ~ n N t T f F
        default: return .string
        }
        switch u.count {
        case 1:
            if first == 0x7E { return .null }
        case 4:
            if u.is("null") || u.is("Null") || u.is("NULL") { return .null }
            if u.is("true") || u.is("True") || u.is("TRUE") { return .bool(true) }
            if u.is(".inf") || u.is(".Inf") || u.is(".INF") { return .float(.infinity) }
            if u.is(".nan") || u.is(".NaN") || u.is(".NAN") { return .float(.nan) }
        case 5:
            if u.is("false") || u.is("False") || u.is("FALSE") { return .bool(false) }
            if u.is("+.inf") || u.is("+.Inf") || u.is("+.INF") { return .float(.infinity) }
            if u.is("-.inf") || u.is("-.Inf") || u.is("-.INF") { return .float(-.infinity) }
        default:
            break
        }
        // Only digits, signs, dots, e/E, x/o and hex digits can make a number.
        let isNumberStart = (first >= 0x30 && first <= 0x39) || first == 0x2B || first == 0x2D || first == 0x2E
        guard isNumberStart else { return .string }
        if u.count > 2, first == 0x30 {
            let digits = UnsafeBufferPointer(rebasing: u[2...])
            if u[1] == 0x6F, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x37 }) {
                if let v = Int(text.dropFirst(2), radix: 8) { return .int(v) }
                return .string
            }
            if u[1] == 0x78, digits.allSatisfy({ isHex($0) }) {
                if let v = Int(text.dropFirst(2), radix: 16) { return .int(v) }
                return .string
            }
        }
        // [-+]? [0-9]+
        let body = first == 0x2B || first == 0x2D ? UnsafeBufferPointer(rebasing: u[1...]) : u
        if !body.isEmpty, body.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            if let v = Int(text) { return .int(v) }
            if let d = Double(text) { return .float(d) }
            return .string
        }
        // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
        if isCoreFloat(body), let d = Double(text) { return .float(d) }
        return .string
    }

    private static func isHex(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
    }

    private static func isCoreFloat(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        func digits() -> Int {
            var n = 0
            while i < s.count, s[i] >= 0x30, s[i] <= 0x39 { i += 1; n += 1 }
            return n
        }
        let intDigits = digits()
        var fracDigits = 0
        if i < s.count, s[i] == 0x2E {
            i += 1
            fracDigits = digits()
        } else if intDigits == 0 {
            return false
        }
        if intDigits == 0 && fracDigits == 0 { return false }
        if i < s.count, s[i] == 0x65 || s[i] == 0x45 {
            i += 1
            if i < s.count, s[i] == 0x2B || s[i] == 0x2D { i += 1 }
            if digits() == 0 { return false }
        }
        return i == s.count
    }
}

private extension UnsafeBufferPointer<UInt8> {
    /// Whether these bytes spell `word` exactly.
    func `is`(_ word: StaticString) -> Bool {
        word.utf8CodeUnitCount == count && word.withUTF8Buffer { $0.elementsEqual(self) }
    }
}
