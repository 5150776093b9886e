import Foundation
import KonnectCore

/// One kind of library storage, for one library URL (SPEC §7). The registry
/// makes one from a URL; the CLI opens the library through it and never
/// learns which backend it talks to.
///
/// To add a backend: write a type conforming to `LibraryBackend` (and its
/// `Library`), add its schemes to `LibraryRegistry.schemes`, and subclass
/// `LibraryConformanceTests` with a factory for it (Tests/KonnectLibraryTests).
public protocol LibraryBackend: Sendable {
    /// The URL as messages show it: a password replaced by `***`.
    var displayURL: String { get }

    /// The library, to read from: nil when it does not exist yet. Creates
    /// nothing — no file, folder, schema or table — and migrates nothing;
    /// throws when the library is there but cannot be read (`newer`,
    /// `older`, damaged, unreachable).
    func openExisting() throws -> (any Library)?

    /// The library, created and migrated first when needed (safe when
    /// several processes create it at once). Only `apply` calls this.
    func openCreating() throws -> any Library

    /// Capability (SnapshotPrefetch): whether a snapshot is cheap enough to
    /// read while the project is still being checked — a local file is; a
    /// backend whose every read is a network round trip may say no.
    var prefetches: Bool { get }

    /// With `prefetches`: whether a library appears to be there, by a look
    /// that costs nothing (a file exists). Decides how much of the project
    /// the check keeps (everything for a first apply, outlines otherwise).
    func appearsToExist() -> Bool
}

extension LibraryBackend {
    public var prefetches: Bool { false }
    public func appearsToExist() -> Bool { true }

    /// The library to read from, or `LibraryError.absent`: what `list`,
    /// `show`, `history`, `export` and `unlock` open.
    public func openForReading() throws -> any Library {
        guard let library = try openExisting() else { throw LibraryError.absent(url: displayURL) }
        return library
    }
}

/// Maps a library URL's scheme to its backend: the one place that knows
/// which backends exist.
public enum LibraryRegistry {
    /// A URL scheme and how to make its backend from the URL, the folder a
    /// relative path is relative to, and the environment (PGPASSWORD…).
    public struct Scheme: Sendable {
        public var prefixes: [String]
        public var make: @Sendable (_ url: String, _ directory: String, _ environment: [String: String]) throws -> any LibraryBackend
    }

    /// Every scheme of SPEC §7, in the order they are tried.
    public static let schemes: [Scheme] = [
        Scheme(prefixes: ["sqlite:"]) { url, directory, _ in try SQLiteBackend(url: url, relativeTo: directory) },
        Scheme(prefixes: ["postgres://", "postgresql://"]) { url, _, environment in
            try PostgresBackend(url: url, environment: environment)
        },
        Scheme(prefixes: ["http://", "https://"]) { url, _, _ in
            throw LibraryError.plannedURL(LibraryURL.redacted(url), backend: "`konnect serve`")
        },
    ]

    /// The backend for `url` (a relative `sqlite:` path is relative to
    /// `directory`). Throws `unsupportedURL` or `plannedURL`, with the URL
    /// shown without its password. Opens nothing yet.
    public static func backend(for url: String, relativeTo directory: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any LibraryBackend {
        let lowered = url.lowercased()
        guard let scheme = schemes.first(where: { $0.prefixes.contains { lowered.hasPrefix($0) } }) else {
            throw LibraryError.unsupportedURL(LibraryURL.redacted(url))
        }
        let backend = try scheme.make(url, directory, environment)
        let secrets = LibraryURL.secrets(in: url, environment: environment)
        return secrets.isEmpty ? backend : RedactingBackend(base: backend, secrets: secrets)
    }
}

/// Library URLs as they may be shown.
public enum LibraryURL {
    /// `url` with the password of its user part, and a `password=` query
    /// parameter, replaced by `***` (SPEC §7).
    public static func redacted(_ url: String) -> String {
        var out = url
        if let scheme = out.range(of: "://") {
            let rest = out[scheme.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@"),
               let colon = rest[..<at].firstIndex(of: ":") {
                out.replaceSubrange(out.index(after: colon)..<at, with: "***")
            }
        }
        if let query = out.firstIndex(of: "?") {
            let parts = out[out.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false).map { part -> String in
                part.lowercased().hasPrefix("password=") ? "password=***" : String(part)
            }
            out = String(out[...query]) + parts.joined(separator: "&")
        }
        return TerminalText.escaped(out)
    }

    /// The passwords a message about `url` must never show: the URL's own
    /// (raw and percent-decoded) and PGPASSWORD's.
    static func secrets(in url: String, environment: [String: String]) -> [String] {
        var found: [String] = []
        if let scheme = url.range(of: "://") {
            let rest = url[scheme.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
                found.append(String(rest[rest.index(after: colon)..<at]))
            }
        }
        if let query = url.firstIndex(of: "?") {
            for part in url[url.index(after: query)...].split(separator: "&") where part.lowercased().hasPrefix("password=") {
                found.append(String(part.dropFirst("password=".count)))
            }
        }
        if let password = environment["PGPASSWORD"] { found.append(password) }
        found += found.compactMap { $0.removingPercentEncoding }
        return Array(Set(found.filter { !$0.isEmpty }))
    }

    /// `text` with every secret replaced by `***`.
    static func masking(_ text: String, _ secrets: [String]) -> String {
        secrets.sorted { $0.count > $1.count }.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }
}

/// Masks passwords in whatever a backend throws: a driver's error may
/// quote a connection string, and no message may show the password.
struct RedactingBackend: LibraryBackend {
    let base: any LibraryBackend
    let secrets: [String]

    var displayURL: String { base.displayURL }
    var prefetches: Bool { base.prefetches }
    func appearsToExist() -> Bool { base.appearsToExist() }
    func openExisting() throws -> (any Library)? {
        try masked { try base.openExisting().map { RedactingLibrary(base: $0, secrets: secrets) } }
    }
    func openCreating() throws -> any Library {
        try masked { RedactingLibrary(base: try base.openCreating(), secrets: secrets) }
    }
    func masked<T>(_ body: () throws -> T) throws -> T { try Redaction.masked(secrets, body) }
}

struct RedactingLibrary: Library {
    let base: any Library
    let secrets: [String]

    func masked<T>(_ body: () throws -> T) throws -> T { try Redaction.masked(secrets, body) }
    func snapshot(project: String, ids: Set<LibrarySnapshot.Key>?) throws -> LibrarySnapshot {
        try masked { try base.snapshot(project: project, ids: ids) }
    }
    func version() throws -> LibraryVersion { try masked { try base.version() } }
    func definitions(project: String, keys: [LibrarySnapshot.Key]) throws -> [LibrarySnapshot.Key: String] {
        try masked { try base.definitions(project: project, keys: keys) }
    }
    func lock(_ holder: LockHolder, timeout: Double, lease: Double) throws -> LockHolder? {
        try masked { try base.lock(holder, timeout: timeout, lease: lease) }
    }
    func renewLock(_ holder: LockHolder, lease: Double) throws -> Bool { try masked { try base.renewLock(holder, lease: lease) } }
    func unlock(_ holder: LockHolder) throws { try masked { try base.unlock(holder) } }
    func currentLock() throws -> LockHolder? { try masked { try base.currentLock() } }
    func apply(_ plan: Plan, revision: RevisionInfo) throws -> Revision? { try masked { try base.apply(plan, revision: revision) } }
    func objects(project: String) throws -> [StoredObject] { try masked { try base.objects(project: project) } }
    func history(project: String, id: String?) throws -> [Revision] { try masked { try base.history(project: project, id: id) } }
}

enum Redaction {
    /// Runs `body`; an error whose text shows a secret is rethrown as
    /// `LibraryError.failed` with the secret masked.
    static func masked<T>(_ secrets: [String], _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            let text = "\(error)"
            guard secrets.contains(where: { text.contains($0) }) else { throw error }
            throw LibraryError.failed(LibraryURL.masking(text, secrets))
        }
    }
}
