/// What parsing one file gives: its documents, the problems found, and the
/// source they point into (kept for snippets and for positions inside scalars).
public struct YAMLStream: Sendable {
    public var source: SourceText
    public var documents: [YAMLDocument]
    public var problems: [YAMLProblem]
    /// Whether a quoted scalar runs over more than one line (a quote left
    /// open on its line does: what `UnclosedQuote` looks for).
    public var quotedScalarSpansLines = false

    public init(source: SourceText, documents: [YAMLDocument], problems: [YAMLProblem]) {
        self.source = source
        self.documents = documents
        self.problems = problems
    }
}
