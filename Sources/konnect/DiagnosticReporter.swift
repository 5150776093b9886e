import Foundation
import KonnectCore
import KonnectYAML

/// Writes diagnostics in the chosen format: text to stderr, the machine
/// formats to stdout alone (SPEC §6), every path as printed (`OutputPaths`).
///
/// Secrets: diagnostics and sources come masked from where they were made
/// (`ProjectValidator` masks each file's diagnostics and stars its source),
/// so they are written as they are. The project's secrets are handed to
/// `Output` here, for everything a command writes after its diagnostics
/// (plan, test and run output show values from the files).
struct DiagnosticReporter {
    var format: OutputFormat

    func report(_ checked: CheckedProject) {
        // Every secret comes with a diagnostic in its file (a literal-secret,
        // an unknown or repeated key), so a command that checked a project
        // with secrets always comes here before it writes anything else.
        Output.conceal(SecretMask.masks(of: checked.sources))
        let (diagnostics, _) = Self.printed(checked.diagnostics, sources: [:])
        switch format {
        case .text:
            Self.text(checked.diagnostics, sources: checked.sources, summary: checked.summary)
        case .json:
            Output.diagnostics(DiagnosticJSONView().render(diagnostics, summary: checked.summary), to: .standardOutput)
        case .github:
            Output.diagnostics(DiagnosticGitHubView().render(diagnostics), to: .standardOutput)
        case .sarif:
            Output.diagnostics(DiagnosticSARIFView(toolVersion: Konnect.version).render(diagnostics), to: .standardOutput)
        }
    }

    /// The text format on stderr: the one place every command's diagnostics
    /// are rendered for people. Paths relative to the project (or absolute);
    /// without a summary, no closing line.
    static func text(_ diagnostics: [Diagnostic], sources: [String: SourceText], summary: DiagnosticSummary?) {
        let (shown, sources) = printed(diagnostics, sources: sources)
        let view = DiagnosticTextView(color: Terminal.colorOnStandardError, sources: sources)
        let sorted = Diagnostic.sorted(shown)
        if let summary {
            Output.diagnostics(view.render(sorted, summary: summary), to: .standardError)
        } else {
            Output.diagnostics(sorted.map { view.render($0) + "\n" }.joined(), to: .standardError)
        }
    }

    /// Diagnostics, and the sources they show, with their paths as printed.
    static func printed(_ diagnostics: [Diagnostic], sources: [String: SourceText]) -> ([Diagnostic], [String: SourceText]) {
        guard let paths = OutputPaths.current else { return (diagnostics, sources) }
        var shownSources: [String: SourceText] = [:]
        for file in Set(diagnostics.flatMap { [$0.file] + $0.notes.compactMap(\.file) }) {
            shownSources[paths.shown(file)] = sources[file]
        }
        return (diagnostics.map(paths.shown), shownSources)
    }
}

/// Everything konnect writes goes through here.
enum Output {
    enum Stream { case standardOutput, standardError }

    /// The project's literal secrets, once known: every later write but the
    /// diagnostics (masked where they were made) has them masked — plan,
    /// test and run output, whichever file a value came from — a net under
    /// the views, which show sensitive fields as `(sensitive)` already.
    nonisolated(unsafe) private static var concealed = SecretMask()
    private static let lock = NSLock()

    static func conceal(_ masks: [String: SecretMask]) {
        guard !masks.isEmpty else { return }
        lock.lock()
        defer { lock.unlock() }
        for mask in masks.values { concealed.formUnion(mask) }
    }

    static func standardOutput(_ s: String) {
        write(masked(s), to: .standardOutput)
    }

    static func standardError(_ s: String) {
        write(masked(s), to: .standardError)
    }

    /// Rendered diagnostics, whose messages and snippets are masked already:
    /// written as they are, so no secret's text touches their structure
    /// (a secret `warning` never turns `::warning` into `::****`).
    static func diagnostics(_ s: String, to stream: Stream) {
        write(s, to: stream)
    }

    private static func write(_ s: String, to stream: Stream) {
        (stream == .standardOutput ? FileHandle.standardOutput : FileHandle.standardError).write(Data(s.utf8))
    }

    private static func masked(_ s: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        return concealed.masking(s)
    }
}
