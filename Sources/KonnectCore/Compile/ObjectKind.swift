/// The two kinds of library objects (SPEC §7).
public enum ObjectKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case connection, konnector

    public static func < (a: ObjectKind, b: ObjectKind) -> Bool { a.rawValue < b.rawValue }
}
