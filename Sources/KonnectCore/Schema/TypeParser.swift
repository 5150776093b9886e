/// Parses SPEC §4's type strings: `email?`, `enum(a, b)`, `array<LineItem>`.
struct TypeParser {
    enum Failure: Error, Equatable {
        case syntax(String)
        case unknownTypeName(String)
        /// `array<…>` nested more than `maxDepth` levels (SPEC §6 `limit-exceeded`).
        case tooDeep
    }

    /// Nesting a type may have, in all (SPEC §6): arrays, inline objects and
    /// named types through each other.
    public static let maxDepth = 64

    static let baseNames: [String: ValueType] = [
        "string": .string, "integer": .integer, "number": .number, "boolean": .boolean,
        "date": .date, "datetime": .datetime, "email": .email, "url": .url, "any": .any,
    ]

    /// Resolves a named type (from `types:`), or nil when there is none.
    let resolveName: (String) -> ValueType?

    func parse(_ text: String) throws(Failure) -> ValueType {
        var s = Substring(text)
        let t = try type(&s, depth: 0)
        skipSpaces(&s)
        guard s.isEmpty else { throw .syntax("unexpected `\(s)` after `\(text.dropLast(s.count))`") }
        return t
    }

    /// `depth`: the `array<` levels around this type; bounded, as each is a call deeper.
    private func type(_ s: inout Substring, depth: Int) throws(Failure) -> ValueType {
        skipSpaces(&s)
        var t = try base(&s, depth: depth)
        skipSpaces(&s)
        if s.first == "?" {
            s.removeFirst()
            t = t.nullable
        }
        return t
    }

    private func base(_ s: inout Substring, depth: Int) throws(Failure) -> ValueType {
        let nameText = Self.leadingName(s)
        let name = String(nameText)
        guard !name.isEmpty else {
            throw .syntax(s.isEmpty ? "a type is missing" : "unexpected `\(s.first!)` where a type was expected")
        }
        s = s[nameText.endIndex...]
        skipSpaces(&s)
        switch name {
        case "enum":
            guard s.first == "(" else { throw .syntax("`enum` needs its values: `enum(a, b)`") }
            s.removeFirst()
            guard let close = s.firstIndex(of: ")") else { throw .syntax("`enum(` is not closed with `)`") }
            let values = s[..<close].split(separator: ",", omittingEmptySubsequences: false)
                .map { String($0.trimmingWhitespaceSubstring) }
            s = s[s.index(after: close)...]
            guard !values.contains(where: \.isEmpty) else { throw .syntax("`enum(…)` has an empty value") }
            return .enumeration(values)
        case "array":
            guard s.first == "<" else { throw .syntax("`array` needs its element type: `array<string>`") }
            s.removeFirst()
            guard depth < Self.maxDepth else { throw .tooDeep }
            let element = try type(&s, depth: depth + 1)
            skipSpaces(&s)
            guard s.first == ">" else { throw .syntax("`array<` is not closed with `>`") }
            s.removeFirst()
            return .array(element)
        default:
            if let t = Self.baseNames[name] { return t }
            if let t = resolveName(name) { return t }
            throw .unknownTypeName(name)
        }
    }

    /// The name `s` starts with: letters, digits and `_`. Read byte by byte
    /// while it is ASCII, as every bundled type is; by Characters from the
    /// start once a byte is not (Character by Character cost some 12,000
    /// instructions a type, paid for every field of every schema on every run).
    static func leadingName(_ s: Substring) -> Substring {
        let bytes = s.utf8
        var i = bytes.startIndex
        while i != bytes.endIndex {
            let c = bytes[i]
            if c >= 0x80 { return s.prefix { $0.isLetter || $0.isNumber || $0 == "_" } }
            guard (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F else { break }
            bytes.formIndex(after: &i)
        }
        return s[..<i]
    }

    private func skipSpaces(_ s: inout Substring) {
        while s.first == " " { s.removeFirst() }
    }
}

extension Substring {
    var trimmingWhitespaceSubstring: Substring {
        var s = self
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return s
    }
}
