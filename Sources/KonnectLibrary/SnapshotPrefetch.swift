import Foundation
import KonnectCore

/// A project's snapshot, read while the project is checked. Checking keeps
/// every core busy but for its reading and its serial end; the read runs at
/// the lowest priority, so it takes those idle moments and not the checker's
/// time. Only an existing library at the current schema is read, and only
/// read: a project with errors leaves the library untouched (SPEC §8). The
/// snapshot is used only if the library's serial has not moved since.
public struct SnapshotPrefetch: Sendable {
    private let reading: Background<LibrarySnapshot?>
    /// Whether there was a library file to read when this started.
    public let libraryExists: Bool

    /// Starts reading project `name`'s snapshot from the library at `url`.
    public init(url: String, relativeTo directory: String, project name: String) {
        libraryExists = LibraryURL.sqlitePath(url, relativeTo: directory).map { FileManager.default.fileExists(atPath: $0) } ?? false
        reading = Background(idle: true) {
            try? LibraryURL.openExisting(url, relativeTo: directory)?.snapshot(project: name, ids: nil)
        }
    }

    /// Waits until the read is done (or found nothing to read).
    public func wait() { reading.wait() }

    /// The snapshot, if it could be read and `library` is still at its version
    /// (asked once: the snapshot is handed over, not kept).
    public func snapshot(current library: any Library) throws -> LibrarySnapshot? {
        guard let snapshot = reading.take() else { return nil }
        return try library.version() == LibraryVersion(lineage: snapshot.lineage, serial: snapshot.serial) ? snapshot : nil
    }
}
