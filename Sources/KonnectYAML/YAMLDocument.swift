/// One document of a YAML stream. `root` is nil for an empty document.
public struct YAMLDocument: Sendable {
    public var root: YAMLNode?
    public var range: SourceRange

    public init(root: YAMLNode?, range: SourceRange) {
        self.root = root
        self.range = range
    }
}
