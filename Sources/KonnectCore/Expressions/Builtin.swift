/// The functions of SPEC §5.4. Their typing lives in the checker and their
/// behaviour in the evaluator; this is the one list of names and signatures.
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

    /// The signature as users read it in messages and `schema` docs.
    public var signature: String {
        switch self {
        case .lower, .upper, .title, .trim: return "\(rawValue)(string) → string"
        case .truncate: return "truncate(string, integer) → string"
        case .replace: return "replace(string, string, string) → string"
        case .split: return "split(string, string) → array<string>"
        case .join: return "join(array<scalar>, string) → string"
        case .length: return "length(string or array) → integer"
        case .default: return "default(T?, T) → T"
        case .coalesce: return "coalesce(T?, …, T) → T"
        case .round: return "round(number, integer = 0) → number"
        case .floor, .ceil: return "\(rawValue)(number) → integer"
        case .abs: return "abs(number) → number"
        case .toNumber: return "to_number(string) → number?"
        case .toString: return "to_string(scalar) → string"
        case .formatDate: return "format_date(date or datetime, string) → string"
        case .parseDatetime: return "parse_datetime(string) → datetime?"
        case .addDays: return "add_days(date or datetime, integer) → same type"
        case .now: return "now() → datetime"
        case .first, .last: return "\(rawValue)(array<T>) → T?"
        }
    }

    /// Number of arguments, counting a piped value as the first.
    public var arity: ClosedRange<Int> {
        switch self {
        case .now: return 0...0
        case .lower, .upper, .title, .trim, .length, .floor, .ceil, .abs, .toNumber, .toString,
             .parseDatetime, .first, .last: return 1...1
        case .truncate, .split, .join, .default, .formatDate, .addDays: return 2...2
        case .round: return 1...2
        case .replace: return 3...3
        case .coalesce: return 2...Int.max
        }
    }

    /// Functions that return null when their first argument is null.
    public var propagatesNull: Bool { self != .default && self != .coalesce && self != .now }
}
