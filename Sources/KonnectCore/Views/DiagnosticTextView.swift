import KonnectYAML

/// Renders diagnostics as rustc-style snippets (SPEC §6 text format).
public struct DiagnosticTextView {
    public var color: Bool
    /// Source text by the diagnostics' paths, for the snippet lines.
    public let sources: [String: SourceText]

    /// Diagnostics come masked from where they were made, and sources with
    /// their secrets starred (`ProjectValidator`): the view shows what it is given.
    public init(color: Bool, sources: [String: SourceText]) {
        self.color = color
        self.sources = sources
    }

    public func render(_ diagnostics: [Diagnostic], summary: DiagnosticSummary) -> String {
        var out = ""
        // Diagnostics come sorted by line: one line's scalars serve all of its diagnostics.
        var cache: SnippetLine? = nil
        for d in diagnostics {
            out += render(d, line: &cache)
            out += "\n"
        }
        out += summary.line + "\n"
        return out
    }

    /// A source line as scalars, with its masked columns.
    struct SnippetLine {
        var file: String
        var line: Int
        var scalars: [Unicode.Scalar]
        var masked: [Range<Int>]
    }

    public func render(_ raw: Diagnostic) -> String {
        var cache: SnippetLine? = nil
        return render(raw, line: &cache)
    }

    func render(_ raw: Diagnostic, line cache: inout SnippetLine?) -> String {
        // Escaped: messages quote user text, which must not move the cursor.
        var d = raw
        d.message = TerminalText.escaped(d.message)
        d.hint = d.hint.map(TerminalText.escaped)
        let file = TerminalText.escaped(d.file)
        let line = d.range.start.line
        let width = String(line).count
        let pad = String(repeating: " ", count: width)
        let tone = d.severity == .error ? "31" : "33"
        var out = paint("\(d.severity.rawValue)[\(d.code.rawValue)]", "1;\(tone)") + paint(": \(d.message)", "1") + "\n"
        out += pad + paint("--> ", "1;34") + "\(file):\(line):\(d.range.start.column)\n"
        let source = sources[d.file]
        if let source {
            if cache?.file != raw.file || cache?.line != line {
                cache = SnippetLine(file: raw.file, line: line, scalars: Array(source.lineText(line).unicodeScalars),
                                    masked: source.redactedColumns(ofLine: line).sorted { $0.lowerBound < $1.lowerBound })
            }
            let (shown, caretStart, caretWidth) = layout(cache!.scalars, d.range, masked: cache!.masked)
            out += pad + " " + paint("|", "1;34") + "\n"
            out += paint("\(line) |", "1;34") + (shown.isEmpty ? "" : " " + shown) + "\n"
            var carets = String(repeating: " ", count: caretStart) + String(repeating: "^", count: caretWidth)
            if let hint = d.hint { carets += " " + hint }
            out += pad + " " + paint("|", "1;34") + " " + paint(carets, "1;\(tone)") + "\n"
        } else if let hint = d.hint {
            out += pad + " " + paint("=", "1;34") + " hint: \(hint)\n"
        }
        for note in d.notes {
            var where_ = ""
            if let file = note.file, let r = note.range { where_ = " (\(TerminalText.escaped(file)):\(r.start.line):\(r.start.column))" }
            out += pad + " " + paint("=", "1;34") + " note: \(TerminalText.escaped(note.message))\(where_)\n"
        }
        return out
    }

    /// The line made safe to print (tabs expanded, control bytes replaced,
    /// each masked run shown as `****` whatever its width, long lines cut to
    /// a window), and where the underline starts and how wide it is. Only
    /// the part of the line near the underline is laid out, so a file of
    /// many diagnostics on one long line costs their number, not its product
    /// with the line's length.
    private func layout(_ scalars: [Unicode.Scalar], _ range: SourceRange, masked runs: [Range<Int>] = []) -> (String, Int, Int) {
        let window = 120
        // Columns before `first` are never shown: the window ends at the line's end or 100 past the underline.
        let first = max(1, range.start.column - window - 2)
        let last = max(range.start.column, first) + 4 * window
        // Masked runs that end before the window are passed over without a walk.
        var run = runs.firstIndex { $0.upperBound > first } ?? runs.count
        var shown: [Unicode.Scalar] = first > 1 ? ["…"] : []
        let cutBefore = first > 1
        var caretStart = -1
        var caretEnd = -1
        // Only the window is walked: its first column is an index into the line.
        var column = min(first, scalars.count + 1)
        let lastColumn = range.end.line == range.start.line ? range.end.column : Int.max
        var maskStart = 0
        var cutAfter = false
        for ch in scalars[(column - 1)...] {
            defer { column += 1 }
            if column > last { cutAfter = true; break }
            while run < runs.count && runs[run].upperBound <= column { run += 1 }
            if run < runs.count && runs[run].contains(column) {
                if column == runs[run].lowerBound || column == first {
                    if column == range.start.column { caretStart = shown.count }
                    if column == lastColumn { caretEnd = shown.count }
                    maskStart = shown.count
                    shown += SecretMask.placeholder.unicodeScalars
                } else {
                    // Inside the run: an underline starting or ending here covers the placeholder.
                    if column == range.start.column { caretStart = maskStart }
                    if column == lastColumn { caretEnd = shown.count }
                }
                continue
            }
            if column == range.start.column { caretStart = shown.count }
            if column == lastColumn { caretEnd = shown.count }
            if ch == "\t" {
                shown += ["    "].flatMap(\.unicodeScalars)
            } else if ch.value < 0x20 || (ch.value >= 0x7F && ch.value < 0xA0) {
                shown.append("\u{FFFD}")  // never write control bytes to a terminal
            } else {
                shown.append(ch)
            }
        }
        if caretStart < 0 { caretStart = shown.count + max(0, range.start.column - column) }
        if caretEnd < 0 { caretEnd = shown.count }
        var width = max(1, caretEnd - caretStart)
        if shown.count > window || cutAfter {
            // The `…` that marks an earlier cut is kept as the window's first character.
            let lowest = cutBefore ? 1 : 0
            let from = max(lowest, min(caretStart - 20, shown.count - window))
            let to = min(shown.count, from + window)
            var cut = String(String.UnicodeScalarView(shown[from..<to]))
            var shift = from
            if from > 0 { cut = "…" + cut; shift -= 1 }
            if to < shown.count || cutAfter { cut += "…" }
            caretStart -= shift
            width = min(width, max(1, window - caretStart + 1))
            return (cut, caretStart, width)
        }
        return (String(String.UnicodeScalarView(shown)), caretStart, width)
    }

    private func paint(_ s: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}
