import KonnectYAML

/// Finds `secret:` lines whose value is not an `env:` / `vault:` reference,
/// so that no snippet of any diagnostic can show a credential.
enum SecretLines {
    static func literalSecretRanges(in source: SourceText) -> [SourceRange] {
        var out: [SourceRange] = []
        let b = source.bytes
        let key = Array("secret".utf8)
        for start in source.lineStarts {
            var i = start
            while i < b.count, b[i] == 0x20 || b[i] == 0x2D { i += 1 }  // indentation, `- `
            if i < b.count, b[i] == 0x22 || b[i] == 0x27 { i += 1 }
            guard i + key.count < b.count, b[i..<(i + key.count)].elementsEqual(key) else { continue }
            var j = i + key.count
            if j < b.count, b[j] == 0x22 || b[j] == 0x27 { j += 1 }
            while j < b.count, b[j] == 0x20 { j += 1 }
            guard j < b.count, b[j] == 0x3A else { continue }
            j += 1
            while j < b.count, b[j] == 0x20 { j += 1 }
            var end = j
            while end < b.count, b[end] != 0x0A, b[end] != 0x0D, !(b[end] == 0x23 && end > j && b[end - 1] == 0x20) { end += 1 }
            while end > j, b[end - 1] == 0x20 { end -= 1 }
            let value = String(decoding: b[j..<end], as: UTF8.self)
            let bare = value.trimmingCharacters(in: ["\"", "'", " "])
            if bare.isEmpty || bare.hasPrefix("env:") || bare.hasPrefix("vault:") { continue }
            out.append(SourceRange(start: source.position(atOffset: j), end: source.position(atOffset: end)))
        }
        return out
    }
}
