/// Many byte patterns, each at least `minimumCount` bytes long, found in one
/// pass over a text: a position is looked at further only when its first two
/// bytes begin some pattern, and then only the patterns that share its first
/// four bytes are compared. Masking a file's secrets in its output costs a
/// pass over the output, however many secrets the file holds.
struct BytePatternSet: Sendable {
    static let minimumCount = 4

    private var patterns: [(bytes: [UInt8], wholeWord: Bool)] = []
    private var known: Set<[UInt8]> = []
    private var byPrefix: [UInt32: [Int]] = [:]
    /// Which first two bytes begin a pattern (65,536 flags), made with the
    /// first pattern: most files have no secret, and a project holds one
    /// set per file.
    private var starts: [Bool] = []

    var isEmpty: Bool { patterns.isEmpty }

    /// Adds `bytes` (ignored when shorter than `minimumCount` or known).
    /// With `wholeWord`, it is found only where no letter or digit (nor `_`,
    /// nor a non-ASCII byte) touches it on either side.
    mutating func insert(_ bytes: [UInt8], wholeWord: Bool) {
        guard bytes.count >= Self.minimumCount, known.insert(bytes).inserted else { return }
        if starts.isEmpty { starts = [Bool](repeating: false, count: 1 << 16) }
        byPrefix[Self.prefix(bytes, 0), default: []].append(patterns.count)
        starts[Int(bytes[0]) << 8 | Int(bytes[1])] = true
        patterns.append((bytes, wholeWord))
    }

    /// Where the patterns are in `text`, in no particular order (they may overlap).
    func occurrences(in text: [UInt8]) -> [Range<Int>] {
        guard !patterns.isEmpty, text.count >= Self.minimumCount else { return [] }
        var out: [Range<Int>] = []
        text.withUnsafeBufferPointer { t in
            for i in 0...(t.count - Self.minimumCount) where starts[Int(t[i]) << 8 | Int(t[i + 1])] {
                guard let candidates = byPrefix[Self.prefix(t, i)] else { continue }
                for c in candidates {
                    let (p, wholeWord) = patterns[c]
                    let end = i + p.count
                    guard end <= t.count, p.withUnsafeBufferPointer({ $0.elementsEqual(UnsafeBufferPointer(rebasing: t[i..<end])) }) else { continue }
                    if wholeWord && ((i > 0 && Self.isWord(t[i - 1]) && Self.isWord(p[0]))
                                     || (end < t.count && Self.isWord(t[end]) && Self.isWord(p[p.count - 1]))) { continue }
                    out.append(i..<end)
                }
            }
        }
        return out
    }

    private static func prefix<C: RandomAccessCollection>(_ b: C, _ i: C.Index) -> UInt32 where C.Element == UInt8, C.Index == Int {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }

    private static func isWord(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b >= 0x80
    }
}
