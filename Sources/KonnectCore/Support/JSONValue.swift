import Foundation

/// A JSON value with ordered object members. One serializer serves every
/// JSON konnect writes: diagnostics, plans, and (with `sortedKeys`) the
/// canonical form that compiled definitions are hashed in.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([Member])

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public static func object(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(pairs.map { Member($0.key, $0.value) })
    }

    public static func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.first(where: { $0.key == key })?.value }
        return nil
    }

    /// Compact JSON; `sortedKeys` orders members by their UTF-16 code units (RFC 8785).
    public func serialized(sortedKeys: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out, sortedKeys: sortedKeys)
        return String(decoding: out, as: UTF8.self)
    }

    /// Written as UTF-8 bytes: appending to a String scalar by scalar costs
    /// several times more, and compiling hashes every definition.
    private func write(to out: inout [UInt8], sortedKeys: Bool) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let i): out += String(i).utf8
        case .number(let d): out += JSONValue.format(d).utf8
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x2C) }
                item.write(to: &out, sortedKeys: sortedKeys)
            }
            out.append(0x5D)
        case .object(let members):
            out.append(0x7B)
            let ordered = sortedKeys ? members.sorted { JSONValue.precedes($0.key, $1.key) } : members
            for (i, member) in ordered.enumerated() {
                if i > 0 { out.append(0x2C) }
                JSONValue.writeString(member.key, to: &out)
                out.append(0x3A)
                member.value.write(to: &out, sortedKeys: sortedKeys)
            }
            out.append(0x7D)
        }
    }

    /// UTF-16 code unit order; for ASCII keys (nearly all) the bytes decide.
    static func precedes(_ a: String, _ b: String) -> Bool {
        if a.utf8.allSatisfy({ $0 < 0x80 }) && b.utf8.allSatisfy({ $0 < 0x80 }) {
            return a.utf8.lexicographicallyPrecedes(b.utf8)
        }
        return a.utf16.lexicographicallyPrecedes(b.utf16)
    }

    /// Indented JSON for people (`konnect show`).
    public func pretty(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .array(let items) where !items.isEmpty:
            return "[\n" + items.map { inner + $0.pretty(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let members) where !members.isEmpty:
            return "{\n" + members.map { m in
                var key = ""
                JSONValue.writeString(m.key, to: &key)
                return inner + key + ": " + m.value.pretty(indent: inner)
            }.joined(separator: ",\n") + "\n\(indent)}"
        default:
            return serialized()
        }
    }

    /// As JavaScript's `String(number)` (SPEC §5.2; RFC 8785 for canonical
    /// JSON): the shortest round-trip digits, in plain notation from 1e-7
    /// up to 1e21 (`0.000001`, `100000000000000000000`), with an exponent
    /// outside it (`1e-7`, `1e+21`).
    public static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 9.2e18 { return String(Int(d)) }
        // Swift's shortest form (`1e-07`, `1.5e+20`, `0.001`), read as digits and a point.
        let text = "\(d.magnitude)"
        let parts = text.split(separator: "e")
        let mantissa = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        var digits = Array(mantissa[0] + (mantissa.count > 1 ? mantissa[1] : ""))
        // The value is 0.DIGITS × 10^point.
        var point = mantissa[0].count + (parts.count > 1 ? Int(parts[1]) ?? 0 : 0)
        while digits.first == "0" { digits.removeFirst(); point -= 1 }
        while digits.last == "0" { digits.removeLast() }
        let k = digits.count
        var out = d < 0 ? "-" : ""
        if k <= point && point <= 21 {
            out += String(digits) + String(repeating: "0", count: point - k)
        } else if 0 < point && point <= 21 {
            out += String(digits[..<point]) + "." + String(digits[point...])
        } else if -6 < point && point <= 0 {
            out += "0." + String(repeating: "0", count: -point) + String(digits)
        } else {
            let e = point - 1
            out += String(digits[0]) + (k > 1 ? "." + String(digits[1...]) : "") + "e" + (e < 0 ? "-" : "+") + String(abs(e))
        }
        return out
    }

    static func writeString(_ s: String, to out: inout String) {
        var bytes: [UInt8] = []
        writeString(s, to: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { utf8 in
            var runStart = 0
            for (i, c) in utf8.enumerated() where c < 0x20 || c == 0x22 || c == 0x5C {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                switch c {
                case 0x22: out += "\\\"".utf8
                case 0x5C: out += "\\\\".utf8
                case 0x0A: out += "\\n".utf8
                case 0x0D: out += "\\r".utf8
                case 0x09: out += "\\t".utf8
                case 0x08: out += "\\b".utf8
                case 0x0C: out += "\\f".utf8
                default:
                    let hex = String(c, radix: 16)
                    out += ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8
                }
                runStart = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        out.append(0x22)
    }
}
