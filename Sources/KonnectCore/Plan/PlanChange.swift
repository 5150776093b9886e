/// One change of a plan; inert data that views render and apply executes.
public struct PlanChange: Sendable {
    /// The raw value is the symbol the text view shows.
    public enum Action: String, Sendable, CaseIterable {
        case create = "+", update = "~", rename = "→", delete = "-"

        public var word: String {
            switch self {
            case .create: return "create"
            case .update: return "update"
            case .rename: return "rename"
            case .delete: return "delete"
            }
        }

        public init?(word: String) {
            guard let a = Self.allCases.first(where: { $0.word == word }) else { return nil }
            self = a
        }
    }

    public var kind: ObjectKind
    public var id: String
    public var action: Action
    public var renamedFrom: String?
    public var activate: Bool
    public var deactivate: Bool
    public var diff: [FieldDiff]
    /// The object after the change (nil for a delete).
    public var after: CompiledObject?
    /// The library's hash and version before the change (nil for a create).
    public var beforeHash: String?
    public var beforeVersion: Int?

    public init(kind: ObjectKind, id: String, action: Action, renamedFrom: String? = nil, activate: Bool = false,
                deactivate: Bool = false, diff: [FieldDiff], after: CompiledObject?, beforeHash: String?, beforeVersion: Int?) {
        self.kind = kind
        self.id = id
        self.action = action
        self.renamedFrom = renamedFrom
        self.activate = activate
        self.deactivate = deactivate
        self.diff = diff
        self.after = after
        self.beforeHash = beforeHash
        self.beforeVersion = beforeVersion
    }
}
