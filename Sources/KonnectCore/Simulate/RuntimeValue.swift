/// A value while a konnector runs (SPEC §5 run-time semantics). Dates and
/// datetimes are values of their own, so formatting and arithmetic on them
/// need no re-parsing; everything renders to text by SPEC §5.2.
public indirect enum RuntimeValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    /// Days since 1970-01-01.
    case date(Int)
    /// Seconds since 1970-01-01T00:00:00Z.
    case datetime(Double)
    case array([RuntimeValue])
    case object([String: RuntimeValue], order: [String])

    public var isNull: Bool { self == .null }

    public subscript(key: String) -> RuntimeValue? {
        if case .object(let fields, _) = self { return fields[key] }
        return nil
    }

    /// SPEC §5.2: integral numbers without a fraction, shortest round-trip
    /// otherwise; null as empty; RFC 3339 UTC datetimes; ISO dates.
    public var text: String {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .number(let d): return JSONValue.format(d)
        case .string(let s): return s
        case .date(let days):
            let (y, m, d) = Formats.civilFromDays(days)
            return "\(Self.pad(y, 4))-\(Self.pad(m, 2))-\(Self.pad(d, 2))"
        case .datetime(let t): return Self.rfc3339(t)
        case .array, .object: return json.serialized()
        }
    }

    /// The value as a message quotes it: its text, cut short, so that no
    /// message renders a large value whole.
    public var preview: String {
        switch self {
        case .array(let items) where (try? EvaluationLimits.checkSize(self, of: "", maxElements: 50, maxBytes: 200)) == nil:
            return "[… \(items.count) elements]"
        case .object(let fields, _) where (try? EvaluationLimits.checkSize(self, of: "", maxElements: 50, maxBytes: 200)) == nil:
            return "{… \(fields.count) fields}"
        default:
            let t = text
            return t.utf8.count <= 200 ? t : String(t.prefix(80)) + "…"
        }
    }

    /// As data (for traces, JSON output and comparisons with expectations).
    public var json: JSONValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .number(let d): return .number(d)
        case .string(let s): return .string(s)
        case .date, .datetime: return .string(text)
        case .array(let items): return .array(items.map(\.json))
        case .object(let fields, let order): return .object(order.map { .init($0, fields[$0]!.json) })
        }
    }

    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .number: return "number"
        case .string: return "string"
        case .date: return "date"
        case .datetime: return "datetime"
        case .array: return "array"
        case .object: return "object"
        }
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n.magnitude)
        return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }

    static func rfc3339(_ t: Double) -> String {
        guard t.isFinite, abs(t) < 4e11 else { return JSONValue.format(t) }  // beyond year ±10,000
        let whole = t.rounded(.down)
        let days = Int((whole / 86_400).rounded(.down))
        let secs = Int(whole) - days * 86_400
        let (y, m, d) = Formats.civilFromDays(days)
        var out = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2))"
        // Milliseconds, truncated, never rounded up (SPEC §5.2): `.9999` is `.999`. A
        // datetime's double is exact to about a microsecond, so a thousandth of a
        // millisecond more keeps `.001` (stored as 0.000999…) from dropping to `.000`.
        let ms = Int(((t - whole) * 1000 + 0.001).rounded(.down))
        if ms > 0 && ms < 1000 { out += "." + pad(ms, 3) }
        return out + "Z"
    }

    /// Plain data read as a value of `type` (`.any` reads it as it is):
    /// datetime and date strings become dates, and objects keep their fields
    /// in the type's order.
    public static func from(_ v: SchemaValue, as type: ValueType) -> RuntimeValue {
        switch (v, type.nonNull) {
        case (.null, _): return .null
        case (.bool(let b), _): return .bool(b)
        case (.int(let i), .number): return .number(Double(i))
        case (.int(let i), _): return .int(i)
        case (.number(let d), _): return .number(d)
        case (.string(let s), .datetime): return Formats.dateTimeParts(s).map(RuntimeValue.datetime) ?? .string(s)
        case (.string(let s), .date):
            if let (y, m, d) = Formats.date(s[...]) { return .date(Formats.daysFromCivil(y, m, d)) }
            return .string(s)
        case (.string(let s), _): return .string(s)
        case (.array(let items), .array(let element)): return .array(items.map { from($0, as: element) })
        case (.array(let items), _): return .array(items.map { from($0, as: .any) })
        case (.object(let fields, let order), .object(let object)):
            var out: [String: RuntimeValue] = [:]
            var keys: [String] = []
            for f in object.fields {
                out[f.name] = fields[f.name].map { from($0, as: f.type) } ?? .null
                keys.append(f.name)
            }
            for k in order where out[k] == nil {
                out[k] = from(fields[k]!, as: .any)
                keys.append(k)
            }
            return .object(out, order: keys)
        case (.object(let fields, let order), _): return .object(fields.mapValues { from($0, as: .any) }, order: order)
        }
    }
}
