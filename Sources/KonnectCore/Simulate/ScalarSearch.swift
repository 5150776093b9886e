/// The C library's `memmem` (glibc and Darwin both have it; glibc's module
/// map hides it behind `_GNU_SOURCE`). Both implement it in linear time.
@_silgen_name("memmem")
private func memmem(_ haystack: UnsafeRawPointer, _ haystackLength: Int,
                    _ needle: UnsafeRawPointer, _ needleLength: Int) -> UnsafeMutableRawPointer?

/// Searching in strings by Unicode scalars, without normalization (SPEC
/// §5.3): `\n` is found inside `\r\n`, and `e` inside `e\u{301}`. Valid
/// UTF-8 is self-synchronizing, so searching its bytes finds exactly the
/// scalar matches; `memmem` keeps each search linear in the text, so no
/// text and needle make one search slow.
enum ScalarSearch {
    /// The byte offset of the first match of `needle` (not empty) in `t` at or after `start`.
    private static func find(_ n: UnsafeBufferPointer<UInt8>, in t: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard t.count - start >= n.count,
              let found = memmem(t.baseAddress! + start, t.count - start, n.baseAddress!, n.count) else { return nil }
        return t.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// Matches of `needle` (not empty) in `text`, left to right without
    /// overlap, counted up to `limit`.
    static func count(_ needle: String, in text: String, limit: Int = .max) -> Int {
        precondition(!needle.isEmpty)
        var text = text, needle = needle
        return text.withUTF8 { t in
            needle.withUTF8 { n in
                var count = 0, start = 0
                while count < limit, let offset = find(n, in: t, from: start) {
                    count += 1
                    start = offset + n.count
                }
                return count
            }
        }
    }

    /// `text` with each match of `target` (not empty) replaced. The matches
    /// are counted first, only as far as the ceiling allows, so a result
    /// too long is refused before it is built.
    static func replace(_ target: String, with replacement: String, in text: String) throws(RuntimeError) -> String {
        let growth = replacement.utf8.count - target.utf8.count
        let ceiling = growth > 0 ? max(0, EvaluationLimits.maxStringBytes - text.utf8.count) / growth + 1 : .max
        let matches = count(target, in: text, limit: ceiling)
        if matches == 0 { return text }
        try EvaluationLimits.checkString(text.utf8.count + matches * growth, of: "`replace`")
        var text = text, target = target, replacement = replacement
        let length = text.utf8.count + matches * growth
        if length == 0 { return "" }
        return text.withUTF8 { t in
            target.withUTF8 { n in
                replacement.withUTF8 { r in
                    String(unsafeUninitializedCapacity: length) { out in
                        let base = UnsafeMutableRawPointer(out.baseAddress!)
                        var start = 0, written = 0
                        func copy(_ from: UnsafeRawPointer?, _ count: Int) {
                            guard count > 0, let from else { return }
                            (base + written).copyMemory(from: from, byteCount: count)
                            written += count
                        }
                        while let offset = find(n, in: t, from: start) {
                            copy(t.baseAddress.map { $0 + start }, offset - start)
                            copy(r.baseAddress, r.count)
                            start = offset + n.count
                        }
                        copy(t.baseAddress.map { $0 + start }, t.count - start)
                        return written
                    }
                }
            }
        }
    }

    /// The pieces of `text` between the matches of `separator` (not empty);
    /// more than `EvaluationLimits.maxElements` is `limit-exceeded`, found
    /// before any piece is made.
    static func split(_ text: String, by separator: String) throws(RuntimeError) -> [String] {
        let pieces = count(separator, in: text, limit: EvaluationLimits.maxElements) + 1
        try EvaluationLimits.checkElements(pieces, of: "`split`")
        var text = text, separator = separator
        return text.withUTF8 { t in
            separator.withUTF8 { n in
                var out: [String] = []
                out.reserveCapacity(pieces)
                var start = 0
                while let offset = find(n, in: t, from: start) {
                    out.append(String(decoding: UnsafeBufferPointer(rebasing: t[start..<offset]), as: UTF8.self))
                    start = offset + n.count
                }
                out.append(String(decoding: UnsafeBufferPointer(rebasing: t[start...]), as: UTF8.self))
                return out
            }
        }
    }

    static func contains(_ text: String, _ needle: String) -> Bool {
        needle.isEmpty || count(needle, in: text, limit: 1) == 1
    }

    static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
        text.utf8.starts(with: prefix.utf8)
    }

    static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        text.utf8.count >= suffix.utf8.count && text.utf8.reversed().starts(with: suffix.utf8.reversed())
    }

    /// Equal as sequences of scalars (Swift's `==` on strings would
    /// compare canonical equivalents equal, disagreeing with `<`).
    static func equal(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8)
    }

    /// Ordered by scalars; UTF-8 byte order is scalar order.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
