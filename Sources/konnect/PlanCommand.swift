import ArgumentParser
import Foundation
import KonnectCore
import KonnectLibrary

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would change in the library, field by field."
    )

    @OptionGroup var options: ProjectOptions

    @Option(help: "Output format: text, json, or markdown (a pull-request comment).")
    var format: PlanOutputFormat = .text

    @Option(name: .long, help: "Save the plan to this file, for `konnect apply FILE`.")
    var out: String?

    @Option(name: .long, help: "Limit the plan to an id, or to `tag:NAME` (repeatable).")
    var target: [String] = []

    @Flag(help: "Exit 2 when there are changes, 0 when there are none.")
    var detailedExitcode = false

    func run() throws { try LibraryErrorText.escaping(body) }

    func body() throws {
        // Configuration errors stop at the check, before the library is written to (or created).
        let project = try Project.locate(options)
        let backend = Result { try LibrarySession.backend(project) }
        let prefetched = SnapshotPrefetch(backend: try? backend.get(), project: project.name)
        let checked = try LibrarySession.check(project, prefetched: prefetched)
        let session = try LibrarySession.open(project, backend.get())
        try Self.checkTargets(target, project: checked.project) { try session.library.snapshot(project: project.name, ids: Set()).owned }
        let planned = try session.plan(checked, targets: target, prefetched: prefetched)
        // The process ends soon after: what it checked and planned is not freed.
        defer { Teardown.skip((checked, planned)) }
        let plan = planned.plan
        switch format {
        case .text: Output.standardOutput(PlanTextView(color: Terminal.colorOnStandardOutput).render(plan))
        case .json: Output.standardOutput(PlanJSONView().render(plan))
        case .markdown: Output.standardOutput(PlanMarkdownView().render(plan))
        }
        if let out {
            try FileSystem.writeFile(Array(PlanFile.encode(plan).utf8), to: out)
            if format == .text { Output.standardOutput("\nSaved the plan to \(out). Apply it exactly with: konnect apply \(out)\n") }
        }
        if detailedExitcode && !plan.isEmpty { throw ExitCode(2) }
    }

    /// SPEC §8: every `--target` names an id or tag of the project or of
    /// the library's objects of this project; one that matches nothing is an
    /// error (exit 1), never an empty plan. `library` (this project's
    /// objects in the library) is asked only when the project has no match.
    static func checkTargets(_ texts: [String], project: CheckedProject, library: () throws -> [StoredObject]) throws {
        let targets = texts.map(PlanTarget.init)
        var candidates = PlanTarget.Candidates(project)
        guard targets.contains(where: { !candidates.matches($0) }) else { return }
        candidates.add(try library())
        let messages = targets.filter { !candidates.matches($0) }.map(candidates.noMatch)
        if !messages.isEmpty { throw CLIError(messages.joined(separator: "\nError: ")) }
    }
}
