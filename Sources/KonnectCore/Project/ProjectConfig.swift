import KonnectYAML

/// `konnect.yaml` (SPEC §1). Every field has a default.
public struct ProjectConfig: Sendable, Equatable {
    public static let fileName = "konnect.yaml"
    public static let defaultLibrary = "sqlite:.konnect/library.db"
    static let fields = ["project", "library", "konnectors", "schemas"]

    public var project: String?
    public var library: String?
    public var konnectors: String = "konnectors"
    public var schemas: String = "schemas"

    public init() {}

    /// Decodes the file; problems become diagnostics and leave the defaults.
    public static func decode(_ stream: YAMLStream, file: String = fileName) -> (ProjectConfig, [Diagnostic]) {
        var config = ProjectConfig()
        var diagnostics = stream.problems.map { Diagnostic.yaml($0, file: file, source: stream.source) }
        guard let root = stream.documents.first?.root, !root.isNull else { return (config, diagnostics) }
        guard let pairs = root.mapping else {
            diagnostics.append(.wrongShape("`konnect.yaml`", expected: "a mapping", found: root, file: file))
            return (config, diagnostics)
        }
        let fields = FieldReader(root, pairs: pairs, context: "`konnect.yaml`")
        diagnostics += fields.unknownFields(allowed: Self.fields, file: file)
        func text(_ key: String) -> String? {
            guard let node = fields[key], !node.isNull else { return nil }
            guard let s = node.scalar, case .string = s.value, !s.text.isEmpty else {
                diagnostics.append(.wrongShape("`\(key)`", expected: "a non-empty string", found: node, file: file))
                return nil
            }
            return s.text
        }
        config.project = text("project")
        config.library = text("library")
        if let k = text("konnectors") { config.konnectors = k }
        if let s = text("schemas") { config.schemas = s }
        return (config, diagnostics)
    }
}
