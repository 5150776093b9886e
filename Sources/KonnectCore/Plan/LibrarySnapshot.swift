/// What plan needs to know of the library: its identity and serial, this
/// project's objects, and who owns the other ids the project uses.
public struct LibrarySnapshot: Sendable {
    public struct Key: Hashable, Sendable {
        public var kind: ObjectKind
        public var id: String
        public init(_ kind: ObjectKind, _ id: String) {
            self.kind = kind
            self.id = id
        }
    }

    public var lineage: String
    public var serial: Int
    /// This project's objects as planning needs them: kind, id, hash, version,
    /// enabled, sensitive paths, tags and compile key; definitions are filled
    /// in (`filling`) for the few a plan diffs.
    public var owned: [StoredObject]
    /// Owners of ids held by other projects.
    public var foreignOwners: [Key: String]

    public init(lineage: String, serial: Int, owned: [StoredObject], foreignOwners: [Key: String]) {
        self.lineage = lineage
        self.serial = serial
        self.owned = owned
        self.foreignOwners = foreignOwners
    }

    /// The snapshot with these definitions filled in.
    public func filling(_ definitions: [Key: String]) -> LibrarySnapshot {
        var copy = self
        copy.fill(definitions)
        return copy
    }

    /// Fills in these definitions, in place (no copy of every object).
    public mutating func fill(_ definitions: [Key: String]) {
        if definitions.isEmpty { return }
        for i in owned.indices {
            if let d = definitions[Key(owned[i].kind, owned[i].id)] { owned[i].definitionJSON = d }
        }
    }
}
