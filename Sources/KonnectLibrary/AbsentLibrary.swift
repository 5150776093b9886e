import KonnectCore

/// A library that does not exist yet, as `plan` sees it (SPEC §7): empty,
/// at `LibraryVersion.absent`. Reading it creates nothing; it cannot be
/// locked or applied to (only `apply` creates a library, through its backend).
public struct AbsentLibrary: Library {
    public let url: String

    public init(url: String) { self.url = url }

    public func snapshot(project: String, ids: Set<LibrarySnapshot.Key>?) throws -> LibrarySnapshot {
        LibrarySnapshot(lineage: LibraryVersion.absent.lineage, serial: LibraryVersion.absent.serial, owned: [], foreignOwners: [:])
    }
    public func version() throws -> LibraryVersion { .absent }
    public func definitions(project: String, keys: [LibrarySnapshot.Key]) throws -> [LibrarySnapshot.Key: String] { [:] }
    public func objects(project: String) throws -> [StoredObject] { [] }
    public func history(project: String, id: String?) throws -> [Revision] { [] }
    public func currentLock() throws -> LockHolder? { nil }
    public func lock(_ holder: LockHolder, timeout: Double, lease: Double) throws -> LockHolder? { throw LibraryError.absent(url: url) }
    public func renewLock(_ holder: LockHolder, lease: Double) throws -> Bool { throw LibraryError.absent(url: url) }
    public func unlock(_ holder: LockHolder) throws { throw LibraryError.absent(url: url) }
    public func clearLock() throws { throw LibraryError.absent(url: url) }
    public func refreshKeys(project: String, _ refreshes: [Plan.KeyRefresh]) throws { throw LibraryError.absent(url: url) }
    public func apply(_ plan: Plan, revision: RevisionInfo) throws -> Revision? { throw LibraryError.absent(url: url) }
}
