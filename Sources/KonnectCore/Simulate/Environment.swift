/// What expressions see while a konnector runs.
public struct Environment: Sendable {
    public var trigger: RuntimeValue
    /// Outputs of the steps so far; a skipped step's output is null.
    public var steps: [String: RuntimeValue]
    public var konnectorID: String
    public var konnectorName: String
    /// `now()`; injected so that tests are deterministic.
    public var now: Double
    /// Names bound inside a repeat: its element (`item` or `as:`) and `loop`.
    public var locals: [String: RuntimeValue] = [:]

    public init(trigger: RuntimeValue, steps: [String: RuntimeValue] = [:], konnectorID: String, konnectorName: String, now: Double) {
        self.trigger = trigger
        self.steps = steps
        self.konnectorID = konnectorID
        self.konnectorName = konnectorName
        self.now = now
    }
}
