import KonnectYAML

/// A plain data value read from YAML (defaults, samples, test events):
/// JSON's data model, with object members in source order.
public indirect enum SchemaValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([SchemaValue])
    case object([String: SchemaValue], order: [String])

    public init(_ node: YAMLNode) {
        switch node.content {
        case .scalar(let s):
            switch s.value {
            case .null: self = .null
            case .bool(let b): self = .bool(b)
            case .int(let i): self = .int(i)
            case .float(let d): self = .number(d)
            case .string(let t): self = .string(t)
            }
        case .sequence(let items):
            self = .array(items.map(SchemaValue.init))
        case .mapping(let pairs):
            var dict: [String: SchemaValue] = [:]
            var order: [String] = []
            for pair in pairs {
                let key = pair.key.scalar?.text ?? ""
                if dict[key] == nil { order.append(key) }
                dict[key] = SchemaValue(pair.value)
            }
            self = .object(dict, order: order)
        }
    }

    /// As JSON, members in source order (a default's or a sample's value in a schema's views).
    public var json: JSONValue { RuntimeValue.from(self, as: .any).json }
}
