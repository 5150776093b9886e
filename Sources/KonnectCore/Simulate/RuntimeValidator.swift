/// Checks rendered inputs against the action's input types when a step
/// runs: required fields, emails, URLs, dates, enums (SPEC §9).
enum RuntimeValidator {
    /// Problems with one field's value; `name` is the field's path. A
    /// sensitive value is never quoted.
    static func check(_ v: RuntimeValue, as type: ValueType, name: String, sensitive: Bool = false) -> [String] {
        // A sensitive field accepts an `env:`/`vault:` reference whatever its type (SPEC §3).
        if sensitive, case .string(let text) = v, SecretReference.isReference(text) { return [] }
        let problems = check(v, as: type, name: name)
        guard sensitive, !problems.isEmpty else { return problems }
        return problems.map { _ in "`\(name)` (sensitive, value not shown) is not a valid \(type.nonNull)" }
    }

    private static func check(_ v: RuntimeValue, as type: ValueType, name: String) -> [String] {
        if type.isUnknown || type.isAny { return [] }
        if v.isNull {
            return type.isNullable ? [] : ["`\(name)` is null, but a value of type \(type) is required"]
        }
        let t = type.nonNull
        func bad(_ what: String) -> [String] { ["`\(name)` is \(v.typeName) `\(v.text)`, \(what)"] }
        switch t {
        case .string:
            switch v {
            case .string, .date, .datetime: return []
            default: return bad("not a string")
            }
        case .email: return Formats.isEmail(v.text) ? [] : ["`\(name)`: `\(v.text)` is not a valid email"]
        case .url: return Formats.isURL(v.text) ? [] : ["`\(name)`: `\(v.text)` is not a valid url"]
        case .date:
            if case .date = v { return [] }
            return Formats.isDate(v.text) ? [] : ["`\(name)`: `\(v.text)` is not a valid date (YYYY-MM-DD)"]
        case .datetime:
            if case .datetime = v { return [] }
            return Formats.isDateTime(v.text) ? [] : ["`\(name)`: `\(v.text)` is not a valid datetime (RFC 3339)"]
        case .enumeration(let values):
            return values.contains(v.text) ? [] : ["`\(name)`: `\(v.text)` is not one of \(values.joined(separator: ", "))"]
        case .integer:
            switch v {
            case .int: return []
            case .number(let d) where d == d.rounded(): return []
            default: return bad("not an integer")
            }
        case .number:
            return Operators.number(v) != nil ? [] : bad("not a number")
        case .boolean:
            if case .bool = v { return [] }
            return bad("not a boolean")
        case .array(let element):
            guard case .array(let items) = v else { return bad("not an array") }
            return items.enumerated().flatMap { i, item in check(item, as: element, name: "\(name)[\(i)]") }
        case .object(let object):
            guard case .object(let fields, _) = v else { return bad("not an object") }
            return checkFields(fields, object.fields, prefix: "\(name).")
        default:
            return []
        }
    }

    static func checkFields(_ values: [String: RuntimeValue], _ specs: [FieldSpec], prefix: String) -> [String] {
        specs.flatMap { spec -> [String] in
            let v = values[spec.name] ?? .null
            if v.isNull && !spec.required { return [] }
            if v.isNull && values[spec.name] == nil { return ["required `\(prefix)\(spec.name)` is missing"] }
            return check(v, as: spec.type, name: prefix + spec.name, sensitive: spec.sensitive)
        }
    }
}
