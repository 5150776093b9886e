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

    /// SPEC §6's fields, and `notes` when the diagnostic has any (each a
    /// message, and where it points when it points somewhere).
    static func json(_ d: Diagnostic) -> JSONValue {
        var members: [JSONValue.Member] = [
            .init("severity", .string(d.severity.rawValue)),
            .init("code", .string(d.code.rawValue)),
            .init("message", .string(d.message)),
            .init("file", .string(d.file)),
            .init("line", .int(d.range.start.line)),
            .init("column", .int(d.range.start.column)),
            .init("end_line", .int(d.range.end.line)),
            .init("end_column", .int(d.range.end.column)),
            .init("hint", .optional(d.hint)),
        ]
        if !d.notes.isEmpty {
            members.append(.init("notes", .array(d.notes.map { note in
                var fields: [JSONValue.Member] = [.init("message", .string(note.message))]
                if let file = note.file, let range = note.range {
                    fields += [.init("file", .string(file)), .init("line", .int(range.start.line)), .init("column", .int(range.start.column))]
                }
                return .object(fields)
            })))
        }
        return .object(members)
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
