import Foundation
import KonnectCore
import KonnectYAML

/// Paths as konnect prints them (SPEC §6): relative to the current
/// directory when the file is under it, else absolute — as compilers print
/// them, so CI annotations attach to the right file when the project is a
/// sub-folder of the repository. Diagnostics and test results hold paths
/// relative to the project; they are turned into printed paths here, at
/// output, and nowhere else.
struct OutputPaths: Sendable {
    /// The project folder, absolute.
    var project: String
    /// The current directory, absolute.
    var current: String

    /// The project located by this run (set once, by `Project.locate`).
    nonisolated(unsafe) private static var located: OutputPaths?

    /// The paths of this run: relative to `directory`, the project folder.
    static func use(project directory: String) {
        located = OutputPaths(project: (directory as NSString).standardizingPath,
                              current: (FileManager.default.currentDirectoryPath as NSString).standardizingPath)
    }

    /// The printed paths of this run; without a located project, paths print as they are.
    static var current: OutputPaths? { located }

    /// A path as printed: `path` is relative to the project, or absolute.
    func shown(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : (project as NSString).appendingPathComponent(path)
        return Self.relative(absolute, to: current)
    }

    /// `absolute` relative to `base` when it is under it, else as it is.
    static func relative(_ absolute: String, to base: String) -> String {
        if base == "/" { return absolute.hasPrefix("/") ? String(absolute.dropFirst()) : absolute }
        if absolute.hasPrefix(base + "/") { return String(absolute.dropFirst(base.count + 1)) }
        return absolute
    }

    func shown(_ d: Diagnostic) -> Diagnostic {
        var d = d
        d.file = shown(d.file)
        for i in d.notes.indices { d.notes[i].file = d.notes[i].file.map(shown) }
        return d
    }

    func shown(_ r: TestRunner.Result) -> TestRunner.Result {
        var r = r
        r.file = shown(r.file)
        r.errors = r.errors.map(shown)
        return r
    }
}

extension Array where Element == TestRunner.Result {
    /// The results with their paths as printed (see `OutputPaths`).
    var withPrintedPaths: [TestRunner.Result] {
        guard let paths = OutputPaths.current else { return self }
        return map(paths.shown)
    }
}
