/// A recursive-descent parser for SPEC §5.3's grammar. Nesting is bounded,
/// so no input can exhaust the stack.
public struct ExpressionParser {
    public static let maxDepth = 64

    private var tokens: [Token]
    private var position = 0
    private var depth = 0
    private let source: [UInt8]

    /// A switch, not a table: this runs for every operand, and hashing costs more than comparing.
    private static func comparison(_ key: String) -> Expression.BinaryOperator? {
        switch key {
        case "==": return .equal
        case "!=": return .notEqual
        case "<": return .less
        case "<=": return .lessOrEqual
        case ">": return .greater
        case ">=": return .greaterOrEqual
        case "in": return .in
        case "contains": return .contains
        case "starts_with": return .startsWith
        case "ends_with": return .endsWith
        case "matches": return .matches
        default: return nil
        }
    }

    static func isKeyword(_ name: String) -> Bool {
        switch name {
        case "and", "or", "not", "in", "contains", "starts_with", "ends_with", "matches", "true", "false", "null": return true
        default: return false
        }
    }

    public static func parse(_ source: String) throws(ExpressionSyntaxError) -> Expression {
        var parser = ExpressionParser(tokens: try Lexer(source).tokens(), source: Array(source.utf8))
        guard parser.tokens.count > 1 else {
            throw ExpressionSyntaxError("the expression is empty", span: 0..<source.utf8.count)
        }
        let e = try parser.pipe()
        let rest = parser.current
        guard case .end = rest.kind else {
            throw ExpressionSyntaxError("unexpected `\(rest.display)` after the end of the expression", span: rest.span,
                                        hint: Self.hintForTrailing(rest))
        }
        return e
    }

    private init(tokens: [Token], source: [UInt8]) {
        self.tokens = tokens
        self.source = source
    }

    private static func hintForTrailing(_ t: Token) -> String? {
        switch t.display {
        case "&&": return "write `and`"
        case "||": return "write `or`"
        case "<", "<=", ">", ">=", "==", "!=": return "comparisons do not chain; combine them with `and`"
        default: return nil
        }
    }

    private var current: Token { tokens[position] }

    private mutating func advance() -> Token {
        let t = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return t
    }

    private func isSymbol(_ s: String) -> Bool { current.symbol == s }
    private func isKeyword(_ s: String) -> Bool { current.identifier == s }

    private mutating func expect(_ s: String, _ context: String) throws(ExpressionSyntaxError) -> Token {
        guard isSymbol(s) else {
            throw ExpressionSyntaxError("expected `\(s)` \(context), found `\(current.display)`", span: current.span)
        }
        return advance()
    }

    private mutating func nested<T>(_ body: (inout ExpressionParser) throws(ExpressionSyntaxError) -> T) throws(ExpressionSyntaxError) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else {
            throw ExpressionSyntaxError("expression nested more than \(Self.maxDepth) levels deep", span: current.span)
        }
        return try body(&self)
    }

    // pipe := or ("|" IDENT ["(" args ")"])*
    private mutating func pipe() throws(ExpressionSyntaxError) -> Expression {
        try nested { (p: inout ExpressionParser) throws(ExpressionSyntaxError) -> Expression in
            var e = try p.or()
            while p.isSymbol("|") {
                _ = p.advance()
                let nameToken = p.advance()
                guard let name = nameToken.identifier, !Self.isKeyword(name) else {
                    throw ExpressionSyntaxError("expected a function name after `|`, found `\(nameToken.display)`", span: nameToken.span)
                }
                var args = [e]
                var end = nameToken.span.upperBound
                if p.isSymbol("(") {
                    _ = p.advance()
                    args += try p.arguments(closing: ")")
                    end = try p.expect(")", "to close the arguments of `\(name)`").span.upperBound
                }
                e = Expression(.call(name, args, piped: true, nameSpan: nameToken.span), span: e.span.lowerBound..<end)
            }
            return e
        }
    }

    private mutating func or() throws(ExpressionSyntaxError) -> Expression {
        var e = try and()
        while isKeyword("or") {
            _ = advance()
            let r = try and()
            e = Expression(.binary(.or, e, r), span: e.span.lowerBound..<r.span.upperBound)
        }
        return e
    }

    private mutating func and() throws(ExpressionSyntaxError) -> Expression {
        var e = try not()
        while isKeyword("and") {
            _ = advance()
            let r = try not()
            e = Expression(.binary(.and, e, r), span: e.span.lowerBound..<r.span.upperBound)
        }
        return e
    }

    private mutating func not() throws(ExpressionSyntaxError) -> Expression {
        if isKeyword("not") {
            let start = advance().span.lowerBound
            let operand = try nested { (p: inout ExpressionParser) throws(ExpressionSyntaxError) in try p.not() }
            return Expression(.unary(.not, operand), span: start..<operand.span.upperBound)
        }
        return try comparison()
    }

    private mutating func comparison() throws(ExpressionSyntaxError) -> Expression {
        let l = try add()
        let op: Expression.BinaryOperator?
        switch current.kind {
        case .symbol(let s), .identifier(let s): op = Self.comparison(s)
        default: op = nil
        }
        guard let op else { return l }
        _ = advance()
        let r = try add()
        return Expression(.binary(op, l, r), span: l.span.lowerBound..<r.span.upperBound)
    }

    private mutating func add() throws(ExpressionSyntaxError) -> Expression {
        var e = try mul()
        while isSymbol("+") || isSymbol("-") {
            let op: Expression.BinaryOperator = advance().symbol == "+" ? .add : .subtract
            let r = try mul()
            e = Expression(.binary(op, e, r), span: e.span.lowerBound..<r.span.upperBound)
        }
        return e
    }

    private mutating func mul() throws(ExpressionSyntaxError) -> Expression {
        var e = try unary()
        while isSymbol("*") || isSymbol("/") || isSymbol("%") {
            let op: Expression.BinaryOperator = switch advance().symbol {
            case "*": .multiply
            case "/": .divide
            default: .remainder
            }
            let r = try unary()
            e = Expression(.binary(op, e, r), span: e.span.lowerBound..<r.span.upperBound)
        }
        return e
    }

    private mutating func unary() throws(ExpressionSyntaxError) -> Expression {
        if isSymbol("-") {
            let start = advance().span.lowerBound
            let operand = try nested { (p: inout ExpressionParser) throws(ExpressionSyntaxError) in try p.unary() }
            return Expression(.unary(.negate, operand), span: start..<operand.span.upperBound)
        }
        return try postfix()
    }

    private mutating func postfix() throws(ExpressionSyntaxError) -> Expression {
        var e = try primary()
        while true {
            if isSymbol(".") {
                _ = advance()
                let nameToken = advance()
                guard let name = nameToken.identifier else {
                    throw ExpressionSyntaxError("expected a field name after `.`, found `\(nameToken.display)`", span: nameToken.span)
                }
                e = Expression(.member(e, name, nameSpan: nameToken.span), span: e.span.lowerBound..<nameToken.span.upperBound)
            } else if isSymbol("[") {
                _ = advance()
                let index = try pipe()
                let close = try expect("]", "to close the index")
                e = Expression(.index(e, index), span: e.span.lowerBound..<close.span.upperBound)
            } else {
                return e
            }
        }
    }

    private mutating func primary() throws(ExpressionSyntaxError) -> Expression {
        let t = advance()
        switch t.kind {
        case .integer(let i): return Expression(.literal(.integer(i)), span: t.span)
        case .number(let d): return Expression(.literal(.number(d)), span: t.span)
        case .string(let s): return Expression(.literal(.string(s)), span: t.span)
        case .symbol("("):
            let e = try pipe()
            let close = try expect(")", "to close `(`")
            return Expression(e.kind, span: t.span.lowerBound..<close.span.upperBound)
        case .symbol("["):
            let items = try nested { (p: inout ExpressionParser) throws(ExpressionSyntaxError) in try p.arguments(closing: "]") }
            let close = try expect("]", "to close the list")
            return Expression(.array(items), span: t.span.lowerBound..<close.span.upperBound)
        case .identifier(let name):
            switch name {
            case "true": return Expression(.literal(.boolean(true)), span: t.span)
            case "false": return Expression(.literal(.boolean(false)), span: t.span)
            case "null": return Expression(.literal(.null), span: t.span)
            case "trigger": return Expression(.root(.trigger), span: t.span)
            case "konnector": return Expression(.root(.konnector), span: t.span)
            case "steps":
                guard isSymbol(".") else {
                    throw ExpressionSyntaxError("`steps` must be followed by a step id: `steps.<id>`", span: t.span)
                }
                _ = advance()
                let idSpan = stepID()
                guard !idSpan.isEmpty else {
                    throw ExpressionSyntaxError("expected a step id after `steps.`, found `\(current.display)`", span: current.span)
                }
                let id = String(decoding: source[idSpan], as: UTF8.self)
                return Expression(.step(id, idSpan: idSpan), span: t.span.lowerBound..<idSpan.upperBound)
            default:
                if Self.isKeyword(name) {
                    throw ExpressionSyntaxError("unexpected `\(name)` where a value was expected", span: t.span)
                }
                if isSymbol("(") {
                    _ = advance()
                    let args = try nested { (p: inout ExpressionParser) throws(ExpressionSyntaxError) in try p.arguments(closing: ")") }
                    let close = try expect(")", "to close the arguments of `\(name)`")
                    return Expression(.call(name, args, piped: false, nameSpan: t.span), span: t.span.lowerBound..<close.span.upperBound)
                }
                return Expression(.name(name), span: t.span)
            }
        case .end:
            throw ExpressionSyntaxError("the expression ends where a value was expected", span: t.span)
        case .symbol(let s):
            throw ExpressionSyntaxError("unexpected `\(s)` where a value was expected", span: t.span)
        }
    }

    /// A step id is a slug (`send-it`, `2nd`), which the lexer splits into
    /// words, numbers and `-`: the id is the run of such tokens written with
    /// no space between them.
    private mutating func stepID() -> Range<Int> {
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
                _ = advance()
            } else if t.symbol == "-", t.span.lowerBound == end, position + 1 < tokens.count,
                      isPart(tokens[position + 1]), tokens[position + 1].span.lowerBound == t.span.upperBound {
                end = t.span.upperBound
                _ = advance()
            } else {
                return start..<end
            }
        }
    }

    private mutating func arguments(closing: String) throws(ExpressionSyntaxError) -> [Expression] {
        var args: [Expression] = []
        if isSymbol(closing) { return args }
        while true {
            args.append(try pipe())
            guard isSymbol(",") else { return args }
            _ = advance()
        }
    }
}
