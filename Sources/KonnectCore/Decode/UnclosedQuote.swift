import KonnectYAML

/// A quote left open on its line (`name: "Order → Slack`) is closed by the
/// next quote of the same kind, wherever it is: YAML then reads the lines in
/// between as part of the string. When that next quote is at the end of the
/// file, libyaml says so (`Diagnostic.yaml` points at the opening quote).
/// Otherwise the file either still parses — the string swallowed the keys
/// below it, and their absence is reported instead — or it fails lines
/// further down with a message about keys. Both are told here, at the quote
/// that is never closed on its line.
public enum UnclosedQuote {
    /// A parsed file: a quoted value that runs on over lines holding keys at
    /// or left of its own key is reported at its opening quote, and the
    /// `missing-field` errors it caused in the same document are dropped.
    public static func apply(to diagnostics: [Diagnostic], stream: YAMLStream, file: String) -> [Diagnostic] {
        let source = stream.source
        // Only a quoted value over several lines can be one: a file without one has none to walk for.
        guard stream.quotedScalarSpansLines else { return diagnostics }
        var out = diagnostics
        for document in stream.documents {
            guard let root = document.root else { continue }
            var found: [(key: YAMLNode, value: YAMLNode, swallowed: Int, mapping: SourcePosition)] = []
            root.forEachNode(includingKeys: false) { node in
                guard let pairs = node.mapping else { return }
                for pair in pairs {
                    guard let scalar = pair.value.scalar, scalar.style == .doubleQuoted || scalar.style == .singleQuoted,
                          pair.value.range.end.line > pair.value.range.start.line,
                          let line = firstKeyLine(source, after: pair.value.range, column: pair.key.range.start.column) else { continue }
                    found.append((pair.key, pair.value, line, node.range.start))
                }
            }
            for f in found {
                let close = SourcePosition(line: f.value.range.end.line, column: max(1, f.value.range.end.column - 1),
                                           offset: max(0, f.value.range.end.offset - 1))
                // Missing keys of the mapping the string swallowed are this one cause.
                out.removeAll { d in
                    d.file == file && d.code == .missingField
                        && d.range.start.offset >= f.mapping.offset && d.range.start.line <= f.key.range.start.line
                }
                out.append(.unclosedQuote(opening: f.value.range.start, closedAt: close, swallowed: f.swallowed,
                                          quote: source.bytes[f.value.range.start.offset], file: file))
            }
        }
        return out
    }

    /// For a file libyaml rejects past the line of a quote left open: that
    /// quote, the last one before the error in its document, else nil.
    static func openQuote(in source: SourceText, before errorLine: Int) -> SourcePosition? {
        var found: SourcePosition? = nil
        var line = 1
        while line < errorLine, line <= source.lineCount {
            let bytes = Array(lineBytes(source, line))
            if bytes.starts(with: Array("---".utf8)) { found = nil }
            if let column = unclosedValueQuote(bytes[...]) {
                found = SourcePosition(line: line, column: column + 1, offset: source.lineStarts[line - 1] + column)
                // The lines it swallowed are not looked at for quotes of their own.
                let quote = bytes[column]
                line += 1
                while line < errorLine, line <= source.lineCount, !lineBytes(source, line).contains(quote) { line += 1 }
            }
            line += 1
        }
        return found
    }

    private static func lineBytes(_ source: SourceText, _ line: Int) -> ArraySlice<UInt8> {
        let start = source.lineStarts[line - 1]
        var end = line < source.lineCount ? source.lineStarts[line] : source.bytes.count
        while end > start, source.bytes[end - 1] == 0x0A || source.bytes[end - 1] == 0x0D { end -= 1 }
        return source.bytes[start..<end]
    }

    /// The column (from 0) of a quote that opens a value (`key: "…`,
    /// `- "…`) and is not closed on the line, else nil.
    static func unclosedValueQuote(_ line: [UInt8]) -> Int? { unclosedValueQuote(line[...]) }

    /// The same, for a line read in place (most lines hold no quote, and are passed over).
    static func unclosedValueQuote(_ line: ArraySlice<UInt8>) -> Int? {
        guard line.contains(where: { $0 == 0x22 || $0 == 0x27 }) else { return nil }
        let end = line.endIndex
        var i = line.startIndex
        while i < end, line[i] == 0x20 { i += 1 }
        if i + 1 < end, line[i] == UInt8(ascii: "-"), line[i + 1] == 0x20 {
            i += 2
            while i < end, line[i] == 0x20 { i += 1 }
        }
        guard i < end, line[i] != UInt8(ascii: "#") else { return nil }
        // After `key:`, when the line has one.
        if line[i] != 0x22 && line[i] != 0x27 {
            guard let colon = line[i...].firstIndex(where: { $0 == UInt8(ascii: ":") }), colon + 1 < end, line[colon + 1] == 0x20,
                  !line[i..<colon].contains(where: { $0 == 0x22 || $0 == 0x27 }) else { return nil }
            i = colon + 1
            while i < end, line[i] == 0x20 { i += 1 }
        }
        guard i < end, line[i] == 0x22 || line[i] == 0x27 else { return nil }
        let quote = line[i]
        var j = i + 1
        while j < end {
            if quote == 0x22, line[j] == UInt8(ascii: "\\") { j += 2; continue }
            if line[j] == quote {
                if quote == 0x27, j + 1 < end, line[j + 1] == 0x27 { j += 2; continue }
                return nil
            }
            j += 1
        }
        return i - line.startIndex
    }

    /// The first line inside `range` after its first that starts, at a
    /// column at or left of `column`, with `key:` or `- `: a line of the
    /// mapping, not of the string.
    private static func firstKeyLine(_ source: SourceText, after range: SourceRange, column: Int) -> Int? {
        guard range.start.line < range.end.line else { return nil }
        for line in (range.start.line + 1)...range.end.line where line <= source.lineCount {
            let bytes = lineBytes(source, line)
            var i = bytes.startIndex
            while i < bytes.endIndex, bytes[i] == 0x20 { i += 1 }
            guard i - bytes.startIndex + 1 <= column, i < bytes.endIndex else { continue }
            if bytes[i] == UInt8(ascii: "-"), i + 1 < bytes.endIndex, bytes[i + 1] == 0x20 { return line }
            var j = i
            while j < bytes.endIndex, bytes[j] == UInt8(ascii: "_") || bytes[j] == UInt8(ascii: "-")
                    || (bytes[j] >= 0x30 && bytes[j] <= 0x39) || ((bytes[j] | 0x20) >= 0x61 && (bytes[j] | 0x20) <= 0x7A) { j += 1 }
            if j > i, j < bytes.endIndex, bytes[j] == UInt8(ascii: ":"), j + 1 == bytes.endIndex || bytes[j + 1] == 0x20 { return line }
        }
        return nil
    }
}
