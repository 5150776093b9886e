/// What an expression can refer to at one place in a konnector (SPEC §5.3).
public struct Scope: Sendable {
    public var trigger: ValueType
    /// Output types of the steps before this point (nullable when the step has `if:`).
    public var earlierSteps: [String: ValueType] = [:]
    public var earlierStepOrder: [String] = []
    /// The step being checked, and the ids of the ones after it (read only
    /// to word an error, so a list: a set cost a hash table per konnector).
    public var currentStep: String?
    public var laterSteps: ArraySlice<String> = []
    /// Paths known non-null here (narrowed by `!= null` in `when:` / `if:`).
    public var nonNullPaths: Set<String> = []
    /// No `nullable` warnings here: the narrowing that would apply is unknown after an error.
    public var quietNullable = false
    /// Names bound inside a repeat (`item` or its `as:` name, and `loop`); an inner repeat's shadow an outer's.
    public var locals: [String: ValueType] = [:]
    /// Steps inside a repeat that ended before this point, by the repeat's id: not visible here.
    public var perIteration: [String: String] = [:]
    /// Inside a path: the steps of the other paths of its paths step, with
    /// their path's id and the paths step's id: not visible here.
    public var otherPaths: [String: (path: String, step: String)] = [:]

    /// A repeat's `loop` (SPEC §2.1).
    public static let loopType = ValueType.object(ObjectType(fields: [
        FieldSpec(name: "index", type: .integer), FieldSpec(name: "count", type: .integer),
    ]))
    /// The outputs of the flow steps (SPEC §2.1).
    public static let pathsOutput = ValueType.object(ObjectType(fields: [FieldSpec(name: "taken", type: .array(.string))]))
    public static let repeatOutput = ValueType.object(ObjectType(fields: [FieldSpec(name: "count", type: .integer)]))
    public static let delayOutput = ValueType.object(ObjectType(fields: [FieldSpec(name: "resumed_at", type: .datetime)]))

    public static let konnectorType = ValueType.object(ObjectType(fields: [
        FieldSpec(name: "id", type: .string), FieldSpec(name: "name", type: .string),
    ]))

    public init(trigger: ValueType) {
        self.trigger = trigger
    }

    /// Whether the path `e` is proved non-null here. A konnector narrows a
    /// handful of paths at most: each is matched against `e` in place,
    /// cheaper than building `e`'s key to look it up.
    func isNarrowed(_ e: Expression) -> Bool {
        nonNullPaths.contains { e.spellsPath($0) }
    }

    /// The paths an `and` chain proves non-null: `PATH != null` and every prefix of PATH.
    public static func narrowedPaths(_ e: Expression) -> Set<String> {
        var paths: Set<String> = []
        addNarrowedPaths(e, to: &paths)
        return paths
    }

    /// Adds to one set rather than uniting a set per operand.
    static func addNarrowedPaths(_ e: Expression, to paths: inout Set<String>) {
        switch e.kind {
        case .binary(.and, let l, let r):
            addNarrowedPaths(l, to: &paths)
            addNarrowedPaths(r, to: &paths)
        case .binary(.notEqual, let l, let r):
            let path: String?
            // A root path (`trigger.…`, `steps.<id>.…`) or one from a repeat's local name (`item.…`).
            if case .literal(.null) = r.kind { path = l.pathKey ?? l.localPathKey } else if case .literal(.null) = l.kind { path = r.pathKey ?? r.localPathKey } else { path = nil }
            guard let path else { return }
            // Every prefix ending before a `.`, and the path itself. Path
            // segments are never empty, so these are the prefixes of its
            // split segments, cut from the key instead of joined again.
            let utf8 = path.utf8
            var i = utf8.startIndex
            while let dot = utf8[i...].firstIndex(of: 0x2E) {
                let prefix = path[..<dot]
                if prefix != "steps" { paths.insert(String(prefix)) }
                i = utf8.index(after: dot)
            }
            if path != "steps" { paths.insert(path) }
        default:
            return
        }
    }
}
