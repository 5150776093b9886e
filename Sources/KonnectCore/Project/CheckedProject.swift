import KonnectYAML

/// Everything `validate` learns about a project: the decoded model, the
/// diagnostics (sorted), and the sources they point into.
public struct CheckedProject: Sendable {
    public var konnectors: [Konnector]
    public var connections: [Connection]
    public var testSuites: [TestSuite]
    /// The konnectors without errors, references resolved.
    public var checkedKonnectors: [CheckedKonnector]
    public var checkedTestSuites: [CheckedTestSuite]
    public var schemas: SchemaSet
    public var diagnostics: [Diagnostic]
    public var sources: [String: SourceText]
    /// Paths of the app schema files read (all of them, broken ones too).
    public var schemaFiles: [String] = []
    /// Files whose `sources` entry has literal credentials masked.
    public var redactedFiles: Set<String> = []
    public var fileCount: Int
    /// Every konnector read, kept or not (`konnectors` is empty without the model).
    public var konnectorCount: Int

    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
    public var warningCount: Int { diagnostics.count - errorCount }
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public var summary: DiagnosticSummary {
        DiagnosticSummary(files: fileCount, konnectors: konnectorCount, connections: connections.count,
                          diagnostics: diagnostics)
    }
}
