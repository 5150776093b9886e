/// An object as the library holds it (SPEC §7).
public struct StoredObject: Sendable {
    public var kind: ObjectKind
    public var id: String
    public var owner: String
    public var name: String
    public var enabled: Bool
    public var definitionJSON: String
    public var hash: String
    public var version: Int
    public var createdAt: String
    public var updatedAt: String
    public var sourceFile: String
    public var sourceCommit: String
    public var sensitivePaths: [String]

    public init(kind: ObjectKind, id: String, owner: String, name: String, enabled: Bool, definitionJSON: String,
                hash: String, version: Int, createdAt: String, updatedAt: String, sourceFile: String,
                sourceCommit: String, sensitivePaths: [String]) {
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
    }

    /// The definition, parsed (null if the stored text is damaged).
    public var definition: JSONValue { (try? JSONParser.parse(definitionJSON)) ?? .null }

    public var tags: [String] {
        if case .array(let items)? = definition["tags"] {
            return items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
        }
        return []
    }
}
