/// Prints an expression in one canonical spacing with only the parentheses
/// it needs, so cosmetic edits never change a compiled definition.
public enum ExpressionPrinter {
    public static func print(_ e: Expression) -> String {
        var out = ""
        write(e, into: &out, context: 0)
        return out
    }

    /// Precedence of the node: pipe 0, or 1, and 2, not 3, comparison 4,
    /// additive 5, multiplicative 6, unary minus 7, postfix/primary 8.
    private static func precedence(_ e: Expression) -> Int {
        switch e.kind {
        case .call(_, _, let piped, _): return piped ? 0 : 8
        case .binary(let op, _, _): return op.precedence
        case .unary(.not, _): return 3
        case .unary(.negate, _): return 7
        default: return 8
        }
    }

    private static func write(_ e: Expression, into out: inout String, context: Int) {
        let p = precedence(e)
        let parens = p < context
        if parens { out += "(" }
        switch e.kind {
        case .literal(let l): out += literal(l)
        case .root(let r): out += r.rawValue
        case .step(let id, _): out += "steps.\(id)"
        case .name(let n): out += n
        case .member(let base, let name, _):
            write(base, into: &out, context: 8)
            out += ".\(name)"
        case .index(let base, let index):
            write(base, into: &out, context: 8)
            out += "["
            write(index, into: &out, context: 0)
            out += "]"
        case .unary(.not, let operand):
            out += "not "
            write(operand, into: &out, context: 3)
        case .unary(.negate, let operand):
            out += "-"
            write(operand, into: &out, context: 7)
        case .binary(let op, let l, let r):
            // Comparisons do not chain: both sides bind tighter. Others are left-associative.
            let isComparison = op.precedence == 4
            write(l, into: &out, context: isComparison ? 5 : p)
            out += " \(op.rawValue) "
            write(r, into: &out, context: isComparison ? 5 : p + 1)
        case .call(let name, let args, let piped, _):
            if piped, let first = args.first {
                write(first, into: &out, context: 0)
                out += " | \(name)"
                if args.count > 1 { out += "("; list(args.dropFirst(), into: &out); out += ")" }
            } else {
                out += "\(name)("
                list(args[...], into: &out)
                out += ")"
            }
        case .array(let items):
            out += "["
            list(items[...], into: &out)
            out += "]"
        }
        if parens { out += ")" }
    }

    private static func list(_ items: ArraySlice<Expression>, into out: inout String) {
        for (i, item) in items.enumerated() {
            if i > 0 { out += ", " }
            write(item, into: &out, context: 0)
        }
    }

    static func literal(_ l: Expression.Literal) -> String {
        switch l {
        case .integer(let i): return String(i)
        case .number(let d):
            let s = JSONValue.format(d)
            return s.contains(where: { $0 == "." || $0 == "e" }) ? s : s + ".0"
        case .string(let s): return quoted(s)
        case .boolean(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    static func quoted(_ s: String) -> String {
        var out = "'"
        for ch in s {
            switch ch {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.append(ch)
            }
        }
        return out + "'"
    }
}
