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
        let configPath = (directory as NSString).appendingPathComponent(ProjectConfig.fileName)
        if FileSystem.exists(configPath, directory: false) {
            let stream = YAMLParser().parse(try FileSystem.read(configPath))
            (config, diagnostics) = ProjectConfig.decode(stream)
            source = stream.source
        }
        let library = options.library
            ?? ProcessInfo.processInfo.environment["KONNECT_LIBRARY"].flatMap { $0.isEmpty ? nil : $0 }
            ?? config.library
            ?? ProjectConfig.defaultLibrary
        return Project(directory: directory, config: config, configDiagnostics: diagnostics,
                       configSource: source, libraryURL: library)
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

    /// Reads every konnector file, in parallel, in a deterministic order.
    func readKonnectorFiles() throws -> [SourceFile] {
        guard FileSystem.exists(konnectorsDirectory, directory: true) else {
            throw CLIError("no konnectors folder at \(konnectorsDirectory); run `konnect init` to start a project, or pass --project")
        }
        return try readYAMLFiles(under: konnectorsDirectory)
    }

    /// The app schemas; a project without a schemas folder has no apps.
    func readSchemaFiles() throws -> [SourceFile] {
        guard FileSystem.exists(schemasDirectory, directory: true) else { return [] }
        return try readYAMLFiles(under: schemasDirectory)
    }

    private func readYAMLFiles(under folder: String) throws -> [SourceFile] {
        let paths = FileSystem.yamlFiles(under: folder, relativeTo: directory)
        // Joined by hand: NSString's path methods cost more than reading a small file.
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        let results = Parallel.map(paths) { path -> Result<SourceFile, CLIError> in
            do {
                // A folder outside the project (`konnectors: ../shared`) gives absolute paths.
                return .success(SourceFile(path: path, bytes: try FileSystem.read(path.hasPrefix("/") ? path : base + path)))
            } catch let error as CLIError {
                return .failure(error)
            } catch {
                return .failure(CLIError("cannot read \(path): \(error)"))
            }
        }
        return try results.map { try $0.get() }
    }

    /// Parses and checks the whole project; `.diagnostics` when only those are wanted.
    func check(keeping: ProjectValidator.Keeping = .models) throws -> CheckedProject {
        try check(files: readKonnectorFiles(), keeping: keeping)
    }

    /// Checks the project from these konnector files (and the schemas folder).
    func check(files: [SourceFile], keeping: ProjectValidator.Keeping) throws -> CheckedProject {
        let schemaFiles = try readSchemaFiles()
        var sources: [String: SourceText] = [:]
        if let configSource { sources[ProjectConfig.fileName] = configSource }
        return ProjectValidator(keeping: keeping).validate(files: files, schemaFiles: schemaFiles, extraDiagnostics: configDiagnostics, extraSources: sources)
    }
}
