/// An object as the library holds it (SPEC §7).
public struct StoredObject: Sendable {
    public var kind: ObjectKind
    public var id: String
    public var owner: String
    public var name: String
    public var enabled: Bool
    /// The canonical definition; nil in a plan's snapshot until it is needed for a diff.
    public var definitionJSON: String?
    public var hash: String
    public var version: Int
    public var createdAt: String
    public var updatedAt: String
    public var sourceFile: String
    public var sourceCommit: String
    public var sensitivePaths: [String]
    public var tags: [String]
    /// The `CompileKey` it was applied from ("" if unknown, e.g. from a saved plan).
    public var sourceKey: String

    public init(kind: ObjectKind, id: String, owner: String, name: String, enabled: Bool, definitionJSON: String?,
                hash: String, version: Int, createdAt: String, updatedAt: String, sourceFile: String,
                sourceCommit: String, sensitivePaths: [String], tags: [String]? = nil, sourceKey: String = "") {
        self.kind = kind
        self.id = id
        self.owner = owner
        self.name = name
        self.enabled = enabled
        self.definitionJSON = definitionJSON
        self.hash = hash
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.sourceFile = sourceFile
        self.sourceCommit = sourceCommit
        self.sensitivePaths = sensitivePaths
        self.tags = tags ?? []
        self.sourceKey = sourceKey
        if tags == nil { self.tags = definition["tags"]?.stringArray ?? [] }
    }

    /// The definition, parsed (null if it is not loaded or damaged).
    public var definition: JSONValue { definitionJSON.flatMap { try? JSONParser.parse($0) } ?? .null }
}
