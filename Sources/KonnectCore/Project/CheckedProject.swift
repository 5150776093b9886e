import KonnectYAML

/// Everything `validate` learns about a project: the decoded model, the
/// diagnostics (sorted), and the sources they point into.
public struct CheckedProject: Sendable {
    /// Every konnector read, in file order (empty without the model).
    public var konnectors: [Konnector] { models.map(\.konnector) }
    public var connections: [Connection]
    public var testSuites: [TestSuite]
    /// The konnectors without errors, references resolved (kept with the models).
    public var checkedKonnectors: [CheckedKonnector]
    /// An outline of each konnector without errors, in the same order
    /// (kept with outlines or models).
    public var outlines: [KonnectorOutline]
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
    /// A clean konnector's model is its checked form's `konnector`; it is
    /// not held twice, nor copied field by field when the project is made.
    var models: [Model]

    enum Model: Sendable {
        case checked(CheckedKonnector)
        /// Boxed: a konnector is some 570 bytes, and records holding this move through serial loops.
        indirect case decoded(Konnector)

        var konnector: Konnector {
            switch self {
            case .checked(let c): return c.konnector
            case .decoded(let k): return k
            }
        }
    }

    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
    public var warningCount: Int { diagnostics.count - errorCount }
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public var summary: DiagnosticSummary {
        DiagnosticSummary(files: fileCount, konnectors: konnectorCount, connections: connections.count,
                          diagnostics: diagnostics)
    }
}
