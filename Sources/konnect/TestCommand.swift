import ArgumentParser
import Foundation
import KonnectCore

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the konnectors' test cases: simulate each event and check what every step receives."
    )

    @OptionGroup var options: ProjectOptions
    @Argument(help: "Only the tests of these konnector ids.") var ids: [String] = []
    @Option(help: "Output format: text or json.") var format: ViewFormat = .text
    @Option(help: "The time `now()` returns, RFC 3339 (default: the current time).") var now: Instant?

    func run() throws {
        let project = try Project.locate(options)
        let checked = try project.check()
        Output.conceal(SecretMask.masks(of: checked.sources))
        if !checked.diagnostics.isEmpty { DiagnosticReporter(format: .text).report(checked) }
        let known = Set(checked.konnectors.compactMap { $0.id?.value })
        let unknown = ids.filter { !known.contains($0) }
        if !unknown.isEmpty {
            throw CLIError("no konnector \(unknown.map { "`\(TerminalText.escaped($0))`" }.joined(separator: ", ")) in the project")
        }
        // Every case is counted: one that cannot run is a failed case, listed with its errors (SPEC §9).
        let runner = TestRunner(simulator: Simulator(now: (now ?? Instant.current).seconds))
        let results = runner.run(checked.testCases(of: ids)).withPrintedPaths
        switch format {
        case .text: Output.standardOutput(TestReportView(color: Terminal.colorOnStandardOutput).render(results))
        case .json: Output.standardOutput(TestReportView(color: false).json(results))
        }
        if checked.hasErrors || results.contains(where: { !$0.passed }) { throw ExitCode.failure }
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Simulate one event through a konnector and print the trace: filter, steps, rendered inputs."
    )

    @OptionGroup var options: ProjectOptions
    @Argument(help: "The konnector id.") var id: String
    @Option(help: "The event, as a JSON or YAML file.") var event: String?
    @Flag(help: "Use the trigger's sample event from the app schema.") var sample = false
    @Option(help: "Output format: text or json.") var format: ViewFormat = .text
    @Option(help: "The time `now()` returns, RFC 3339 (default: the current time).") var now: Instant?

    func validate() throws {
        guard (event != nil) != sample else { throw ValidationError("give exactly one of --event FILE and --sample") }
    }

    func run() throws {
        let project = try Project.locate(options)
        let checked = try project.check()
        Output.conceal(SecretMask.masks(of: checked.sources))
        guard let k = checked.checkedKonnectors.first(where: { $0.id == id }) else {
            if checked.hasErrors { DiagnosticReporter(format: .text).report(checked); throw ExitCode.failure }
            let known = checked.checkedKonnectors.map(\.id)
            let hint = Suggestion.hint(for: id, among: known, noun: "konnectors").map { "; \(TerminalText.escaped($0))" } ?? ""
            throw CLIError("no konnector `\(TerminalText.escaped(id))` in the project" + hint)
        }
        var value: RuntimeValue
        if let event {
            let file = SourceFile(path: FileSystem.absolute(event), bytes: try FileSystem.read(FileSystem.absolute(event)))
            let (parsed, diagnostics, source) = EventChecker.check(file, for: k)
            if !diagnostics.isEmpty {
                DiagnosticReporter.text(diagnostics, sources: [file.path: source],
                                        summary: DiagnosticSummary(files: 1, konnectors: 0, connections: 0, diagnostics: diagnostics))
            }
            guard let parsed else { throw ExitCode.failure }
            value = parsed
        } else {
            guard let s = k.trigger.sample else { throw CLIError("\(k.trigger.qualifiedName) has no sample event; pass --event FILE") }
            value = RuntimeValue.from(s, as: k.trigger.output)
        }
        let run = Simulator(now: (now ?? Instant.current).seconds).run(k, event: value)
        let trace = run.shown()
        switch format {
        case .text: Output.standardOutput(RunTraceView().text(trace, konnector: k))
        case .json: Output.standardOutput(RunTraceView().json(trace))
        }
        if run.failed { throw ExitCode.failure }
    }
}

/// `--now 2026-03-02T12:00:00Z`.
struct Instant: ExpressibleByArgument {
    var seconds: Double

    init(seconds: Double) { self.seconds = seconds }

    init?(argument: String) {
        guard let t = Formats.dateTimeParts(argument) else { return nil }
        seconds = t
    }

    static var current: Instant { Instant(seconds: Date().timeIntervalSince1970) }
}
