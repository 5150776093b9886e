/// What one simulated run did (SPEC §9): the event, the filter, each step.
public struct RunTrace: Sendable {
    public enum StepStatus: String, Sendable { case ran, skipped, failed, notReached = "not reached" }

    public struct StepRun: Sendable {
        public var id: String
        public var operation: String
        public var status: StepStatus
        /// The rendered inputs (nil when the step did not get that far).
        public var inputs: RuntimeValue?
        public var output: RuntimeValue
        public var error: String?
        public var onError: Konnector.Step.OnError
        /// Input names whose values are never shown.
        public var sensitiveInputs: Set<String>
        /// A paths, repeat or delay step (SPEC §2.1): never listed in `ran`.
        public var isFlow = false
        /// The repeats this run of the step is inside, outermost first (empty outside any).
        public var iteration: [Iteration] = []
        /// An action step's attempts, in order (SPEC §2.1 `retry:`); empty when
        /// it did not get that far (skipped, not reached, its `if:` failed).
        public var attempts: [Attempt] = []
        /// 1 + `retry.times`: the most attempts it may make.
        public var maxAttempts = 1

        /// Whether the app was called at least once: an attempt whose inputs
        /// rendered and checked (a simulated failure is a failed call).
        public var called: Bool { attempts.contains(where: \.called) }

        /// A paths, repeat or delay step's line; its `operation` names its kind.
        static func flow(_ id: String, _ kind: String) -> StepRun {
            StepRun(id: id, operation: kind, status: .ran, inputs: nil, output: .null, error: nil, onError: .stop,
                    sensitiveInputs: [], isFlow: true)
        }
    }

    /// One iteration of a repeat: `loop.index` and `loop.count`.
    public struct Iteration: Sendable, Equatable {
        public var repeatID: String
        public var index: Int
        public var count: Int
    }

    public struct Attempt: Sendable, Equatable {
        /// The run's clock when the attempt began.
        public var at: Double
        /// Its inputs rendered and checked, so the (simulated) app was called.
        public var called: Bool
        /// Nil when it succeeded.
        public var error: String?
        /// Seconds waited after it, before the next attempt (nil for the last).
        public var wait: Int?
    }

    public var konnector: String
    public var event: RuntimeValue
    /// `when:` was false (or null): nothing ran.
    public var filtered: Bool
    public var filterError: String?
    public var steps: [StepRun]
    /// Step runs left out of `steps` by `shown()`, between its first and last ones.
    public var omittedSteps = 0

    /// Steps kept at each end of a shown trace, and the longest string shown in a value.
    public static let shownSteps = 100
    public static let shownStringBytes = 4096

    /// The trace as it is shown (after its expectations were compared): the
    /// first and last `shownSteps` step runs, the others counted, and long
    /// strings cut short — a run of 10,000 step runs with megabytes of values
    /// prints a page, and a test of many such cases holds no more than that.
    public func shown() -> RunTrace {
        var t = self
        if steps.count > 2 * Self.shownSteps {
            t.steps = Array(steps.prefix(Self.shownSteps)) + Array(steps.suffix(Self.shownSteps))
            t.omittedSteps = omittedSteps + steps.count - 2 * Self.shownSteps
        }
        t.event = Self.cut(event)
        for i in t.steps.indices {
            t.steps[i].inputs = t.steps[i].inputs.map(Self.cut)
            t.steps[i].output = Self.cut(t.steps[i].output)
        }
        return t
    }

    static func cut(_ v: RuntimeValue) -> RuntimeValue {
        switch v {
        case .string(let s) where s.utf8.count > shownStringBytes:
            let kept = String(decoding: Array(s.utf8.prefix(shownStringBytes)), as: UTF8.self)
            return .string(kept + "… (\(s.utf8.count) bytes)")
        case .array(let items):
            return .array(items.map(cut))
        case .object(let fields, let order):
            return .object(fields.mapValues(cut), order: order)
        default:
            return v
        }
    }

    /// A failing step with `on_error: stop`, or a failing filter, fails the run.
    /// A bound of SPEC §9 stopped the run (whatever the failed step's `on_error:`).
    public var stoppedByLimit = false

    public var failed: Bool {
        filterError != nil || stoppedByLimit || steps.contains { $0.status == .failed && $0.onError == .stop }
    }

    /// The steps with this status, in order; `ran` lists action steps only (SPEC §9).
    public func ids(_ status: StepStatus) -> [String] {
        steps.filter { $0.status == status && !(status == .ran && $0.isFlow) }.map(\.id)
    }

    /// `expect.ran` (SPEC §9): the action steps that ran at least one attempt,
    /// once per iteration inside a repeat, in order. An attempt counts when the
    /// app was called: a step whose inputs never rendered or checked failed
    /// without running (as `ran: []` beside `failed: [step]` has always meant),
    /// while one whose every call failed (`fail:`) ran and failed.
    public var ranActions: [String] {
        steps.filter { !$0.isFlow && $0.called }.map(\.id)
    }

    /// `expect.attempts` (SPEC §9): the attempts the step made in all; inside
    /// a repeat, summed over its iterations.
    public func attempts(of id: String) -> Int {
        steps.reduce(0) { $0 + ($1.id == id ? $1.attempts.count : 0) }
    }
}
