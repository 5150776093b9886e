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

    /// Only the cases that hold an `Expression` directly are boxed: leaves
    /// (most nodes) and lists are stored inline, saving an allocation each.
    public enum Kind: Sendable, Hashable {
        case literal(Literal)
        case root(Root)
        /// `steps.<id>`; the span of the id is kept for diagnostics.
        case step(String, idSpan: Range<Int>)
        /// A bare name that is no root; the checker reports it.
        case name(String)
        indirect case member(Expression, String, nameSpan: Range<Int>)
        indirect case index(Expression, Expression)
        indirect case unary(UnaryOperator, Expression)
        indirect case binary(BinaryOperator, Expression, Expression)
        /// A function call; `piped` keeps `x | f(a)` apart from `f(x, a)` for printing.
        case call(String, [Expression], piped: Bool, nameSpan: Range<Int>)
        case array([Expression])
    }

    public let kind: Kind
    public let span: Range<Int>
    /// Nodes on the longest path down from this one (a leaf is 1). Every
    /// stage walks the tree recursively, so the parser bounds it.
    public let height: Int

    public init(_ kind: Kind, span: Range<Int>) {
        self.kind = kind
        self.span = span
        switch kind {
        case .literal, .root, .step, .name: height = 1
        case .member(let e, _, _), .unary(_, let e): height = e.height + 1
        case .index(let a, let b), .binary(_, let a, let b): height = max(a.height, b.height) + 1
        case .call(_, let items, _, _), .array(let items): height = (items.lazy.map(\.height).max() ?? 0) + 1
        }
    }

    /// `trigger.customer.email` for a path expression, else nil (for narrowing).
    public var pathKey: String? {
        var key = ""
        return appendPathKey(to: &key) ? key : nil
    }

    /// Whether this is the path expression whose `pathKey` is `key`, told
    /// without building the key: narrowing asks it of every nullable path.
    public func spellsPath(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { spellsPath($0, count: $0.count) }
    }

    /// Whether this spells `key[0..<count]`, matched from its last segment back.
    private func spellsPath(_ key: UnsafeBufferPointer<UInt8>, count: Int) -> Bool {
        func endsWith(_ word: String, at end: Int) -> Bool {
            var word = word
            return word.withUTF8 { w in
                guard w.count <= end else { return false }
                let start = end - w.count
                for i in 0..<w.count where key[start + i] != w[i] { return false }
                return true
            }
        }
        switch kind {
        case .root(let r):
            return count == r.rawValue.utf8.count && endsWith(r.rawValue, at: count)
        case .step(let id, _):
            let prefix = 6  // "steps."
            return count == prefix + id.utf8.count && endsWith(id, at: count) && endsWith("steps.", at: prefix)
        case .member(let base, let name, _):
            let n = name.utf8.count
            guard count > n, endsWith(name, at: count), key[count - n - 1] == 0x2E else { return false }
            return base.spellsPath(key, count: count - n - 1)
        default:
            return false
        }
    }

    /// Builds the key in one string rather than one per segment.
    private func appendPathKey(to key: inout String) -> Bool {
        switch kind {
        case .root(let r):
            key += r.rawValue
        case .step(let id, _):
            key += "steps."
            key += id
        case .member(let base, let name, _):
            guard base.appendPathKey(to: &key) else { return false }
            key += "."
            key += name
        default:
            return false
        }
        return true
    }
}
