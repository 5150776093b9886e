/// A closed object type: a path to a field it does not declare is an error.
public struct ObjectType: Sendable, Hashable, CustomStringConvertible {
    /// The named type (`Customer`), or nil for an inline map.
    public var name: String?
    public var fields: [FieldSpec]

    public init(name: String? = nil, fields: [FieldSpec]) {
        self.name = name
        self.fields = fields
    }

    public func field(_ key: String) -> FieldSpec? {
        fields.first { $0.name == key }
    }

    public var fieldNames: [String] { fields.map(\.name) }

    public var description: String {
        if let name { return name }
        return "{ " + fields.map { "\($0.name): \($0.type)" }.joined(separator: ", ") + " }"
    }
}
