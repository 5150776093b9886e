/// An alignment of two sequences by their longest common subsequence, as
/// diffs show them: an insertion or a removal is one operation, never a
/// shift of every later element. Used for array elements, for the lines of
/// a multi-line string and for the words of a long one.
public enum SequenceDiff {
    public enum Edit: Sendable, Equatable {
        /// `a[old]` equals `b[new]`.
        case equal(old: Int, new: Int)
        /// `a[old]` is not in `b`.
        case delete(old: Int)
        /// `b[new]` is not in `a`.
        case insert(new: Int)
    }

    /// The largest table the alignment fills (rows times columns, after the
    /// common prefix and suffix are set aside): about 1 MB. Past it the
    /// caller shows the two values whole instead, so that no definition,
    /// plan file or library row can make a plan slow.
    public static let maxCells = 250_000

    /// The operations in order of both sequences, or nil when the part that
    /// differs is too large to align within `maxCells`.
    public static func align<T: Equatable>(_ a: [T], _ b: [T], maxCells: Int = maxCells) -> [Edit]? {
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        let n = a.count - prefix - suffix, m = b.count - prefix - suffix
        let (cells, overflow) = (n + 1).multipliedReportingOverflow(by: m + 1)
        if n > 0, m > 0, overflow || cells > maxCells { return nil }

        var out: [Edit] = (0..<prefix).map { .equal(old: $0, new: $0) }
        out.reserveCapacity(a.count + m)
        if n == 0 || m == 0 {
            out += (prefix..<(prefix + n)).map { .delete(old: $0) }
            out += (prefix..<(prefix + m)).map { .insert(new: $0) }
        } else {
            // lcs[i * width + j]: the common subsequence's length of a[prefix + i...] and b[prefix + j...].
            let width = m + 1
            var lcs = [Int32](repeating: 0, count: cells)
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lcs[i * width + j] = a[prefix + i] == b[prefix + j]
                        ? lcs[(i + 1) * width + j + 1] + 1
                        : max(lcs[(i + 1) * width + j], lcs[i * width + j + 1])
                }
            }
            var i = 0, j = 0
            while i < n || j < m {
                if i < n, j < m, a[prefix + i] == b[prefix + j] {
                    out.append(.equal(old: prefix + i, new: prefix + j))
                    i += 1
                    j += 1
                } else if i < n, j == m || lcs[(i + 1) * width + j] >= lcs[i * width + j + 1] {
                    out.append(.delete(old: prefix + i))
                    i += 1
                } else {
                    out.append(.insert(new: prefix + j))
                    j += 1
                }
            }
        }
        for k in 0..<suffix { out.append(.equal(old: a.count - suffix + k, new: b.count - suffix + k)) }
        return out
    }
}
