import Foundation
import KonnectCore

/// A project's snapshot, read while the project is checked, from a backend
/// that offers it (`LibraryBackend.prefetches`). Checking keeps every core
/// busy but for its reading and its serial end; the read runs at the lowest
/// priority, so it takes those idle moments and not the checker's time.
/// Only an existing library at the current version is read, and only read:
/// a project with errors leaves the library untouched (SPEC §8). The
/// snapshot is used only if the library's serial has not moved since.
public struct SnapshotPrefetch: Sendable {
    private let reading: Background<LibrarySnapshot?>?
    /// Whether there appeared to be a library when this started (true when
    /// the backend could not tell in time: the check then keeps outlines only).
    public let libraryExists: Bool

    /// Starts reading project `name`'s snapshot from `backend`, if it offers it
    /// (none without a backend: a URL that names none is reported when opened).
    public init(backend: (any LibraryBackend)?, project name: String) {
        guard let backend, backend.prefetches else {
            libraryExists = true
            reading = nil
            return
        }
        // Unknown: the check keeps outlines (right either way), and nothing is read ahead.
        let look = backend.appearsToExist()
        libraryExists = look ?? true
        reading = look == true ? Background(idle: true) { try? backend.openExisting()?.snapshot(project: name, ids: nil) } : nil
    }

    /// Waits until the read is done (or found nothing to read).
    public func wait() { reading?.wait() }

    /// The snapshot, if it could be read and `library` is still at its version
    /// (asked once: the snapshot is handed over, not kept).
    public func snapshot(current library: any Library) throws -> LibrarySnapshot? {
        guard let snapshot = reading?.take() else { return nil }
        return try library.version() == LibraryVersion(lineage: snapshot.lineage, serial: snapshot.serial) ? snapshot : nil
    }
}
