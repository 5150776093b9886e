/// The plan as a pull-request comment (SPEC §12): the summary first, a table
/// of the changes, then one collapsible `<details>` per changed object with
/// its field diff. Every string that comes from a file or the library is
/// escaped, so no konnector name can break the table, the HTML or the code
/// blocks, or mention people. The same plan always gives the same bytes, and
/// never more than `limit` of them: past it, the largest details are left
/// out first, then table rows from the end, and a last line says so.
public struct PlanMarkdownView: Sendable {
    /// GitHub refuses comments over 65,535 characters; bytes are counted,
    /// which is never fewer than characters.
    public static let defaultLimit = 60_000
    public var limit: Int
    /// The time a schedule's next runs follow (nil: the current time).
    public var now: Double?

    public init(limit: Int = PlanMarkdownView.defaultLimit, now: Double? = nil) {
        self.limit = limit
        self.now = now
    }

    public func render(_ plan: Plan) -> String {
        guard !plan.isEmpty else {
            return "### No changes. The library matches the configuration.\n\n" + context(plan) + "\n"
        }
        let s = plan.summary
        let head = "### " + PlanTextView(color: false).summaryLine(s) + "\n\n" + context(plan) + "\n"
            + (s.delete > 0 ? "\n> [!WARNING]\n> \(s.delete) \(s.delete == 1 ? "object" : "objects") will be **deleted** from the library.\n" : "")
        let rows = plan.changes.map(row)
        let details = plan.changes.map(detail)

        // What is left out, to stay within the limit: details (largest first), then rows (last first).
        var showDetail = [Bool](repeating: true, count: details.count)
        var showRow = [Bool](repeating: true, count: rows.count)
        func assemble() -> String {
            var out = head + "\n| | kind | id | change |\n|---|---|---|---|\n"
            for (i, r) in rows.enumerated() where showRow[i] { out += r }
            let hiddenRows = showRow.filter { !$0 }.count
            if hiddenRows > 0 { out += "| | | … | \(hiddenRows) more \(hiddenRows == 1 ? "change" : "changes") |\n" }
            for (i, d) in details.enumerated() where showDetail[i] && showRow[i] { out += "\n" + d }
            let notShown = zip(showDetail, showRow).filter { !($0 && $1) }.count
            if notShown > 0 {
                out += "\n\(notShown) of \(rows.count) \(rows.count == 1 ? "change is" : "changes are") not shown in full "
                    + "(the comment's size limit); `konnect plan --format json` has them all.\n"
            }
            return out
        }
        var out = assemble()
        let bySize = details.indices.sorted { (details[$0].utf8.count, $1) > (details[$1].utf8.count, $0) }
        var nextDetail = 0, lastRow = rows.count - 1
        while out.utf8.count > limit && lastRow >= 0 {
            // Leave out at once as much as the excess, so that a few passes find the cut.
            var excess = out.utf8.count - limit
            while excess > 0 && nextDetail < bySize.count {
                let i = bySize[nextDetail]
                if showRow[i] { showDetail[i] = false; excess -= details[i].utf8.count + 1 }
                nextDetail += 1
            }
            while excess > 0 && lastRow >= 0 && nextDetail == bySize.count {
                showRow[lastRow] = false
                excess -= rows[lastRow].utf8.count
                lastRow -= 1
            }
            out = assemble()
        }
        return out
    }

    private func context(_ plan: Plan) -> String {
        "Project **\(Self.inline(plan.project))**, library serial \(plan.serial), \(plan.unchanged) unchanged."
    }

    private func row(_ c: PlanChange) -> String {
        "| `\(symbol(c))` | \(c.kind.rawValue) | \(Self.code(c.id)) | \(what(c)) |\n"
    }

    private func symbol(_ c: PlanChange) -> String {
        c.action == .rename ? "->" : c.action.rawValue
    }

    private func what(_ c: PlanChange) -> String {
        var words: [String]
        switch c.action {
        case .create: words = ["create"]
        case .update: words = ["update"]
        case .rename: words = ["rename from " + Self.code(c.renamedFrom ?? "?")]
        case .delete: words = ["**delete**"]
        }
        if c.activate { words.append("activate") }
        if c.deactivate { words.append("deactivate") }
        if c.action != .delete, !c.diff.isEmpty {
            words.append("\(c.diff.count) \(c.diff.count == 1 ? "field" : "fields")")
        }
        return words.joined(separator: ", ")
    }

    private func detail(_ c: PlanChange) -> String {
        var lines: [String] = []
        for d in c.diff {
            // diff highlighting colours lines by their first character: `~` reads as a change,
            // and a string's own lines keep their `-`/`+` first.
            for l in FieldDiffText.lines(d) {
                lines.append(TerminalText.escaped(l.nested ? l.mark.rawValue + "   " + l.text : l.mark.rawValue + " " + l.text))
            }
        }
        if lines.isEmpty { lines.append(c.action == .delete ? "- (the whole object)" : "(no field changes)") }
        let body = lines.joined(separator: "\n")
        let fence = String(repeating: "`", count: max(3, Self.longestBacktickRun(in: body) + 1))
        return "<details><summary><code>\(symbol(c)) \(c.kind.rawValue) \(Self.html(c.id))</code> (\(what(c).replacingOccurrences(of: "**", with: "")))"
            + "</summary>\n\n\(fence)diff\n\(body)\n\(fence)\n"
            + (Schedule.planNote(for: c, now: now).map { "\n" + Self.html($0) + "\n" } ?? "")
            + "\n</details>\n"
    }

    // MARK: escaping

    /// Text inside a line of markdown (never at its start): every character
    /// that markdown, GitHub (mentions, issue links, math) or HTML gives a
    /// meaning there is written as an entity.
    static func inline(_ s: String) -> String {
        var out = ""
        for scalar in TerminalText.escaped(s).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "|", "`", "*", "_", "[", "]", "\\", "~", "@", "#", "$":
                out += "&#\(scalar.value);"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// An id or name shown as code in a table cell: HTML's `<code>`, whose
    /// content is escaped like any text (a markdown code span cannot hold `|`).
    static func code(_ s: String) -> String {
        "<code>" + html(s) + "</code>"
    }

    /// Text inside HTML (a summary line, a `<code>` element).
    static func html(_ s: String) -> String {
        inline(s)
    }

    static func longestBacktickRun(in s: String) -> Int {
        var longest = 0, run = 0
        for b in s.utf8 {
            if b == 0x60 { run += 1; longest = max(longest, run) } else { run = 0 }
        }
        return longest
    }
}
