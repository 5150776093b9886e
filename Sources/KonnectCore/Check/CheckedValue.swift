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
