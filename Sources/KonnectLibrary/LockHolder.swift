import Foundation
import KonnectCore

/// Who holds a library's apply lock (SPEC §7): the same row on every
/// backend. The lock is a lease: its holder renews it while it works
/// (`LockLease`), and a lock whose lease has expired is abandoned, taken
/// over by the next apply that wants it.
public struct LockHolder: Sendable, Equatable, CustomStringConvertible {
    /// Unique per lock taken: a holder releases or renews only its own lock,
    /// never one that was taken over from it meanwhile.
    public var id: String
    public var project: String
    public var user: String
    public var host: String
    public var pid: Int
    /// RFC 3339, UTC.
    public var since: String
    /// What the holder does with the lock (`apply`).
    public var operation: String
    /// When the lease runs out, as the library stored it; nil in a holder
    /// that has not taken the lock yet.
    public var leaseExpires: Date?

    public init(id: String = UUID().uuidString.lowercased(), project: String, user: String, host: String, pid: Int,
                since: String, operation: String = "apply", leaseExpires: Date? = nil) {
        self.id = id
        self.project = project
        self.user = user
        self.host = host
        self.pid = pid
        self.since = since
        self.operation = operation
        self.leaseExpires = leaseExpires
    }

    /// The row is read from the library: untrusted text, escaped for a terminal.
    public var description: String {
        let e = TerminalText.escaped
        return "\(e(user))@\(e(host)) (pid \(pid)) since \(e(since))"
            + (project.isEmpty ? "" : ", \(e(operation)) of project `\(e(project))`")
    }

    /// Whether the lease has run out at `now` (a holder without one has none to run).
    public func leaseExpired(at now: Date = Date()) -> Bool {
        leaseExpires.map { $0 <= now } ?? true
    }

    /// The lease's end, RFC 3339 in UTC to the second, as messages show it.
    public var leaseExpiresText: String {
        guard let leaseExpires else { return "(no lease)" }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: leaseExpires)
    }
}

/// The lease of SPEC §7: 30 seconds, renewed every 10 while the holder works.
public enum LockLease {
    public static let seconds: Double = 30
    public static let renewEvery: Double = 10
}

/// Renews a held lock's lease on a background thread until stopped: an
/// apply that waits for a confirmation, or writes for long, keeps its lock.
/// A renewal that finds the lock gone (cleared by `konnect unlock --force`,
/// or taken over after a stall) stops and is reported by `lost`.
public final class LeaseRenewer: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false
    private var lostLock = false
    private var thread: Thread?

    public init(_ library: any Library, holder: LockHolder, lease: Double = LockLease.seconds,
                every interval: Double = LockLease.renewEvery) {
        let thread = Thread { [self] in
            condition.lock()
            defer { condition.unlock() }
            while !stopped {
                _ = condition.wait(until: Date(timeIntervalSinceNow: interval))
                if stopped { break }
                condition.unlock()
                let kept = (try? library.renewLock(holder, lease: lease)) ?? true  // a failed write is retried next time
                condition.lock()
                if !kept {
                    lostLock = true
                    break
                }
            }
        }
        self.thread = thread
        thread.start()
    }

    /// Whether a renewal found the lock held by someone else, or by no one.
    public var lost: Bool {
        condition.lock()
        defer { condition.unlock() }
        return lostLock
    }

    /// Stops renewing (returns at once; a renewal in flight finishes alone).
    public func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }
}
