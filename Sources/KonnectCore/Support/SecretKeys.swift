import KonnectYAML

/// Values under a key that names a secret — `secret`, a near miss of it
/// (`secrte`, `Secret`) or a key containing it (`client_secret`), or a key
/// spelled like a sensitive field of the schemas (`Url`, `header` for
/// `url`, `headers`) — that are no `env:` / `vault:` reference: in a file
/// with diagnostics these are masked wherever they are, whatever the
/// document (a misspelled or repeated key is never decoded, but its line is
/// shown).
enum SecretKeys {
    /// Every such pair of a parsed document, the pairs dropped as repeated keys included.
    static func add(in document: YAMLDocument, source: SourceText, sensitiveNames: Set<String> = [], to mask: inout SecretMask) {
        func visit(_ pair: YAMLPair) {
            guard let key = pair.keyText, isSecretKey(key) || isSensitiveKey(key, among: sensitiveNames), !pair.value.isNull else { return }
            if let text = pair.value.scalarText, SecretReference.isReference(text) { return }
            mask.add(pair.value, source: source, onlyLiterals: true)
        }
        document.root?.forEachNode { node in
            for pair in node.mapping ?? .empty { visit(pair) }
        }
        for pair in document.droppedPairs { visit(pair) }
    }

    /// A file that did not parse (a syntax error, a limit) has no tree to
    /// read: each line that looks like `secret: value` has its value masked,
    /// so that the snippet of a YAML error on that line shows no credential.
    static func addLines(in source: SourceText, to mask: inout SecretMask) {
        let b = source.bytes
        for start in source.lineStarts {
            var i = start
            while i < b.count, b[i] == 0x20 || b[i] == 0x2D || b[i] == 0x09 { i += 1 }  // indentation, `- `
            let quote: UInt8? = i < b.count && (b[i] == 0x22 || b[i] == 0x27) ? b[i] : nil
            if quote != nil { i += 1 }
            let keyStart = i
            while i < b.count, b[i] != 0x3A, b[i] != 0x0A, b[i] != 0x0D, b[i] != quote ?? 0x3A { i += 1 }
            var keyEnd = i
            if quote != nil, i < b.count, b[i] == quote { i += 1 }
            while keyEnd > keyStart, b[keyEnd - 1] == 0x20 { keyEnd -= 1 }
            while i < b.count, b[i] == 0x20 { i += 1 }
            guard i < b.count, b[i] == 0x3A, keyEnd > keyStart, keyEnd - keyStart <= 64 else { continue }
            guard isSecretKey(String(decoding: b[keyStart..<keyEnd], as: UTF8.self)) else { continue }
            var j = i + 1
            while j < b.count, b[j] == 0x20 || b[j] == 0x09 { j += 1 }
            var end = j
            while end < b.count, b[end] != 0x0A, b[end] != 0x0D, !(b[end] == 0x23 && end > j && b[end - 1] == 0x20) { end += 1 }
            while end > j, b[end - 1] == 0x20 || b[end - 1] == 0x09 { end -= 1 }
            let value = String(decoding: b[j..<end], as: UTF8.self)
            var bare = Substring(value)
            if let f = bare.first, f == "\"" || f == "'" { bare = bare.dropFirst() }
            if let l = bare.last, l == "\"" || l == "'" { bare = bare.dropLast() }
            if bare.isEmpty || SecretReference.isReference(String(bare)) { continue }
            mask.add(range: SourceRange(start: source.position(atOffset: j), end: source.position(atOffset: end)))
            mask.add(text: String(bare))
        }
    }

    /// One of `names` (sensitive field names, lowercased) in any case, or a near miss of one.
    static func isSensitiveKey(_ key: String, among names: Set<String>) -> Bool {
        guard !names.isEmpty else { return false }
        let lower = key.lowercased()
        return names.contains(lower) || Suggestion.closest(to: lower, among: Array(names)) != nil
    }

    /// `secret`, a near miss of it, or a key that contains it.
    static func isSecretKey(_ key: String) -> Bool {
        key.lowercased().contains("secret") || Suggestion.closest(to: key, among: ["secret"]) != nil
    }
}
