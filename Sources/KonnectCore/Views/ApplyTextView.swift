/// What `konnect apply` writes (SPEC §8) besides the plan itself: the
/// question, the refusal without a terminal, the cancellation, and the
/// report of what was applied.
public struct ApplyTextView: Sendable {
    public var plan: PlanTextView

    public init(color: Bool) {
        plan = PlanTextView(color: color)
    }

    /// On stdout, after the plan, when there is a terminal to ask on.
    public static let question = "\nDo you want to apply these changes? Only 'yes' will be accepted: "

    /// On stderr: no terminal and no `--auto-approve`.
    public static let refusal = "error: refusing to apply without confirmation: there is no terminal to ask on. "
        + "Review the plan and pass --auto-approve, or apply a saved plan file.\n"

    /// On stderr: anything but `yes`.
    public static let cancelled = "Apply cancelled; nothing was changed.\n"

    /// After the apply: the change list (unless the plan was shown before
    /// the question), the summary, and the library's new serial (none when
    /// nothing changed).
    public func report(_ applied: Plan, serial: Int?, showChanges: Bool) -> String {
        var out = ""
        if showChanges {
            out += applied.isEmpty ? plan.render(applied) : applied.changes.map { plan.render($0) }.joined(separator: "\n") + "\n"
        } else {
            out += "\n"
        }
        let s = applied.summary
        out += "Apply complete: \(s.create) created, \(s.update) updated, \(s.rename) renamed, \(s.delete) deleted.\n"
        if let serial { out += "Library serial is now \(serial).\n" }
        return out
    }
}
