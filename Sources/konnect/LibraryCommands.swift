#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Foundation
import KonnectCore
import KonnectLibrary

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List this project's objects in the library, and whether the repository differs."
    )

    @OptionGroup var options: ProjectOptions

    @Option(help: "Output format: text or json.")
    var format: ViewFormat = .text

    func run() throws { try LibraryErrorText.escaping(body) }

    func body() throws {
        let session = try LibrarySession.open(options)
        let stored = try session.library.objects(project: session.project.name)
        // Drift needs the repository's definitions; a broken repository gives "unknown".
        var repo: [String: String]? = nil
        if let checked = try? session.project.check(), !checked.hasErrors {
            var hashes: [String: String] = [:]
            for o in Compiler.compile(checked) {
                hashes["\(o.kind.rawValue):\(o.id)"] = o.hash
            }
            repo = hashes
        }
        func drift(_ o: StoredObject) -> String {
            guard let repo else { return "unknown" }
            guard let hash = repo["\(o.kind.rawValue):\(o.id)"] else { return "not in repo" }
            return hash == o.hash ? "in sync" : "differs"
        }
        let rows = stored.map { ListView.Row(object: $0, drift: drift($0)) }
        switch format {
        case .json: Output.standardOutput(ListView().json(rows))
        case .text: Output.standardOutput(ListView().text(rows, project: session.project.name))
        }
    }
}

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one object's compiled definition as the library holds it."
    )

    @OptionGroup var options: ProjectOptions
    @Argument(help: "The konnector or connection id.") var id: String
    @Option(help: "Output format: text or json.") var format: ViewFormat = .text
    @Option(help: "The time a schedule's next runs follow, RFC 3339 (default: the current time).") var now: Instant?

    func run() throws { try LibraryErrorText.escaping(body) }

    func body() throws {
        let session = try LibrarySession.open(options)
        let stored = try session.library.objects(project: session.project.name)
        let clock = (now ?? Instant.current).seconds
        guard var o = stored.first(where: { $0.id == id && $0.kind == .konnector }) ?? stored.first(where: { $0.id == id }) else {
            let hint = Suggestion.hint(for: id, among: stored.map(\.id), noun: "ids in the library") ?? "nothing is applied yet"
            throw CLIError(TerminalText.escaped("no object `\(id)` in the library for project `\(session.project.name)`; \(hint)"))
        }
        // The stored sensitive paths are library data, which may have lost some: the fields the
        // project's schemas mark sensitive are masked too (as apply requires of a saved plan).
        if o.kind == .konnector, let json = o.definitionJSON, let definition = try? JSONParser.parse(json),
           let files = try? session.project.readSchemaFiles() {
            let required = SensitivePaths.required(by: definition, schemas: SchemaLoader().load(files).0)
            o.sensitivePaths += required.filter { !o.sensitivePaths.contains($0) }
        }
        // Recorded relative to the project; printed relative to the current directory (SPEC §6).
        if let paths = OutputPaths.current, !o.sourceFile.isEmpty { o.sourceFile = paths.shown(o.sourceFile) }
        switch format {
        case .json: Output.standardOutput(ShowView().json(o, now: clock))
        case .text: Output.standardOutput(ShowView().text(o, now: clock))
        }
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show the library's revisions for this project, newest first."
    )

    @OptionGroup var options: ProjectOptions
    @Argument(help: "Only revisions that changed this id, or the ids it was renamed from.") var id: String?
    @Flag(help: "Show each change's field diffs.") var diff = false
    @Option(help: "Output format: text or json (which always holds the diffs).") var format: ViewFormat = .text

    func run() throws { try LibraryErrorText.escaping(body) }

    func body() throws {
        let session = try LibrarySession.open(options)
        // The whole project's history, so that renames are followed through every id (SPEC §10).
        var revisions = try session.library.history(project: session.project.name, id: nil)
        if let id { revisions = Revision.following(id, in: revisions) }
        switch format {
        case .json: Output.standardOutput(HistoryView().json(revisions))
        case .text: Output.standardOutput(HistoryView().text(revisions, id: id, diff: diff))
        }
    }
}

struct UnlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Clear an apply lock left behind by a process that died."
    )

    @OptionGroup var options: ProjectOptions
    @Flag(help: "Clear the lock even if its holder may still be running.") var force = false

    func run() throws { try LibraryErrorText.escaping(body) }

    func body() throws {
        let session = try LibrarySession.open(options)
        let current: LockHolder?
        do {
            current = try session.library.currentLock()
        } catch LibraryError.damagedLock(let reason) where force {
            // A lock row that cannot be read names no holder to check: --force deletes it as it is.
            try session.library.clearLock()
            Output.standardOutput(UnlockView.clearedDamaged(reason: reason))
            return
        }
        guard let holder = current else {
            Output.standardOutput(UnlockView.notLocked)
            return
        }
        let sameHost = holder.host == ProcessInfo.processInfo.hostName
        // EPERM: the process exists but belongs to someone else — it is alive.
        // A number that is no pid here (a damaged row) names no live process.
        let alive = sameHost && pid_t(exactly: holder.pid).map { $0 > 0 && (kill($0, 0) == 0 || errno == EPERM) } ?? false
        // A live lease is cleared only with --force (SPEC §7), unless its holder is seen dead on this host.
        let expired = holder.leaseExpired()
        if !force && !expired && (alive || !sameHost) {
            // The holder's user and host come from the library: escaped (SPEC §6).
            throw CLIError(UnlockView.refusal(holder: holder.description, leaseUntil: holder.leaseExpiresText, runningHere: alive))
        }
        try session.library.unlock(holder)
        Output.standardOutput(UnlockView.cleared(holder: holder.description, expiredAt: expired ? holder.leaseExpiresText : nil))
    }
}

/// Library errors name objects, users, hosts and lineages read from the
/// library: their text is escaped before it reaches a terminal (SPEC §6).
enum LibraryErrorText {
    static func escaping(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as LibraryError {
            throw CLIError(TerminalText.escaped(error.description))
        }
    }
}
