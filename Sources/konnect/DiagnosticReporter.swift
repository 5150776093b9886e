import Foundation
import KonnectCore
import KonnectYAML

/// Writes diagnostics in the chosen format: text to stderr, the machine
/// formats to stdout alone (SPEC §6). The one place diagnostics are
/// rendered: each file's literal secrets (SPEC §3) are masked here, before
/// any view sees them, and from then on in everything konnect writes.
struct DiagnosticReporter {
    var format: OutputFormat

    func report(_ checked: CheckedProject) {
        // Every secret comes with a diagnostic in its file (a literal-secret,
        // an unknown or repeated key), so a command that checked a project
        // with secrets always comes here before it writes anything else.
        let masks = SecretMask.masks(of: checked.sources)
        Output.conceal(masks)
        let diagnostics = SecretMask.masking(checked.diagnostics, masks: masks)
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
        let sorted = Diagnostic.sorted(SecretMask.masking(diagnostics, masks: SecretMask.masks(of: sources)))
        if let summary {
            Output.standardError(view.render(sorted, summary: summary))
        } else {
            Output.standardError(sorted.map { view.render($0) + "\n" }.joined())
        }
    }
}

/// Everything konnect writes goes through here.
enum Output {
    /// The project's literal secrets, once known: every later write has
    /// them masked (plan, test and run output, whichever file a value came
    /// from), a net under the views, which show sensitive fields as
    /// `(sensitive)` already.
    nonisolated(unsafe) private static var concealed = SecretMask()
    private static let lock = NSLock()

    static func conceal(_ masks: [String: SecretMask]) {
        guard !masks.isEmpty else { return }
        lock.lock()
        defer { lock.unlock() }
        for mask in masks.values { concealed.formUnion(mask) }
    }

    static func standardOutput(_ s: String) {
        FileHandle.standardOutput.write(Data(masked(s).utf8))
    }

    static func standardError(_ s: String) {
        FileHandle.standardError.write(Data(masked(s).utf8))
    }

    private static func masked(_ s: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        return concealed.masking(s)
    }
}
