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
        }
        for s in t.steps {
            out += "\nstep \(e(s.id)) (\(e(s.operation))): \(s.status.rawValue)"
            if let error = s.error { out += " — \(e(error))" }
            if s.status == .failed { out += s.onError == .continue ? " (on_error: continue)" : " (on_error: stop)" }
            out += "\n"
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
        JSONValue.object([
            "konnector": .string(t.konnector),
            "event": t.event.json,
            "filtered": .bool(t.filtered),
            "filter_error": .optional(t.filterError),
            "failed": .bool(t.failed),
            "steps": .array(t.steps.map { s in
                var inputs: JSONValue = .null
                if case .object(let fields, let order)? = s.inputs {
                    inputs = .object(order.map { .init($0, s.sensitiveInputs.contains($0) ? .string("(sensitive)") : fields[$0]!.json) })
                }
                return .object([
                    "id": .string(s.id), "operation": .string(s.operation), "status": .string(s.status.rawValue),
                    "inputs": inputs, "output": s.output.json, "error": .optional(s.error),
                ])
            }),
        ]).serializedForTerminal() + "\n"
    }

    private func indent(_ s: String, _ n: Int) -> String {
        let pad = String(repeating: " ", count: n)
        return s.split(separator: "\n", omittingEmptySubsequences: false).map { pad + $0 }.joined(separator: "\n")
    }
}
