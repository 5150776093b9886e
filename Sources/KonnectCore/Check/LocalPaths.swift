/// Narrowing (SPEC §5.3) of paths that start at a repeat's local name
/// (`item.customer.email != null`). `Expression.pathKey` spells only
/// `trigger`, `steps.<id>` and `konnector` paths; these keys start with the
/// bare name, which no other key does, so they share `Scope.nonNullPaths`.
extension Expression {
    /// `item.customer.email` for a path from a bare name, else nil.
    var localPathKey: String? {
        switch kind {
        case .name(let n): return n
        case .member(let base, let name, _): return base.localPathKey.map { $0 + "." + name }
        default: return nil
        }
    }
}

extension ExpressionChecker {
    /// Whether the local path `e` is proved non-null here.
    func isNarrowedLocal(_ e: Expression) -> Bool {
        guard !scope.nonNullPaths.isEmpty, let key = e.localPathKey else { return false }
        return scope.nonNullPaths.contains(key)
    }
}
