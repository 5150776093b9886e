import KonnectYAML

/// A `tests:` document after checking: cases ready to run (SPEC §9).
public struct CheckedTestSuite: Sendable {
    public struct Case: Sendable {
        public var name: String
        public var file: String
        public var range: SourceRange
        public var event: RuntimeValue
        public var outputs: [String: RuntimeValue]
        /// `fail:` (SPEC §9): action steps whose first N attempts, or all, fail.
        public var fail: [String: Simulator.SimulatedFailure] = [:]
        public var expect: Expectations
    }

    /// What a case expects; nil means "not checked".
    public struct Expectations: Sendable {
        public var filtered: Bool?
        public var ran: [String]?
        public var skipped: [String]?
        /// Steps whose last attempt failed, in order; like `ran`, a step inside
        /// a repeat once per iteration it failed in.
        public var failed: [String]?
        /// `attempts:` step id → attempts in all (summed over a repeat's iterations), in file order.
        public var attempts: [(step: String, count: Int)] = []
        /// Step id → the listed inputs and their expected values, in file order.
        public var inputs: [(step: String, fields: [(name: String, value: SchemaValue)])] = []
    }

    public var konnector: String
    public var file: String
    /// The `tests:` document.
    public var range: SourceRange
    /// The cases without errors; the others are not here.
    public var cases: [Case]
}

/// One case of a test document as `konnect test` takes it (SPEC §9).
public enum TestCase: Sendable {
    case ready(CheckedTestSuite.Case, konnector: CheckedKonnector)
    /// It cannot run: it, its test document or the konnector it tests has
    /// errors. It is a failed case, listed with them.
    case blocked(BlockedTestCase)
}

public struct BlockedTestCase: Sendable {
    /// The tested konnector's id ("?" when the document names none).
    public var konnector: String
    public var name: String
    public var file: String
    public var range: SourceRange
    /// The errors in the case and in its document, or, when only the
    /// konnector is wrong, the konnector's. Sorted.
    public var errors: [Diagnostic]
}

extension CheckedProject {
    /// Every case of the test documents for these konnector ids (all when
    /// empty), in file order: each one either ready to run or blocked by the
    /// errors that stop it, so that no case is ever left out of a count.
    public func testCases(of ids: [String] = []) -> [TestCase] {
        let errors = Dictionary(grouping: diagnostics.filter { $0.severity == .error }, by: \.file)
        var konnectors: [String: CheckedKonnector] = [:]
        for k in checkedKonnectors where konnectors[k.id] == nil { konnectors[k.id] = k }
        var checkedSuites: [Place: CheckedTestSuite] = [:]
        for s in checkedTestSuites { checkedSuites[Place(file: s.file, start: s.range.start)] = s }

        var out: [TestCase] = []
        for suite in testSuites {
            let id = suite.konnector?.value
            if !ids.isEmpty && !(id.map(ids.contains) ?? false) { continue }
            let inDocument = (errors[suite.file] ?? []).filter { suite.range.encloses($0.range) }
            let documentErrors = inDocument.filter { d in !suite.cases.contains { $0.range.encloses(d.range) } }
            let checked = checkedSuites[Place(file: suite.file, start: suite.range.start)]
            let k = checked == nil ? nil : id.flatMap { konnectors[$0] }
            // Checked without a konnector to run against: the konnector itself has errors.
            let konnectorErrors = checked == nil && documentErrors.isEmpty ? errorsOfKonnector(id, errors: errors) : []
            for (i, node) in suite.cases.enumerated() {
                let caseErrors = documentErrors + konnectorErrors + inDocument.filter { node.range.encloses($0.range) }
                if caseErrors.isEmpty, let k, let c = checked?.cases.first(where: { $0.range == node.range }) {
                    out.append(.ready(c, konnector: k))
                } else {
                    out.append(.blocked(BlockedTestCase(konnector: id ?? "?", name: Self.caseName(node) ?? "case \(i + 1)",
                                                        file: suite.file, range: node.range, errors: Diagnostic.sorted(caseErrors))))
                }
            }
        }
        return out
    }

    private struct Place: Hashable {
        var file: String
        var start: SourcePosition
    }

    /// The errors located in the konnector `id`'s documents; when there are
    /// none (its errors are elsewhere, in a schema), every error outside
    /// test documents.
    private func errorsOfKonnector(_ id: String?, errors: [String: [Diagnostic]]) -> [Diagnostic] {
        guard let id else { return [] }
        var found: [Diagnostic] = []
        for k in konnectors where k.id?.value == id {
            found += (errors[k.file] ?? []).filter { k.range.encloses($0.range) }
        }
        if !found.isEmpty { return found }
        let testDocuments = testSuites.map { ($0.file, $0.range) }
        return errors.values.joined().filter { d in !testDocuments.contains { $0.0 == d.file && $0.1.encloses(d.range) } }
    }

    /// The case's `name:`, as the checker reads it.
    static func caseName(_ node: YAMLNode) -> String? {
        guard let pairs = node.mapping, let i = pairs.firstIndex(ofKey: "name") else { return nil }
        return pairs[i].value.scalar?.text
    }
}

extension SourceRange {
    /// Whether `other` lies within this range (in the same file).
    func encloses(_ other: SourceRange) -> Bool {
        !(other.start < start) && !(end < other.end)
    }
}
