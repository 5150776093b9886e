/// SPEC §5.5: may a value of one type fill a field of another?
/// (Nullability is handled by the caller; these are non-null types.)
enum Assignability: Equatable {
    case ok
    /// A string expression into an enum: checked only when it runs.
    case uncheckedEnum([String])
    case mismatch

    static func check(_ from: ValueType, into to: ValueType) -> Assignability {
        var memo: [NamePair: Bool] = [:]
        return check(from, into: to, memo: &memo)
    }

    /// Two named object types, by name: within one comparison a name stands
    /// for one type on each side. A schema's named types may branch (`T0`
    /// has two fields of `T1`, `T1` two of `T2` …): comparing them as trees
    /// would take time exponential in the depth, but there are only so many
    /// pairs of names, each compared once.
    private struct NamePair: Hashable {
        let from: String, to: String
    }

    private static func check(_ from: ValueType, into to: ValueType, memo: inout [NamePair: Bool]) -> Assignability {
        if from.isAny || to.isAny || from.isUnknown || to.isUnknown { return .ok }
        switch (from, to) {
        case (.integer, .number):
            return .ok
        case (.email, .string), (.url, .string), (.date, .string), (.datetime, .string), (.enumeration, .string):
            return .ok
        case (.string, .email), (.string, .url), (.string, .date), (.string, .datetime):
            return .ok
        case (.enumeration(let a), .enumeration(let b)):
            return a == b || Set(a).isSubset(of: Set(b)) ? .ok : .uncheckedEnum(b)
        case (.string, .enumeration(let values)):
            return .uncheckedEnum(values)
        case (.array(let a), .array(let b)):
            if a.isNullable && !b.isNullable && !a.isAny { return .mismatch }
            return check(a.nonNull, into: b.nonNull, memo: &memo)
        case (.object(let a), .object(let b)):
            guard let fromName = a.name, let toName = b.name else { return fields(a, into: b, memo: &memo) }
            let key = NamePair(from: fromName, to: toName)
            if let known = memo[key] { return known ? .ok : .mismatch }
            // Assumed to fit while its fields are compared, so that a type
            // reached again through its own fields ends the walk.
            memo[key] = true
            let result = fields(a, into: b, memo: &memo)
            memo[key] = result != .mismatch
            return result
        case (.optional(let a), .optional(let b)):
            return check(a, into: b, memo: &memo)
        case (.object, _), (_, .object), (.array, _), (_, .array):
            return .mismatch
        default:
            return from == to ? .ok : .mismatch
        }
    }

    /// Field-wise: every required field of `b` is given, none may be null
    /// where `b` needs it, each fits, and `a` has no field `b` lacks.
    private static func fields(_ a: ObjectType, into b: ObjectType, memo: inout [NamePair: Bool]) -> Assignability {
        for field in b.fields {
            guard let source = a.field(field.name) else {
                if field.required { return .mismatch }
                continue
            }
            if source.type.isNullable && !field.type.isNullable && field.required { return .mismatch }
            if check(source.type.nonNull, into: field.type.nonNull, memo: &memo) == .mismatch { return .mismatch }
        }
        return a.fields.allSatisfy { b.field($0.name) != nil } ? .ok : .mismatch
    }
}
