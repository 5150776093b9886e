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
    /// read while the project is still being checked — a fixed number of
    /// reads is; a backend that would read object by object should say no.
    var prefetches: Bool { get }

    /// Whether a library appears to be there, by a look
    /// that is cheap next to checking the project (a file exists; one
    /// query), or nil when the look could not tell in time. Decides how much
    /// of the project the check keeps (everything for a first apply,
    /// outlines otherwise), whether a snapshot is read ahead, and whether
    /// the library a saved plan was made for is gone.
    func appearsToExist() -> Bool?
}

extension LibraryBackend {
    public var prefetches: Bool { false }
    public func appearsToExist() -> Bool? { nil }

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
    /// parameter, replaced by `***` (SPEC §7), escaped for a terminal.
    public static func redacted(_ url: String) -> String {
        TerminalText.escaped(masked(url))
    }

    /// `url` with its passwords replaced by `***`, not yet escaped.
    static func masked(_ url: String) -> String {
        var out = url
        if let password = passwordRange(in: out) { out.replaceSubrange(password, with: "***") }
        if let q = out.firstIndex(of: "?") {
            let query = out[out.index(after: q)...].split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
                isPasswordParameter(pair) ? "\(pair.prefix { $0 != "=" })=***" : String(pair)
            }
            out = String(out[...q]) + query.joined(separator: "&")
        }
        return out
    }

    /// Where the password of `url`'s user part is: after the first `:` of
    /// the user part, which ends at the last `@` before the query, as
    /// `PostgresURL` reads it, so a password holding `/` or `@` is masked whole.
    static func passwordRange(in url: String) -> Range<String.Index>? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let beforeQuery = rest[..<(rest.firstIndex(of: "?") ?? rest.endIndex)]
        guard let at = beforeQuery.lastIndex(of: "@"), let colon = beforeQuery[..<at].firstIndex(of: ":") else { return nil }
        return url.index(after: colon)..<at
    }

    /// Whether a query parameter is `password=…` (its name possibly percent-escaped).
    static func isPasswordParameter(_ pair: Substring) -> Bool {
        let name = pair.prefix { $0 != "=" }
        return name.count < pair.count && String(name).removingPercentEncoding?.lowercased() == "password"
    }

    /// The passwords a message about `url` must never show: the URL's own
    /// (raw and percent-decoded) and PGPASSWORD's.
    static func secrets(in url: String, environment: [String: String]) -> [String] {
        var found: [String] = []
        if let password = passwordRange(in: url) { found.append(String(url[password])) }
        if let query = url.firstIndex(of: "?") {
            for pair in url[url.index(after: query)...].split(separator: "&") where isPasswordParameter(pair) {
                found.append(String(pair.drop { $0 != "=" }.dropFirst()))
            }
        }
        if let password = environment["PGPASSWORD"] { found.append(password) }
        found += found.compactMap { $0.removingPercentEncoding }
        return Array(Set(found.filter { !$0.isEmpty }))
    }

    /// `text` with every secret replaced by `***` (the URL's own mark), as
    /// SPEC §3 masks secrets (`SecretMask`): a password of 1 to 3 characters
    /// only where the URL shows it (masking every `p` would turn `postgres`
    /// into `***ostgres`), one of 4 to 7 as a whole word, a longer one wherever it appears.
    static func masking(_ text: String, _ secrets: [String]) -> String {
        var mask = SecretMask()
        for secret in secrets { mask.add(text: secret) }
        return mask.masking(text, placeholder: "***")
    }
}

/// Masks passwords in whatever a backend throws: a driver's error may
/// quote a connection string, and no message may show the password.
struct RedactingBackend: LibraryBackend {
    let base: any LibraryBackend
    let secrets: [String]

    var displayURL: String { base.displayURL }
    var prefetches: Bool { base.prefetches }
    func appearsToExist() -> Bool? { base.appearsToExist() }
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
    func clearLock() throws { try masked { try base.clearLock() } }
    func refreshKeys(project: String, _ refreshes: [Plan.KeyRefresh]) throws {
        try masked { try base.refreshKeys(project: project, refreshes) }
    }
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
