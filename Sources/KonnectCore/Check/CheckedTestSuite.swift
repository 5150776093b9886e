import KonnectYAML

/// A `tests:` document after checking: cases ready to run (SPEC §9).
public struct CheckedTestSuite: Sendable {
    public struct Case: Sendable {
        public var name: String
        public var file: String
        public var range: SourceRange
        public var event: RuntimeValue
        public var outputs: [String: RuntimeValue]
        public var expect: Expectations
    }

    /// What a case expects; nil means "not checked".
    public struct Expectations: Sendable {
        public var filtered: Bool?
        public var ran: [String]?
        public var skipped: [String]?
        public var failed: [String]?
        /// Step id → the listed inputs and their expected values, in file order.
        public var inputs: [(step: String, fields: [(name: String, value: SchemaValue)])] = []
    }

    public var konnector: String
    public var file: String
    public var cases: [Case]
}
