/// What a document is, by its first key (SPEC §1).
public enum DocumentKind: String, Sendable, CaseIterable {
    case konnector, connection, tests

    public static let allKeys = allCases.map(\.rawValue)
}
