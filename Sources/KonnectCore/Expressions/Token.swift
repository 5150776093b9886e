/// A lexical token of the expression language; `span` is a byte range in
/// the expression's source text.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case integer(Int)
        case number(Double)
        case string(String)
        case identifier(String)
        case symbol(String)
        case end
    }

    var kind: Kind
    var span: Range<Int>

    var symbol: String? { if case .symbol(let s) = kind { return s } else { return nil } }
    var identifier: String? { if case .identifier(let s) = kind { return s } else { return nil } }

    var display: String {
        switch kind {
        case .integer(let i): return String(i)
        case .number(let d): return JSONValue.format(d)
        case .string: return "string"
        case .identifier(let s), .symbol(let s): return s
        case .end: return "end of expression"
        }
    }
}
