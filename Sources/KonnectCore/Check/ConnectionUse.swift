import KonnectYAML

/// A trigger's or step's reference to a connection (or its lack of one).
/// The konnector checker notes it; `ConnectionChecker` judges it once every
/// file, and so every connection, has been read.
public struct ConnectionUse: Sendable {
    public enum Owner: Sendable {
        case trigger
        case step(String?)

        var description: String {
            switch self {
            case .trigger: "the trigger"
            case .step(let id): "step `\(id ?? "?")`"
            }
        }
    }

    public var owner: Owner
    public var ref: Located<String>?
    /// An app the schemas know (references to unknown apps are not noted).
    public var app: String
    /// The trigger event or action key, when the app has it.
    public var operation: String?
    /// Where a missing reference is reported: the owner's `app:`.
    public var ownerRange: SourceRange
    /// `connection:` was misspelled; its absence was reported already.
    public var misspelled: Bool
    public var file: String
}
