/// What a document is, by the one of these keys it holds, wherever it stands (SPEC §1).
public enum DocumentKind: String, Sendable, CaseIterable {
    case konnector, connection, tests

    public static let allKeys = allCases.map(\.rawValue)
}
