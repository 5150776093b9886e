import KonnectYAML

/// A closed object type: a path to a field it does not declare is an error.
public struct ObjectType: Sendable, Hashable, CustomStringConvertible {
    /// The named type (`Customer`), or nil for an inline map.
    public var name: String?
    public var fields: [FieldSpec] {
        didSet {
            index = Self.index(fields)
            signatures = fields.map { YAMLTree.signature($0.name) }
        }
    }
    /// Position of each field by name, for `field(_:)` in a large object.
    /// Derived from `fields`, so it takes no part in `==` and `hash(into:)`.
    private var index: [String: Int]
    /// Each field name's `YAMLTree.signature`, in order: the checker looks up every
    /// path segment, and in an object of a few dozen fields a scan of these
    /// costs less than hashing the name. Derived from `fields` too.
    private var signatures: [UInt32]

    public init(name: String? = nil, fields: [FieldSpec]) {
        self.name = name
        self.fields = fields
        self.index = Self.index(fields)
        self.signatures = fields.map { YAMLTree.signature($0.name) }
    }

    /// Where the first field named `key` is.
    private func position(of key: String) -> Int? {
        guard fields.count <= 64 else { return index[key] }
        let k = YAMLTree.signature(key)
        for i in signatures.indices where signatures[i] == k && fields[i].name == key { return i }
        return nil
    }

    /// The first field of each name wins, as the linear search it replaces did.
    private static func index(_ fields: [FieldSpec]) -> [String: Int] {
        var index: [String: Int] = [:]
        index.reserveCapacity(fields.count)
        for (i, field) in fields.enumerated() where index[field.name] == nil {
            index[field.name] = i
        }
        return index
    }

    public func field(_ key: String) -> FieldSpec? {
        position(of: key).map { fields[$0] }
    }

    /// The type of the field `key`, without copying the rest of its spec.
    func fieldType(_ key: String) -> ValueType? {
        position(of: key).map { fields[$0].type }
    }

    public var fieldNames: [String] { fields.map(\.name) }

    public var description: String {
        if let name { return name }
        return "{ " + fields.map { "\($0.name): \($0.type)" }.joined(separator: ", ") + " }"
    }

    public static func == (a: ObjectType, b: ObjectType) -> Bool {
        a.name == b.name && a.fields == b.fields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(fields)
    }
}
