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
    public private(set) var owned: [StoredObject]
    /// Position of each owned object by kind and id, built once: the
    /// compiler, `Planner.definitionsNeeded` and the planner all look up by it.
    private let positions: [Key: Int]
    /// Owners of ids held by other projects.
    public var foreignOwners: [Key: String]

    public init(lineage: String, serial: Int, owned: [StoredObject], foreignOwners: [Key: String]) {
        self.lineage = lineage
        self.serial = serial
        self.owned = owned
        var positions: [Key: Int] = [:]
        positions.reserveCapacity(owned.count)
        // Backwards, so the first of a repeated key is the one kept.
        for i in owned.indices.reversed() { positions[Key(owned[i].kind, owned[i].id)] = i }
        self.positions = positions
        self.foreignOwners = foreignOwners
    }

    /// The snapshot with these definitions filled in.
    public func filling(_ definitions: [Key: String]) -> LibrarySnapshot {
        var copy = self
        copy.fill(definitions)
        return copy
    }

    /// Fills in these definitions, in place.
    public mutating func fill(_ definitions: [Key: String]) {
        for (key, d) in definitions {
            if let i = positions[key] { owned[i].definitionJSON = d }
        }
    }

    /// This project's object with this kind and id.
    public subscript(key: Key) -> StoredObject? { positions[key].map { owned[$0] } }

    /// Its index in `owned`: for reading single fields (`owned[at].hash`)
    /// where the subscript would hand over the whole object.
    public func position(of key: Key) -> Int? { positions[key] }
}
