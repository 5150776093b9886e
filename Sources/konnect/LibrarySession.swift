#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Foundation
import KonnectCore
import KonnectLibrary
import KonnectYAML

/// What the plan and apply commands share: the checked and compiled
/// project, the opened library, and who this process is.
struct LibrarySession {
    var project: Project
    var library: any Library

    /// The library of a read-only command (`list`, `show`, `history`,
    /// `export`, `unlock`): an existing one, or `LibraryError.absent`.
    /// Nothing is created (SPEC §7).
    static func open(_ options: ProjectOptions) throws -> LibrarySession {
        let project = try Project.locate(options)
        return LibrarySession(project: project, library: try backend(project).openForReading())
    }

    /// The library `plan` reads: an existing one, or, when there is none
    /// yet, an empty one, saying so on stderr. Nothing is created (SPEC §7).
    static func open(_ project: Project, _ backend: any LibraryBackend) throws -> LibrarySession {
        if let library = try backend.openExisting() { return LibrarySession(project: project, library: library) }
        Output.standardError("\(LibraryError.absent(url: backend.displayURL))\n")
        return LibrarySession(project: project, library: AbsentLibrary(url: backend.displayURL))
    }

    /// The library `apply` writes to, created and migrated first when needed:
    /// the only opener that creates one.
    static func openCreating(_ project: Project, _ backend: any LibraryBackend) throws -> LibrarySession {
        LibrarySession(project: project, library: try backend.openCreating())
    }

    /// The project's library backend. Plan and apply make it once and open
    /// through it both the prefetch and their library, which may share what
    /// the first open found (PostgreSQL: one connection); a URL that names
    /// no backend is reported when the library is opened, after the check.
    static func backend(_ project: Project) throws -> any LibraryBackend {
        try LibraryRegistry.backend(for: project.libraryURL, relativeTo: project.directory)
    }

    /// A project checked for a plan, and the files it was checked from.
    struct Checked {
        var project: CheckedProject
        var files: [SourceFile]
    }

    /// Checks the project. Diagnostics are reported (text, on stderr); with
    /// errors, the command stops before the library is touched. Against an
    /// existing library only outlines are kept: a plan checks again just the
    /// konnectors it compiles, those the library does not hold unchanged.
    static func check(_ project: Project, prefetched: SnapshotPrefetch) throws -> Checked {
        let files = try project.readKonnectorFiles()
        let checked = try project.check(files: files, keeping: prefetched.libraryExists ? .outlines : .models)
        if !checked.diagnostics.isEmpty {
            DiagnosticReporter(format: .text).report(checked)
        }
        if checked.hasErrors { throw ExitCode.failure }
        return Checked(project: checked, files: files)
    }

    /// The plan of the checked project against this library (`PlanPipeline`),
    /// from the prefetched snapshot when the library has not moved since.
    /// Errors found while planning are reported, and stop the command.
    func plan(_ checked: Checked, targets: [String], prefetched: SnapshotPrefetch) throws -> PlanPipeline.Result {
        let pipeline = PlanPipeline(project: project.name, targets: targets.map(PlanTarget.init))
        let schemas = checked.project.schemas
        let planned = try pipeline.plan(checked.project, library: LibraryPlanReader(library, prefetched: prefetched)) { outlines in
            ProjectValidator().models(of: outlines, files: checked.files, schemas: schemas)
        }
        if !planned.diagnostics.isEmpty {
            let objects = planned.objects
            let summary = DiagnosticSummary(files: checked.project.fileCount, konnectors: objects.filter { $0.kind == .konnector }.count,
                                            connections: objects.filter { $0.kind == .connection }.count, diagnostics: planned.diagnostics)
            DiagnosticReporter.text(planned.diagnostics, sources: checked.project.sources, summary: summary)
            throw ExitCode.failure
        }
        return planned
    }

    var holder: LockHolder {
        LockHolder(project: project.name, user: Identity.user, host: ProcessInfo.processInfo.hostName, pid: Int(getpid()),
                   since: Clock.now(), operation: "apply")
    }

    /// Runs `body` holding the library's apply lock, its lease renewed while
    /// `body` runs; the lock is released however `body` ends (a killed
    /// process leaves it until its lease runs out, or `konnect unlock`).
    /// A lock whose lease had expired is taken over, and that is said.
    func locked<T>(timeout: Double, _ body: () throws -> T) throws -> T {
        let me = holder
        if let previous = try library.lock(me, timeout: timeout) {
            Output.standardError("took over the lock of \(previous) (lease expired at \(previous.leaseExpiresText))\n")
        }
        let renewer = LeaseRenewer(library, holder: me)
        defer {
            renewer.stop()
            if renewer.lost { Output.standardError("warning: the lock was cleared or taken over while this apply held it\n") }
            try? library.unlock(me)
        }
        return try body()
    }
}

enum Identity {
    static var user: String {
        let env = ProcessInfo.processInfo.environment
        if let u = env["USER"] ?? env["LOGNAME"], !u.isEmpty { return u }
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "unknown"
    }
}

enum Clock {
    /// Now, RFC 3339 in UTC, to the second.
    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date())
    }
}

/// Parses `--lock-timeout` values: `10s`, `500ms`, `2m`, or plain seconds.
struct Duration: ExpressibleByArgument {
    var seconds: Double

    init(seconds: Double) { self.seconds = seconds }

    init?(argument: String) {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60)]
        for (suffix, scale) in units where argument.hasSuffix(suffix) {
            guard let v = Double(argument.dropLast(suffix.count)), v >= 0, v.isFinite else { return nil }
            seconds = v * scale
            return
        }
        guard let v = Double(argument), v >= 0, v.isFinite else { return nil }
        seconds = v
    }
}
