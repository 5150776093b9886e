/// One app's schema: its auth, scopes, triggers and actions (SPEC §4).
/// Shared by reference, like `Operation`: looked up for every trigger and step.
public final class AppSchema: Sendable {
    public enum Auth: String, Sendable, CaseIterable { case oauth2, apiKey = "api_key", basic, none }

    public let app: String
    public let name: String
    public let auth: Auth
    /// Scope name and description, in file order.
    public let scopes: [(name: String, description: String)]
    public let types: [String: ValueType]
    public let triggers: [Operation]
    public let actions: [Operation]
    /// Project-relative path of the schema file.
    public let file: String

    public init(app: String, name: String, auth: Auth, scopes: [(name: String, description: String)],
                types: [String: ValueType], triggers: [Operation], actions: [Operation], file: String) {
        self.app = app
        self.name = name
        self.auth = auth
        self.scopes = scopes
        self.types = types
        self.triggers = triggers
        self.actions = actions
        self.file = file
    }

    public func trigger(_ key: String) -> Operation? { triggers.first { $0.key == key } }
    public func action(_ key: String) -> Operation? { actions.first { $0.key == key } }
    public var scopeNames: [String] { scopes.map(\.name) }
}
