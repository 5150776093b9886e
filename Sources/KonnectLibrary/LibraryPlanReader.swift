import KonnectCore

/// A library as `PlanPipeline` reads it: through the `Library` protocol
/// only, whatever the backend, and from the snapshot read ahead while the
/// project was checked (`SnapshotPrefetch`) when the library has not moved since.
public struct LibraryPlanReader: PlanLibrary {
    public let library: any Library
    public let prefetched: SnapshotPrefetch?

    public init(_ library: any Library, prefetched: SnapshotPrefetch? = nil) {
        self.library = library
        self.prefetched = prefetched
    }

    public func snapshot(project: String, ids: Set<LibrarySnapshot.Key>?) throws -> LibrarySnapshot {
        if let early = try prefetched?.snapshot(current: library) { return early }
        return try library.snapshot(project: project, ids: ids)
    }

    public func definitions(project: String, keys: [LibrarySnapshot.Key]) throws -> [LibrarySnapshot.Key: String] {
        try library.definitions(project: project, keys: keys)
    }
}
