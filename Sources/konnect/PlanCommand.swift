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

    @Option(help: "Output format: text or json.")
    var format: PlanFormat = .text

    @Option(name: .long, help: "Save the plan to this file, for `konnect apply FILE`.")
    var out: String?

    @Option(name: .long, help: "Limit the plan to an id, or to `tag:NAME` (repeatable).")
    var target: [String] = []

    @Flag(help: "Exit 2 when there are changes, 0 when there are none.")
    var detailedExitcode = false

    func run() throws {
        // Configuration errors stop at the check, before the library is written to (or created).
        let project = try Project.locate(options)
        let prefetched = SnapshotPrefetch(url: project.libraryURL, relativeTo: project.directory, project: project.name)
        let checked = try LibrarySession.check(project, prefetched: prefetched)
        let session = try LibrarySession.open(project)
        let plan = try session.plan(checked, targets: target, prefetched: prefetched)
        switch format {
        case .text: Output.standardOutput(PlanTextView(color: Terminal.colorOnStandardOutput).render(plan))
        case .json: Output.standardOutput(PlanJSONView().render(plan))
        }
        if let out {
            try Data(PlanFile.encode(plan).utf8).write(to: URL(fileURLWithPath: FileSystem.absolute(out)))
            if format == .text { Output.standardOutput("\nSaved the plan to \(out). Apply it exactly with: konnect apply \(out)\n") }
        }
        if detailedExitcode && !plan.isEmpty { throw ExitCode(2) }
    }
}

enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
