import KonnectYAML

/// The parse stage: one file's bytes to YAML documents plus diagnostics.
public struct ParsedFile: Sendable {
    public var path: String
    public var stream: YAMLStream
    public var diagnostics: [Diagnostic]

    public init(_ file: SourceFile, parser: YAMLParser = YAMLParser()) {
        path = file.path
        stream = parser.parse(file.bytes)
        let source = stream.source
        let path = file.path
        diagnostics = stream.problems.map { Diagnostic.yaml($0, file: path, source: source) }
    }
}
