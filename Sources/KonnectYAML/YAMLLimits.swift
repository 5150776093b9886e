/// The resource limits of SPEC §6. They guard against hostile input
/// (billion laughs, deep nesting, huge files) before any work is spent on it.
public struct YAMLLimits: Sendable, Hashable {
    public var maxFileBytes: Int
    public var maxDepth: Int
    public var maxAliasesPerDocument: Int
    public var maxExpandedNodes: Int

    public init(maxFileBytes: Int = 1 << 20, maxDepth: Int = 64,
                maxAliasesPerDocument: Int = 100, maxExpandedNodes: Int = 10_000) {
        self.maxFileBytes = maxFileBytes
        self.maxDepth = maxDepth
        self.maxAliasesPerDocument = maxAliasesPerDocument
        self.maxExpandedNodes = maxExpandedNodes
    }

    public static let standard = YAMLLimits()
}
