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

    @Option(help: "Who applies, for the history (default: $KONNECT_ACTOR, $GITHUB_ACTOR, the OS user).")
    var actor: String?

    @Option(name: .long, help: "Limit the plan to an id, or to `tag:NAME` (repeatable).")
    var target: [String] = []

    func validate() throws {
        if planFile != nil && !target.isEmpty {
            throw ValidationError("--target cannot be combined with a saved plan; the plan was targeted when it was made")
        }
    }

    func run() throws { try LibraryErrorText.escaping(body) }

    func body() throws {
        let project = try Project.locate(options)
        // Asked of git while the project is checked: it is a process to start and wait for.
        let commit = Background { Git.commit(in: project.directory, paths: project.readPaths) }
        let view = ApplyTextView(color: Terminal.colorOnStandardOutput)
        if let planFile {
            let text: String
            do {
                text = String(decoding: try FileSystem.read(FileSystem.absolute(planFile)), as: UTF8.self)
            }
            // Untrusted (SPEC §8): validated whole before the library is touched.
            let decoded = try PlanFile.decode(text)
            guard decoded.project == project.name else {
                throw CLIError("the plan was made for project `\(TerminalText.escaped(decoded.project))`, "
                               + "but this is `\(TerminalText.escaped(project.name))`; nothing was applied")
            }
            // Every sensitive field the definitions set must be declared sensitive, as the
            // project's schemas say: a file declaring fewer would have its literals shown in clear.
            let (schemas, _, _) = SchemaLoader().load(try project.readSchemaFiles())
            for c in decoded.changes {
                guard let o = c.after, o.kind == .konnector, let d = o.definition else { continue }
                let missing = SensitivePaths.required(by: d, schemas: schemas).filter { !o.sensitivePaths.contains($0) }
                if let first = missing.first {
                    throw CLIError("the plan file does not mark `\(TerminalText.escaped(first))` of konnector `\(TerminalText.escaped(o.id))` "
                                   + "sensitive, though its app's schema does; make the plan again with `konnect plan --out`; nothing was applied")
                }
            }
            let backend = try LibrarySession.backend(project)
            // A plan made against a library applies to that library only: one that is gone
            // makes the plan stale, and none is created in its place (SPEC §8).
            if !decoded.lineage.isEmpty, backend.appearsToExist() == false {
                throw LibraryError.stale(planned: "\(TerminalText.escaped(decoded.lineage)) serial \(decoded.serial)",
                                         current: "no library (none exists at this URL)")
            }
            let session = try LibrarySession.openCreating(project, backend)
            // Inside the lock: the change list is computed against the library
            // as it is now, and the library's transaction checks the serial again.
            let (plan, revision) = try session.locked(timeout: lockTimeout.seconds) {
                let plan = try Self.verified(decoded, in: session.library)
                return (plan, try session.library.apply(plan, revision: revisionInfo(commit.take())))
            }
            Output.standardOutput(view.report(plan, serial: revision?.serial, showChanges: true))
            return
        }
        // Configuration errors stop at the check, before the library is written to (or created).
        let backend = Result { try LibrarySession.backend(project) }
        let prefetched = SnapshotPrefetch(backend: try? backend.get(), project: project.name)
        let checked = try LibrarySession.check(project, prefetched: prefetched)
        // A --target that matches nothing stops here, before a library is created.
        try PlanCommand.checkTargets(target, project: checked.project) {
            try LibrarySession.open(project, backend.get()).library.snapshot(project: project.name, ids: Set()).owned
        }
        let session = try LibrarySession.openCreating(project, backend.get())
        // Lock before planning, so two applies never plan against the same serial
        // (a snapshot read before the lock is used only if the serial has not moved).
        try session.locked(timeout: lockTimeout.seconds) {
            let planned = try session.plan(checked, targets: target, prefetched: prefetched)
            // The process ends soon after: what it checked and planned is not freed.
            defer { Teardown.skip((checked, planned)) }
            let plan = planned.plan
            Output.standardOutput(view.plan.render(plan))
            // Under the lock, before any change: unchanged objects take the compile keys they would be applied with now.
            try session.library.refreshKeys(project: plan.project, plan.keyRefreshes)
            guard !plan.isEmpty else { return }
            if !autoApprove {
                guard Terminal.standardInputIsTerminal else {
                    Output.standardError(ApplyTextView.refusal)
                    throw ExitCode.failure
                }
                Output.standardOutput(ApplyTextView.question)
                guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                    Output.standardError(ApplyTextView.cancelled)
                    throw ExitCode.failure
                }
            }
            let revision = try session.library.apply(plan, revision: revisionInfo(commit.take()))
            Output.standardOutput(view.report(plan, serial: revision?.serial, showChanges: false))
        }
    }

    /// A saved plan's changes as they apply to the library now: refused when
    /// the library contradicts them, stale when it moved on since the plan.
    static func verified(_ plan: Plan, in library: any Library) throws -> Plan {
        let keys = Set(plan.changes.flatMap { c in
            [LibrarySnapshot.Key(c.kind, c.id)] + (c.renamedFrom.map { [LibrarySnapshot.Key(c.kind, $0)] } ?? [])
        })
        var snapshot = try library.snapshot(project: plan.project, ids: keys)
        let planned = LibraryVersion(lineage: plan.lineage, serial: plan.serial)
        guard LibraryVersion(lineage: snapshot.lineage, serial: snapshot.serial).admits(planned) else {
            throw LibraryError.stale(planned: "\(plan.lineage.isEmpty ? "a new library" : TerminalText.escaped(plan.lineage)) serial \(plan.serial)",
                                     current: "\(snapshot.lineage) serial \(snapshot.serial)")
        }
        snapshot.fill(try library.definitions(project: plan.project, keys: PlanFile.definitionsNeeded(plan)))
        return try PlanFile.verified(plan, against: snapshot)
    }

    private func revisionInfo(_ commit: String) -> RevisionInfo {
        RevisionInfo(user: Actor.resolve(actor), gitCommit: commit, time: Clock.now())
    }
}
