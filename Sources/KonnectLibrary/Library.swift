import KonnectCore

/// A konnector library (SPEC §7). The planner reads snapshots and the
/// applier writes plans through this protocol only, so other backends
/// (PostgreSQL, a library server) can come without touching them.
public protocol Library: Sendable {
    /// Lineage, serial, this project's objects with what planning reads (no
    /// definitions, times or sources), and the owners of `ids` held by other
    /// projects (nil: of every id other projects hold).
    func snapshot(project: String, ids: Set<LibrarySnapshot.Key>?) throws -> LibrarySnapshot

    /// The library's lineage and serial: the serial moves with every change
    /// of its objects, so an earlier snapshot with the same pair is current.
    func version() throws -> LibraryVersion

    /// The definitions of some of this project's objects, in one query.
    func definitions(project: String, keys: [LibrarySnapshot.Key]) throws -> [LibrarySnapshot.Key: String]

    /// Takes the library's apply lock, waiting up to `timeout` seconds.
    func lock(_ holder: LockHolder, timeout: Double) throws
    func unlock(_ holder: LockHolder) throws
    func currentLock() throws -> LockHolder?
    /// Clears whatever lock there is (`konnect unlock`).
    func forceUnlock() throws

    /// Applies a plan in one transaction, or nothing of it: throws
    /// `LibraryError.stale` when the library moved on since the plan.
    func apply(_ plan: Plan, revision: RevisionInfo) throws -> Revision?

    func objects(project: String) throws -> [StoredObject]
    func history(project: String, id: String?) throws -> [Revision]
}
