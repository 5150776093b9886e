/// Every node of one parsed file, flat: one table of records, the scalars
/// and the children of each collection, contiguous. A `YAMLNode` is an index
/// into it, so a file's nodes cost three allocations rather than one or two
/// each, an alias shares the anchored node's record, and freeing a file's
/// nodes releases only its scalars.
public final class YAMLTree: Sendable {
    @usableFromInline
    struct Record: Sendable {
        @usableFromInline
        enum Kind: UInt8, Sendable { case scalar, sequence, mapping }

        @usableFromInline var range: SourceRange
        @usableFromInline var kind: Kind
        /// Index in `tags`, or -1.
        @usableFromInline var tag: Int32
        /// A scalar's index in `scalars`; a collection's first child in `children`.
        @usableFromInline var first: Int32
        /// A collection's number of children (a mapping's keys and values alternate).
        @usableFromInline var count: Int32
        /// A scalar's `signature`, so that keys are told apart without their strings.
        @usableFromInline var signature: UInt32 = 0

        /// A scalar's text, read from the scalars it indexes (the tree's, or
        /// the parser's while it builds them); nil for a collection.
        @inlinable
        func text(in scalars: [YAMLScalar]) -> String? {
            kind == .scalar ? scalars[Int(first)].text : nil
        }

        /// Whether it is a scalar spelled `text` (`signature` is `text`'s):
        /// signatures are compared first, texts only when they agree.
        @inlinable
        func isScalar(spelled text: String, signature: UInt32, in scalars: [YAMLScalar]) -> Bool {
            kind == .scalar && self.signature == signature && scalars[Int(first)].text == text
        }
    }

    /// Length, first byte and last byte of a text, in one comparable number.
    @inlinable
    static func signature(_ utf8: UnsafeBufferPointer<UInt8>) -> UInt32 {
        guard let first = utf8.first, let last = utf8.last else { return 0 }
        return UInt32(truncatingIfNeeded: min(utf8.count, 0xFFFF)) << 16 | UInt32(first) << 8 | UInt32(last)
    }

    /// `text`'s signature: also how others tell short names apart cheaply.
    @inlinable
    public static func signature(_ text: String) -> UInt32 {
        var text = text
        return text.withUTF8 { signature($0) }
    }

    /// Whether node `node` is a scalar spelled `text` (`signature` is `text`'s).
    @inlinable
    func isScalar(_ node: Int32, spelled text: String, signature: UInt32) -> Bool {
        records[Int(node)].isScalar(spelled: text, signature: signature, in: scalars)
    }

    @usableFromInline let records: [Record]
    @usableFromInline let scalars: [YAMLScalar]
    @usableFromInline let children: [Int32]
    @usableFromInline let tags: [String]

    init(records: [Record], scalars: [YAMLScalar], children: [Int32], tags: [String]) {
        self.records = records
        self.scalars = scalars
        self.children = children
        self.tags = tags
    }

    /// A tree of one empty mapping, for a value made up rather than parsed.
    convenience init(emptyMappingAt range: SourceRange) {
        self.init(records: [Record(range: range, kind: .mapping, tag: -1, first: 0, count: 0)], scalars: [], children: [], tags: [])
    }
}
