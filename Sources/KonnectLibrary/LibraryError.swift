/// Real failures of a library (not problems in the user's files). Every
/// backend throws these, so the same situation reads the same on each.
/// A URL in a message is always a display URL (`LibraryURL.redacted`).
public enum LibraryError: Error, CustomStringConvertible, Equatable {
    case stale(planned: String, current: String)
    case locked(LockHolder, waited: Double)
    case unsupportedURL(String)
    /// A scheme SPEC §7 names but this build does not offer yet.
    case plannedURL(String, backend: String)
    /// Read-only commands never create a library (SPEC §7).
    case absent(url: String)
    /// Written by a konnect that knows migrations this one does not.
    case newer(url: String, version: Int, known: Int)
    /// Needs migrations that only `apply` runs.
    case older(url: String, version: Int, current: Int)
    /// One stored object cannot be trusted: its definition does not match
    /// its hash, does not parse, or its row is malformed.
    case damaged(kind: String, id: String, reason: String)
    case corrupt(String)
    /// The lock row cannot be read; only `konnect unlock --force` clears it.
    case damagedLock(reason: String)
    /// Any other failure, already worded (and with no password in it).
    case failed(String)

    public var description: String {
        switch self {
        case let .stale(planned, current):
            return "plan is stale: it was made for \(planned), but the library is now at \(current); run `konnect plan` again"
        case let .locked(holder, waited):
            let wait = waited < 1 ? "\(Int((waited * 1000).rounded()))ms" : "\(waited)s"
            return "the library is locked by \(holder); gave up after waiting \(wait). "
                + "If that process is gone, run `konnect unlock`"
        case .unsupportedURL(let url):
            return "unsupported library URL `\(url)`: use sqlite:PATH or postgres://USER@HOST:PORT/DB"
        case let .plannedURL(url, backend):
            return "library URL `\(url)`: \(backend) libraries are planned but not available in this konnect; use sqlite:PATH or postgres://USER@HOST:PORT/DB"
        case .absent(let url):
            return "library \(url) does not exist yet; apply will create it"
        case let .newer(url, version, known):
            return "library \(url) was written by a newer konnect (library version \(version); this konnect knows versions up to \(known)); "
                + "upgrade konnect to use it"
        case let .older(url, version, current):
            return "library \(url) is at library version \(version), older than this konnect's \(current); "
                + "`konnect apply` upgrades it"
        case let .damaged(kind, id, reason):
            return "the library's \(kind) `\(id)` is damaged: \(reason); it is neither shown nor planned against. "
                + "Restore the library from a backup, or delete the object's row and apply again"
        case .corrupt(let what):
            return "the library is damaged: \(what)"
        case .damagedLock(let reason):
            return "the library's lock is damaged: \(reason); no one can take it. "
                + "If no apply is running, run `konnect unlock --force` to clear it"
        case .failed(let message):
            return message
        }
    }
}
