#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import KonnectCore

/// A project's snapshot, read while the project is checked. Checking keeps
/// every core busy but for its reading and its serial end; this thread runs
/// at the lowest priority, so it takes those idle moments and not the
/// checker's time. Only an existing library at the current schema is read,
/// read-only: a project with errors leaves the library untouched (SPEC §8).
/// The snapshot is used only if the library's serial has not moved since.
public final class SnapshotPrefetch: Sendable {
    private let reading: Reading

    /// Starts reading project `name`'s snapshot from the library at `url`.
    public init(url: String, relativeTo directory: String, project name: String) {
        let reading = Reading()
        self.reading = reading
        Thread.detachNewThread {
            #if canImport(Glibc)
            // On Linux the nice value is per thread, and 0 names the calling one.
            setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
            #endif
            reading.finish(try? LibraryURL.openExisting(url, relativeTo: directory)?.snapshot(project: name, ids: nil))
        }
    }

    /// Waits for the read, so that no connection is open when the process
    /// ends (an error in the project ends it early): the library's WAL files
    /// are removed when its last connection closes.
    deinit { _ = reading.wait() }

    /// The snapshot, if it could be read and `library` is still at its version.
    public func snapshot(current library: any Library) throws -> LibrarySnapshot? {
        guard let snapshot = reading.wait() else { return nil }
        return try library.version() == LibraryVersion(lineage: snapshot.lineage, serial: snapshot.serial) ? snapshot : nil
    }

    /// The result, handed from the reading thread once.
    private final class Reading: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        // Written once before `done` is signalled, read only after waiting for it.
        private var snapshot: LibrarySnapshot?

        func finish(_ snapshot: LibrarySnapshot?) {
            self.snapshot = snapshot
            done.signal()
        }

        func wait() -> LibrarySnapshot? {
            done.wait()
            done.signal()
            return snapshot
        }
    }
}
