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

        /// A paths, repeat or delay step's line; its `operation` names its kind.
        static func flow(_ id: String, _ kind: String) -> StepRun {
            StepRun(id: id, operation: kind, status: .ran, inputs: nil, output: .null, error: nil, onError: .stop,
                    sensitiveInputs: [], isFlow: true)
        }
    }

    public var konnector: String
    public var event: RuntimeValue
    /// `when:` was false (or null): nothing ran.
    public var filtered: Bool
    public var filterError: String?
    public var steps: [StepRun]

    /// A failing step with `on_error: stop`, or a failing filter, fails the run.
    public var failed: Bool {
        filterError != nil || steps.contains { $0.status == .failed && $0.onError == .stop }
    }

    /// The steps with this status, in order; `ran` lists action steps only (SPEC §9).
    public func ids(_ status: StepStatus) -> [String] {
        steps.filter { $0.status == status && !(status == .ran && $0.isFlow) }.map(\.id)
    }
}
