import KonnectYAML

/// Maps a byte offset inside a scalar's value back to the file, so that a
/// diagnostic in a template points at the token (SPEC §6). Plain, single-
/// and double-quoted scalars map exactly (escapes and folded lines
/// included); block scalars map to the right line and column of content.
struct ScalarLocator {
    /// Only the scalar's range and style are kept: a locator is made for
    /// every template, and most are never asked for a position.
    let scalarRange: SourceRange
    let style: YAMLScalar.Style
    let source: SourceText
    /// For a block scalar with an indentation indicator (`|2`): the spaces its
    /// value starts with, which the source's first content line also holds.
    let explicitLeadingSpaces: Int?

    init?(_ node: YAMLNode, source: SourceText) {
        guard let scalar = node.scalar else { return nil }
        self.scalarRange = node.range
        self.style = scalar.style
        self.source = source
        explicitLeadingSpaces = scalar.style == .literal || scalar.style == .folded
            ? Self.explicitLeadingSpaces(header: scalarRange.start.offset, in: source.bytes, value: scalar.text) : nil
    }

    private static func explicitLeadingSpaces(header start: Int, in b: [UInt8], value: String) -> Int? {
        var i = start
        while i < b.count, b[i] != 0x0A, b[i] != 0x0D, b[i] != 0x23 {
            if b[i] >= 0x31 && b[i] <= 0x39 {
                return value.utf8.drop { $0 == 0x0A }.prefix { $0 == 0x20 }.count
            }
            i += 1
        }
        return nil
    }

    func range(_ span: Range<Int>) -> SourceRange {
        let start = position(span.lowerBound)
        let end = span.isEmpty ? start : position(span.upperBound)
        return SourceRange(start: start, end: end.offset < start.offset ? start : end)
    }

    /// The range of `span`, a span in an expression that starts `offset` bytes into the value.
    func range(_ span: Range<Int>, shiftedBy offset: Int) -> SourceRange {
        range((span.lowerBound + offset)..<(span.upperBound + offset))
    }

    func position(_ valueOffset: Int) -> SourcePosition {
        switch style {
        case .literal, .folded: return source.position(atOffset: blockOffset(valueOffset))
        default: return source.position(atOffset: flowOffset(valueOffset))
        }
    }

    private var bytes: [UInt8] { source.bytes }

    /// Walks the source and the value together; each source construct
    /// (escape, doubled quote, folded line break) yields its value bytes.
    private func flowOffset(_ target: Int) -> Int {
        let b = bytes
        let quote: UInt8? = switch style {
        case .singleQuoted: 0x27
        case .doubleQuoted: 0x22
        default: nil
        }
        var s = scalarRange.start.offset + (quote == nil ? 0 : 1)
        let end = min(scalarRange.end.offset, b.count)
        var v = 0
        while v < target, s < end {
            let c = b[s]
            if c == 0x0A || c == 0x0D || ((c == 0x20 || c == 0x09) && lineBreakFollows(s, end)) {
                // A folded break: trailing spaces, the break(s), and the next line's indentation.
                var breaks = 0
                while s < end, b[s] == 0x20 || b[s] == 0x09 || b[s] == 0x0A || b[s] == 0x0D {
                    if b[s] == 0x0A || (b[s] == 0x0D && !(s + 1 < end && b[s + 1] == 0x0A)) { breaks += 1 }
                    s += 1
                }
                v += max(1, breaks - 1)
                continue
            }
            if quote == 0x27, c == 0x27, s + 1 < end, b[s + 1] == 0x27 {
                s += 2; v += 1; continue
            }
            if quote == 0x22, c == 0x5C, s + 1 < end, b[s + 1] == 0x0A || b[s + 1] == 0x0D {
                // An escaped line break: it and the next line's indentation add nothing to the value.
                s += b[s + 1] == 0x0D && s + 2 < end && b[s + 2] == 0x0A ? 3 : 2
                while s < end, b[s] == 0x20 || b[s] == 0x09 { s += 1 }
                continue
            }
            if quote == 0x22, c == 0x5C, s + 1 < end {
                let (sourceWidth, valueWidth) = escapeWidths(at: s)
                s += sourceWidth; v += valueWidth; continue
            }
            s += 1; v += 1
        }
        return s
    }

    private func lineBreakFollows(_ at: Int, _ end: Int) -> Bool {
        var i = at
        while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        return i < end && (bytes[i] == 0x0A || bytes[i] == 0x0D)
    }

    /// Source bytes and value bytes of the escape at `at` (a backslash).
    private func escapeWidths(at: Int) -> (Int, Int) {
        let e = bytes[at + 1]
        func hexValue(_ n: Int) -> (Int, Int) {
            let digits = bytes[(at + 2)..<min(bytes.count, at + 2 + n)]
            let scalar = UInt32(String(decoding: digits, as: UTF8.self), radix: 16).flatMap(Unicode.Scalar.init)
            let width = scalar.map { String($0).utf8.count } ?? 1
            return (2 + n, width)
        }
        switch e {
        case 0x78: return hexValue(2)
        case 0x75: return hexValue(4)
        case 0x55: return hexValue(8)
        case 0x4E: return (2, 2)   // \N  → U+0085
        case 0x5F: return (2, 2)   // \_  → U+00A0
        case 0x4C, 0x50: return (2, 3)  // \L, \P → U+2028, U+2029
        default: return (2, 1)
        }
    }

    /// Block scalars: walks the content lines after the header, skipping
    /// each line's indentation; a line break yields one value byte (a space
    /// when folded), and blank lines one `\n` each.
    private func blockOffset(_ target: Int) -> Int {
        let b = bytes
        let folded = style == .folded
        let end = min(scalarRange.end.offset, b.count)
        // The first content line follows the header line (`|`, `>-`, `|2` …).
        var s = scalarRange.start.offset
        while s < end, b[s] != 0x0A, b[s] != 0x0D { s += 1 }
        func skipBreak() {
            if s < end, b[s] == 0x0D { s += 1 }
            if s < end, b[s] == 0x0A { s += 1 }
        }
        skipBreak()
        var indent = 0
        do {
            var i = s
            while true {
                var j = i
                while j < end, b[j] == 0x20 { j += 1 }
                if j < end, b[j] == 0x0A || b[j] == 0x0D {
                    i = j + 1
                    if b[j] == 0x0D, i < end, b[i] == 0x0A { i += 1 }
                    continue
                }
                // The value keeps what the indicator leaves of the first line's spaces.
                indent = j - i - (explicitLeadingSpaces ?? 0)
                break
            }
        }
        func skipIndent() {
            var n = 0
            while s < end, n < indent, b[s] == 0x20 { s += 1; n += 1 }
        }
        skipIndent()
        var v = 0
        while v < target, s < end {
            if b[s] == 0x0A || b[s] == 0x0D {
                skipBreak()
                var blank = 0
                while true {
                    var j = s
                    while j < end, b[j] == 0x20 { j += 1 }
                    guard j < end, b[j] == 0x0A || b[j] == 0x0D else { break }
                    s = j
                    skipBreak()
                    blank += 1
                }
                skipIndent()
                v += folded ? max(1, blank) : 1 + blank
                continue
            }
            s += 1
            v += 1
        }
        return s
    }
}
