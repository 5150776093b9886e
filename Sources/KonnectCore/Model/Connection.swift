import KonnectYAML

/// A connection as written (SPEC §3): an authorised account and its scopes.
public struct Connection: Sendable {
    /// Where the credential lives; the credential itself never does.
    public enum Secret: Sendable, Hashable {
        case env(String)
        case vault(String)

        public var reference: String {
            switch self {
            case .env(let name): return "env:\(name)"
            case .vault(let path): return "vault:\(path)"
            }
        }
    }

    public var file: String
    public var range: SourceRange
    public var id: Located<String>?
    public var app: Located<String>?
    public var scopes: [Located<String>] = []
    public var scopesRange: SourceRange?
    public var secret: Located<Secret>?
    /// `secret:` is present, even if its value was rejected.
    public var hasSecretKey = false
    public var misspelledKeys: Set<String> = []

    public init(file: String, range: SourceRange) {
        self.file = file
        self.range = range
    }
}
