/// A mapping's entries, in source order, read in place from the tree.
public struct YAMLPairs: RandomAccessCollection, Sendable {
    /// The mapping's children: keys and values alternate.
    @usableFromInline let children: YAMLItems

    @inlinable
    init(_ tree: YAMLTree, first: Int, count: Int) {
        children = YAMLItems(tree, first: first, count: 2 * count)
    }

    /// No pairs, for a mapping that is absent.
    public static let empty = YAMLPairs(YAMLTree(emptyMappingAt: .fileStart), first: 0, count: 0)

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { children.count / 2 }
    @inlinable public var count: Int { children.count / 2 }

    @inlinable
    public subscript(i: Int) -> YAMLPair {
        YAMLPair(key: children[2 * i], value: children[2 * i + 1])
    }

    /// The text of pair `i`'s key when it is a scalar, read in place.
    @inlinable
    public func keyText(at i: Int) -> String? {
        children.scalarText(at: 2 * i)
    }

    /// The index of the first pair whose key is a scalar spelled `text`,
    /// without making any pair; keys are told apart by signature first.
    @inlinable
    public func firstIndex(ofKey text: String) -> Int? {
        let signature = YAMLTree.signature(text)
        for i in 0..<count where children.isScalar(at: 2 * i, spelled: text, signature: signature) { return i }
        return nil
    }

    /// The value of pair `i`, without making the pair.
    @inlinable
    public func value(at i: Int) -> YAMLNode {
        children[2 * i + 1]
    }
}
