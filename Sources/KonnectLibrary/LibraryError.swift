/// Real failures of a library (not problems in the user's files).
public enum LibraryError: Error, CustomStringConvertible, Equatable {
    case stale(planned: String, current: String)
    case locked(LockHolder, waited: Double)
    case unsupportedURL(String)
    case corrupt(String)

    public var description: String {
        switch self {
        case let .stale(planned, current):
            return "plan is stale: it was made for \(planned), but the library is now at \(current); run `konnect plan` again"
        case let .locked(holder, waited):
            let wait = waited < 1 ? "\(Int((waited * 1000).rounded()))ms" : "\(waited)s"
            return "the library is locked by \(holder); gave up after waiting \(wait). "
                + "If that process is gone, run `konnect unlock`"
        case .unsupportedURL(let url):
            return "unsupported library URL `\(url)`: use sqlite:PATH (postgres:// and http(s):// libraries are planned)"
        case .corrupt(let what):
            return "the library is damaged: \(what)"
        }
    }
}
