import KonnectYAML

/// A trigger or an action of an app (SPEC §4).
public struct Operation: Sendable {
    public enum Kind: String, Sendable { case trigger, action }

    public var kind: Kind
    public var app: String
    public var key: String
    public var name: String
    public var description: String?
    public var scopes: [String]
    /// `config` of a trigger, `input` of an action.
    public var fields: [FieldSpec]
    public var output: ValueType
    public var sample: SchemaValue?

    public init(kind: Kind, app: String, key: String, name: String, description: String?, scopes: [String],
                fields: [FieldSpec], output: ValueType, sample: SchemaValue?) {
        self.kind = kind
        self.app = app
        self.key = key
        self.name = name
        self.description = description
        self.scopes = scopes
        self.fields = fields
        self.output = output
        self.sample = sample
    }

    public var qualifiedName: String { "\(app).\(key)" }
    public func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }
}
