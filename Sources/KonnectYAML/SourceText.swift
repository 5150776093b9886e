#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of one file plus a line index, so that byte offsets and
/// (line, column) pairs convert both ways without rescanning the file.
///
/// Line breaks follow libyaml: LF, CR, CR LF, NEL, LS and PS, so that our
/// line numbers agree with the marks libyaml reports.
///
/// Immutable and shared by reference: every checker and every template's
/// locator holds the file's source, so a copy is one retain, not three.
public final class SourceText: Sendable {
    public let bytes: [UInt8]
    /// Byte offset of the first byte of each line.
    public let lineStarts: [Int]
    /// Whether each line is pure ASCII (column == byte distance).
    private let asciiLines: [Bool]
    /// Offset of the first byte that is not valid UTF-8, if any.
    public let firstInvalidUTF8Offset: Int?
    /// 3 when the file starts with a UTF-8 byte order mark, which no column counts.
    public let bomLength: Int

    /// No bytes: for placeholders, shared rather than indexed anew each time.
    public static let empty = SourceText(bytes: [])

    public convenience init(bytes: [UInt8]) {
        self.init(bytes: bytes, redactions: [], redactedTexts: [])
    }

    private init(bytes: [UInt8], redactions: [SourceRange], redactedTexts: [String]) {
        self.bytes = bytes
        (lineStarts, asciiLines, firstInvalidUTF8Offset) = bytes.withUnsafeBufferPointer(SourceText.index)
        self.bomLength = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        self.redactions = redactions
        self.redactedTexts = redactedTexts
    }

    /// One pass over the bytes: line starts, pure-ASCII lines, first invalid
    /// UTF-8 byte. A function of its own so the loop's state lives in
    /// registers rather than in variables captured by a closure.
    private static func index(_ b: UnsafeBufferPointer<UInt8>) -> (starts: [Int], ascii: [Bool], invalid: Int?) {
        // Sized for lines of about 24 bytes, so a typical file never regrows them.
        var starts = [0]
        starts.reserveCapacity(b.count / 24 + 2)
        var ascii: [Bool] = []
        ascii.reserveCapacity(b.count / 24 + 2)
        var lineIsASCII = true
        var atLineStart = true
        var invalid: Int? = nil
        let n = b.count
        var i = 0
        while i < n {
            if atLineStart {
                // Most lines are plain ASCII up to their LF: found by `memchr`,
                // checked eight bytes at a time.
                atLineStart = false
                let end = lineFeed(b, from: i)
                if isPlainASCII(b, i, end) {
                    guard end < n else { break }
                    ascii.append(true)
                    starts.append(end + 1)
                    i = end + 1
                    atLineStart = true
                    continue
                }
            }
            // Most bytes are ASCII other than CR, LF and other controls below
            // 0x0E (one wrapping comparison): skip runs of them in a tight loop.
            while i < n && b[i] &- 0x0E < 0x72 { i += 1 }
            guard i < n else { break }
            let c = b[i]
            if c < 0x80 {
                if c == 0x0A {
                    ascii.append(lineIsASCII); lineIsASCII = true
                    starts.append(i + 1)
                    atLineStart = true
                } else if c == 0x0D {
                    let next = i + 1 < n && b[i + 1] == 0x0A ? i + 2 : i + 1
                    ascii.append(lineIsASCII); lineIsASCII = true
                    starts.append(next)
                    i = next
                    atLineStart = true
                    continue
                }
                i += 1
                continue
            }
            lineIsASCII = false
            let width = SourceText.sequenceWidth(b, at: i, count: n)
            if width == 0 {
                if invalid == nil { invalid = i }
                i += 1
                continue
            }
            // NEL (C2 85), LS (E2 80 A8) and PS (E2 80 A9) break lines in YAML 1.1/libyaml.
            if (width == 2 && c == 0xC2 && b[i + 1] == 0x85)
                || (width == 3 && c == 0xE2 && b[i + 1] == 0x80 && (b[i + 2] == 0xA8 || b[i + 2] == 0xA9)) {
                ascii.append(false); lineIsASCII = true
                starts.append(i + width)
                atLineStart = true
            }
            i += width
        }
        ascii.append(lineIsASCII)
        return (starts, ascii, invalid)
    }

    /// Whether some offset of `byte` in the file satisfies `test` (offsets
    /// in order; found by `memchr`, so a file without the byte costs one scan).
    public func containsOffset(of byte: UInt8, where test: (Int) -> Bool) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return false }
            var i = 0
            while i < b.count, let found = memchr(base + i, Int32(byte), b.count - i) {
                let offset = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                if test(offset) { return true }
                i = offset + 1
            }
            return false
        }
    }

    /// The offset of the first LF at or after `i`, or the end.
    private static func lineFeed(_ b: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        guard let base = b.baseAddress, i < b.count, let found = memchr(base + i, 0x0A, b.count - i) else { return b.count }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    /// Whether `b[i..<end]` has no byte above 0x7F and no CR (so that the
    /// line ends at the LF), eight bytes at a time.
    private static func isPlainASCII(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard let base = b.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let high: UInt64 = 0x8080_8080_8080_8080, ones: UInt64 = 0x0101_0101_0101_0101
        var i = start
        while i + 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let cr = w ^ (0x0D &* ones)
            // A byte with its high bit set, or a zero byte in `cr` (a CR).
            if (w | ((cr &- ones) & ~cr)) & high != 0 { return false }
            i += 8
        }
        while i < end {
            if b[i] >= 0x80 || b[i] == 0x0D { return false }
            i += 1
        }
        return true
    }

    /// Width of the well-formed UTF-8 sequence at `i`, or 0 when it is malformed
    /// (overlong forms, surrogates and code points above U+10FFFF included).
    private static func sequenceWidth(_ b: UnsafeBufferPointer<UInt8>, at i: Int, count n: Int) -> Int {
        let c = b[i]
        func cont(_ k: Int) -> Bool { i + k < n && b[i + k] & 0xC0 == 0x80 }
        switch c {
        case 0xC2...0xDF:
            return cont(1) ? 2 : 0
        case 0xE0:
            return cont(1) && b[i + 1] >= 0xA0 && cont(2) ? 3 : 0
        case 0xED:
            return cont(1) && b[i + 1] < 0xA0 && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF:
            return cont(1) && cont(2) ? 3 : 0
        case 0xF0:
            return cont(1) && b[i + 1] >= 0x90 && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3:
            return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4:
            return cont(1) && b[i + 1] < 0x90 && cont(2) && cont(3) ? 4 : 0
        default:
            return 0
        }
    }

    public var lineCount: Int { lineStarts.count }

    /// The position of a 0-based line and a 0-based column in Unicode scalars,
    /// as libyaml's marks give them.
    /// The parser converts two marks per event, so the common case (an ASCII
    /// line) is inlined and the rest is a call. (A first line with a byte
    /// order mark is never ASCII, so no mark is skipped here.)
    @inline(__always)
    public func position(line0: Int, column0: Int) -> SourcePosition {
        if line0 >= 0, line0 < lineStarts.count, asciiLines[line0] {
            return SourcePosition(line: line0 + 1, column: column0 + 1, offset: min(lineStarts[line0] + column0, bytes.count))
        }
        return position(slowLine0: line0, column0: column0)
    }

    private func position(slowLine0 line0: Int, column0: Int) -> SourcePosition {
        guard line0 >= 0, line0 < lineStarts.count else {
            return position(atOffset: bytes.count)
        }
        let start = lineStarts[line0] + (line0 == 0 ? bomLength : 0)
        if asciiLines[line0] {
            return SourcePosition(line: line0 + 1, column: column0 + 1, offset: min(start + column0, bytes.count))
        }
        var offset = start
        var remaining = column0
        while remaining > 0, offset < bytes.count {
            offset += 1
            while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            remaining -= 1
        }
        return SourcePosition(line: line0 + 1, column: column0 + 1, offset: offset)
    }

    /// The position of a byte offset (clamped to the file).
    public func position(atOffset rawOffset: Int) -> SourcePosition {
        let offset = max(0, min(rawOffset, bytes.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        let start = lineStarts[lo] + (lo == 0 ? min(bomLength, offset) : 0)
        var column = 1
        if asciiLines[lo] {
            column += offset - start
        } else {
            var i = start
            while i < offset {
                if bytes[i] & 0xC0 != 0x80 { column += 1 }
                i += 1
            }
        }
        return SourcePosition(line: lo + 1, column: column, offset: offset)
    }

    /// The text of a 1-based line, without its line break.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1] + (line == 1 ? bomLength : 0)
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        if end - start >= 2, end > start {
            // Drop a trailing NEL / LS / PS break.
            if bytes[end - 1] == 0x85 && bytes[end - 2] == 0xC2 { end -= 2 }
            else if end - start >= 3, bytes[end - 3] == 0xE2, bytes[end - 2] == 0x80,
                    bytes[end - 1] == 0xA8 || bytes[end - 1] == 0xA9 { end -= 3 }
        }
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        guard !redactions.isEmpty else { return text }
        let masked = redactedColumns(ofLine: line)
        guard !masked.isEmpty else { return text }
        var out = String.UnicodeScalarView()
        for (i, scalar) in text.unicodeScalars.enumerated() {
            out.append(masked.contains { $0.contains(i + 1) } ? "*" : scalar)
        }
        return String(out)
    }

    /// The places this copy masks (a literal credential's), and the texts
    /// masked wherever they appear; empty for a file as read. The bytes stay
    /// as read (digests of the file do not change); `lineText` shows each
    /// masked character as `*`, and views show each masked run as a fixed
    /// placeholder.
    public let redactions: [SourceRange]
    public let redactedTexts: [String]

    /// A copy whose `lineText` masks the characters in `ranges`, so that a
    /// credential written in a file never reaches any output; lines and
    /// columns stay where they were. The copy remembers the ranges and
    /// `texts` (what the caller masks by value, in messages too).
    public func redacting(_ ranges: [SourceRange], texts: [String] = []) -> SourceText {
        guard !ranges.isEmpty || !texts.isEmpty else { return self }
        return SourceText(bytes: bytes, redactions: redactions + ranges, redactedTexts: redactedTexts + texts)
    }

    /// The columns `[from, to)` of a 1-based line that `redactions` cover, merged.
    public func redactedColumns(ofLine line: Int) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        for r in redactions where r.start.line <= line && line <= r.end.line {
            let from = r.start.line == line ? r.start.column : 1
            let to = r.end.line == line ? r.end.column : Int.max
            if from < to { runs.append(from..<to) }
        }
        runs.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for r in runs {
            if let last = merged.last, r.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        return merged
    }
}
