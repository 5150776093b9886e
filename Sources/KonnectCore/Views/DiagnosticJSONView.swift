/// `--format json` (SPEC §6): one object with the diagnostics and a summary.
public struct DiagnosticJSONView {
    public init() {}

    public func render(_ diagnostics: [Diagnostic], summary: DiagnosticSummary) -> String {
        JSONValue.object([
            "diagnostics": .array(diagnostics.map(Self.json)),
            "summary": .object([
                "files": .int(summary.files),
                "konnectors": .int(summary.konnectors),
                "connections": .int(summary.connections),
                "errors": .int(summary.errors),
                "warnings": .int(summary.warnings),
            ]),
        ]).serializedForTerminal() + "\n"
    }

    static func json(_ d: Diagnostic) -> JSONValue {
        .object([
            "severity": .string(d.severity.rawValue),
            "code": .string(d.code.rawValue),
            "message": .string(d.message),
            "file": .string(d.file),
            "line": .int(d.range.start.line),
            "column": .int(d.range.start.column),
            "end_line": .int(d.range.end.line),
            "end_column": .int(d.range.end.column),
            "hint": .optional(d.hint),
        ])
    }
}

extension JSONValue {
    /// Compact JSON for output that may reach a terminal: as `serialized()`,
    /// and DEL, C1 controls and the line and paragraph separators (which
    /// JSON may carry raw) escaped as `\u00XX` too, so no string in it can
    /// move the cursor. Only strings can hold them, so the JSON means the same.
    public func serializedForTerminal() -> String {
        Self.terminalSafe(serialized())
    }

    /// JSON text (compact or pretty) with DEL, C1 controls, U+2028 and
    /// U+2029 written as `\u00XX` escapes. (The other controls are escaped
    /// in every JSON string already; outside strings, a newline or a tab is
    /// layout.)
    public static func terminalSafe(_ json: String) -> String {
        func unsafe(_ s: Unicode.Scalar) -> Bool { s.value >= 0x7F && TerminalText.isUnsafe(s) }
        guard json.unicodeScalars.contains(where: unsafe) else { return json }
        var out = ""
        out.reserveCapacity(json.utf8.count + 16)
        for scalar in json.unicodeScalars {
            if unsafe(scalar) {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
