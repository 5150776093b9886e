/// SPEC §5.5: may a value of one type fill a field of another?
/// (Nullability is handled by the caller; these are non-null types.)
enum Assignability: Equatable {
    case ok
    /// A string expression into an enum: checked only when it runs.
    case uncheckedEnum([String])
    case mismatch

    static func check(_ from: ValueType, into to: ValueType) -> Assignability {
        if from == to || from.isAny || to.isAny || from.isUnknown || to.isUnknown { return .ok }
        switch (from, to) {
        case (.integer, .number):
            return .ok
        case (.email, .string), (.url, .string), (.date, .string), (.datetime, .string), (.enumeration, .string):
            return .ok
        case (.string, .email), (.string, .url), (.string, .date), (.string, .datetime):
            return .ok
        case (.enumeration(let a), .enumeration(let b)):
            return Set(a).isSubset(of: Set(b)) ? .ok : .uncheckedEnum(b)
        case (.string, .enumeration(let values)):
            return .uncheckedEnum(values)
        case (.array(let a), .array(let b)):
            if a.isNullable && !b.isNullable && !a.isAny { return .mismatch }
            return check(a.nonNull, into: b.nonNull)
        case (.object(let a), .object(let b)):
            for field in b.fields {
                guard let source = a.field(field.name) else {
                    if field.required { return .mismatch }
                    continue
                }
                if source.type.isNullable && !field.type.isNullable && field.required { return .mismatch }
                if check(source.type.nonNull, into: field.type.nonNull) == .mismatch { return .mismatch }
            }
            return a.fields.allSatisfy { b.field($0.name) != nil } ? .ok : .mismatch
        default:
            return .mismatch
        }
    }
}
