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
            // A case's name is free text: escaped, so that it cannot forge a line or move the cursor.
            let label = "\(TerminalText.escaped(r.konnector)) › \(TerminalText.escaped(r.name))"
            if r.passed {
                out += paint("PASS", "32") + " \(label)\n"
                continue
            }
            out += paint("FAIL", "1;31") + " \(label)\n"
            out += "     --> \(TerminalText.escaped(r.file)):\(r.range.start.line):\(r.range.start.column)\n"
            for f in r.failures {
                let path = TerminalText.escaped(f.path)
                if let m = f.message {
                    out += "     \(path): \(TerminalText.escaped(m))\n"
                } else {
                    out += "     \(path): expected \(f.expected?.serializedForTerminal() ?? "nothing"), "
                        + "got \(f.actual?.serializedForTerminal() ?? "nothing")\n"
                }
            }
            // A konnector with flow steps or retries: what the run went through.
            if r.errors.isEmpty && RunTraceView.hasFlow(r.trace) {
                out += "     trace:\n"
                for line in RunTraceView.outline(r.trace) { out += "       \(line)\n" }
            }
            // A case that could not run: the errors that stopped it.
            for d in r.errors {
                out += "     " + paint("\(d.severity.rawValue)[\(d.code.rawValue)]", "1;31") + ": \(TerminalText.escaped(d.message))\n"
                out += "       --> \(TerminalText.escaped(d.file)):\(d.range.start.line):\(d.range.start.column)\n"
                if let hint = d.hint { out += "       = hint: \(TerminalText.escaped(hint))\n" }
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
                var members: [JSONValue.Member] = [
                    .init("konnector", .string(r.konnector)),
                    .init("name", .string(r.name)),
                    .init("file", .string(r.file)),
                    .init("line", .int(r.range.start.line)),
                    .init("passed", .bool(r.passed)),
                    .init("status", .string(r.passed ? "passed" : r.errors.isEmpty ? "failed" : "error")),
                    .init("diagnostics", .array(r.errors.map(DiagnosticJSONView.json))),
                    .init("failures", .array(r.failures.map { f in
                        .object(["path": .string(f.path), "expected": f.expected ?? .null, "actual": f.actual ?? .null,
                                 "message": .optional(f.message)])
                    })),
                ]
                // As in the text: a failing case's run, when it has flow steps or retries.
                if !r.passed && r.errors.isEmpty && RunTraceView.hasFlow(r.trace) {
                    members.append(.init("trace", RunTraceView().steps(r.trace)))
                }
                return .object(members)
            }),
            "summary": .object(["passed": .int(passed), "failed": .int(results.count - passed)]),
        ]).serializedForTerminal() + "\n"
    }

    private func paint(_ s: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}
