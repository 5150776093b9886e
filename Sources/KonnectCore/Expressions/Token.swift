/// A lexical token of the expression language; `span` is a byte range in
/// the expression's source text. Words and symbols are classified by the
/// lexer, so the parser compares small enums instead of strings. A token
/// holds no String (copying one costs nothing): a word's or a string
/// literal's text is read from the source when a node or a message needs it.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case integer(Int)
        case number(Double)
        /// A string literal; its value is decoded from the span (escapes only when it has any).
        case string(hasEscapes: Bool)
        case identifier(Word)
        case symbol(Symbol)
        case end
    }

    /// An identifier, with the ones the grammar gives a meaning to named.
    enum Word: Sendable, Equatable {
        case other
        case and, or, not, `in`, contains, startsWith, endsWith, matches
        case `true`, `false`, null
        case trigger, konnector, steps

        /// Keywords cannot be names (of functions, or where a value is expected).
        var isKeyword: Bool {
            switch self {
            case .other, .trigger, .konnector, .steps: return false
            default: return true
            }
        }
    }

    enum Symbol: Sendable, Equatable {
        case less, greater, plus, minus, star, slash, percent, pipe, dot
        case openBracket, closeBracket, openParen, closeParen, comma
        case equal, notEqual, lessOrEqual, greaterOrEqual

        var text: String {
            switch self {
            case .less: return "<"
            case .greater: return ">"
            case .plus: return "+"
            case .minus: return "-"
            case .star: return "*"
            case .slash: return "/"
            case .percent: return "%"
            case .pipe: return "|"
            case .dot: return "."
            case .openBracket: return "["
            case .closeBracket: return "]"
            case .openParen: return "("
            case .closeParen: return ")"
            case .comma: return ","
            case .equal: return "=="
            case .notEqual: return "!="
            case .lessOrEqual: return "<="
            case .greaterOrEqual: return ">="
            }
        }
    }

    var kind: Kind
    var span: Range<Int>

    var symbol: Symbol? { if case .symbol(let s) = kind { return s } else { return nil } }
    var word: Word? { if case .identifier(let w) = kind { return w } else { return nil } }
}
