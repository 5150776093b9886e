import KonnectYAML

/// Checks `tests:` documents against the konnector they test (SPEC §9):
/// unknown konnectors and steps are `unknown-reference`; events and outputs
/// are checked against their types like any other value.
public struct TestSuiteChecker {
    static let caseFields = ["name", "event", "outputs", "fail", "expect"]
    static let expectFields = ["filtered", "ran", "skipped", "failed", "attempts", "inputs"]

    let konnectors: [CheckedKonnector]
    /// Konnector id → position in `konnectors` (values are large; they are not copied).
    let index: [String: Int]
    /// Ids of konnectors that exist but did not check clean (their errors are reported already).
    let brokenKonnectors: Set<String>
    let source: SourceText
    public private(set) var diagnostics: [Diagnostic] = []

    public init(konnectors: [CheckedKonnector], index: [String: Int], brokenKonnectors: Set<String>, source: SourceText) {
        self.konnectors = konnectors
        self.index = index
        self.brokenKonnectors = brokenKonnectors
        self.source = source
    }

    public mutating func check(_ suite: TestSuite) -> CheckedTestSuite? {
        guard let id = suite.konnector else { return nil }
        guard let position = index[id.value] else {
            if !brokenKonnectors.contains(id.value) {
                // A konnector with errors is still a konnector: a near miss of its id gets a "did you mean".
                let known = Set(index.keys).union(brokenKonnectors).sorted()
                diagnostics.append(.unknownTestedKonnector(id.value, known: known, file: suite.file, at: id.range))
            }
            return nil
        }
        let k = konnectors[position]
        let cases = suite.cases.enumerated().compactMap { i, node in testCase(node, index: i + 1, k, file: suite.file) }
        return CheckedTestSuite(konnector: id.value, file: suite.file, range: suite.range, cases: cases)
    }

    private mutating func testCase(_ node: YAMLNode, index: Int, _ k: CheckedKonnector, file: String) -> CheckedTestSuite.Case? {
        guard let pairs = node.mapping else {
            diagnostics.append(.valueShape(expected: "a test case (a mapping with `name`, `event`, `expect`)", found: node, file: file))
            return nil
        }
        let errorsBefore = diagnostics.count
        let fields = FieldReader(node, pairs: pairs, context: "test case \(index)")
        diagnostics += fields.unknownFields(allowed: Self.caseFields, file: file)
        diagnostics += fields.missingFields(["name"], allowed: Self.caseFields, file: file)
        let name = fields["name"]?.scalar?.text ?? "case \(index)"

        // The event and the outputs start from the schemas' samples (SPEC §9).
        var overlay = SampleOverlay(file: file, source: source)
        let eventNode = fields["event"].flatMap { $0.isNull ? nil : $0 }
        let merged = overlay.check(eventNode, over: k.trigger.sample, as: k.trigger.output, what: "the event",
                                   at: node.range, noSample: "\(k.trigger.qualifiedName) has no sample event to start from; write them under `event:`")
        let event = RuntimeValue.from(merged, as: k.trigger.output)
        // Outputs and inputs belong to action steps, nested ones included.
        let actions = k.allActions
        let stepIDs = actions.map(\.id)
        var outputs: [String: RuntimeValue] = [:]
        if let o = fields["outputs"], !o.isNull {
            for (stepID, step, pair) in actionEntries(o, of: "outputs", actions, k, file: file) {
                let output = overlay.check(pair.value.isNull ? nil : pair.value, over: step.operation.sample, as: step.operation.output,
                                           what: "the output of step `\(stepID)`", at: pair.key.range,
                                           noSample: "\(step.operation.qualifiedName) has no sample output to start from")
                outputs[stepID] = RuntimeValue.from(output, as: step.operation.output)
            }
        }
        diagnostics += overlay.diagnostics

        // `fail: { STEP: N | always }` (SPEC §9): N a whole number ≥ 1.
        var fail: [String: Simulator.SimulatedFailure] = [:]
        for (stepID, node) in stepCounts(fields["fail"], of: "steps to fail", actions: stepIDs, k, file: file) {
            if node.scalar?.value == .string("always") {
                fail[stepID] = .always
            } else if let n = wholeNumber(node, atLeast: 1, orAlways: true, what: "`fail:`", step: stepID, file: file) {
                fail[stepID] = .first(n)
            }
        }

        var expect = CheckedTestSuite.Expectations()
        if let e = fields["expect"], !e.isNull {
            if let expectPairs = e.mapping {
                let reader = FieldReader(e, pairs: expectPairs, context: "`expect`")
                diagnostics += reader.unknownFields(allowed: Self.expectFields, file: file)
                if let f = reader["filtered"] {
                    if case .bool(let b)? = f.scalar?.value { expect.filtered = b }
                    else { diagnostics.append(.valueShape(expected: "`true` or `false`", found: f, file: file)) }
                }
                expect.ran = stepList(reader["ran"], k, file: file)
                expect.skipped = stepList(reader["skipped"], k, file: file)
                expect.failed = stepList(reader["failed"], k, file: file)
                for (stepID, node) in stepCounts(reader["attempts"], of: "attempts", actions: stepIDs, k, file: file) {
                    if let n = wholeNumber(node, atLeast: 0, orAlways: false, what: "`attempts:`", step: stepID, file: file) { expect.attempts.append((stepID, n)) }
                }
                if let i = reader["inputs"], !i.isNull {
                    for (stepID, step, pair) in actionEntries(i, of: "inputs", actions, k, file: file) {
                        guard let inputPairs = pair.value.mapping else {
                            diagnostics.append(.valueShape(expected: "a mapping of input names to expected values", found: pair.value, file: file))
                            continue
                        }
                        var listed: [(String, SchemaValue)] = []
                        let names = step.operation.fields.map(\.name)
                        for input in inputPairs {
                            guard let inputName = input.keyText else { continue }
                            guard names.contains(inputName) else {
                                diagnostics.append(.unknownInput(inputName, noun: "input", owner: step.operation.qualifiedName,
                                                                 allowed: names, file: file, at: input.key.range))
                                continue
                            }
                            listed.append((inputName, SchemaValue(input.value)))
                        }
                        expect.inputs.append((stepID, listed))
                    }
                }
            } else {
                diagnostics.append(.valueShape(expected: "a mapping of expectations", found: e, file: file))
            }
        }
        if diagnostics[errorsBefore...].contains(where: { $0.severity == .error }) { return nil }
        return CheckedTestSuite.Case(name: name, file: file, range: node.range, event: event, outputs: outputs, fail: fail, expect: expect)
    }

    /// The entries of `outputs:` or `inputs:`, `{ STEP: value }`, with STEP's action; a STEP that is
    /// not an action step of the konnector is `unknown-reference`.
    private mutating func actionEntries(_ node: YAMLNode, of what: String, _ actions: [(id: String, action: CheckedKonnector.Step.Action)],
                                        _ k: CheckedKonnector, file: String) -> [(String, CheckedKonnector.Step.Action, YAMLPair)] {
        guard let pairs = node.mapping else {
            diagnostics.append(.valueShape(expected: "a mapping of step ids to \(what)", found: node, file: file))
            return []
        }
        var out: [(String, CheckedKonnector.Step.Action, YAMLPair)] = []
        for pair in pairs {
            guard let stepID = pair.keyText else { continue }
            guard let action = actions.first(where: { $0.id == stepID })?.action else {
                diagnostics.append(.unknownTestedStep(stepID, konnector: k.id, steps: actions.map(\.id), file: file, at: pair.key.range))
                continue
            }
            out.append((stepID, action, pair))
        }
        return out
    }

    /// The entries of a `{ STEP: value }` mapping whose STEP is an action step of the konnector, nested ones included.
    private mutating func stepCounts(_ node: YAMLNode?, of what: String, actions: [String], _ k: CheckedKonnector,
                                     file: String) -> [(String, YAMLNode)] {
        guard let node, !node.isNull else { return [] }
        guard let pairs = node.mapping else {
            diagnostics.append(.valueShape(expected: "a mapping of step ids to \(what)", found: node, file: file))
            return []
        }
        var out: [(String, YAMLNode)] = []
        for pair in pairs {
            guard let stepID = pair.keyText else { continue }
            guard actions.contains(stepID) else {
                if let step = k.allSteps.first(where: { $0.id == stepID }) {
                    // A paths, repeat or delay step calls no app: only action steps fail or are attempted.
                    diagnostics.append(.notAnActionStep(stepID, kind: step.kind.word, konnector: k.id, what: what, actions: actions,
                                                        file: file, at: pair.key.range))
                } else {
                    diagnostics.append(.unknownTestedStep(stepID, konnector: k.id, steps: actions, file: file, at: pair.key.range))
                }
                continue
            }
            out.append((stepID, pair.value))
        }
        return out
    }

    /// A plain whole number ≥ `min`, else `invalid-value` at the value.
    private mutating func wholeNumber(_ node: YAMLNode, atLeast min: Int, orAlways: Bool, what: String, step: String,
                                      file: String) -> Int? {
        if case .int(let n)? = node.scalar?.value, n >= min { return n }
        diagnostics.append(.testStepCount(what, step: step, atLeast: min, orAlways: orAlways, found: node, file: file))
        return nil
    }

    private mutating func stepList(_ node: YAMLNode?, _ k: CheckedKonnector, file: String) -> [String]? {
        guard let node, !node.isNull else { return nil }
        guard let items = node.sequence else {
            diagnostics.append(.valueShape(expected: "a list of step ids", found: node, file: file))
            return nil
        }
        let ids = k.allSteps.map(\.id)
        return items.compactMap { item in
            guard let id = item.scalar?.text else { return nil }
            guard ids.contains(id) else {
                diagnostics.append(.unknownTestedStep(id, konnector: k.id, steps: ids, file: file, at: item.range))
                return nil
            }
            return id
        }
    }
}
