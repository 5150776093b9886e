import KonnectYAML

/// Reads the fields of one mapping node: looks keys up, and reports the
/// keys that are not allowed and the required ones that are absent.
struct FieldReader {
    let node: YAMLNode
    let pairs: [YAMLPair]
    /// How messages name this mapping ("konnector `x`", "step `notify`").
    let context: String

    init(_ node: YAMLNode, pairs: [YAMLPair], context: String) {
        self.node = node
        self.pairs = pairs
        self.context = context
    }

    subscript(key: String) -> YAMLNode? {
        pairs.first(where: { $0.keyText == key })?.value
    }

    func pair(_ key: String) -> YAMLPair? {
        pairs.first(where: { $0.keyText == key })
    }

    func unknownFields(allowed: [String], file: String) -> [Diagnostic] {
        pairs.compactMap { pair in
            guard let key = pair.keyText else {
                return .invalidValue("keys in \(context) must be plain names, found \(pair.key.shapeDescription)",
                                     file: file, at: pair.key.range)
            }
            guard !allowed.contains(key) else { return nil }
            return .unknownField(key, in: context, allowed: allowed, file: file, at: pair.key.range)
        }
    }

    /// The allowed keys that unknown keys are near misses of (`conection` →
    /// `connection`): such a key is misspelled, not missing, and is reported once.
    func misspelledKeys(allowed: [String]) -> Set<String> {
        // The common case, every key known, allocates nothing.
        if pairs.allSatisfy({ $0.keyText.map(allowed.contains) ?? false }) { return [] }
        return Set(pairs.compactMap { pair in
            guard let key = pair.keyText, !allowed.contains(key) else { return nil }
            return Suggestion.closest(to: key, among: allowed)
        })
    }

    /// Reports `missing-field` for each required key that is absent (and not
    /// misspelled), at the first key of the mapping (where a reader would add it).
    func missingFields(_ required: [String], allowed: [String], file: String) -> [Diagnostic] {
        let at = pairs.first?.key.range ?? node.range
        if required.allSatisfy({ self[$0] != nil }) { return [] }
        let misspelled = misspelledKeys(allowed: allowed)
        return required.filter { self[$0] == nil && !misspelled.contains($0) }.map {
            .missingField($0, in: context, file: file, at: at)
        }
    }
}
