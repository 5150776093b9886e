/// A `with:` value after checking: literals as data, strings with
/// templates as parsed expressions. The compiler prints it canonically;
/// the simulator renders it.
public indirect enum CheckedValue: Sendable, Hashable {
    case literal(SchemaValue)
    /// A string that is exactly one `{{ expr }}`: it has the expression's type.
    case expression(Expression)
    /// Text mixed with templates: a string.
    case template([TemplatePart])
    case array([CheckedValue])
    case object([String: CheckedValue], order: [String])

    public enum TemplatePart: Sendable, Hashable {
        case text(String)
        case expression(Expression)
    }
}

extension CheckedValue {
    /// What a checker that keeps no values (`ValueKeeping.none`) gives for
    /// every value: a template of no parts, which no text checks to, so it is
    /// never mistaken for a written value such as `null`. A konnector
    /// checked this way is kept only as its outline, never compiled or run.
    public static var unkept: CheckedValue { .template([]) }

    /// Whether this is `unkept`: checked without building the value.
    public var isUnkept: Bool { self == .unkept }
}
