/// One line of a field diff as text: a mark (`+`, `-`, `~`, or a space for
/// context) and spans, some marked as removed or added words. Views lay
/// the lines out (indented, coloured, in a `diff` block); every span is
/// already safe for a terminal.
public struct DiffLine: Sendable, Equatable {
    public enum Mark: String, Sendable {
        case added = "+", removed = "-", changed = "~", context = " "
    }

    public enum Style: Sendable {
        case plain, removed, added
    }

    public struct Span: Sendable, Equatable {
        public var text: String
        public var style: Style
    }

    public var mark: Mark
    public var spans: [Span]
    /// A line of a multi-line string's diff, shown under its field's line.
    public var nested: Bool

    public var text: String { spans.map(\.text).joined() }
}

/// How a field diff reads (SPEC §8): `~ path: old -> new`, values of
/// sensitive fields as `(sensitive)`. A string of more than `longString`
/// characters, or with a line break, that changes is shown as a diff of
/// itself: a multi-line one line by line under its field's line (changed
/// lines marked `-`/`+`, two unchanged lines around each change, `…` for
/// the rest), a long one as one line with the changed words marked
/// `[-removed-]{+added+}` and long unchanged stretches shortened to `…`.
public enum FieldDiffText {
    public static let longString = 80
    /// The characters kept on each side of a change in a long unchanged stretch.
    static let keep = 40
    /// The unchanged lines kept around a changed line.
    static let contextLines = 2

    public static func lines(_ d: FieldDiff) -> [DiffLine] {
        let mark: DiffLine.Mark = d.before == nil ? .added : d.after == nil ? .removed : .changed
        let head = TerminalText.escaped(d.path) + ":"
        func plain(_ s: String) -> DiffLine.Span { .init(text: s, style: .plain) }
        func value(_ v: JSONValue) -> String { d.sensitive ? "(sensitive)" : v.serializedForTerminal() }
        switch (d.before, d.after) {
        case (.string(let old)?, .string(let new)?) where !d.sensitive:
            let multiLine = old.contains(where: \.isNewline) || new.contains(where: \.isNewline)
            if multiLine, let nested = lineDiff(old, new) {
                return [DiffLine(mark: mark, spans: [plain(head)], nested: false)] + nested
            }
            if isLong(old) || isLong(new), let words = wordDiff(old, new) {
                return [DiffLine(mark: mark, spans: [plain(head + " ")] + words, nested: false)]
            }
        default:
            break
        }
        let text: String
        switch (d.before, d.after) {
        case (nil, let a?): text = value(a)
        case (let b?, nil): text = value(b)
        case (let b?, let a?): text = value(b) + " -> " + value(a)
        case (nil, nil): text = ""
        }
        return [DiffLine(mark: mark, spans: [plain(head + " " + text)], nested: false)]
    }

    static func isLong(_ s: String) -> Bool {
        s.utf8.count > longString && s.count > longString
    }

    /// A string's text inside its quotes, escaped as JSON and for a terminal.
    static func quotedContent(_ s: Substring) -> String {
        String(JSONValue.string(String(s)).serializedForTerminal().dropFirst().dropLast())
    }

    /// Text compared as Unicode scalars (SPEC §5.3), as the differ compares
    /// values: `e` + U+0301 is not `é`.
    struct Scalars: Equatable {
        var text: Substring
        static func == (a: Scalars, b: Scalars) -> Bool { a.text.unicodeScalars.elementsEqual(b.text.unicodeScalars) }
    }

    // MARK: lines

    /// The lines of each string (each with its line break, so that a change
    /// of line ends shows), aligned.
    static func lineDiff(_ old: String, _ new: String) -> [DiffLine]? {
        let a = splitLines(old), b = splitLines(new)
        guard let operations = SequenceDiff.align(a.map(Scalars.init), b.map(Scalars.init)),
              operations.contains(where: { if case .equal = $0 { false } else { true } }) else { return nil }
        // The distance of each operation to the nearest change decides which unchanged lines show.
        var near = [Int](repeating: Int.max, count: operations.count)
        var last = Int.min / 2
        for (k, op) in operations.enumerated() {
            if case .equal = op {} else { last = k }
            near[k] = k - last
        }
        last = Int.max / 2
        for (k, op) in operations.enumerated().reversed() {
            if case .equal = op {} else { last = k }
            near[k] = min(near[k], last - k)
        }
        var out: [DiffLine] = []
        func line(_ mark: DiffLine.Mark, _ text: Substring) {
            out.append(DiffLine(mark: mark, spans: [.init(text: "\"" + quotedContent(text) + "\"", style: .plain)], nested: true))
        }
        for (k, op) in operations.enumerated() {
            switch op {
            case .equal(let i, _):
                if near[k] <= contextLines {
                    line(.context, a[i])
                } else if out.last?.text != "…" {
                    out.append(DiffLine(mark: .context, spans: [.init(text: "…", style: .plain)], nested: true))
                }
            case .delete(let i): line(.removed, a[i])
            case .insert(let j): line(.added, b[j])
            }
        }
        return out
    }

    static func splitLines(_ s: String) -> [Substring] {
        var out: [Substring] = []
        var start = s.startIndex
        for i in s.indices where s[i].isNewline {
            let end = s.index(after: i)
            out.append(s[start..<end])
            start = end
        }
        if start < s.endIndex { out.append(s[start...]) }
        return out
    }

    // MARK: words

    /// Words and the spaces between them; the spaces are tokens of their
    /// own, so that a changed word leaves its neighbours unmarked.
    static func words(_ s: String) -> [Substring] {
        var out: [Substring] = []
        var start = s.startIndex
        var space: Bool?
        for i in s.indices {
            let isSpace = s[i].isWhitespace
            if let space, space != isSpace {
                out.append(s[start..<i])
                start = i
            }
            space = isSpace
        }
        if start < s.endIndex { out.append(s[start...]) }
        return out
    }

    private enum Segment {
        case same(String)
        case changed(old: String, new: String)
    }

    static func wordDiff(_ old: String, _ new: String) -> [DiffLine.Span]? {
        let a = words(old), b = words(new)
        guard let operations = SequenceDiff.align(a.map(Scalars.init), b.map(Scalars.init)),
              operations.contains(where: { if case .equal = $0 { false } else { true } }) else { return nil }
        var segments: [Segment] = []
        for op in operations {
            switch (op, segments.last) {
            case (.equal(let i, _), .same(let text)?): segments[segments.count - 1] = .same(text + a[i])
            case (.equal(let i, _), _): segments.append(.same(String(a[i])))
            case (.delete(let i), .changed(let o, let n)?): segments[segments.count - 1] = .changed(old: o + a[i], new: n)
            case (.delete(let i), _): segments.append(.changed(old: String(a[i]), new: ""))
            case (.insert(let j), .changed(let o, let n)?): segments[segments.count - 1] = .changed(old: o, new: n + b[j])
            case (.insert(let j), _): segments.append(.changed(old: "", new: String(b[j])))
            }
        }
        // Two changes apart by spaces alone read as one.
        var merged: [Segment] = []
        for segment in segments {
            if case .changed(let o2, let n2) = segment, merged.count >= 2,
               case .same(let gap) = merged[merged.count - 1], gap.allSatisfy(\.isWhitespace),
               case .changed(let o1, let n1) = merged[merged.count - 2] {
                merged.removeLast(2)
                merged.append(.changed(old: o1 + gap + o2, new: n1 + gap + n2))
            } else {
                merged.append(segment)
            }
        }
        var spans: [DiffLine.Span] = [.init(text: "\"", style: .plain)]
        for (k, segment) in merged.enumerated() {
            switch segment {
            case .same(let text):
                spans.append(.init(text: shortened(text, first: k == 0, last: k == merged.count - 1), style: .plain))
            case .changed(let o, let n):
                if !o.isEmpty { spans.append(.init(text: "[-" + quotedContent(Substring(o)) + "-]", style: .removed)) }
                if !n.isEmpty { spans.append(.init(text: "{+" + quotedContent(Substring(n)) + "+}", style: .added)) }
            }
        }
        spans.append(.init(text: "\"", style: .plain))
        return spans
    }

    /// An unchanged stretch, escaped, with only `keep` characters kept next
    /// to each change (cut at a space when there is one).
    static func shortened(_ text: String, first: Bool, last: Bool) -> String {
        let chars = Array(text)
        let limit = (first || last) ? keep : 2 * keep
        guard chars.count > limit + 1 else { return quotedContent(Substring(text)) }
        var head = "", tail = ""
        if !first {
            var cut = keep
            if let space = chars[keep / 2..<keep].lastIndex(where: \.isWhitespace) { cut = space + 1 }
            head = quotedContent(Substring(String(chars[..<cut])))
        }
        if !last {
            var cut = chars.count - keep
            if let space = chars[cut..<(cut + keep / 2)].firstIndex(where: \.isWhitespace) { cut = space }
            tail = quotedContent(Substring(String(chars[cut...])))
        }
        return head + "…" + tail
    }
}
