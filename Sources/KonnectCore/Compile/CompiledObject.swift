import KonnectYAML

/// A konnector or connection in its canonical form (SPEC §8): what the
/// library stores and what plans compare.
public struct CompiledObject: Sendable, Hashable {
    public var kind: ObjectKind
    public var id: String
    public var name: String
    public var enabled: Bool
    public var tags: [String]
    /// The definition with keys sorted; `canonicalJSON` is its serialization.
    public var definition: JSONValue
    public var canonicalJSON: String
    /// SHA-256 of `canonicalJSON`, lowercase hex.
    public var hash: String
    /// Definition paths whose values are never shown (schema `sensitive: true`).
    public var sensitivePaths: [String]
    /// `renamed_from:` of the source; a plan directive, not part of the definition.
    public var renamedFrom: String?
    /// Connections a konnector uses (for ordering and `--target`).
    public var connections: [String]
    /// Project-relative file the object was compiled from, and where its id is.
    public var sourceFile: String
    public var idRange: SourceRange?

    public init(kind: ObjectKind, id: String, name: String, enabled: Bool, tags: [String], definition: JSONValue,
                sensitivePaths: [String], renamedFrom: String?, connections: [String], sourceFile: String, idRange: SourceRange?) {
        self.kind = kind
        self.id = id
        self.name = name
        self.enabled = enabled
        self.tags = tags
        self.definition = definition
        self.canonicalJSON = definition.serialized(sortedKeys: true)
        self.hash = SHA256Hex.digest(canonicalJSON)
        self.sensitivePaths = sensitivePaths
        self.renamedFrom = renamedFrom
        self.connections = connections
        self.sourceFile = sourceFile
        self.idRange = idRange
    }

    public static func == (a: CompiledObject, b: CompiledObject) -> Bool { a.kind == b.kind && a.id == b.id && a.hash == b.hash }
    public func hash(into h: inout Hasher) { h.combine(kind); h.combine(id); h.combine(hash) }
}
