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

    /// Without the syntax of its values (`with:`, `when:`, `if:`): once
    /// checked, those live on as checked values and expressions, and a
    /// project's worth of their YAML nodes is most of a kept model's memory.
    public var withoutValueSyntax: Konnector {
        var k = self
        k.when = nil
        k.trigger?.with = nil
        for i in k.steps.indices {
            k.steps[i].with = nil
            k.steps[i].condition = nil
        }
        return k
    }

    public struct Trigger: Sendable {
        public var range: SourceRange
        public var app: Located<String>?
        public var event: Located<String>?
        public var connection: Located<String>?
        /// The trigger's config (`with:`), a mapping.
        public var with: YAMLNode?
        public var misspelledKeys: Set<String> = []

        public init(range: SourceRange) { self.range = range }
    }

    public struct Step: Sendable {
        public enum OnError: String, Sendable, CaseIterable { case stop, `continue` }

        public var range: SourceRange
        public var id: Located<String>?
        public var app: Located<String>?
        public var action: Located<String>?
        public var connection: Located<String>?
        /// The `if:` condition, a scalar holding an expression.
        public var condition: YAMLNode?
        public var onError: OnError = .stop
        /// The action's inputs (`with:`), a mapping.
        public var with: YAMLNode?
        public var misspelledKeys: Set<String> = []

        public init(range: SourceRange) { self.range = range }
    }
}
