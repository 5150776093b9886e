import Foundation
import KonnectCore

/// Writes diagnostics in the chosen format: text to stderr, the machine
/// formats to stdout alone (SPEC §6).
struct DiagnosticReporter {
    var format: OutputFormat

    func report(_ checked: CheckedProject) {
        let diagnostics = checked.diagnostics
        switch format {
        case .text:
            let view = DiagnosticTextView(color: Terminal.colorOnStandardError, sources: checked.sources)
            Output.standardError(view.render(diagnostics, summary: checked.summary))
        case .json:
            Output.standardOutput(DiagnosticJSONView().render(diagnostics, summary: checked.summary))
        case .github:
            Output.standardOutput(DiagnosticGitHubView().render(diagnostics))
        case .sarif:
            Output.standardOutput(DiagnosticSARIFView(toolVersion: Konnect.version).render(diagnostics))
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
