/// A konnector that passed checking, with its references resolved: what
/// the compiler and the simulator work from. Immutable and shared by
/// reference: it is handed around (merged, indexed, compiled, simulated)
/// far more often than it is made.
public final class CheckedKonnector: Sendable {
    public struct Step: Sendable {
        public var id: String
        public var operation: Operation
        public var connection: String?
        public var condition: Expression?
        public var onError: Konnector.Step.OnError
        public var inputs: CheckedValue
    }

    public let konnector: Konnector
    public let trigger: Operation
    public let triggerConnection: String?
    public let config: CheckedValue
    public let when: Expression?
    public let steps: [Step]

    public init(konnector: Konnector, trigger: Operation, triggerConnection: String?, config: CheckedValue,
                when: Expression?, steps: [Step]) {
        self.konnector = konnector
        self.trigger = trigger
        self.triggerConnection = triggerConnection
        self.config = config
        self.when = when
        self.steps = steps
    }

    public var id: String { konnector.id?.value ?? "" }

    /// The same, without the syntax its values were checked from (`Konnector.withoutValueSyntax`).
    public var withoutValueSyntax: CheckedKonnector {
        CheckedKonnector(konnector: konnector.withoutValueSyntax, trigger: trigger, triggerConnection: triggerConnection,
                         config: config, when: when, steps: steps)
    }
}
