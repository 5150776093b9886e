import ArgumentParser
import KonnectCore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check every konnector, connection and test file of the project."
    )

    @OptionGroup var options: ProjectOptions

    @Option(help: "Output format: text, json, github or sarif.")
    var format: OutputFormat = .text

    @Flag(help: "Fail on warnings too.")
    var strict = false

    func run() throws {
        let project = try Project.locate(options)
        let checked = try project.check(keeping: .diagnostics)
        // The process ends soon after: what it checked is not freed.
        defer { Teardown.skip(checked) }
        DiagnosticReporter(format: format).report(checked)
        if checked.hasErrors || (strict && checked.warningCount > 0) {
            throw ExitCode.failure
        }
    }
}
