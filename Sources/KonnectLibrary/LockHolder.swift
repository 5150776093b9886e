/// Who holds a library's apply lock, and since when.
public struct LockHolder: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var host: String
    public var pid: Int
    /// RFC 3339, UTC.
    public var since: String

    public init(user: String, host: String, pid: Int, since: String) {
        self.user = user
        self.host = host
        self.pid = pid
        self.since = since
    }

    public var description: String { "\(user)@\(host) (pid \(pid)) since \(since)" }
}
