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
        /// Why the case could not run (SPEC §9: then it failed); empty when it ran.
        public var errors: [Diagnostic] = []
        public var passed: Bool { failures.isEmpty && errors.isEmpty }
    }

    public var simulator: Simulator

    public init(simulator: Simulator) {
        self.simulator = simulator
    }

    public func run(_ suite: CheckedTestSuite, konnector k: CheckedKonnector) -> [Result] {
        suite.cases.map { run($0, konnector: k) }
    }

    public func run(_ c: CheckedTestSuite.Case, konnector k: CheckedKonnector) -> Result {
        let trace = simulator.run(k, event: c.event, outputs: c.outputs, failures: c.fail)
        // Compared whole; kept as shown, so a test of many cases holds a page per case.
        return Result(konnector: k.id, name: c.name, file: c.file, range: c.range,
                      failures: compare(c.expect, trace, k, simulated: c.fail), trace: trace.shown())
    }

    /// Every case, in order: those that can run are run, the others fail with their errors.
    public func run(_ cases: [TestCase]) -> [Result] {
        cases.map { entry in
            switch entry {
            case .ready(let c, let k):
                return run(c, konnector: k)
            case .blocked(let b):
                return Result(konnector: b.konnector, name: b.name, file: b.file, range: b.range, failures: [],
                              trace: RunTrace(konnector: b.konnector, event: .null, filtered: false, filterError: nil, steps: []),
                              errors: b.errors)
            }
        }
    }

    /// `simulated`: the case's `fail:`. A step that failed as the case made
    /// it fail (its last attempt called the app) is expected, `failed:` or not
    /// (SPEC §9: `expect` *may* list it); any other failing step must be listed.
    func compare(_ e: CheckedTestSuite.Expectations, _ t: RunTrace, _ k: CheckedKonnector,
                 simulated: [String: Simulator.SimulatedFailure] = [:]) -> [Failure] {
        var out: [Failure] = []
        if let error = t.filterError {
            out.append(Failure(path: "when", expected: nil, actual: nil, message: "the filter failed: \(error)"))
        }
        // A failing step is a failure unless the case expects it.
        for step in t.steps where step.status == .failed && !(e.failed ?? []).contains(step.id)
            && !(simulated[step.id] != nil && step.attempts.last?.called == true) {
            out.append(Failure(path: "steps.\(step.id)", expected: nil, actual: nil, message: "step `\(step.id)` failed: \(step.error ?? "")"))
        }
        func ids(_ list: [String]) -> JSONValue { .array(list.map(JSONValue.string)) }
        if let filtered = e.filtered, filtered != t.filtered {
            out.append(Failure(path: "expect.filtered", expected: .bool(filtered), actual: .bool(t.filtered), message: nil))
        }
        for (key, expected, actual) in [("ran", e.ran, t.ranActions), ("skipped", e.skipped, t.ids(.skipped)), ("failed", e.failed, t.ids(.failed))] {
            if let expected, expected != actual {
                out.append(Failure(path: "expect.\(key)", expected: ids(expected), actual: ids(actual), message: nil))
            }
        }
        for (stepID, expected) in e.attempts where t.attempts(of: stepID) != expected {
            out.append(Failure(path: "expect.attempts.\(stepID)", expected: .int(expected), actual: .int(t.attempts(of: stepID)), message: nil))
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
                if !Operators.equal(RuntimeValue.from(expected, as: .any), actual) {
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
