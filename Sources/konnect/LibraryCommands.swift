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
    var format: PlanFormat = .text

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
        switch format {
        case .json:
            Output.standardOutput(JSONValue.object(["objects": .array(stored.map { o in
                .object([
                    "id": .string(o.id), "kind": .string(o.kind.rawValue), "enabled": .bool(o.enabled),
                    "version": .int(o.version), "updated": .string(o.updatedAt), "drift": .string(drift(o)),
                ])
            })]).serialized() + "\n")
        case .text:
            guard !stored.isEmpty else {
                Output.standardOutput("The library holds nothing for project `\(TerminalText.escaped(session.project.name))` yet. Run `konnect apply`.\n")
                return
            }
            let rows = [["ID", "KIND", "ENABLED", "VERSION", "UPDATED", "REPOSITORY"]] + stored.map {
                [TerminalText.escaped($0.id), $0.kind.rawValue, $0.enabled ? "yes" : "no", String($0.version),
                 TerminalText.escaped($0.updatedAt), drift($0)]
            }
            Output.standardOutput(Table.render(rows))
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

    func run() throws { try LibraryErrorText.escaping(body) }

    func body() throws {
        let session = try LibrarySession.open(options)
        let stored = try session.library.objects(project: session.project.name)
        guard let o = stored.first(where: { $0.id == id && $0.kind == .konnector }) ?? stored.first(where: { $0.id == id }) else {
            let hint = Suggestion.hint(for: id, among: stored.map(\.id), noun: "ids in the library") ?? "nothing is applied yet"
            throw CLIError(TerminalText.escaped("no object `\(id)` in the library for project `\(session.project.name)`; \(hint)"))
        }
        var header = "\(o.kind.rawValue) \(o.id)  version \(o.version)  \(o.enabled ? "enabled" : "disabled")\n"
        header += "hash     \(o.hash)\nupdated  \(o.updatedAt) (created \(o.createdAt))\n"
        header += "source   \(o.sourceFile)\(o.sourceCommit.isEmpty ? "" : " @ \(o.sourceCommit.prefix(12))")\n\n"
        // Line by line, so that no stored text can forge a line or move the cursor (SPEC §6).
        let text = header + Self.masked(o.definition, o.sensitivePaths).pretty()
        Output.standardOutput(text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { TerminalText.escaped(String($0)) }.joined(separator: "\n") + "\n")
    }

    /// Sensitive values are never shown (SPEC §4).
    static func masked(_ definition: JSONValue, _ paths: [String]) -> JSONValue {
        func walk(_ v: JSONValue, _ path: String) -> JSONValue {
            if paths.contains(path) { return .string("(sensitive)") }
            switch v {
            case .object(let members):
                return .object(members.map { .init($0.key, walk($0.value, path.isEmpty ? $0.key : "\(path).\($0.key)")) })
            case .array(let items) where path == "steps":
                return .array(items.map { step in
                    let id = step["id"]?.stringValue ?? ""
                    guard case .object(let members) = step else { return step }
                    return .object(members.map { .init($0.key, walk($0.value, "steps.\(id).\($0.key)")) })
                })
            default:
                return v
            }
        }
        return walk(definition, "")
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show the library's revisions for this project, newest first."
    )

    @OptionGroup var options: ProjectOptions
    @Argument(help: "Only revisions that changed this id.") var id: String?

    func run() throws { try LibraryErrorText.escaping(body) }

    func body() throws {
        let session = try LibrarySession.open(options)
        let revisions = try session.library.history(project: session.project.name, id: id)
        guard !revisions.isEmpty else {
            Output.standardOutput(id.map { "No revisions changed `\(TerminalText.escaped($0))`.\n" } ?? "No revisions yet.\n")
            return
        }
        var out = ""
        for r in revisions {
            out += "serial \(r.serial)  \(TerminalText.escaped(r.appliedAt))  \(TerminalText.escaped(r.user))"
            if !r.gitCommit.isEmpty { out += "  commit \(TerminalText.escaped(String(r.gitCommit.prefix(12))))" }
            out += "\n"
            for c in r.changes where id == nil || c.id == id || c.renamedFrom == id {
                let symbol = PlanChange.Action(word: c.action)?.rawValue ?? "?"
                var line = "    \(symbol) \(TerminalText.escaped(c.kind)) \(TerminalText.escaped(c.id))"
                if let from = c.renamedFrom { line += " (from \(TerminalText.escaped(from)))" }
                if let v = c.version { line += "  v\(v)" }
                out += line + "\n"
            }
        }
        Output.standardOutput(out)
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write library objects back to YAML files that validate and plan to no changes."
    )

    @OptionGroup var options: ProjectOptions
    @Argument(help: "Ids to export (default: all of this project's objects).") var ids: [String] = []
    @Option(name: .long, help: "The folder to write into.") var out: String

    func run() throws { try LibraryErrorText.escaping(body) }

    func body() throws {
        let session = try LibrarySession.open(options)
        var stored = try session.library.objects(project: session.project.name)
        if !ids.isEmpty {
            let missing = ids.filter { id in !stored.contains { $0.id == id } }
            if !missing.isEmpty { throw CLIError("not in the library: \(missing.map(TerminalText.escaped).joined(separator: ", "))") }
            stored = stored.filter { ids.contains($0.id) }
        }
        // File names come only from checked slugs (SPEC §10): an id that is
        // not one, or that its definition does not repeat, is never written.
        for o in stored {
            guard Slug.isValid(o.id) else {
                throw CLIError("the library's \(o.kind.rawValue) `\(TerminalText.escaped(o.id))` has an id that is not a slug; "
                               + "nothing was exported")
            }
            guard o.definition["id"] == .string(o.id) else {
                throw CLIError("the library's \(o.kind.rawValue) `\(o.id)` has a definition with another id; nothing was exported")
            }
        }
        // Not standardized: that would resolve a link at --out itself, which is refused.
        let path = out.hasPrefix("/") ? out : FileManager.default.currentDirectoryPath + "/" + out
        let folder = try ExportFolder(path, shown: out)
        let view = ExportYAMLView()
        for o in stored {
            try folder.write(view.render(kind: o.kind, definition: o.definition),
                             in: o.kind == .konnector ? "konnectors" : "connections", name: "\(o.id).yaml")
        }
        Output.standardOutput("Exported \(stored.count) objects to \(TerminalText.escaped(out))\n")
    }
}

/// `export --out DIR`, written only inside DIR (SPEC §10): DIR and its
/// subfolders are opened once, without following a symbolic link, and each
/// file is opened relative to its folder, never through a link, a special
/// file, or a file with other hard links.
final class ExportFolder {
    let fd: Int32
    let shown: String

    init(_ path: String, shown: String) throws {
        self.shown = shown
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw Self.refused(TerminalText.escaped(shown), errno) }
    }

    deinit { close(fd) }

    /// `text` into `subfolder/name`, both plain names the caller checked.
    func write(_ text: String, in subfolder: String, name: String) throws {
        let shownFolder = "\(TerminalText.escaped(shown))/\(subfolder)"
        if mkdirat(fd, subfolder, 0o755) != 0 && errno != EEXIST { throw Self.refused(shownFolder, errno) }
        let dir = openat(fd, subfolder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard dir >= 0 else { throw Self.refused(shownFolder, errno) }
        defer { close(dir) }
        let shownFile = "\(shownFolder)/\(name)"
        // Not truncated on open: a file with other names is refused before it is touched.
        let file = openat(dir, name, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o644)
        guard file >= 0 else { throw Self.refused(shownFile, errno) }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0 else { throw Self.refused(shownFile, errno) }
        guard info.st_mode & S_IFMT == S_IFREG, info.st_nlink == 1 else {
            throw CLIError("refusing to write \(shownFile): it is not a plain file of its own (a special file, or one with other hard links); nothing more was exported")
        }
        guard ftruncate(file, 0) == 0 else { throw Self.refused(shownFile, errno) }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { systemWrite(file, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.refused(shownFile, errno)
            }
            bytes = bytes.dropFirst(n)
        }
    }

    private static func refused(_ shownPath: String, _ code: Int32) -> CLIError {
        if code == ELOOP || code == ENOTDIR {
            return CLIError("refusing to write through \(shownPath): it is a symbolic link or not a folder; export writes only inside --out")
        }
        return CLIError("cannot write \(shownPath): \(String(cString: strerror(code)))")
    }
}

/// `write(2)`, named apart from `ExportFolder.write`.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
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
        guard let holder = try session.library.currentLock() else {
            Output.standardOutput("The library is not locked.\n")
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
            throw CLIError(TerminalText.escaped(alive
                ? "the lock is held by \(holder), which is still running (lease until \(holder.leaseExpiresText)); wait for it, or pass --force"
                : "the lock is held by \(holder) on another host, with a lease until \(holder.leaseExpiresText); "
                    + "make sure it is gone, then pass --force"))
        }
        try session.library.unlock(holder)
        Output.standardOutput(TerminalText.escaped("Cleared the lock held by \(holder)\(expired ? " (lease expired at \(holder.leaseExpiresText))" : "").") + "\n")
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

enum Table {
    static func render(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = first.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
