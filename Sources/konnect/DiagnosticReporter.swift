import Foundation
import KonnectCore
import KonnectYAML

/// Writes diagnostics in the chosen format: text to stderr, the machine
/// formats to stdout alone (SPEC §6).
struct DiagnosticReporter {
    var format: OutputFormat

    func report(_ checked: CheckedProject) {
        let diagnostics = checked.diagnostics
        switch format {
        case .text:
            Self.text(diagnostics, sources: checked.sources, summary: checked.summary)
        case .json:
            Output.standardOutput(DiagnosticJSONView().render(diagnostics, summary: checked.summary))
        case .github:
            Output.standardOutput(DiagnosticGitHubView().render(diagnostics))
        case .sarif:
            Output.standardOutput(DiagnosticSARIFView(toolVersion: Konnect.version).render(diagnostics))
        }
    }

    /// The text format on stderr: the one place every command's diagnostics
    /// are rendered for people. Without a summary, no closing line.
    static func text(_ diagnostics: [Diagnostic], sources: [String: SourceText], summary: DiagnosticSummary?) {
        let view = DiagnosticTextView(color: Terminal.colorOnStandardError, sources: sources)
        let sorted = Diagnostic.sorted(diagnostics)
        if let summary {
            Output.standardError(view.render(sorted, summary: summary))
        } else {
            Output.standardError(sorted.map { view.render($0) + "\n" }.joined())
        }
    }
}

enum Output {
    static func standardOutput(_ s: String) {
        FileHandle.standardOutput.write(Data(s.utf8))
    }

    static func standardError(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }
}
