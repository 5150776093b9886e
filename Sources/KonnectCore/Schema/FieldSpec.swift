import KonnectYAML

/// One field of a trigger's config, an action's input or an object type.
public struct FieldSpec: Sendable, Hashable {
    public var name: String
    public var type: ValueType
    /// Required only when declared so; a field with a default never is.
    public var required: Bool
    public var defaultValue: SchemaValue?
    public var description: String?
    public var sensitive: Bool

    public init(name: String, type: ValueType, required: Bool = false, defaultValue: SchemaValue? = nil,
                description: String? = nil, sensitive: Bool = false) {
        self.name = name
        self.type = type
        self.required = required && defaultValue == nil
        self.defaultValue = defaultValue
        self.description = description
        self.sensitive = sensitive
    }
}
