/// A konnector that passed checking, with its references resolved: what
/// the compiler and the simulator work from. Immutable and shared by
/// reference: it is handed around (merged, indexed, compiled, simulated)
/// far more often than it is made.
public final class CheckedKonnector: Sendable {
    /// A checked step: the parts every kind has, and its checked kind.
    public struct Step: Sendable, NestingStep {
        public enum Kind: Sendable {
            case action(Action)
            case paths(Paths)
            case repeatLoop(Repeat)
            case delay(Delay)

            /// As the user's guide names the kind.
            public var word: String {
                switch self {
                case .action: return "action"
                case .paths: return "paths"
                case .repeatLoop: return "repeat"
                case .delay: return "delay"
                }
            }
        }

        public var id: String
        public var condition: Expression?
        public var kind: Kind

        public init(id: String, condition: Expression?, kind: Kind) {
            self.id = id
            self.condition = condition
            self.kind = kind
        }

        public struct Action: Sendable {
            public var operation: Operation
            public var connection: String?
            public var onError: Konnector.Step.OnError
            public var retry: Retry?
            public var inputs: CheckedValue
        }

        public struct Retry: Sendable, Equatable {
            public var times: Int
            public var waitSeconds: Int
        }

        public struct Paths: Sendable {
            public var mode: Konnector.PathsStep.Mode
            public var paths: [Path]
        }

        public struct Path: Sendable {
            public var id: String
            public var when: Expression?
            public var steps: [Step]
        }

        public struct Repeat: Sendable {
            public var over: Expression
            public var name: String
            public var max: Int
            public var steps: [Step]
        }

        public enum Delay: Sendable {
            case seconds(Int)
            case until(Expression)
        }

        /// The action step's parts, when it is one.
        public var action: Action? {
            if case .action(let a) = kind { return a }
            return nil
        }

        /// The steps directly inside (its paths' or its repeat's), in order.
        public var nestedSteps: [Step] {
            switch kind {
            case .action, .delay: return []
            case .paths(let p): return p.paths.flatMap(\.steps)
            case .repeatLoop(let r): return r.steps
            }
        }
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

    /// Every step, nested ones included, each before the steps inside it.
    public var allSteps: [Step] { steps.withNestedSteps }

    /// Every action step, nested ones included, in order.
    public var allActions: [(id: String, action: Step.Action)] {
        allSteps.compactMap { s in s.action.map { (s.id, $0) } }
    }

    /// The same, without the syntax its values were checked from (`Konnector.withoutValueSyntax`).
    public var withoutValueSyntax: CheckedKonnector {
        CheckedKonnector(konnector: konnector.withoutValueSyntax, trigger: trigger, triggerConnection: triggerConnection,
                         config: config, when: when, steps: steps)
    }
}
