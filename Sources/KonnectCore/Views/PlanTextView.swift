/// The text view of a plan (SPEC §8): each change with its field diff,
/// sensitive values masked, deletions impossible to miss, then the summary.
public struct PlanTextView: Sendable {
    public var color: Bool
    /// The clock for a schedule's next run times (seconds since the epoch; nil: the current time).
    public var now: Double? = nil

    public init(color: Bool) {
        self.color = color
    }

    public func render(_ plan: Plan) -> String {
        guard !plan.isEmpty else { return "No changes. The library matches the configuration.\n" }
        var out = "konnect will perform these actions on the library:\n\n"
        // Each change renders on its own (a first plan has one per object), in order.
        let view = self
        for text in Parallel.map(plan.changes, { view.render($0) }) { out += text + "\n" }
        out += summaryLine(plan.summary) + "\n"
        return out
    }

    public func render(_ c: PlanChange) -> String {
        let tone = switch c.action {
        case .create: "32"
        case .update, .rename: "33"
        case .delete: "31"
        }
        // Ids come from files and from the library (which anyone may have written): escaped, like paths.
        var header = "\(c.action.rawValue) \(c.kind.rawValue) \(TerminalText.escaped(c.id))"
        var notes: [String] = []
        switch c.action {
        case .create: notes.append("create")
        case .update: notes.append("update")
        case .rename: notes.append("rename from \(TerminalText.escaped(c.renamedFrom ?? "?"))")
        case .delete: notes.append("DELETE: removed from the library")
        }
        if c.activate { notes.append("activate") }
        if c.deactivate { notes.append("deactivate") }
        header += " (" + notes.joined(separator: ", ") + ")"
        var out = "  " + paint(header, c.action == .delete ? "1;\(tone)" : tone) + "\n"
        for d in c.diff {
            for line in FieldDiffText.lines(d) { out += self.line(line) + "\n" }
        }
        if let note = Schedule.planNote(for: c, now: now) { out += "      " + TerminalText.escaped(note) + "\n" }
        return out
    }

    public func summaryLine(_ s: Plan.Summary) -> String {
        "Plan: \(s.create) to create, \(s.update) to update, \(s.rename) to rename, \(s.delete) to delete "
            + "(\(s.activate) to activate, \(s.deactivate) to deactivate)."
    }

    /// A field's line under its change, a string's line under its field's,
    /// coloured by its mark; within a line, removed words red, added green.
    private func line(_ l: DiffLine) -> String {
        let indent = l.nested ? "        " : "      "
        let tone = switch l.mark {
        case .added: "32"
        case .removed: "31"
        case .changed: "33"
        case .context: ""
        }
        guard color, !tone.isEmpty else { return indent + l.mark.rawValue + " " + l.text }
        var text = ""
        for span in l.spans {
            switch span.style {
            case .plain: text += span.text
            case .removed: text += "\u{1B}[31m" + span.text + "\u{1B}[\(tone)m"
            case .added: text += "\u{1B}[32m" + span.text + "\u{1B}[\(tone)m"
            }
        }
        return indent + paint(l.mark.rawValue + " " + text, tone)
    }

    private func paint(_ s: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}
