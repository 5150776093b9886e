/// The counts that close every report.
public struct DiagnosticSummary: Sendable, Equatable {
    public var files: Int
    public var konnectors: Int
    public var connections: Int
    public var errors: Int
    public var warnings: Int

    public init(files: Int, konnectors: Int, connections: Int, diagnostics: [Diagnostic]) {
        self.files = files
        self.konnectors = konnectors
        self.connections = connections
        self.errors = diagnostics.filter { $0.severity == .error }.count
        self.warnings = diagnostics.count - errors
    }

    /// SPEC §6's closing line, worded exactly as specified (singular for 1:
    /// `1 error, 1 warning in 1 file`).
    public var line: String {
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        return "\(count(errors, "error")), \(count(warnings, "warning")) in \(count(files, "file"))"
    }
}
