import KonnectCore

/// A konnector library (SPEC §7). The planner reads snapshots and the
/// applier writes plans through this protocol only: a backend (SQLite,
/// PostgreSQL, a library server) is found by its URL in `LibraryRegistry`
/// and must pass `LibraryConformanceTests` (Tests/KonnectLibraryTests).
///
/// What every backend promises, beyond the signatures:
/// - Reads create nothing. A library is created (and migrated) only by
///   `LibraryBackend.openCreating`, which only `apply` calls.
/// - A definition is checked against its hash, and parsed, whenever it is
///   read (`definitions`, `objects`): a mismatch is `LibraryError.damaged`
///   naming the object, never a `null` (`StoredIntegrity` does the check).
/// - `apply` is one transaction: the stale check, every change, the serial
///   and the history revision land together or not at all.
/// - The lock is a row with a lease (`LockHolder`, `LockLease`): a lock whose
///   lease expired is taken over; it never depends on one session staying open.
public protocol Library: Sendable {
    /// Lineage, serial, this project's objects with what planning reads (no
    /// definitions, times or sources), and the owners of `ids` held by other
    /// projects (nil: of every id other projects hold).
    func snapshot(project: String, ids: Set<LibrarySnapshot.Key>?) throws -> LibrarySnapshot

    /// The library's lineage and serial: the serial moves with every change
    /// of its objects, so an earlier snapshot with the same pair is current.
    func version() throws -> LibraryVersion

    /// The definitions of some of this project's objects, in one query,
    /// each checked against its hash.
    func definitions(project: String, keys: [LibrarySnapshot.Key]) throws -> [LibrarySnapshot.Key: String]

    /// Takes the library's apply lock for `holder`, waiting up to `timeout`
    /// seconds, with a lease of `lease` seconds from now. A lock whose lease
    /// has expired is taken over at once: its holder is returned (to say so,
    /// SPEC §7); nil when the lock was free. Throws `LibraryError.locked`,
    /// naming the holder, when the wait ends first.
    func lock(_ holder: LockHolder, timeout: Double, lease: Double) throws -> LockHolder?
    /// Moves `holder`'s lease on to `lease` seconds from now; false when
    /// `holder` (by id) no longer holds the lock.
    func renewLock(_ holder: LockHolder, lease: Double) throws -> Bool
    /// Releases the lock if `holder` (by id) still holds it: a holder's own
    /// release, and `konnect unlock` clearing the holder it showed.
    func unlock(_ holder: LockHolder) throws
    /// Deletes the lock whatever it holds: `konnect unlock --force` of a
    /// lock row that cannot be read (`LibraryError.damagedLock`).
    func clearLock() throws
    /// The lock's holder, with its lease's end; nil when the library is not locked.
    func currentLock() throws -> LockHolder?

    /// Applies a plan in one transaction, or nothing of it: throws
    /// `LibraryError.stale` when the library moved on since the plan
    /// (`LibraryVersion.admits`).
    func apply(_ plan: Plan, revision: RevisionInfo) throws -> Revision?
    /// Records the compile keys of unchanged objects (`Plan.keyRefreshes`),
    /// each only where the object still has the refresh's hash; nothing
    /// else moves (no version, serial or revision).
    func refreshKeys(project: String, _ refreshes: [Plan.KeyRefresh]) throws

    /// This project's objects, definitions included (checked).
    func objects(project: String) throws -> [StoredObject]
    func history(project: String, id: String?) throws -> [Revision]
}

extension Library {
    /// Takes the lock with the lease of SPEC §7 (30 seconds).
    @discardableResult
    public func lock(_ holder: LockHolder, timeout: Double) throws -> LockHolder? {
        try lock(holder, timeout: timeout, lease: LockLease.seconds)
    }
}
