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
    /// Both are nil for an object the library already holds from the same
    /// `sourceKey`: it was not compiled again, and only its hash is known
    /// (a plan needs definitions of changed objects only).
    public var definition: JSONValue?
    public var canonicalJSON: String?
    /// SHA-256 of `canonicalJSON`, lowercase hex.
    public var hash: String
    /// The `CompileKey` of the konnector it was compiled from ("" if none).
    public var sourceKey: String
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
        let canonical = definition.serialized(sortedKeys: true)
        self.init(kind: kind, id: id, name: name, enabled: enabled, tags: tags, hash: SHA256Hex.digest(canonical), sourceKey: "",
                  sensitivePaths: sensitivePaths, renamedFrom: renamedFrom, connections: connections,
                  sourceFile: sourceFile, idRange: idRange)
        self.definition = definition
        self.canonicalJSON = canonical
    }

    /// An object the library already holds from the same `sourceKey`: not
    /// compiled again, so only its hash is known.
    public init(kind: ObjectKind, id: String, name: String, enabled: Bool, tags: [String], hash: String, sourceKey: String,
                sensitivePaths: [String], renamedFrom: String?, connections: [String], sourceFile: String, idRange: SourceRange?) {
        self.kind = kind
        self.id = id
        self.name = name
        self.enabled = enabled
        self.tags = tags
        self.definition = nil
        self.canonicalJSON = nil
        self.hash = hash
        self.sourceKey = sourceKey
        self.sensitivePaths = sensitivePaths
        self.renamedFrom = renamedFrom
        self.connections = connections
        self.sourceFile = sourceFile
        self.idRange = idRange
    }

    public static func == (a: CompiledObject, b: CompiledObject) -> Bool { a.kind == b.kind && a.id == b.id && a.hash == b.hash }
    public func hash(into h: inout Hasher) { h.combine(kind); h.combine(id); h.combine(hash) }
}
