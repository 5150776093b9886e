#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Foundation
import KonnectCore
import KonnectLibrary

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
        Output.standardOutput(ExportYAMLView.summary(count: stored.count, folder: out))
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
            let n = bytes.withUnsafeBytes { systemWriteFile(file, $0.baseAddress!, $0.count) }
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
