import KonnectYAML

/// A test case's `event:`, or one of its `outputs:`, written over the
/// schema's sample (SPEC §9): objects are deep-merged, arrays and scalars
/// replaced, and `null` makes a field null. What the user wrote is checked
/// where it stands, so every diagnostic points at their text; the required
/// fields of an object that neither they nor the sample give are one
/// diagnostic naming them all.
struct SampleOverlay {
    private var values: ValueChecker
    var diagnostics: [Diagnostic] { values.diagnostics }

    init(file: String, source: SourceText) {
        values = ValueChecker(file: file, source: source, scope: nil)
    }

    /// Checks `node` (nil: nothing written) over `sample` as a value of
    /// `type`, and returns the merged value. A missing field with nothing
    /// written is reported at `range`; `noSample` is the hint then, when
    /// there is no sample either.
    mutating func check(_ node: YAMLNode?, over sample: SchemaValue?, as type: ValueType, what: String,
                        at range: SourceRange, noSample: String? = nil) -> SchemaValue {
        guard let node else {
            if case .object(let object) = type.nonNull {
                let given = sample?.members
                let missing = object.fields.filter { $0.required && given?[$0.name] == nil }.map(\.name)
                if !missing.isEmpty {
                    values.diagnostics.append(.missingFields(missing, for: what, hint: sample == nil ? noSample : nil,
                                                             file: values.file, at: range))
                }
            }
            return sample ?? .object([:], order: [])
        }
        walk(node, over: sample, as: type, required: true, what: what, noSample: sample == nil ? noSample : nil)
        return SchemaValue(node).merged(over: sample)
    }

    private mutating func walk(_ node: YAMLNode, over base: SchemaValue?, as type: ValueType, required: Bool, what: String,
                               noSample: String? = nil) {
        switch node.content {
        case .mapping(let pairs):
            if case .object(let object) = type.nonNull {
                fields(node, pairs, of: object, over: base?.members, what: what, noSample: noSample)
                return
            }
        case .sequence(let items):
            // Arrays replace the sample's: their items start from nothing.
            if case .array(let element) = type.nonNull {
                for (i, item) in items.enumerated() {
                    walk(item, over: nil, as: element, required: true, what: "item \(i + 1) of \(what)")
                }
                return
            }
        case .scalar:
            break
        }
        _ = values.check(node, as: type, required: required, what: what)
    }

    private mutating func fields(_ node: YAMLNode, _ pairs: YAMLPairs, of object: ObjectType, over given: [String: SchemaValue]?,
                                 what: String, noSample: String?) {
        var known = 0
        for pair in pairs {
            guard let key = pair.keyText else { continue }
            guard let field = object.field(key) else {
                values.diagnostics.append(.unknownInput(key, noun: "field", owner: what, allowed: object.fieldNames,
                                                        file: values.file, at: pair.key.range))
                continue
            }
            known += 1
            walk(pair.value, over: given?[key], as: field.type, required: field.required, what: "`\(key)`")
        }
        // A misspelled key is reported as unknown (with "did you mean"), not also as missing.
        let misspelled = known == pairs.count ? [] : FieldReader(node, pairs: pairs, context: what).misspelledKeys(allowed: object.fieldNames)
        let missing = object.fields.filter { field in
            field.required && given?[field.name] == nil && !misspelled.contains(field.name) && pairs.firstIndex(ofKey: field.name) == nil
        }
        if !missing.isEmpty {
            values.diagnostics.append(.missingFields(missing.map(\.name), for: what, hint: noSample, file: values.file, at: node.range))
        }
    }
}

extension SchemaValue {
    /// An object's members by name; nil for anything else.
    var members: [String: SchemaValue]? {
        if case .object(let members, _) = self { return members }
        return nil
    }

    /// This value written over `base` (SPEC §9): objects deep-merged, new
    /// keys after the base's; anything else replaces.
    func merged(over base: SchemaValue?) -> SchemaValue {
        guard case .object(let fields, let order) = self, case .object(var out, var keys)? = base else { return self }
        for key in order {
            guard let value = fields[key] else { continue }
            if out[key] == nil { keys.append(key) }
            out[key] = value.merged(over: out[key])
        }
        return .object(out, order: keys)
    }
}
