import KonnectYAML

/// A konnector as written (SPEC §2). Fields whose absence is an error are
/// optional, so a broken document still yields what can be checked.
public struct Konnector: Sendable {
    public var file: String
    public var range: SourceRange
    public var id: Located<String>?
    public var name: Located<String>?
    public var description: Located<String>?
    public var tags: [Located<String>] = []
    public var enabled: Located<Bool>?
    public var renamedFrom: Located<String>?
    public var trigger: Trigger?
    /// The `when:` filter, a scalar holding an expression.
    public var when: YAMLNode?
    public var steps: [Step] = []
    /// Keys that were misspelled (`whn` → `when`); checks that depend on them stay quiet.
    public var misspelledKeys: Set<String> = []

    public init(file: String, range: SourceRange) {
        self.file = file
        self.range = range
    }

    public var isEnabled: Bool { enabled?.value ?? true }

    /// Every step, nested ones included, each before the steps inside it.
    public var allSteps: [Step] { steps.withNestedSteps }

    /// Without the syntax of its values (`with:`, `when:`, `if:`): once
    /// checked, those live on as checked values and expressions, and a
    /// project's worth of their YAML nodes is most of a kept model's memory.
    public var withoutValueSyntax: Konnector {
        var k = self
        k.when = nil
        k.trigger?.with = nil
        k.steps = k.steps.map(\.withoutValueSyntax)
        return k
    }

    public struct Trigger: Sendable {
        public var range: SourceRange
        public var app: Located<String>?
        public var event: Located<String>?
        public var connection: Located<String>?
        /// The trigger's config (`with:`), a mapping.
        public var with: YAMLNode?
        /// `schedule:` instead of app, event and connection (SPEC §2.1); nil when absent or invalid.
        public var schedule: Schedule?
        /// A declared webhook payload (`payload:`, SPEC §2.1), located at its key.
        public var payload: Located<YAMLNode>?
        public var misspelledKeys: Set<String> = []

        public init(range: SourceRange) { self.range = range }
    }

    /// One step (SPEC §2, §2.1): the parts every kind has, and its kind.
    /// A switch over `Kind` is every place a new kind must be handled.
    public struct Step: Sendable, NestingStep {
        public enum OnError: String, Sendable, CaseIterable { case stop, `continue` }

        public enum Kind: Sendable {
            case action(ActionStep)
            case paths(PathsStep)
            case repeatLoop(RepeatStep)
            case delay(DelayStep)
        }

        public var range: SourceRange
        public var id: Located<String>?
        /// The `if:` condition, a scalar holding an expression.
        public var condition: YAMLNode?
        public var kind: Kind
        public var misspelledKeys: Set<String> = []

        public init(range: SourceRange, kind: Kind) {
            self.range = range
            self.kind = kind
        }

        /// The steps directly inside (a path's or a repeat's), in order.
        public var nestedSteps: [Step] {
            switch kind {
            case .action, .delay: return []
            case .paths(let p): return p.paths.flatMap(\.steps)
            case .repeatLoop(let r): return r.steps
            }
        }

        /// Without the syntax of its values (`with:`, `if:`, expressions), at every depth.
        var withoutValueSyntax: Step {
            var s = self
            s.condition = nil
            switch kind {
            case .action(var a):
                a.with = nil
                s.kind = .action(a)
            case .paths(var p):
                for i in p.paths.indices {
                    p.paths[i].when = nil
                    p.paths[i].steps = p.paths[i].steps.map(\.withoutValueSyntax)
                }
                s.kind = .paths(p)
            case .repeatLoop(var r):
                r.over = nil
                r.steps = r.steps.map(\.withoutValueSyntax)
                s.kind = .repeatLoop(r)
            case .delay(var d):
                if case .until? = d.wait { d.wait = nil }
                s.kind = .delay(d)
            }
            return s
        }
    }

    /// `app` + `action`: runs an app's action.
    public struct ActionStep: Sendable {
        public var app: Located<String>?
        public var action: Located<String>?
        public var connection: Located<String>?
        public var onError: Step.OnError = .stop
        public var retry: Retry?
        /// The action's inputs (`with:`), a mapping.
        public var with: YAMLNode?

        public init() {}
    }

    /// `retry: { times, wait }` (SPEC §2.1).
    public struct Retry: Sendable {
        public static let timesRange = 1...10
        public static let maxWait = FlowDuration(seconds: 3600)
        public static let defaultWait = FlowDuration(seconds: 60)

        public var range: SourceRange
        public var times: Located<Int>?
        public var wait: Located<FlowDuration>?

        public init(range: SourceRange) { self.range = range }
    }

    /// `paths:`: branches, each with its own condition and steps.
    public struct PathsStep: Sendable {
        public enum Mode: String, Sendable, CaseIterable { case first, all }

        public var mode: Mode = .first
        public var paths: [Path] = []

        public init() {}
    }

    public struct Path: Sendable {
        public var range: SourceRange
        public var id: Located<String>?
        /// The path's `when:`, a scalar holding an expression; none: the fallback.
        public var when: YAMLNode?
        public var steps: [Step] = []
        public var misspelledKeys: Set<String> = []

        public init(range: SourceRange) { self.range = range }
    }

    /// `repeat:` + `steps:`: the steps once per element of an array.
    public struct RepeatStep: Sendable {
        public static let defaultName = "item"
        public static let maxRange = 1...1000
        public static let defaultMax = 100

        /// The array expression (a scalar).
        public var over: YAMLNode?
        /// `as:`, the element's name inside.
        public var name: Located<String>?
        public var max: Located<Int>?
        public var steps: [Step] = []

        public init() {}
    }

    /// `delay:` a duration, or `delay_until:` a datetime expression.
    public struct DelayStep: Sendable {
        public static let maxDelay = FlowDuration(seconds: 31 * 86_400)

        public enum Wait: Sendable {
            case duration(Located<FlowDuration>)
            case until(YAMLNode)
        }

        public var wait: Wait?

        public init() {}
    }
}
