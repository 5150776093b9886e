/// `konnect run`: the event, the filter's result, and each step with its
/// rendered inputs (sensitive ones masked) and its output.
public struct RunTraceView {
    public init() {}

    /// Every text from files or the event (names, ids, messages, values) is
    /// escaped: nothing in them can forge a line or move the cursor.
    public func text(_ t: RunTrace, konnector k: CheckedKonnector) -> String {
        let e = TerminalText.escaped
        var out = "konnector \(e(k.id)) — \(e(k.konnector.name?.value ?? ""))\n\n"
        out += "event (\(e(k.trigger.qualifiedName))):\n\(indent(JSONValue.terminalSafe(t.event.json.pretty()), 2))\n\n"
        if let when = k.when {
            let verdict = t.filterError.map { "failed: \(e($0))" } ?? (t.filtered ? "false → filtered, nothing runs" : "true")
            out += "when: \(e(ExpressionPrinter.print(when)))\n  \(verdict)\n"
        } else {
            out += "when: (none)\n"
            if let error = t.filterError { out += "  failed: \(e(error))\n" }
        }
        var iteration: [RunTrace.Iteration] = []
        for (i, s) in t.steps.enumerated() {
            if t.omittedSteps > 0 && i == RunTrace.shownSteps { out += "\n… \(t.omittedSteps) step runs not shown …\n" }
            // Each iteration of a repeat starts with a line naming it (SPEC §2.1).
            if !s.iteration.isEmpty && s.iteration != iteration {
                out += "\n" + s.iteration.map { "\(e($0.repeatID)): iteration \($0.index + 1) of \($0.count) (loop.index \($0.index))" }
                    .joined(separator: " › ") + "\n"
            }
            iteration = s.iteration
            out += "\nstep \(e(s.id)) (\(e(s.operation))): \(s.status.rawValue)"
            if let error = s.error { out += " — \(e(error))" }
            if s.status == .failed { out += s.onError == .continue ? " (on_error: continue)" : " (on_error: stop)" }
            out += "\n"
            if Self.showsAttempts(s) {
                for (i, a) in s.attempts.enumerated() {
                    out += "  attempt \(i + 1) of \(s.maxAttempts) at \(RuntimeValue.datetime(a.at).text): "
                    out += a.error.map { "failed — \(e($0))" } ?? "ok"
                    if let wait = a.wait { out += "; retry after \(FlowDuration(seconds: wait))" }
                    out += "\n"
                }
            }
            if let inputs = s.inputs {
                out += "  inputs:\n"
                if case .object(let fields, let order) = inputs {
                    for name in order {
                        let value = s.sensitiveInputs.contains(name) ? "(sensitive)" : fields[name]!.json.serializedForTerminal()
                        out += "    \(e(name)): \(value)\n"
                    }
                }
            }
            if s.status == .ran { out += "  output: \(s.output.json.serializedForTerminal())\n" }
        }
        let ran = t.ids(.ran).count, skipped = t.ids(.skipped).count, failed = t.ids(.failed).count
        out += "\n" + (t.filtered ? "Run filtered: no step ran.\n"
                       : "Run \(t.failed ? "failed" : "complete"): \(ran) ran, \(skipped) skipped, \(failed) failed.\n")
        return out
    }

    public func json(_ t: RunTrace) -> String {
        var members: [JSONValue.Member] = [
            .init("konnector", .string(t.konnector)),
            .init("event", t.event.json),
            .init("filtered", .bool(t.filtered)),
            .init("filter_error", .optional(t.filterError)),
            .init("failed", .bool(t.failed)),
            .init("steps", steps(t)),
        ]
        // Step runs left out of a long trace (`RunTrace.shown`), between its first and last ones.
        if t.omittedSteps > 0 { members.append(.init("omitted_steps", .int(t.omittedSteps))) }
        return JSONValue.object(members).serializedForTerminal() + "\n"
    }

    /// Each step as JSON. A step inside a repeat adds `iteration` (outermost
    /// first), one with `retry:` or several attempts adds `attempts`; others
    /// have neither, as before flow steps.
    func steps(_ t: RunTrace) -> JSONValue {
        .array(t.steps.map { s in
            var inputs: JSONValue = .null
            if case .object(let fields, let order)? = s.inputs {
                inputs = .object(order.map { .init($0, s.sensitiveInputs.contains($0) ? .string("(sensitive)") : fields[$0]!.json) })
            }
            var members: [JSONValue.Member] = [
                .init("id", .string(s.id)), .init("operation", .string(s.operation)), .init("status", .string(s.status.rawValue)),
                .init("inputs", inputs), .init("output", s.output.json), .init("error", .optional(s.error)),
            ]
            if !s.iteration.isEmpty {
                members.append(.init("iteration", .array(s.iteration.map {
                    .object(["repeat": .string($0.repeatID), "index": .int($0.index), "count": .int($0.count)])
                })))
            }
            if Self.showsAttempts(s) {
                members.append(.init("attempts", .array(s.attempts.enumerated().map { i, a in
                    .object([
                        "attempt": .int(i + 1), "of": .int(s.maxAttempts), "at": RuntimeValue.datetime(a.at).json,
                        "status": .string(a.error == nil ? "ok" : "failed"), "error": .optional(a.error),
                        "wait": .optional(a.wait.map { FlowDuration(seconds: $0).description }),
                    ])
                })))
            }
            return .object(members)
        })
    }

    /// A step that may retry, or did: its attempts are shown (SPEC §2.1).
    static func showsAttempts(_ s: RunTrace.StepRun) -> Bool {
        s.maxAttempts > 1 || s.attempts.count > 1
    }

    /// Whether a trace has anything a flat list of steps would not show:
    /// flow steps or retries. A failing test case then shows its outline.
    static func hasFlow(_ t: RunTrace) -> Bool {
        t.steps.contains { $0.isFlow || showsAttempts($0) }
    }

    /// One line per step, for a failing test case: its iteration, status,
    /// attempts, error, and a flow step's output (paths taken, count, resumed_at).
    static func outline(_ t: RunTrace) -> [String] {
        let e = TerminalText.escaped
        var lines: [String] = t.steps.map { s in
            var line = s.iteration.map { "\(e($0.repeatID))[\($0.index)] › " }.joined()
            line += "\(e(s.id)) (\(e(s.operation))): \(s.status.rawValue)"
            if showsAttempts(s) && !s.attempts.isEmpty { line += " after \(s.attempts.count) of \(s.maxAttempts) attempts" }
            if let error = s.error { line += " — \(e(error))" }
            if s.isFlow && s.status == .ran { line += " \(s.output.json.serializedForTerminal())" }
            return line
        }
        if t.omittedSteps > 0 && lines.count > RunTrace.shownSteps {
            lines.insert("… \(t.omittedSteps) step runs not shown …", at: RunTrace.shownSteps)
        }
        return lines
    }

    private func indent(_ s: String, _ n: Int) -> String {
        let pad = String(repeating: " ", count: n)
        return s.split(separator: "\n", omittingEmptySubsequences: false).map { pad + $0 }.joined(separator: "\n")
    }
}
