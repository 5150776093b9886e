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
    /// A trigger's `payload:` (SPEC §4): the output field, of type `any`,
    /// whose shape a konnector may declare (a webhook's `body`).
    public let payloadField: String?

    public init(kind: Kind, app: String, key: String, name: String, description: String?, scopes: [String],
                fields: [FieldSpec], output: ValueType, sample: SchemaValue?, payloadField: String? = nil) {
        self.kind = kind
        self.app = app
        self.key = key
        self.name = name
        self.description = description
        self.scopes = scopes
        self.fields = fields
        self.output = output
        self.sample = sample
        self.payloadField = payloadField
    }

    public var qualifiedName: String { "\(app).\(key)" }
    public func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }

    /// This trigger with a konnector's declared `payload` type in place of
    /// the payload field's `any` (SPEC §2.1, typed webhook payloads). Its
    /// sample keeps, of the payload, only the fields the type declares, so
    /// that test events start from it as from any sample (SPEC §9).
    public func withPayload(_ payload: ValueType) -> Operation {
        guard let payloadField, case .object(var object) = output,
              let i = object.fields.firstIndex(where: { $0.name == payloadField }) else { return self }
        object.fields[i].type = payload
        var newSample = sample
        if case .object(var values, let order)? = sample, let body = values[payloadField] {
            values[payloadField] = Self.project(body, onto: payload)
            newSample = .object(values, order: order)
        }
        return Operation(kind: kind, app: app, key: key, name: name, description: description, scopes: scopes,
                         fields: fields, output: .object(object), sample: newSample, payloadField: payloadField)
    }

    /// `value` without the object fields that `type` does not declare, at every depth.
    static func project(_ value: SchemaValue, onto type: ValueType) -> SchemaValue {
        switch (value, type.nonNull) {
        case (.object(let values, let order), .object(let object)):
            var kept: [String: SchemaValue] = [:]
            for field in object.fields { if let v = values[field.name] { kept[field.name] = project(v, onto: field.type) } }
            return .object(kept, order: order.filter { kept[$0] != nil })
        case (.array(let items), .array(let element)):
            return .array(items.map { project($0, onto: element) })
        default:
            return value
        }
    }
}
