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
    /// read: each `secret: value` (or a sensitive field's key) on a line —
    /// at its start, or after `{` or `,` in a flow mapping — has its value
    /// masked, so that the snippet of a YAML error on that line shows no
    /// credential.
    static func addLines(in source: SourceText, sensitiveNames: Set<String> = [], to mask: inout SecretMask) {
        let b = source.bytes
        func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
        for (n, start) in source.lineStarts.enumerated() {
            var end = n + 1 < source.lineStarts.count ? source.lineStarts[n + 1] : b.count
            while end > start, b[end - 1] == 0x0A || b[end - 1] == 0x0D { end -= 1 }
            // Where a key may start: the line's start (after indentation and `- `), and after `{` or `,`.
            var starts: [Int] = []
            var i = start
            while i < end, isBlank(b[i]) || b[i] == 0x2D { i += 1 }
            starts.append(i)
            var quote: UInt8? = nil
            for j in i..<end {
                if let q = quote { if b[j] == q { quote = nil }; continue }
                if b[j] == 0x22 || b[j] == 0x27 { quote = b[j] } else if b[j] == 0x7B || b[j] == 0x2C { starts.append(j + 1) }
            }
            for keyAt in starts { maskValue(keyAt: keyAt, lineEnd: end, in: source, sensitiveNames: sensitiveNames, to: &mask) }
        }
    }

    /// The value of the `key: value` that starts at `keyAt` (blanks first), when its key names a secret.
    private static func maskValue(keyAt: Int, lineEnd: Int, in source: SourceText, sensitiveNames: Set<String>, to mask: inout SecretMask) {
        let b = source.bytes
        var i = keyAt
        while i < lineEnd, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        let quote: UInt8? = i < lineEnd && (b[i] == 0x22 || b[i] == 0x27) ? b[i] : nil
        if quote != nil { i += 1 }
        let keyStart = i
        while i < lineEnd, b[i] != 0x3A, b[i] != quote ?? 0x3A, b[i] != 0x2C, b[i] != 0x7B, b[i] != 0x7D { i += 1 }
        var keyEnd = i
        if quote != nil, i < lineEnd, b[i] == quote { i += 1 }
        while keyEnd > keyStart, b[keyEnd - 1] == 0x20 { keyEnd -= 1 }
        while i < lineEnd, b[i] == 0x20 { i += 1 }
        guard i < lineEnd, b[i] == 0x3A, keyEnd > keyStart, keyEnd - keyStart <= 64 else { return }
        let key = String(decoding: b[keyStart..<keyEnd], as: UTF8.self)
        guard isSecretKey(key) || isSensitiveKey(key, among: sensitiveNames) else { return }
        var j = i + 1
        while j < lineEnd, b[j] == 0x20 || b[j] == 0x09 { j += 1 }
        var end = j
        if j < lineEnd, b[j] == 0x22 || b[j] == 0x27 {
            // A quoted value ends at its closing quote (or the line's end).
            end = j + 1
            while end < lineEnd, b[end] != b[j] { end += 1 }
            if end < lineEnd { end += 1 }
        } else {
            // A plain value ends at a comment, or at `,` `}` `]` in a flow collection.
            while end < lineEnd, !(b[end] == 0x23 && end > j && b[end - 1] == 0x20), b[end] != 0x2C, b[end] != 0x7D, b[end] != 0x5D { end += 1 }
        }
        while end > j, b[end - 1] == 0x20 || b[end - 1] == 0x09 { end -= 1 }
        let value = String(decoding: b[j..<end], as: UTF8.self)
        var bare = Substring(value)
        if let f = bare.first, f == "\"" || f == "'" { bare = bare.dropFirst() }
        if let l = bare.last, l == "\"" || l == "'" { bare = bare.dropLast() }
        if bare.isEmpty || bare.first == "{" || bare.first == "[" || SecretReference.isReference(String(bare)) { return }
        mask.add(range: SourceRange(start: source.position(atOffset: j), end: source.position(atOffset: end)))
        mask.add(text: String(bare))
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
