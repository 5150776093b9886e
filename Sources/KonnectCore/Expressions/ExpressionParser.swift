/// A recursive-descent parser for SPEC §5.3's grammar. Nesting is bounded,
/// so no input can exhaust the stack.
public struct ExpressionParser {
    public static let maxDepth = 64
    /// Operators chain without nesting (`1 + 1 + … + 1`), but their tree is
    /// as tall as the chain is long; the stages after parsing recurse on it.
    public static let maxHeight = 256

    /// Tokens are pulled one at a time: `current`, and `peeked` after it once
    /// a step id has looked ahead.
    private var lexer: Lexer
    private var current: Token
    private var peeked: Token?
    /// The lexer failed: its error stands as it is.
    private var lexerFailed = false
    private var depth = 0
    /// The expression is `source[base...]`; spans are relative to `base`.
    private let source: [UInt8]
    private let base: Int

    public static func parse(_ source: String) throws(ExpressionSyntaxError) -> Expression {
        let bytes = Array(source.utf8)
        return try parse(utf8: bytes, in: 0..<bytes.count)
    }

    /// Parses the expression `source[range]` in place (a template's part),
    /// with spans relative to its start; the lexer and the parser share the buffer.
    static func parse(utf8 source: [UInt8], in range: Range<Int>) throws(ExpressionSyntaxError) -> Expression {
        var lexer = Lexer(bytes: source, range: range)
        let first = try lexer.next()
        if case .end = first.kind {
            throw ExpressionSyntaxError("the expression is empty", span: 0..<range.count)
        }
        var parser = ExpressionParser(lexer: lexer, first: first, source: source, base: range.lowerBound)
        do throws(ExpressionSyntaxError) {
            let e = try parser.pipe()
            let rest = parser.current
            guard case .end = rest.kind else {
                throw ExpressionSyntaxError("unexpected `\(parser.display(rest))` after the end of the expression", span: rest.span,
                                            hint: Self.hintForTrailing(rest))
            }
            return e
        } catch {
            // A character no token starts with is reported wherever it is, before
            // any error of the grammar: the rest is lexed to find one.
            if !parser.lexerFailed {
                while true {
                    let t = try parser.lexer.next()
                    if case .end = t.kind { break }
                }
            }
            throw error
        }
    }

    private init(lexer: Lexer, first: Token, source: [UInt8], base: Int) {
        self.lexer = lexer
        self.current = first
        self.source = source
        self.base = base
    }

    private static func hintForTrailing(_ t: Token) -> String? {
        switch t.symbol {
        case .less, .lessOrEqual, .greater, .greaterOrEqual, .equal, .notEqual: return "comparisons do not chain; combine them with `and`"
        default: return nil
        }
    }

    private mutating func advance() throws(ExpressionSyntaxError) -> Token {
        let t = current
        if case .end = t.kind { return t }
        if let p = peeked {
            current = p
            peeked = nil
        } else {
            current = try pull()
        }
        return t
    }

    /// The token after `current`, lexed once.
    private mutating func peek() throws(ExpressionSyntaxError) -> Token {
        if let p = peeked { return p }
        if case .end = current.kind { return current }
        let p = try pull()
        peeked = p
        return p
    }

    private mutating func pull() throws(ExpressionSyntaxError) -> Token {
        do {
            return try lexer.next()
        } catch {
            lexerFailed = true
            throw error
        }
    }

    private func isSymbol(_ s: Token.Symbol) -> Bool { current.symbol == s }

    /// The source text of a span (an identifier's name, a step id).
    private func text(_ span: Range<Int>) -> String {
        String(decoding: source[(span.lowerBound + base)..<(span.upperBound + base)], as: UTF8.self)
    }

    private func text(_ t: Token) -> String { text(t.span) }

    /// How a token is shown in messages.
    private func display(_ t: Token) -> String {
        switch t.kind {
        case .integer(let i): return String(i)
        case .number(let d): return JSONValue.format(d)
        case .string: return "string"
        case .identifier: return text(t)
        case .symbol(let s): return s.text
        case .end: return "end of expression"
        }
    }

    /// `context` is only built for the message, when the symbol is missing.
    private mutating func expect(_ s: Token.Symbol, _ context: @autoclosure () -> String) throws(ExpressionSyntaxError) -> Token {
        guard isSymbol(s) else {
            throw ExpressionSyntaxError("expected `\(s.text)` \(context()), found `\(display(current))`", span: current.span)
        }
        return try advance()
    }

    /// A node of a chain (`a + b + …`, `x | f | …`, `a.b.c…`), refused once
    /// the chain makes the tree too tall: as soon as it does, so that no
    /// taller tree is ever built (even freeing one recurses down it).
    private func chained(_ e: Expression) throws(ExpressionSyntaxError) -> Expression {
        guard e.height <= Self.maxHeight else {
            throw ExpressionSyntaxError("expression more than \(Self.maxHeight) operations deep", span: e.span,
                                        hint: "split it: compute parts in earlier steps, or join a list with `join`")
        }
        return e
    }

    /// Counts one level of nesting; callers undo it with `defer { depth -= 1 }`.
    private mutating func enter() throws(ExpressionSyntaxError) {
        guard depth < Self.maxDepth else {
            throw ExpressionSyntaxError("expression nested more than \(Self.maxDepth) levels deep", span: current.span)
        }
        depth += 1
    }

    // pipe := or ("|" IDENT ["(" args ")"])*
    private mutating func pipe() throws(ExpressionSyntaxError) -> Expression {
        try enter()
        defer { depth -= 1 }
        var e = try binary(Self.lowestPrecedence)
        while isSymbol(.pipe) {
            _ = try advance()
            let nameToken = try advance()
            guard let word = nameToken.word, !word.isKeyword else {
                throw ExpressionSyntaxError("expected a function name after `|`, found `\(display(nameToken))`", span: nameToken.span)
            }
            let name = text(nameToken)
            var args = [e]
            var end = nameToken.span.upperBound
            if isSymbol(.openParen) {
                _ = try advance()
                try arguments(closing: .closeParen, into: &args)
                end = try expect(.closeParen, "to close the arguments of `\(name)`").span.upperBound
            }
            e = try chained(Expression(.call(name, args, piped: true, nameSpan: nameToken.span), span: e.span.lowerBound..<end))
        }
        return e
    }

    // MARK: operators

    // or         := and ("or" and)*
    // and        := not ("and" not)*
    // not        := "not" not | comparison
    // comparison := add [("==" | "!=" | "<" | … | "matches") add]
    // add        := mul (("+" | "-") mul)*
    // mul        := unary (("*" | "/" | "%") unary)*
    //
    // One precedence-climbing loop instead of a function per level: most
    // operands have no operator at all, and each level cost a call and a test.

    private static let lowestPrecedence = 1
    /// `not` binds looser than a comparison and tighter than `and`.
    private static let notPrecedence = 3
    private static let comparisonPrecedence = 4

    /// The binary operator at the current token, if any.
    private var binaryOperator: Expression.BinaryOperator? {
        switch current.kind {
        case .symbol(let s):
            switch s {
            case .equal: return .equal
            case .notEqual: return .notEqual
            case .less: return .less
            case .lessOrEqual: return .lessOrEqual
            case .greater: return .greater
            case .greaterOrEqual: return .greaterOrEqual
            case .plus: return .add
            case .minus: return .subtract
            case .star: return .multiply
            case .slash: return .divide
            case .percent: return .remainder
            default: return nil
            }
        case .identifier(let w):
            switch w {
            case .or: return .or
            case .and: return .and
            case .in: return .in
            case .contains: return .contains
            case .startsWith: return .startsWith
            case .endsWith: return .endsWith
            case .matches: return .matches
            default: return nil
            }
        default:
            return nil
        }
    }

    /// An expression whose operators all bind at least as tightly as `minPrecedence`.
    private mutating func binary(_ minPrecedence: Int) throws(ExpressionSyntaxError) -> Expression {
        var e: Expression
        // Operators at or above the ceiling may not follow `e`: the grammar gave
        // them to an operand already (or forbids them: comparisons do not chain).
        var ceiling = Int.max
        if minPrecedence <= Self.notPrecedence, current.word == .not {
            let start = try advance().span.lowerBound
            try enter()
            let operand = try binary(Self.notPrecedence)
            depth -= 1
            e = Expression(.unary(.not, operand), span: start..<operand.span.upperBound)
            ceiling = Self.notPrecedence
        } else {
            e = try unary()
        }
        while let op = binaryOperator, op.precedence >= minPrecedence, op.precedence < ceiling {
            _ = try advance()
            let isComparison = op.precedence == Self.comparisonPrecedence
            let r = try binary(op.precedence + 1)
            e = try chained(Expression(.binary(op, e, r), span: e.span.lowerBound..<r.span.upperBound))
            ceiling = min(ceiling, isComparison ? op.precedence : op.precedence + 1)
        }
        return e
    }

    private mutating func unary() throws(ExpressionSyntaxError) -> Expression {
        if isSymbol(.minus) {
            let start = try advance().span.lowerBound
            try enter()
            let operand = try unary()
            depth -= 1
            return Expression(.unary(.negate, operand), span: start..<operand.span.upperBound)
        }
        return try postfix()
    }

    private mutating func postfix() throws(ExpressionSyntaxError) -> Expression {
        var e = try primary()
        while true {
            if isSymbol(.dot) {
                _ = try advance()
                let nameToken = try advance()
                guard case .identifier = nameToken.kind else {
                    throw ExpressionSyntaxError("expected a field name after `.`, found `\(display(nameToken))`", span: nameToken.span)
                }
                e = try chained(Expression(.member(e, text(nameToken), nameSpan: nameToken.span), span: e.span.lowerBound..<nameToken.span.upperBound))
            } else if isSymbol(.openBracket) {
                _ = try advance()
                let index = try pipe()
                let close = try expect(.closeBracket, "to close the index")
                e = try chained(Expression(.index(e, index), span: e.span.lowerBound..<close.span.upperBound))
            } else {
                return e
            }
        }
    }

    private mutating func primary() throws(ExpressionSyntaxError) -> Expression {
        let t = try advance()
        switch t.kind {
        case .integer(let i): return Expression(.literal(.integer(i)), span: t.span)
        case .number(let d): return Expression(.literal(.number(d)), span: t.span)
        case .string(let hasEscapes):
            let literal = (t.span.lowerBound + base)..<(t.span.upperBound + base)
            return Expression(.literal(.string(Lexer.stringValue(source, literal, hasEscapes: hasEscapes))), span: t.span)
        case .symbol(.openParen):
            let e = try pipe()
            let close = try expect(.closeParen, "to close `(`")
            return Expression(e.kind, span: t.span.lowerBound..<close.span.upperBound)
        case .symbol(.openBracket):
            try enter()
            let items = try arguments(closing: .closeBracket)
            depth -= 1
            let close = try expect(.closeBracket, "to close the list")
            return Expression(.array(items), span: t.span.lowerBound..<close.span.upperBound)
        case .identifier(let word):
            switch word {
            case .true: return Expression(.literal(.boolean(true)), span: t.span)
            case .false: return Expression(.literal(.boolean(false)), span: t.span)
            case .null: return Expression(.literal(.null), span: t.span)
            case .trigger: return Expression(.root(.trigger), span: t.span)
            case .konnector: return Expression(.root(.konnector), span: t.span)
            case .steps:
                guard isSymbol(.dot) else {
                    throw ExpressionSyntaxError("`steps` must be followed by a step id: `steps.<id>`", span: t.span)
                }
                _ = try advance()
                let idSpan = try stepID()
                guard !idSpan.isEmpty else {
                    throw ExpressionSyntaxError("expected a step id after `steps.`, found `\(display(current))`", span: current.span)
                }
                let id = text(idSpan)
                return Expression(.step(id, idSpan: idSpan), span: t.span.lowerBound..<idSpan.upperBound)
            default:
                if word.isKeyword {
                    throw ExpressionSyntaxError("unexpected `\(text(t))` where a value was expected", span: t.span)
                }
                let name = text(t)
                if isSymbol(.openParen) {
                    _ = try advance()
                    try enter()
                    let args = try arguments(closing: .closeParen)
                    depth -= 1
                    let close = try expect(.closeParen, "to close the arguments of `\(name)`")
                    return Expression(.call(name, args, piped: false, nameSpan: t.span), span: t.span.lowerBound..<close.span.upperBound)
                }
                return Expression(.name(name), span: t.span)
            }
        case .end:
            throw ExpressionSyntaxError("the expression ends where a value was expected", span: t.span)
        case .symbol(let s):
            throw ExpressionSyntaxError("unexpected `\(s.text)` where a value was expected", span: t.span)
        }
    }

    /// A step id is a slug (`send-it`, `2nd`), which the lexer splits into
    /// words, numbers and `-`: the id is the run of such tokens written with
    /// no space between them.
    private mutating func stepID() throws(ExpressionSyntaxError) -> Range<Int> {
        let start = current.span.lowerBound
        var end = start
        func isPart(_ t: Token) -> Bool {
            switch t.kind {
            case .identifier, .integer, .number: return true
            default: return false
            }
        }
        guard isPart(current) else { return start..<start }
        while true {
            let t = current
            if isPart(t) && t.span.lowerBound == end {
                end = t.span.upperBound
                _ = try advance()
            } else if t.symbol == .minus, t.span.lowerBound == end, case let next = try peek(),
                      isPart(next), next.span.lowerBound == t.span.upperBound {
                end = t.span.upperBound
                _ = try advance()
            } else {
                return start..<end
            }
        }
    }

    private mutating func arguments(closing: Token.Symbol) throws(ExpressionSyntaxError) -> [Expression] {
        var args: [Expression] = []
        try arguments(closing: closing, into: &args)
        return args
    }

    /// Appends to `args`: a piped call's arguments follow the piped value in one array.
    private mutating func arguments(closing: Token.Symbol, into args: inout [Expression]) throws(ExpressionSyntaxError) {
        if isSymbol(closing) { return }
        while true {
            args.append(try pipe())
            guard isSymbol(.comma) else { return }
            _ = try advance()
        }
    }
}
