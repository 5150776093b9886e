import KonnectYAML

/// Everything `validate` learns about a project: what was kept of its
/// konnectors, the diagnostics (sorted), and the sources they point into.
public struct CheckedProject: Sendable {
    public var connections: [Connection]
    public var testSuites: [TestSuite]
    /// What the validator kept of the konnectors: decided by its `keeping`.
    public var kept: Kept
    public var checkedTestSuites: [CheckedTestSuite]
    public var schemas: SchemaSet
    public var diagnostics: [Diagnostic]
    public var sources: [String: SourceText]
    /// Paths of the app schema files read (all of them, broken ones too).
    public var schemaFiles: [String] = []
    /// Files whose `sources` entry has literal credentials masked.
    public var redactedFiles: Set<String> = []
    public var fileCount: Int
    /// Every konnector read, kept or not.
    public var konnectorCount: Int

    /// The konnectors as the validator kept them (`ProjectValidator.Keeping`).
    public enum Kept: Sendable {
        /// Nothing: `validate` needs only the diagnostics.
        case diagnostics
        /// An outline of each clean konnector, in file order: all a plan
        /// needs of those the library holds unchanged.
        case outlines([KonnectorOutline])
        /// Every konnector read, in file order.
        case models([Model])
    }

    /// One konnector as kept with the models.
    public enum Model: Sendable {
        /// Clean: checked, with its outline.
        case checked(CheckedKonnector, KonnectorOutline)
        /// With errors: as decoded. Boxed, so that records holding a model stay small.
        indirect case decoded(Konnector)

        public var konnector: Konnector {
            switch self {
            case .checked(let c, _): return c.konnector
            case .decoded(let k): return k
            }
        }
    }

    /// The mode the validator ran in.
    public var keeping: ProjectValidator.Keeping {
        switch kept {
        case .diagnostics: return .diagnostics
        case .outlines: return .outlines
        case .models: return .models
        }
    }

    /// Every konnector read, in file order (empty unless the models are kept).
    public var konnectors: [Konnector] {
        guard case .models(let models) = kept else { return [] }
        return models.map(\.konnector)
    }

    /// The konnectors without errors, references resolved (empty unless the models are kept).
    public var checkedKonnectors: [CheckedKonnector] {
        guard case .models(let models) = kept else { return [] }
        return models.compactMap { if case .checked(let c, _) = $0 { c } else { nil } }
    }

    /// An outline of each konnector without errors, in file order (empty when only diagnostics are kept).
    public var outlines: [KonnectorOutline] {
        switch kept {
        case .diagnostics: return []
        case .outlines(let outlines): return outlines
        case .models(let models): return models.compactMap { if case .checked(_, let o) = $0 { o } else { nil } }
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
