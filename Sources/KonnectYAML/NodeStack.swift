/// The children of every open collection while a document is built, the
/// innermost collection's last; a mapping's keys and values alternate.
///
/// One stack serves all collections, so none grows an array of its own (a
/// reallocation at every doubling); a closing collection moves its children
/// out, in order, into one exactly sized array. `Array` can only move its
/// elements off the end, backwards, hence this small manual buffer.
struct NodeStack: ~Copyable {
    private var nodes: UnsafeMutablePointer<YAMLNode>
    private var capacity: Int
    /// Slots `0..<count` are initialized; the rest are not.
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        nodes = .allocate(capacity: self.capacity)
    }

    deinit {
        nodes.deinitialize(count: count)
        nodes.deallocate()
    }

    mutating func append(_ node: consuming YAMLNode) {
        if count == capacity {
            let bigger = UnsafeMutablePointer<YAMLNode>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: nodes, count: count)
            nodes.deallocate()
            nodes = bigger
            capacity *= 2
        }
        (nodes + count).initialize(to: consume node)
        count += 1
    }

    /// The text of node `i` if it is a scalar.
    func scalarText(at i: Int) -> String? {
        precondition(i >= 0 && i < count)
        if case .scalar(let s) = nodes[i].content { return s.text }
        return nil
    }

    func range(at i: Int) -> SourceRange {
        precondition(i >= 0 && i < count)
        return nodes[i].range
    }

    /// Moves the nodes from `start` up out, as a sequence's items.
    mutating func moveItems(from start: Int) -> [YAMLNode] {
        let start = max(0, min(start, count))
        var items: [YAMLNode] = []
        items.reserveCapacity(count - start)
        for i in start..<count { items.append((nodes + i).move()) }
        count = start
        return items
    }

    /// Moves the nodes from `start` up out, as a mapping's pairs. libyaml
    /// gives every key a value; a key without one (never expected) is dropped.
    mutating func movePairs(from start: Int) -> [YAMLPair] {
        let start = max(0, min(start, count))
        if (count - start) % 2 == 1 {
            count -= 1
            (nodes + count).deinitialize(count: 1)
        }
        var pairs: [YAMLPair] = []
        pairs.reserveCapacity((count - start) / 2)
        for i in stride(from: start, to: count, by: 2) {
            pairs.append(YAMLPair(key: (nodes + i).move(), value: (nodes + i + 1).move()))
        }
        count = start
        return pairs
    }
}
