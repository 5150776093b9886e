/// What parsing one file gives: its documents, the problems found, and the
/// source they point into (kept for snippets and for positions inside scalars).
public struct YAMLStream: Sendable {
    public var source: SourceText
    public var documents: [YAMLDocument]
    public var problems: [YAMLProblem]
    /// Whether a quoted scalar runs over more than one line (a quote left
    /// open on its line does: what `UnclosedQuote` looks for).
    public var quotedScalarSpansLines: Bool

    public init(source: SourceText, documents: [YAMLDocument], problems: [YAMLProblem], quotedScalarSpansLines: Bool = false) {
        self.quotedScalarSpansLines = quotedScalarSpansLines
        self.source = source
        self.documents = documents
        self.problems = problems
    }
}
