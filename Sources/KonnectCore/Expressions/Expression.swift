/// The syntax tree of an expression (SPEC §5.3). Spans are byte ranges in
/// the expression's source, so every node can be located in the file.
public struct Expression: Sendable, Hashable {
    public enum Literal: Sendable, Hashable {
        case integer(Int)
        case number(Double)
        case string(String)
        case boolean(Bool)
        case null
    }

    public enum Root: String, Sendable, Hashable { case trigger, konnector }

    public enum UnaryOperator: String, Sendable, Hashable { case negate = "-", not }

    public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
        case or, and
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case `in`, contains, startsWith = "starts_with", endsWith = "ends_with", matches
        case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"

        var precedence: Int {
            switch self {
            case .or: return 1
            case .and: return 2
            case .add, .subtract: return 5
            case .multiply, .divide, .remainder: return 6
            default: return 4
            }
        }
    }

    public indirect enum Kind: Sendable, Hashable {
        case literal(Literal)
        case root(Root)
        /// `steps.<id>`; the span of the id is kept for diagnostics.
        case step(String, idSpan: Range<Int>)
        /// A bare name that is no root; the checker reports it.
        case name(String)
        case member(Expression, String, nameSpan: Range<Int>)
        case index(Expression, Expression)
        case unary(UnaryOperator, Expression)
        case binary(BinaryOperator, Expression, Expression)
        /// A function call; `piped` keeps `x | f(a)` apart from `f(x, a)` for printing.
        case call(String, [Expression], piped: Bool, nameSpan: Range<Int>)
        case array([Expression])
    }

    public var kind: Kind
    public var span: Range<Int>

    public init(_ kind: Kind, span: Range<Int>) {
        self.kind = kind
        self.span = span
    }

    /// `trigger.customer.email` for a path expression, else nil (for narrowing).
    public var pathKey: String? {
        switch kind {
        case .root(let r): return r.rawValue
        case .step(let id, _): return "steps.\(id)"
        case .member(let base, let name, _): return base.pathKey.map { "\($0).\(name)" }
        default: return nil
        }
    }
}
