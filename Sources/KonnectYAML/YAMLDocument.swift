/// One document of a YAML stream. `root` is nil for an empty document.
public struct YAMLDocument: Sendable {
    public var root: YAMLNode?
    public var range: SourceRange
    /// Pairs left out of their mapping because their key repeats an earlier
    /// one (each is a `duplicate-key` problem), in source order.
    public var droppedPairs: [YAMLPair]

    public init(root: YAMLNode?, range: SourceRange, droppedPairs: [YAMLPair] = []) {
        self.root = root
        self.range = range
        self.droppedPairs = droppedPairs
    }
}
