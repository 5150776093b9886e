/// One `key: value` entry of a mapping, in source order.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    @inlinable
    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }

    /// The key's text when it is a scalar.
    @inlinable
    public var keyText: String? { key.scalarText }

    /// Whether the key is a scalar spelled `text`. Cheaper than comparing
    /// `keyText`: signatures are compared first, and no optional is made.
    @inlinable
    public func hasKey(_ text: String) -> Bool {
        key.tree.isScalar(key.index, spelled: text, signature: YAMLTree.signature(text))
    }
}
