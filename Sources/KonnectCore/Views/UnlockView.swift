/// What `konnect unlock` says (SPEC §7). `holder` is the lock holder as
/// text; everything returned is escaped, since the holder row is read
/// from the library (SPEC §6).
public enum UnlockView {
    public static let notLocked = "The library is not locked.\n"

    /// The lock was cleared; `expiredAt`: when its lease had run out, if it had.
    public static func cleared(holder: String, expiredAt: String?) -> String {
        TerminalText.escaped("Cleared the lock held by \(holder)\(expiredAt.map { " (lease expired at \($0))" } ?? "").") + "\n"
    }

    /// A lock row that could not be read was deleted (`--force`).
    public static func clearedDamaged(reason: String) -> String {
        TerminalText.escaped("Cleared a damaged lock (\(reason)).") + "\n"
    }

    /// The refusal to clear a live lease without `--force`.
    public static func refusal(holder: String, leaseUntil: String, runningHere: Bool) -> String {
        TerminalText.escaped(runningHere
            ? "the lock is held by \(holder), which is still running (lease until \(leaseUntil)); wait for it, or pass --force"
            : "the lock is held by \(holder) on another host, with a lease until \(leaseUntil); make sure it is gone, then pass --force")
    }
}
