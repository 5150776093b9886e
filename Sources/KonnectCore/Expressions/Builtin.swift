/// The functions of SPEC §5.4, described once: `Builtin.table` gives each
/// its parameters and result. The checker types calls from it, the
/// evaluator checks argument kinds against it, messages quote its
/// signatures, and docs/language.md's function table is tested against it.
public enum Builtin: String, Sendable, CaseIterable {
    case lower, upper, title, trim, truncate, replace, split, join, length
    case `default`, coalesce, round, floor, ceil, abs
    case toNumber = "to_number", toString = "to_string"
    case formatDate = "format_date", parseDatetime = "parse_datetime", addDays = "add_days", now
    case first, last

    public static let names = allCases.map(\.rawValue)

    /// `Builtin(rawValue:)` compares the name with each case in turn; the
    /// checker looks up every call, so it hashes once instead.
    private static let byName = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })

    static func named(_ name: String) -> Builtin? { byName[name] }

    /// What one argument position accepts.
    public enum Kind: Sendable {
        /// A string (email, url and enums are strings; so are dates as text).
        case string
        /// A string, named as `format_date`'s format in messages.
        case format
        case integer, number, array
        /// An array whose elements are scalars.
        case scalarArray
        case stringOrArray
        /// A date or datetime.
        case temporal
        /// A date or datetime, or a string holding one.
        case temporalOrString
        /// Anything that renders as text (not an array or object).
        case scalar
        /// Any value; `default` and `coalesce` unify their arguments' types.
        case value

        /// How messages name it: "argument 1 of `f` must be …".
        public var expected: String {
            switch self {
            case .string: return "a string"
            case .format: return "a format string"
            case .integer: return "an integer"
            case .number: return "a number"
            case .array: return "an array"
            case .scalarArray: return "an array of scalars"
            case .stringOrArray: return "a string or an array"
            case .temporal, .temporalOrString: return "a date or datetime"
            case .scalar: return "a scalar"
            case .value: return "a value"
            }
        }

        /// Whether a static type (neither null nor `any`) fits.
        func accepts(_ t: ValueType) -> Bool {
            switch self {
            case .string, .format: return t.isStringLike || t.isTemporal
            case .integer: return t == .integer
            case .number: return t.isNumeric
            case .array: if case .array = t { return true } else { return false }
            case .scalarArray: if case .array(let el) = t { return el.isScalar } else { return false }
            case .stringOrArray: return Kind.string.accepts(t) || Kind.array.accepts(t)
            case .temporal: return t.isTemporal
            case .temporalOrString: return t.isTemporal || t == .string
            case .scalar: return t.isScalar
            case .value: return true
            }
        }

        /// Whether a value fits when it runs (an `any` value is checked here,
        /// so that no function computes on an array's or object's JSON text).
        func accepts(_ v: RuntimeValue) -> Bool {
            switch (self, v) {
            case (.value, _): return true
            case (.string, .string), (.string, .date), (.string, .datetime),
                 (.format, .string), (.format, .date), (.format, .datetime): return true
            case (.integer, .int): return true
            case (.integer, .number(let d)): return d == d.rounded() && Swift.abs(d) < 9e15
            case (.number, .int), (.number, .number): return true
            case (.array, .array): return true
            case (.scalarArray, .array(let items)): return items.allSatisfy { Kind.scalar.accepts($0) }
            case (.stringOrArray, _): return Kind.string.accepts(v) || Kind.array.accepts(v)
            case (.temporal, _), (.temporalOrString, _): return Operators.instant(v) != nil
            case (.scalar, .array), (.scalar, .object): return false
            case (.scalar, _): return true
            default: return false
            }
        }
    }

    /// How a call's result type follows from its arguments' types.
    public enum Result: Sendable {
        /// This type; nullable when an argument may be null.
        case fixed(ValueType)
        /// Exactly this type, whatever the arguments.
        case exact(ValueType)
        /// `round`: an integer with no (or 0) decimal digits, else a number.
        case rounded
        /// The first argument's numeric type (`abs`).
        case sameNumber
        /// The first argument's type (`add_days`).
        case sameAsFirst
        /// The first argument's element type, nullable (`first`, `last`).
        case element
        /// The arguments' common type, nullable only if the last one is (`default`, `coalesce`).
        case common
    }

    public struct Parameter: Sendable {
        public let kind: Kind
        /// As the signature writes it (`string`, `T?`, `integer = 0`).
        public let text: String
    }

    public struct Signature: Sendable {
        public let parameters: [Parameter]
        /// Arguments that must be given (the rest have defaults).
        public let required: Int
        /// The parameter before the last repeats (`coalesce(T?, …, T)`).
        public let variadic: Bool
        public let result: Result
        /// As the signature writes it.
        public let resultText: String

        /// The parameter at argument `i`.
        public func parameter(_ i: Int) -> Parameter {
            if variadic && i >= parameters.count - 1 { return parameters[parameters.count - 1] }
            return parameters[Swift.min(i, parameters.count - 1)]
        }

        /// `string, integer → string`: the signature without the name, as docs/language.md's table shows it.
        public var shape: String {
            (parameters.isEmpty ? "" : parameterTexts.joined(separator: ", ") + " ") + "→ " + resultText
        }

        /// The parameters as written, with `…` where one repeats.
        var parameterTexts: [String] {
            var texts = parameters.map(\.text)
            if variadic { texts.insert("…", at: texts.count - 1) }
            return texts
        }
    }

    private static func p(_ kind: Kind, _ text: String? = nil) -> Parameter {
        let defaultText: String = switch kind {
        case .string, .format: "string"
        case .integer: "integer"
        case .number: "number"
        case .array: "array<T>"
        case .scalarArray: "array<scalar>"
        case .stringOrArray: "string or array"
        case .temporal, .temporalOrString: "date or datetime"
        case .scalar: "scalar"
        case .value: "T"
        }
        return Parameter(kind: kind, text: text ?? defaultText)
    }

    private func sig(_ parameters: [Parameter], _ result: Result, _ resultText: String,
                            required: Int? = nil, variadic: Bool = false) -> Signature {
        Signature(parameters: parameters, required: required ?? parameters.count, variadic: variadic,
                  result: result, resultText: resultText)
    }

    /// The one table (SPEC §5.4), made once.
    public static let table = Dictionary(uniqueKeysWithValues: allCases.map { ($0, $0.describe()) })

    /// Each function's entry; a switch, so that none can be left out.
    private func describe() -> Signature {
        switch self {
        case .lower: return sig([Self.p(.string)], .fixed(.string), "string")
        case .upper: return sig([Self.p(.string)], .fixed(.string), "string")
        case .title: return sig([Self.p(.string)], .fixed(.string), "string")
        case .trim: return sig([Self.p(.string)], .fixed(.string), "string")
        case .truncate: return sig([Self.p(.string), Self.p(.integer)], .fixed(.string), "string")
        case .replace: return sig([Self.p(.string), Self.p(.string), Self.p(.string)], .fixed(.string), "string")
        case .split: return sig([Self.p(.string), Self.p(.string)], .fixed(.array(.string)), "array<string>")
        case .join: return sig([Self.p(.scalarArray), Self.p(.string)], .fixed(.string), "string")
        case .length: return sig([Self.p(.stringOrArray)], .fixed(.integer), "integer")
        case .default: return sig([Self.p(.value, "T?"), Self.p(.value)], .common, "T")
        case .coalesce: return sig([Self.p(.value, "T?"), Self.p(.value)], .common, "T", variadic: true)
        case .round: return sig([Self.p(.number), Self.p(.integer, "integer = 0")], .rounded, "number", required: 1)
        case .floor: return sig([Self.p(.number)], .fixed(.integer), "integer")
        case .ceil: return sig([Self.p(.number)], .fixed(.integer), "integer")
        case .abs: return sig([Self.p(.number)], .sameNumber, "number")
        case .toNumber: return sig([Self.p(.string)], .exact(.optional(.number)), "number?")
        case .toString: return sig([Self.p(.scalar)], .fixed(.string), "string")
        case .formatDate: return sig([Self.p(.temporalOrString), Self.p(.format)], .fixed(.string), "string")
        case .parseDatetime: return sig([Self.p(.string)], .exact(.optional(.datetime)), "datetime?")
        case .addDays: return sig([Self.p(.temporal), Self.p(.integer)], .sameAsFirst, "same type")
        case .now: return sig([], .exact(.datetime), "datetime")
        case .first: return sig([Self.p(.array)], .element, "T?")
        case .last: return sig([Self.p(.array)], .element, "T?")
        }
    }

    public var spec: Signature { Self.table[self]! }  // every case is in the table

    /// The signature as users read it in messages and `schema` docs.
    public var signature: String {
        "\(rawValue)(\(spec.parameterTexts.joined(separator: ", "))) → \(spec.resultText)"
    }

    /// Number of arguments, counting a piped value as the first.
    public var arity: ClosedRange<Int> {
        spec.required...(spec.variadic ? Int.max : spec.parameters.count)
    }

    /// Functions that return null when an argument is null.
    public var propagatesNull: Bool { self != .default && self != .coalesce && self != .now }
}
