import ArgumentParser
import Foundation
import KonnectCore
import KonnectLibrary

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a saved plan exactly, or plan and apply after confirmation."
    )

    @OptionGroup var options: ProjectOptions

    @Argument(help: "A plan saved by `konnect plan --out FILE`.")
    var planFile: String?

    @Flag(help: "Apply without asking for confirmation.")
    var autoApprove = false

    @Option(help: "How long to wait for another apply to finish (e.g. 10s, 500ms, 2m).")
    var lockTimeout: Duration = Duration(seconds: 10)

    @Option(name: .long, help: "Limit the plan to an id, or to `tag:NAME` (repeatable).")
    var target: [String] = []

    func validate() throws {
        if planFile != nil && !target.isEmpty {
            throw ValidationError("--target cannot be combined with a saved plan; the plan was targeted when it was made")
        }
    }

    func run() throws {
        let project = try Project.locate(options)
        // Asked of git while the project is checked: it is a process to start and wait for.
        let commit = Background { Git.headCommit(in: project.directory) }
        let view = PlanTextView(color: Terminal.colorOnStandardOutput)
        if let planFile {
            let session = try LibrarySession.openCreating(project)
            let text: String
            do {
                text = String(decoding: try FileSystem.read(FileSystem.absolute(planFile)), as: UTF8.self)
            }
            let plan = try PlanFile.decode(text)
            guard plan.project == project.name else {
                throw CLIError("the plan was made for project `\(plan.project)`, but this is `\(project.name)`; nothing was applied")
            }
            // The stale check runs inside the lock, in the apply's own transaction.
            let revision = try session.locked(timeout: lockTimeout.seconds) {
                try session.library.apply(plan, revision: revisionInfo(commit.take()))
            }
            report(plan, revision: revision, view: view)
            return
        }
        // Configuration errors stop at the check, before the library is written to (or created).
        let prefetched = SnapshotPrefetch(url: project.libraryURL, relativeTo: project.directory, project: project.name)
        let checked = try LibrarySession.check(project, prefetched: prefetched)
        let session = try LibrarySession.openCreating(project)
        // Lock before planning, so two applies never plan against the same serial
        // (a snapshot read before the lock is used only if the serial has not moved).
        try session.locked(timeout: lockTimeout.seconds) {
            let plan = try session.plan(checked, targets: target, prefetched: prefetched)
            Output.standardOutput(view.render(plan))
            guard !plan.isEmpty else { return }
            if !autoApprove {
                guard Terminal.standardInputIsTerminal else {
                    Output.standardError("error: refusing to apply without confirmation: there is no terminal to ask on. "
                                         + "Review the plan and pass --auto-approve, or apply a saved plan file.\n")
                    throw ExitCode.failure
                }
                Output.standardOutput("\nDo you want to apply these changes? Only 'yes' will be accepted: ")
                guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                    Output.standardError("Apply cancelled; nothing was changed.\n")
                    throw ExitCode.failure
                }
            }
            let revision = try session.library.apply(plan, revision: revisionInfo(commit.take()))
            Output.standardOutput("\n")
            report(plan, revision: revision, view: view, showChanges: false)
        }
    }

    private func revisionInfo(_ commit: String) -> RevisionInfo {
        RevisionInfo(user: Identity.user, gitCommit: commit, time: Clock.now())
    }

    private func report(_ plan: Plan, revision: Revision?, view: PlanTextView, showChanges: Bool = true) {
        if showChanges {
            Output.standardOutput(plan.isEmpty ? "No changes. The library matches the configuration.\n"
                                  : plan.changes.map { view.render($0) }.joined(separator: "\n") + "\n")
        }
        let s = plan.summary
        Output.standardOutput("Apply complete: \(s.create) created, \(s.update) updated, \(s.rename) renamed, \(s.delete) deleted.\n")
        if let revision { Output.standardOutput("Library serial is now \(revision.serial).\n") }
    }
}
