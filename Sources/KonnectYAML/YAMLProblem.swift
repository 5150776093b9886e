/// Something wrong with a file at the YAML level. This layer only reports
/// facts; KonnectCore turns them into diagnostics with codes and wording.
public enum YAMLProblem: Sendable, Hashable {
    /// libyaml rejected the text: its problem, and the construct it was in.
    case syntax(problem: String, context: String?, contextStart: SourcePosition?, at: SourceRange)
    case invalidUTF8(at: SourceRange)
    case duplicateKey(key: String, first: SourceRange, at: SourceRange)
    case limitExceeded(Limit, at: SourceRange)

    public enum Limit: Sendable, Hashable {
        case fileSize(bytes: Int, max: Int)
        case depth(max: Int)
        case aliases(max: Int)
        case expandedNodes(max: Int)
    }

    public var range: SourceRange {
        switch self {
        case .syntax(_, _, _, let r), .invalidUTF8(let r), .duplicateKey(_, _, let r), .limitExceeded(_, let r):
            return r
        }
    }
}
