/// `konnect test` output: each case, each failing expectation with the
/// expected and actual values, and the closing `N passed, N failed` line.
public struct TestReportView {
    public var color: Bool

    public init(color: Bool) {
        self.color = color
    }

    public func render(_ results: [TestRunner.Result]) -> String {
        var out = ""
        for r in results {
            let label = "\(r.konnector) › \(r.name)"
            if r.passed {
                out += paint("PASS", "32") + " \(label)\n"
                continue
            }
            out += paint("FAIL", "1;31") + " \(label)\n"
            out += "     --> \(r.file):\(r.range.start.line):\(r.range.start.column)\n"
            for f in r.failures {
                if let m = f.message {
                    out += "     \(f.path): \(m)\n"
                } else {
                    out += "     \(f.path): expected \(f.expected?.serialized() ?? "nothing"), got \(f.actual?.serialized() ?? "nothing")\n"
                }
            }
        }
        let passed = results.filter(\.passed).count
        out += "\n\(passed) passed, \(results.count - passed) failed\n"
        return out
    }

    public func json(_ results: [TestRunner.Result]) -> String {
        let passed = results.filter(\.passed).count
        return JSONValue.object([
            "cases": .array(results.map { r in
                .object([
                    "konnector": .string(r.konnector),
                    "name": .string(r.name),
                    "file": .string(r.file),
                    "line": .int(r.range.start.line),
                    "passed": .bool(r.passed),
                    "failures": .array(r.failures.map { f in
                        .object(["path": .string(f.path), "expected": f.expected ?? .null, "actual": f.actual ?? .null,
                                 "message": .optional(f.message)])
                    }),
                ])
            }),
            "summary": .object(["passed": .int(passed), "failed": .int(results.count - passed)]),
        ]).serialized() + "\n"
    }

    private func paint(_ s: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}
