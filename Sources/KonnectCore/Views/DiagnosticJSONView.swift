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
        ]).serialized() + "\n"
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
