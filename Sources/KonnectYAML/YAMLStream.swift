/// What parsing one file gives: its documents, the problems found, and the
/// source they point into (kept for snippets and for positions inside scalars).
public struct YAMLStream: Sendable {
    public var source: SourceText
    public var documents: [YAMLDocument]
    public var problems: [YAMLProblem]

    public init(source: SourceText, documents: [YAMLDocument], problems: [YAMLProblem]) {
        self.source = source
        self.documents = documents
        self.problems = problems
    }
}
