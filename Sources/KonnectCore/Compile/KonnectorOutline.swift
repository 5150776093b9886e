import KonnectYAML

/// What plan needs of a clean konnector whose compiled form the library
/// already holds: everything of its `CompiledObject` but the definition.
/// Small, so a plan against a library keeps outlines of every konnector and
/// the checked models only of those it compiles.
public struct KonnectorOutline: Sendable {
    public var id: String
    public var name: String
    public var enabled: Bool
    /// Sorted.
    public var tags: [String]
    public var renamedFrom: String?
    /// The connections it uses, sorted, each once.
    public var connections: [String]
    public var file: String
    public var idRange: SourceRange?
    /// Its file's index in the checked files, and its place among that
    /// file's konnectors: where to check it again for its model.
    public var fileIndex: Int
    public var ordinal: Int

    public init(_ k: CheckedKonnector, fileIndex: Int = 0, ordinal: Int = 0) {
        id = k.id
        name = k.konnector.name?.value ?? k.id
        enabled = k.konnector.isEnabled
        tags = k.konnector.tags.map(\.value).sorted()
        renamedFrom = k.konnector.renamedFrom?.value
        // A konnector uses a handful: sorting and skipping repeats beats building a set.
        var used = k.allActions.compactMap(\.action.connection)
        if let c = k.triggerConnection { used.append(c) }
        used.sort()
        var unique: [String] = []
        unique.reserveCapacity(used.count)
        for c in used where c != unique.last { unique.append(c) }
        connections = unique
        file = k.konnector.file
        idRange = k.konnector.id?.range
        self.fileIndex = fileIndex
        self.ordinal = ordinal
    }
}
