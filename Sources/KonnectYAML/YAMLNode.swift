/// A positioned YAML node: a place in its file's `YAMLTree`. Aliases share
/// the node they refer to, so a resolved alias is the anchored node itself
/// (with the anchor's range).
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(YAMLScalar)
        case sequence(YAMLItems)
        case mapping(YAMLPairs)
    }

    @usableFromInline let tree: YAMLTree
    @usableFromInline let index: Int32

    @inlinable
    init(_ tree: YAMLTree, _ index: Int32) {
        self.tree = tree
        self.index = index
    }

    /// An empty mapping at `range`, for a value made up rather than parsed.
    public static func emptyMapping(at range: SourceRange) -> YAMLNode {
        YAMLNode(YAMLTree(emptyMappingAt: range), 0)
    }

    @inlinable
    var record: YAMLTree.Record { tree.records[Int(index)] }

    @inlinable
    public var range: SourceRange { record.range }

    @inlinable
    public var tag: String? {
        let t = record.tag
        return t < 0 ? nil : tree.tags[Int(t)]
    }

    @inlinable
    public var content: Content {
        let r = record
        switch r.kind {
        case .scalar: return .scalar(tree.scalars[Int(r.first)])
        case .sequence: return .sequence(YAMLItems(tree, first: Int(r.first), count: Int(r.count)))
        case .mapping: return .mapping(YAMLPairs(tree, first: Int(r.first), count: Int(r.count) / 2))
        }
    }

    @inlinable
    public var scalar: YAMLScalar? {
        let r = record
        return r.kind == .scalar ? tree.scalars[Int(r.first)] : nil
    }

    @inlinable
    public var sequence: YAMLItems? {
        let r = record
        return r.kind == .sequence ? YAMLItems(tree, first: Int(r.first), count: Int(r.count)) : nil
    }

    @inlinable
    public var mapping: YAMLPairs? {
        let r = record
        return r.kind == .mapping ? YAMLPairs(tree, first: Int(r.first), count: Int(r.count) / 2) : nil
    }

    @inlinable
    public var isNull: Bool { scalarKind == .null }

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
        mapping.flatMap { pairs in pairs.firstIndex(ofKey: key).map(pairs.value(at:)) }
    }

    /// The kind of the node's value when it is a scalar, read without
    /// copying the scalar out (an optional scalar is copied and destroyed
    /// through the runtime's generic witnesses).
    @inlinable
    public var scalarKind: YAMLScalar.Kind? {
        let r = record
        return r.kind == .scalar ? tree.scalars[Int(r.first)].kind : nil
    }

    /// The text of the node when it is a scalar, read without copying the scalar out.
    @inlinable
    public var scalarText: String? {
        record.text(in: tree.scalars)
    }
}

extension YAMLNode {
    /// Calls `body` with this node and every node under it, parents before
    /// children, keys before values (mapping keys left out unless
    /// `includingKeys`). Iterative, and each node once: an alias shares its
    /// anchor's node, so a node repeated through aliases is visited at its
    /// first place only (no input can make this recurse or expand aliases).
    public func forEachNode(includingKeys: Bool = true, _ body: (YAMLNode) -> Void) {
        // An alias makes a node reachable twice: each is visited once (a bit per node of the tree).
        var seen = [UInt64](repeating: 0, count: (tree.records.count + 63) / 64)
        var pending: [Int32] = [index]
        while let i = pending.popLast() {
            let (word, bit) = (Int(i) >> 6, UInt64(1) << UInt64(Int(i) & 63))
            guard seen[word] & bit == 0 else { continue }
            seen[word] |= bit
            body(YAMLNode(tree, i))
            let r = tree.records[Int(i)]
            guard r.kind != .scalar, r.count > 0 else { continue }
            // Pushed in reverse, so that children come out in source order.
            let skipsKeys = r.kind == .mapping && !includingKeys
            for c in stride(from: Int(r.first) + Int(r.count) - 1, through: Int(r.first), by: -1)
            where !(skipsKeys && (c - Int(r.first)) % 2 == 0) {
                pending.append(tree.children[c])
            }
        }
    }

    /// The first node (in `forEachNode` order) whose range is exactly `range`:
    /// found by descending into the child that holds the range, so a file's
    /// worth of look-ups costs its depth each, not its size.
    public func descendant(at range: SourceRange) -> YAMLNode? {
        var node = self
        // A child's range lies inside its parent's (an alias's is its anchor's): each step goes deeper.
        for _ in 0...tree.records.count {
            if node.range == range { return node }
            let r = tree.records[Int(node.index)]
            guard r.kind != .scalar, r.count > 0 else { return nil }
            var next: YAMLNode? = nil
            for c in Int(r.first)..<(Int(r.first) + Int(r.count)) {
                let child = YAMLNode(tree, tree.children[c])
                if child.range.start <= range.start && range.end <= child.range.end && child.index != node.index {
                    next = child
                    break
                }
            }
            guard let next else { return nil }
            node = next
        }
        return nil
    }
}
