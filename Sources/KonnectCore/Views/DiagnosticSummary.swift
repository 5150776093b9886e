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

    /// SPEC §6's closing line, worded exactly as specified.
    public var line: String { "\(errors) errors, \(warnings) warnings in \(files) files" }
}
