/// A sequence's items (or a mapping's keys and values, alternating), in
/// source order, read in place from the tree.
public struct YAMLItems: RandomAccessCollection, Sendable {
    @usableFromInline let tree: YAMLTree
    /// Where the first item is in `tree.children`.
    @usableFromInline let first: Int
    public let count: Int

    @inlinable
    init(_ tree: YAMLTree, first: Int, count: Int) {
        self.tree = tree
        self.first = first
        self.count = count
    }

    /// No items, for a list that is absent.
    public static let empty = YAMLItems(YAMLTree(emptyMappingAt: .fileStart), first: 0, count: 0)

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }

    @inlinable
    public subscript(i: Int) -> YAMLNode {
        precondition(i >= 0 && i < count, "item index out of range")
        return YAMLNode(tree, tree.children[first + i])
    }

    /// The text of item `i` when it is a scalar, without making the node.
    @inlinable
    func scalarText(at i: Int) -> String? {
        precondition(i >= 0 && i < count, "item index out of range")
        return tree.records[Int(tree.children[first + i])].text(in: tree.scalars)
    }

    /// Whether item `i` (below `count`: callers loop over the indices) is a
    /// scalar spelled `text` (`signature` is `text`'s).
    @inlinable
    func isScalar(at i: Int, spelled text: String, signature: UInt32) -> Bool {
        tree.isScalar(tree.children[first + i], spelled: text, signature: signature)
    }
}
