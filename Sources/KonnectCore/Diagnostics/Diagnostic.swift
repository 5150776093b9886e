import KonnectYAML

/// A problem in the user's files, as a value. Producing a diagnostic (see
/// `Diagnostic+Catalog.swift`) and rendering it (see `Views/`) are separate.
public struct Diagnostic: Sendable, Hashable {
    public struct Note: Sendable, Hashable {
        public var message: String
        public var file: String?
        public var range: SourceRange?

        public init(_ message: String, file: String? = nil, range: SourceRange? = nil) {
            self.message = message
            self.file = file
            self.range = range
        }
    }

    public var severity: Severity
    public var code: DiagnosticCode
    public var message: String
    /// Path relative to the project directory.
    public var file: String
    public var range: SourceRange
    public var hint: String?
    public var notes: [Note]

    public init(_ severity: Severity, _ code: DiagnosticCode, _ message: String,
                file: String, range: SourceRange, hint: String? = nil, notes: [Note] = []) {
        self.severity = severity
        self.code = code
        self.message = message
        self.file = file
        self.range = range
        self.hint = hint
        self.notes = notes
    }

    /// SPEC §6 order: file, line, column (then code and message, for stability).
    public static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.sorted { a, b in
            if a.file != b.file { return a.file < b.file }
            if a.range.start.line != b.range.start.line { return a.range.start.line < b.range.start.line }
            if a.range.start.column != b.range.start.column { return a.range.start.column < b.range.start.column }
            if a.code != b.code { return a.code.rawValue < b.code.rawValue }
            return a.message < b.message
        }
    }
}
