/// A positioned YAML node. Aliases share the node they refer to, so a
/// resolved alias is the anchored node itself (with the anchor's range).
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var content: Content
    public var range: SourceRange
    public var tag: String?

    public init(_ content: Content, range: SourceRange, tag: String? = nil) {
        self.content = content
        self.range = range
        self.tag = tag
    }

    public var scalar: YAMLScalar? {
        if case .scalar(let s) = content { return s } else { return nil }
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items } else { return nil }
    }

    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs } else { return nil }
    }

    public var isNull: Bool { scalar?.isNull ?? false }

    /// A short name of the node's shape, for messages ("a mapping", "a string").
    public var shapeDescription: String {
        switch content {
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .scalar(let s):
            switch s.value {
            case .null: return "null"
            case .bool: return "a boolean"
            case .int: return "an integer"
            case .float: return "a number"
            case .string: return "a string"
            }
        }
    }

    /// Value of a key in a mapping node (first match).
    public subscript(key: String) -> YAMLNode? {
        mapping?.first(where: { $0.key.scalar?.text == key })?.value
    }
}

/// One `key: value` entry of a mapping, in source order.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }

    /// The key's text when it is a scalar.
    public var keyText: String? { key.scalar?.text }

    /// Whether the key is a scalar spelled `text`. Cheaper than comparing
    /// `keyText`: lengths are compared first, and no optional is made.
    @inlinable
    public func hasKey(_ text: String) -> Bool {
        guard case .scalar(let s) = key.content else { return false }
        return s.text.utf8.count == text.utf8.count && s.text == text
    }
}
