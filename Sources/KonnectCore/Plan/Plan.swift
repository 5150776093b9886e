/// A plan (SPEC §8): the changes that take the library from one serial to
/// the configuration. Self-contained, so a saved plan applies exactly.
public struct Plan: Sendable {
    public static let formatVersion = 1

    public var project: String
    public var lineage: String
    public var serial: Int
    public var changes: [PlanChange]
    public var unchanged: Int
    /// Unchanged objects whose library copy was applied from another compile
    /// key (other schema text, or another konnect): apply records the current
    /// key, so that later plans take the library's copy again instead of
    /// compiling them. Not a change: no version, serial or revision moves.
    public var keyRefreshes: [KeyRefresh] = []

    /// The compile key an unchanged object's copy should carry; written only
    /// while the copy still has `hash`.
    public struct KeyRefresh: Sendable, Equatable {
        public var kind: ObjectKind
        public var id: String
        public var hash: String
        public var sourceKey: String

        public init(kind: ObjectKind, id: String, hash: String, sourceKey: String) {
            self.kind = kind
            self.id = id
            self.hash = hash
            self.sourceKey = sourceKey
        }
    }

    public init(project: String, lineage: String, serial: Int, changes: [PlanChange], unchanged: Int) {
        self.project = project
        self.lineage = lineage
        self.serial = serial
        self.changes = changes
        self.unchanged = unchanged
    }

    public var isEmpty: Bool { changes.isEmpty }

    public struct Summary: Sendable, Equatable {
        public var create = 0, update = 0, rename = 0, delete = 0, activate = 0, deactivate = 0, unchanged = 0
    }

    public var summary: Summary {
        var s = Summary()
        for c in changes {
            switch c.action {
            case .create: s.create += 1
            case .update: s.update += 1
            case .rename: s.rename += 1
            case .delete: s.delete += 1
            }
            if c.activate { s.activate += 1 }
            if c.deactivate { s.deactivate += 1 }
        }
        s.unchanged = unchanged
        return s
    }
}
