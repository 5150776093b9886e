import KonnectYAML

/// A `tests:` document (SPEC §9): cases for one konnector.
public struct TestSuite: Sendable {
    public var file: String
    public var range: SourceRange
    public var konnector: Located<String>?
    /// The `cases:` list, kept as nodes until the simulator reads them.
    public var cases: [YAMLNode] = []

    public init(file: String, range: SourceRange) {
        self.file = file
        self.range = range
    }
}
