import KonnectYAML

/// Reads the fields of one mapping node: looks keys up, and reports the
/// keys that are not allowed and the required ones that are absent.
struct FieldReader {
    let node: YAMLNode
    let pairs: YAMLPairs
    /// How messages name this mapping ("konnector `x`", "step `notify`").
    /// Nil when the caller names it only when reporting (see the `in:` methods),
    /// so that the common, clean case builds no message text.
    let context: String?

    init(_ node: YAMLNode, pairs: YAMLPairs, context: String) {
        self.node = node
        self.pairs = pairs
        self.context = context
    }

    /// A reader whose reports take the mapping's name as an argument.
    init(_ node: YAMLNode, pairs: YAMLPairs) {
        self.node = node
        self.pairs = pairs
        self.context = nil
    }

    subscript(key: String) -> YAMLNode? {
        pairs.firstIndex(ofKey: key).map(pairs.value(at:))
    }

    func pair(_ key: String) -> YAMLPair? {
        pairs.firstIndex(ofKey: key).map { pairs[$0] }
    }

    /// Whether the mapping has `key`, without copying its entry out.
    func has(_ key: String) -> Bool {
        pairs.firstIndex(ofKey: key) != nil
    }

    /// Whether every key is a scalar spelled as one of `allowed`: the common
    /// case, checked without making any strings or diagnostics.
    func allKeysAllowed(_ allowed: [String]) -> Bool {
        pairs.indices.allSatisfy { i in pairs.keyText(at: i).map { Self.contains(allowed, $0) } ?? false }
    }

    func unknownFields(allowed: [String], file: String) -> [Diagnostic] {
        unknownFields(allowed: allowed, file: file, in: context ?? "")
    }

    func unknownFields(allowed: [String], file: String, in context: @autoclosure () -> String) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for pair in pairs {
            guard let key = pair.keyText else {
                found.append(.invalidValue("keys in \(context()) must be plain names, found \(pair.key.shapeDescription)",
                                           file: file, at: pair.key.range))
                continue
            }
            guard !Self.contains(allowed, key) else { continue }
            found.append(.unknownField(key, in: context(), allowed: allowed, file: file, at: pair.key.range))
        }
        return found
    }

    /// The allowed keys that unknown keys are near misses of (`conection` →
    /// `connection`): such a key is misspelled, not missing, and is reported once.
    func misspelledKeys(allowed: [String]) -> Set<String> {
        // The common case, every key known, allocates nothing.
        if pairs.allSatisfy({ $0.keyText.map { Self.contains(allowed, $0) } ?? false }) { return [] }
        return Set(pairs.compactMap { pair in
            guard let key = pair.keyText, !Self.contains(allowed, key) else { return nil }
            return Suggestion.closest(to: key, among: allowed)
        })
    }

    /// Reports `missing-field` for each required key that is absent (and not
    /// misspelled), at the first key of the mapping (where a reader would add it).
    func missingFields(_ required: [String], allowed: [String], file: String) -> [Diagnostic] {
        missingFields(required, allowed: allowed, file: file, in: context ?? "")
    }

    func missingFields(_ required: [String], allowed: [String], file: String,
                       in context: @autoclosure () -> String) -> [Diagnostic] {
        if required.allSatisfy(has) { return [] }
        let at = pairs.first?.key.range ?? node.range
        let misspelled = misspelledKeys(allowed: allowed)
        return required.filter { !has($0) && !misspelled.contains($0) }.map {
            .missingField($0, in: context(), file: file, at: at)
        }
    }

    /// `names.contains(key)`, comparing lengths before text.
    private static func contains(_ names: [String], _ key: String) -> Bool {
        let length = key.utf8.count
        return names.contains { $0.utf8.count == length && $0 == key }
    }
}
