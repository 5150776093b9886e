/// A konnector that passed checking, with its references resolved: what
/// the compiler and the simulator work from.
public struct CheckedKonnector: Sendable {
    public struct Step: Sendable {
        public var id: String
        public var operation: Operation
        public var connection: String?
        public var condition: Expression?
        public var onError: Konnector.Step.OnError
        public var inputs: CheckedValue
    }

    public var konnector: Konnector
    public var trigger: Operation
    public var triggerConnection: String?
    public var config: CheckedValue
    public var when: Expression?
    public var steps: [Step]

    public var id: String { konnector.id?.value ?? "" }
}
