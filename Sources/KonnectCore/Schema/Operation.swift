import KonnectYAML

/// A trigger or an action of an app (SPEC §4). A class: it is made once per
/// schema and handed to every konnector and step that uses it, so a copy is
/// one retain rather than one per field.
public final class Operation: Sendable {
    public enum Kind: String, Sendable { case trigger, action }

    public let kind: Kind
    public let app: String
    public let key: String
    public let name: String
    public let description: String?
    public let scopes: [String]
    /// `config` of a trigger, `input` of an action.
    public let fields: [FieldSpec]
    public let output: ValueType
    public let sample: SchemaValue?

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
