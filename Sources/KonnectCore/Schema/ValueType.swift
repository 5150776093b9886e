/// The static types of SPEC §4/§5: what a schema field holds and what an
/// expression evaluates to. `unknown` is the type of a value whose checking
/// already failed; nothing is reported about it again.
public indirect enum ValueType: Sendable, Hashable, CustomStringConvertible {
    case string, integer, number, boolean, date, datetime, email, url, any
    case enumeration([String])
    case array(ValueType)
    case object(ObjectType)
    case optional(ValueType)
    /// The type of the literal `null`.
    case null
    case unknown

    public var isNullable: Bool {
        switch self {
        case .optional, .null, .any, .unknown: return true
        default: return false
        }
    }

    /// Marked as possibly null (idempotent).
    public var nullable: ValueType {
        switch self {
        case .optional, .null, .any, .unknown: return self
        default: return .optional(self)
        }
    }

    /// Without the possibility of null.
    public var nonNull: ValueType {
        if case .optional(let t) = self { return t }
        return self
    }

    public var isUnknown: Bool { if case .unknown = self { return true } else { return false } }
    public var isAny: Bool { if case .any = nonNull { return true } else { return false } }

    /// Scalars can be rendered into text (SPEC §5.2).
    public var isScalar: Bool {
        switch nonNull {
        case .array, .object: return false
        default: return true
        }
    }

    /// string, email, url and enums: everything that is a string at run time.
    public var isStringLike: Bool {
        switch nonNull {
        case .string, .email, .url, .enumeration: return true
        default: return false
        }
    }

    public var isNumeric: Bool {
        switch nonNull {
        case .integer, .number: return true
        default: return false
        }
    }

    public var isTemporal: Bool {
        switch nonNull {
        case .date, .datetime: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .string: return "string"
        case .integer: return "integer"
        case .number: return "number"
        case .boolean: return "boolean"
        case .date: return "date"
        case .datetime: return "datetime"
        case .email: return "email"
        case .url: return "url"
        case .any: return "any"
        case .enumeration(let values): return "enum(\(values.joined(separator: ", ")))"
        case .array(let t): return "array<\(t)>"
        case .object(let o): return o.description
        case .optional(let t): return "\(t)?"
        case .null: return "null"
        case .unknown: return "unknown"
        }
    }
}
