import Foundation
import KonnectCore
import KonnectYAML

/// A project located on disk: its folder, its `konnect.yaml`, and the
/// library URL chosen by flag > KONNECT_LIBRARY > file > default (SPEC §1).
struct Project {
    var directory: String
    var config: ProjectConfig
    var configDiagnostics: [Diagnostic]
    var configSource: SourceText?
    var libraryURL: String
    /// Where `konnect.yaml` sets `konnectors:` and `schemas:` (their values), when it does.
    var configRanges: [String: SourceRange] = [:]
    /// What the last read of the konnectors folder could not read: `LibrarySession` reads
    /// the files first and checks them after, and `check(files:)` reports these with them.
    private let konnectorsRead = ReadLog()

    var name: String { config.project ?? (directory as NSString).lastPathComponent }
    var konnectorsDirectory: String { (directory as NSString).appendingPathComponent(config.konnectors) }
    var schemasDirectory: String { (directory as NSString).appendingPathComponent(config.schemas) }

    static func locate(_ options: ProjectOptions) throws -> Project {
        let directory: String
        if let given = options.project {
            directory = FileSystem.absolute(given)
            guard FileSystem.exists(directory, directory: true) else {
                throw CLIError("project directory \(given) does not exist")
            }
        } else {
            directory = nearestProject(from: FileManager.default.currentDirectoryPath)
        }
        var config = ProjectConfig()
        var diagnostics: [Diagnostic] = []
        var source: SourceText? = nil
        var ranges: [String: SourceRange] = [:]
        let configPath = (directory as NSString).appendingPathComponent(ProjectConfig.fileName)
        if FileSystem.exists(configPath, directory: false) {
            let stream = YAMLParser().parse(try readConfig(configPath))
            (config, diagnostics) = ProjectConfig.decode(stream)
            source = stream.source
            let root = stream.documents.first?.root
            for (key, value) in [("konnectors", config.konnectors), ("schemas", config.schemas)] {
                if let node = root?[key], node.scalarText == value { ranges[key] = node.range }
            }
        }
        let library = options.library
            ?? ProcessInfo.processInfo.environment["KONNECT_LIBRARY"].flatMap { $0.isEmpty ? nil : $0 }
            ?? config.library
            ?? ProjectConfig.defaultLibrary
        OutputPaths.use(project: directory)
        return Project(directory: directory, config: config, configDiagnostics: diagnostics,
                       configSource: source, libraryURL: library, configRanges: ranges)
    }

    /// `konnect.yaml` decides which library is used: one that cannot be read stops the command.
    private static func readConfig(_ path: String) throws -> [UInt8] {
        let limit = YAMLLimits.standard.maxFileBytes
        switch FileSystem.read(Array(path.utf8) + [0], limit: limit, followingLinks: true) {
        case .bytes(let bytes): return bytes
        case .tooLarge(let size): throw CLIError("cannot read \(path): it is \(size) bytes, over the limit of \(limit) bytes (1 MiB)")
        case .failed(let reason): throw CLIError("cannot read \(path): \(reason)")
        }
    }

    private static func nearestProject(from start: String) -> String {
        var dir = (start as NSString).standardizingPath
        while true {
            if FileSystem.exists((dir as NSString).appendingPathComponent(ProjectConfig.fileName), directory: false) {
                return dir
            }
            let parent = (dir as NSString).deletingLastPathComponent
            if parent == dir || parent.isEmpty { return (start as NSString).standardizingPath }
            dir = parent
        }
    }

    /// The files of a folder, and diagnostics for what in it could not be read.
    struct FolderRead: Sendable {
        var files: [SourceFile] = []
        var diagnostics: [Diagnostic] = []
        /// YAML files found but not read (too large, or unreadable).
        var unreadFiles = 0
    }

    /// Reads every konnector file, in parallel, in a deterministic order.
    /// What cannot be read is reported by the next `check(files:)`.
    func readKonnectorFiles() throws -> [SourceFile] {
        let read: FolderRead
        if let missing = missingFolder("konnectors", at: konnectorsDirectory) {
            read = FolderRead(diagnostics: [missing])
        } else if FileSystem.exists(konnectorsDirectory, directory: true) {
            read = readYAMLFiles(under: konnectorsDirectory)
        } else {
            throw CLIError("no konnectors folder at \(konnectorsDirectory); run `konnect init` to start a project, or pass --project")
        }
        var problems = read
        problems.files = []
        konnectorsRead.value = problems
        return read.files
    }

    /// The app schemas; a project without a schemas folder has no apps.
    /// What cannot be read stops the command.
    func readSchemaFiles() throws -> [SourceFile] {
        let read = readSchemas()
        if let first = read.diagnostics.first {
            throw CLIError("cannot read the schemas: \(first.file): \(first.message)"
                           + (read.diagnostics.count > 1 ? " (and \(read.diagnostics.count - 1) more)" : ""))
        }
        return read.files
    }

    private func readSchemas() -> FolderRead {
        if let missing = missingFolder("schemas", at: schemasDirectory) { return FolderRead(diagnostics: [missing]) }
        guard FileSystem.exists(schemasDirectory, directory: true) else { return FolderRead() }
        return readYAMLFiles(under: schemasDirectory)
    }

    /// One error at `konnect.yaml` when the folder it names is not there.
    private func missingFolder(_ key: String, at path: String) -> Diagnostic? {
        guard let range = configRanges[key], !FileSystem.exists(path, directory: true) else { return nil }
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: directory))?
            .filter { !$0.hasPrefix(".") && FileSystem.exists((directory as NSString).appendingPathComponent($0), directory: true) } ?? []
        let value = key == "schemas" ? config.schemas : config.konnectors
        return .missingProjectFolder(key: key, folder: value, notAFolder: FileSystem.exists(path), candidates: folders.sorted(),
                                     file: ProjectConfig.fileName, at: range)
    }

    private func readYAMLFiles(under folder: String) -> FolderRead {
        let walk = FileSystem.yamlFiles(under: folder, relativeTo: directory)
        let limit = YAMLLimits.standard.maxFileBytes
        enum Outcome: Sendable { case success(SourceFile), failure(Diagnostic) }
        let results = Parallel.map(walk.files) { file -> Outcome in
            // Links were resolved by the walk: a link met now was put there since, and is not followed.
            switch FileSystem.read(file.location, limit: limit, followingLinks: false) {
            case .bytes(let bytes): return .success(SourceFile(path: file.path, bytes: bytes))
            case .tooLarge(let size): return .failure(.fileTooLarge(bytes: size, max: limit, file: file.path))
            case .failed(let reason): return .failure(.unreadable(.file(reason), file: FileSystem.shown(Array(file.path.utf8))))
            }
        }
        var read = FolderRead(diagnostics: walk.problems.map { .unreadable($0.cause, file: $0.path) })
        read.files.reserveCapacity(results.count)
        for result in results {
            switch result {
            case .success(let file): read.files.append(file)
            case .failure(let diagnostic):
                read.diagnostics.append(diagnostic)
                read.unreadFiles += 1
            }
        }
        return read
    }

    /// Parses and checks the whole project; `.diagnostics` when only those are wanted.
    func check(keeping: ProjectValidator.Keeping = .models) throws -> CheckedProject {
        try check(files: readKonnectorFiles(), keeping: keeping)
    }

    /// Checks the project from these konnector files (and the schemas folder),
    /// with what the konnectors folder's read could not read.
    func check(files: [SourceFile], keeping: ProjectValidator.Keeping) throws -> CheckedProject {
        let konnectors = konnectorsRead.value
        let schemas = readSchemas()
        var sources: [String: SourceText] = [:]
        if let configSource { sources[ProjectConfig.fileName] = configSource }
        let unread = ProjectValidator.Unread(schemas: !schemas.diagnostics.isEmpty, konnectors: !konnectors.diagnostics.isEmpty,
                                             files: konnectors.unreadFiles + schemas.unreadFiles)
        return ProjectValidator(keeping: keeping).validate(
            files: files, schemaFiles: schemas.files, unread: unread,
            extraDiagnostics: configDiagnostics + konnectors.diagnostics + schemas.diagnostics, extraSources: sources)
    }
}

/// A value shared by the copies of a project.
private final class ReadLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = Project.FolderRead()

    var value: Project.FolderRead {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
