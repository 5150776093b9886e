import KonnectYAML

/// Runs test cases and compares what happened with what they expect.
public struct TestRunner: Sendable {
    public struct Failure: Sendable {
        public var path: String
        public var expected: JSONValue?
        public var actual: JSONValue?
        public var message: String?
    }

    public struct Result: Sendable {
        public var konnector: String
        public var name: String
        public var file: String
        public var range: SourceRange
        public var failures: [Failure]
        public var trace: RunTrace
        public var passed: Bool { failures.isEmpty }
    }

    public var simulator: Simulator

    public init(simulator: Simulator) {
        self.simulator = simulator
    }

    public func run(_ suite: CheckedTestSuite, konnector k: CheckedKonnector) -> [Result] {
        suite.cases.map { c in
            let trace = simulator.run(k, event: c.event, outputs: c.outputs)
            return Result(konnector: k.id, name: c.name, file: c.file, range: c.range,
                          failures: compare(c.expect, trace, k), trace: trace)
        }
    }

    func compare(_ e: CheckedTestSuite.Expectations, _ t: RunTrace, _ k: CheckedKonnector) -> [Failure] {
        var out: [Failure] = []
        if let error = t.filterError {
            out.append(Failure(path: "when", expected: nil, actual: nil, message: "the filter failed: \(error)"))
        }
        // A failing step is a failure unless the case expects it.
        for step in t.steps where step.status == .failed && !(e.failed ?? []).contains(step.id) {
            out.append(Failure(path: "steps.\(step.id)", expected: nil, actual: nil, message: "step `\(step.id)` failed: \(step.error ?? "")"))
        }
        func ids(_ list: [String]) -> JSONValue { .array(list.map(JSONValue.string)) }
        if let filtered = e.filtered, filtered != t.filtered {
            out.append(Failure(path: "expect.filtered", expected: .bool(filtered), actual: .bool(t.filtered), message: nil))
        }
        for (key, expected, actual) in [("ran", e.ran, t.ids(.ran)), ("skipped", e.skipped, t.ids(.skipped)), ("failed", e.failed, t.ids(.failed))] {
            if let expected, expected != actual {
                out.append(Failure(path: "expect.\(key)", expected: ids(expected), actual: ids(actual), message: nil))
            }
        }
        for (stepID, fields) in e.inputs {
            let step = t.steps.first { $0.id == stepID }
            guard let inputs = step?.inputs else {
                out.append(Failure(path: "expect.inputs.\(stepID)", expected: nil, actual: nil,
                                   message: "step `\(stepID)` \(step.map { "was \($0.status.rawValue)" } ?? "did not run"), so it received no inputs"))
                continue
            }
            let sensitive = step?.sensitiveInputs ?? []
            for (name, expected) in fields {
                let actual = inputs[name] ?? .null
                if !Operators.equal(RuntimeValue.plain(expected), actual) {
                    let masked = sensitive.contains(name)
                    out.append(Failure(path: "expect.inputs.\(stepID).\(name)",
                                       expected: masked ? .string("(sensitive)") : expected.json,
                                       actual: masked ? .string("(sensitive)") : actual.json, message: nil))
                }
            }
        }
        return out
    }
}
