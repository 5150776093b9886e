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

    public let text: String
    public let style: Style
    public let value: Value

    public init(text: String, style: Style, tag: String? = nil) {
        self.text = text
        self.style = style
        if let tag, tag != "!" {
            self.value = YAMLScalar.resolve(text, tag: tag)
        } else if style == .plain && tag == nil {
            self.value = YAMLScalar.resolveCore(text)
        } else {
            self.value = .string(text)
        }
    }

    public var isNull: Bool { if case .null = value { return true } else { return false } }

    private static func resolve(_ text: String, tag: String) -> Value {
        let core = resolveCore(text)
        switch (tag, core) {
        case ("tag:yaml.org,2002:null", .null),
             ("tag:yaml.org,2002:bool", .bool),
             ("tag:yaml.org,2002:int", .int),
             ("tag:yaml.org,2002:float", .float):
            return core
        case ("tag:yaml.org,2002:float", .int(let i)):
            return .float(Double(i))
        default:
            return .string(text)
        }
    }

    /// YAML 1.2 core schema (§10.3.2), written out by hand: this runs once
    /// per plain scalar, so no regular expressions.
    public static func resolveCore(_ text: String) -> Value {
        var utf8 = text.utf8
        guard let first = utf8.first else { return .null }
        // Most scalars are words: only these first bytes can start a non-string.
        switch first {
        case 0x2B, 0x2D, 0x2E, 0x30...0x39, 0x7E, 0x6E, 0x4E, 0x74, 0x54, 0x66, 0x46: break  // + - . 0-9 ~ n N t T f F
        default: return .string(text)
        }
        switch text {
        case "null", "Null", "NULL", "~": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: break
        }
        // Only digits, signs, dots, e/E, x/o and hex digits can make a number.
        let isNumberStart = (first >= 0x30 && first <= 0x39) || first == 0x2B || first == 0x2D || first == 0x2E
        guard isNumberStart else { return .string(text) }
        if utf8.count > 2, first == 0x30 {
            let second = utf8[utf8.index(after: utf8.startIndex)]
            let digits = text.dropFirst(2)
            if second == 0x6F, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x37 }) {
                if let v = Int(digits, radix: 8) { return .int(v) }
                return .string(text)
            }
            if second == 0x78, digits.utf8.allSatisfy({ isHex($0) }) {
                if let v = Int(digits, radix: 16) { return .int(v) }
                return .string(text)
            }
        }
        // [-+]? [0-9]+
        var body = Substring(text)
        if first == 0x2B || first == 0x2D { body = body.dropFirst() }
        utf8 = text.utf8
        if !body.isEmpty, body.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            if let v = Int(text) { return .int(v) }
            if let d = Double(text) { return .float(d) }
            return .string(text)
        }
        // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
        if isCoreFloat(body.utf8), let d = Double(text) { return .float(d) }
        return .string(text)
    }

    private static func isHex(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
    }

    private static func isCoreFloat(_ s: Substring.UTF8View) -> Bool {
        var i = s.startIndex
        func digits() -> Int {
            var n = 0
            while i < s.endIndex, s[i] >= 0x30, s[i] <= 0x39 { i = s.index(after: i); n += 1 }
            return n
        }
        let intDigits = digits()
        var fracDigits = 0
        if i < s.endIndex, s[i] == 0x2E {
            i = s.index(after: i)
            fracDigits = digits()
        } else if intDigits == 0 {
            return false
        }
        if intDigits == 0 && fracDigits == 0 { return false }
        if i < s.endIndex, s[i] == 0x65 || s[i] == 0x45 {
            i = s.index(after: i)
            if i < s.endIndex, s[i] == 0x2B || s[i] == 0x2D { i = s.index(after: i) }
            if digits() == 0 { return false }
        }
        return i == s.endIndex
    }
}
