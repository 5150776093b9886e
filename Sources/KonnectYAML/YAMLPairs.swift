/// A mapping's entries, in source order, read in place from the tree.
public struct YAMLPairs: RandomAccessCollection, Sendable {
    @usableFromInline let tree: YAMLTree
    /// Where the first key is in `tree.children`.
    @usableFromInline let first: Int
    public let count: Int

    @inlinable
    init(_ tree: YAMLTree, first: Int, count: Int) {
        self.tree = tree
        self.first = first
        self.count = count
    }

    /// No pairs, for a mapping that is absent.
    public static let empty = YAMLPairs(YAMLTree(emptyMappingAt: .fileStart), first: 0, count: 0)

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }

    @inlinable
    public subscript(i: Int) -> YAMLPair {
        precondition(i >= 0 && i < count, "pair index out of range")
        let k = first + 2 * i
        return YAMLPair(key: YAMLNode(tree, tree.children[k]), value: YAMLNode(tree, tree.children[k + 1]))
    }

    /// The text of pair `i`'s key when it is a scalar, read in place.
    @inlinable
    public func keyText(at i: Int) -> String? {
        let r = tree.records[Int(tree.children[first + 2 * i])]
        return r.kind == .scalar ? tree.scalars[Int(r.first)].text : nil
    }

    /// The index of the first pair whose key is a scalar spelled `text`,
    /// without making any pair; keys are told apart by signature first.
    @inlinable
    public func firstIndex(ofKey text: String) -> Int? {
        let signature = YAMLTree.signature(text)
        for i in 0..<count where tree.scalarText(tree.children[first + 2 * i], is: text, signature: signature) { return i }
        return nil
    }

    /// The value of pair `i`, without making the pair.
    @inlinable
    public func value(at i: Int) -> YAMLNode {
        precondition(i >= 0 && i < count, "pair index out of range")
        return YAMLNode(tree, tree.children[first + 2 * i + 1])
    }
}
