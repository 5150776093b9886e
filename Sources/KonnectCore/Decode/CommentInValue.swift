import KonnectYAML

/// `comment-in-value` (SPEC §6): a `#` directly followed by a letter or a
/// digit, after a space on the line of a key whose value is plain or empty,
/// is a comment in YAML — and almost always a value cut short:
/// `channel: #sales` is null, `name: Sales + #ops` is `Sales +`.
/// `key: value  # note` (a space after the `#`) is a comment as meant.
///
/// A pass of its own over a file's parsed documents and its text, for every
/// kind of document. When another diagnostic sits on the value the comment
/// emptied (`channel` expects a string, found null), the comment is what
/// explains it: that diagnostic points at the comment too, says so in its
/// message (every format shows it) and has the quoted value as its hint;
/// an error stays an error — a null where a value is needed still fails.
public enum CommentInValue {
    /// `diagnostics` of `file` with the comment-in-value findings of `stream` added or merged in.
    public static func apply(to diagnostics: [Diagnostic], stream: YAMLStream, file: String) -> [Diagnostic] {
        let found = findings(in: stream)
        guard !found.isEmpty else { return diagnostics }
        var out = diagnostics
        for f in found {
            let onValue = f.isEmpty ? out.indices.filter { out[$0].file == file && out[$0].range.start == f.value.start } : []
            out.append(.commentInValue(key: f.key, comment: f.comment, isEmpty: f.isEmpty, quoted: f.quoted, file: file, at: f.range))
            for i in onValue {
                out[i] = .explainedByComment(out[i], key: f.key, comment: f.comment, quoted: f.quoted, at: f.range)
            }
        }
        return out
    }

    /// One value cut short by a comment.
    struct Finding {
        /// The key, as written.
        var key: String
        /// The comment's text, from `#` to its end.
        var comment: String
        /// Whether the value is empty (the whole value is the comment).
        var isEmpty: Bool
        /// The value meant, as a double-quoted YAML scalar.
        var quoted: String
        /// Where the comment is.
        var range: SourceRange
        /// Where the value node is.
        var value: SourceRange
    }

    static func findings(in stream: YAMLStream) -> [Finding] {
        let source = stream.source
        let bytes = source.bytes
        // Such a comment is a blank, `#`, then a letter or digit: a file without one has no tree to walk.
        guard source.containsOffset(of: UInt8(ascii: "#"), where: { i in
            i > 0 && (bytes[i - 1] == 0x20 || bytes[i - 1] == 0x09) && i + 1 < bytes.count && startsWithLetterOrDigit(bytes, i + 1)
        }) else { return [] }
        var out: [Finding] = []
        for document in stream.documents {
            guard let root = document.root else { continue }
            root.forEachNode(includingKeys: false) { node in
                guard let pairs = node.mapping else { return }
                for pair in pairs {
                    guard let key = pair.key.scalar, let value = pair.value.scalar, value.style == .plain else { continue }
                    let keyLine = pair.key.range.start.line
                    let empty = value.text.isEmpty && value.isNull
                    // Where the comment may start: after the value, or after the key's `:` when the value is empty.
                    var at: Int
                    if empty {
                        guard pair.key.range.end.line == keyLine else { continue }
                        at = skipBlanks(bytes, pair.key.range.end.offset)
                        guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { continue }
                        at += 1
                    } else {
                        guard pair.value.range.start.line == keyLine, pair.value.range.end.line == keyLine else { continue }
                        at = pair.value.range.end.offset
                    }
                    let hash = skipBlanks(bytes, at)
                    guard hash > at, hash + 1 < bytes.count, bytes[hash] == UInt8(ascii: "#"),
                          startsWithLetterOrDigit(bytes, hash + 1) else { continue }
                    var end = hash
                    while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
                    while end > hash, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
                    let comment = String(decoding: bytes[hash..<end], as: UTF8.self)
                    let meant = empty ? comment : String(decoding: bytes[pair.value.range.start.offset..<end], as: UTF8.self)
                    out.append(Finding(key: key.text, comment: comment, isEmpty: empty, quoted: quoted(meant),
                                       range: SourceRange(start: source.position(atOffset: hash), end: source.position(atOffset: end)),
                                       value: pair.value.range))
                }
            }
        }
        return out
    }

    /// For a file libyaml rejects inside a flow collection (`with: {channel:
    /// #sales, text: hi}`): the first `#` after a blank, before a letter or
    /// digit, on a line where a `{` or `[` is still open — a comment that cut
    /// the collection short — with the value meant, quoted; else nil.
    static func inFlowCollection(of source: SourceText, before errorLine: Int) -> (text: String, quoted: String, range: SourceRange)? {
        let bytes = source.bytes
        var depth = 0
        var line = 1
        while line <= min(errorLine, source.lineCount) {
            let start = source.lineStarts[line - 1]
            let end = line < source.lineCount ? source.lineStarts[line] : bytes.count
            var i = start
            var quote: UInt8? = nil
            scan: while i < end {
                let b = bytes[i]
                if let q = quote {
                    if b == q { quote = nil }
                } else {
                    switch b {
                    case 0x22, 0x27: quote = b
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"): depth = max(0, depth - 1)
                    case UInt8(ascii: "#") where i == start || bytes[i - 1] == 0x20 || bytes[i - 1] == 0x09:
                        guard depth > 0, i + 1 < end, startsWithLetterOrDigit(bytes, i + 1) else { break scan }
                        var stop = i
                        while stop < end, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x0A, 0x0D].contains(bytes[stop]) { stop += 1 }
                        while stop > i, bytes[stop - 1] == 0x20 || bytes[stop - 1] == 0x09 { stop -= 1 }
                        let text = String(decoding: bytes[i..<stop], as: UTF8.self)
                        return (text, quoted(text), SourceRange(start: source.position(atOffset: i), end: source.position(atOffset: stop)))
                    default: break
                    }
                }
                i += 1
            }
            line += 1
        }
        return nil
    }

    private static func skipBlanks(_ bytes: [UInt8], _ from: Int) -> Int {
        var i = max(0, from)
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        return i
    }

    private static func startsWithLetterOrDigit(_ bytes: [UInt8], _ at: Int) -> Bool {
        var end = at + 1
        while end < bytes.count, end - at < 4, bytes[end] & 0xC0 == 0x80 { end += 1 }
        guard let scalar = String(decoding: bytes[at..<min(end, bytes.count)], as: UTF8.self).unicodeScalars.first else { return false }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// `text` as a double-quoted YAML scalar.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
