/// A sequence's items, in source order, read in place from the tree.
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
}
