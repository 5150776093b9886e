/// "Did you mean" hints (SPEC §6): a candidate within edit distance 2 or
/// equal ignoring case; otherwise, with few candidates, the list of them.
public enum Suggestion {
    public static let maxListed = 12

    public static func closest(to word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        if let same = candidates.first(where: { $0.lowercased() == lowered }) { return same }
        var best: (String, Int)? = nil
        let w = Array(word.unicodeScalars)
        for candidate in candidates {
            let c = Array(candidate.unicodeScalars)
            if abs(c.count - w.count) > 2 { continue }
            let d = distance(w, c)
            if d <= 2, d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        // A one-letter word is within 2 of every short name; that helps nobody.
        if let best, best.1 >= w.count { return nil }
        return best?.0
    }

    /// The hint for an unknown `word`: "did you mean `x`?", the list of valid
    /// names when it is short, or nil.
    public static func hint(for word: String, among candidates: [String], noun: String = "valid values") -> String? {
        if let near = closest(to: word, among: candidates) { return "did you mean `\(near)`?" }
        if candidates.isEmpty { return nil }
        if candidates.count <= maxListed {
            return "\(noun): " + candidates.map { "`\($0)`" }.joined(separator: ", ")
        }
        return nil
    }

    /// Optimal string alignment distance (Levenshtein plus adjacent swaps).
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev2 = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    cur[j] = min(cur[j], prev2[j - 2] + 1)
                }
            }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return prev[b.count]
    }
}
