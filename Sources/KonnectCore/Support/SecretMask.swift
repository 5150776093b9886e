import KonnectYAML

/// The literal credentials of one file (SPEC §3), as data: the texts that
/// are masked wherever they appear in that file's output, and the places in
/// the file that are masked in every snippet. The decoder and the checker
/// collect them; output is masked in one place before any view renders it,
/// each occurrence replaced by `****` (a fixed width, never the secret's).
///
/// Short texts, so that a short value never turns the output to nonsense
/// (lengths in characters, Unicode scalars):
/// - an empty text is no secret;
/// - 1 to 3 characters: masked at its places in the file only (snippets),
///   never by value: masking every `a` or `12` hides nothing a reader
///   could not guess;
/// - 4 to 7 characters: masked by value as a whole word only, never inside
///   a longer run of letters and digits (a secret `konnect` leaves
///   `konnectors/` alone);
/// - 8 characters or more: masked by value wherever it appears.
public struct SecretMask: Sendable {
    public static let placeholder = "****"
    public static let minimumLength = 4
    public static let anywhereLength = 8

    /// Texts masked by value (each at least `minimumLength` long), in the
    /// order they were found.
    public private(set) var texts: [String] = []
    /// Places in the file masked whatever their text.
    public private(set) var ranges: [SourceRange] = []
    /// What is searched for in output: each text as written, and as the
    /// JSON, GitHub and terminal renderings spell it; short ones as whole words.
    private var patterns = BytePatternSet()
    /// `texts` as a set, and the texts as `redacting` searches the source for them.
    private var knownTexts: Set<String> = []
    private var sourcePatterns = BytePatternSet()
    /// `ranges` as a set: a secret of many values adds many places.
    private var knownRanges: Set<SourceRange> = []

    public init() {}

    /// The mask a redacted source carries (see `redacting(_:)`).
    public init(redactedSource source: SourceText) {
        for t in source.redactedTexts { add(text: t) }
        for r in source.redactions { add(range: r) }
    }

    public var isEmpty: Bool { texts.isEmpty && ranges.isEmpty }

    /// Masks `text` by value. A text of several lines is masked whole and
    /// line by line (a snippet shows one line).
    public mutating func add(text: String) {
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\u{85}" || $0 == "\u{2028}" || $0 == "\u{2029}" })
        var candidates = [text]
        if lines.count > 1 { candidates += lines.map { $0.trimmingSpaces } }
        for t in candidates where t.unicodeScalars.count >= Self.minimumLength && knownTexts.insert(t).inserted {
            texts.append(t)
            let wholeWord = t.unicodeScalars.count < Self.anywhereLength
            for p in Self.spellings(of: t) { patterns.insert(p, wholeWord: wholeWord) }
            sourcePatterns.insert(Array(t.utf8), wholeWord: wholeWord)
        }
    }

    public mutating func add(range: SourceRange) {
        if knownRanges.insert(range).inserted { ranges.append(range) }
    }

    /// Masks `node` wherever it is in the file, and every scalar under it
    /// by value: as decoded, and as spelled in the source (`"hunter\x32"`
    /// is masked both ways). With `onlyLiterals`, only its literal scalars
    /// are (their places and values): `env:` / `vault:` references and
    /// templates under it are no secrets, and stay readable in snippets.
    public mutating func add(_ node: YAMLNode, source: SourceText, onlyLiterals: Bool = false) {
        if !onlyLiterals { add(range: node.range) }
        node.forEachNode(includingKeys: false) { n in
            guard let s = n.scalar, !s.isNull else { return }
            if onlyLiterals {
                if case .string(let text) = s.value, SecretReference.isReference(text) { return }
                if case .string(let text) = s.value, Template.mayContainTemplate(text) {
                    // A template's quoted strings are literals written another way (`{{ 'https://…' }}`).
                    for e in (try? Template.split(text))?.expressions ?? [] {
                        for literal in ValueChecker.quotedStrings(in: e.source) { add(text: literal) }
                    }
                    return
                }
                add(range: n.range)
            }
            add(text: s.text)
            add(text: Self.spelling(of: n, style: s.style, in: source))
        }
    }

    public mutating func formUnion(_ other: SecretMask) {
        for t in other.texts { add(text: t) }
        for r in other.ranges { add(range: r) }
    }

    // MARK: masking

    /// `s` with every occurrence of a secret text replaced by `****`;
    /// overlapping or touching occurrences make one.
    public func masking(_ s: String) -> String { masking(s, placeholder: Self.placeholder) }

    /// The same, with another mark (a library URL's password is `***`, SPEC §7).
    public func masking(_ s: String, placeholder: String) -> String {
        guard !patterns.isEmpty else { return s }
        let bytes = Array(s.utf8)
        let found = patterns.occurrences(in: bytes)
        guard !found.isEmpty else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var at = 0
        for r in Self.merged(found) {
            out += bytes[at..<r.lowerBound]
            out += placeholder.utf8
            at = r.upperBound
        }
        out += bytes[at...]
        return String(decoding: out, as: UTF8.self)
    }

    /// The diagnostic with its message, hint and notes masked.
    public func masking(_ d: Diagnostic) -> Diagnostic {
        guard !patterns.isEmpty else { return d }
        var d = d
        d.message = masking(d.message)
        d.hint = d.hint.map(masking)
        for i in d.notes.indices { d.notes[i].message = masking(d.notes[i].message) }
        return d
    }

    /// A copy of `source` whose secret places and every occurrence of a
    /// secret text are starred (lines and columns kept), and which carries
    /// this mask for the views.
    public func redacting(_ source: SourceText) -> SourceText {
        guard !isEmpty else { return source }
        var places = ranges
        let bytes = source.bytes
        for r in sourcePatterns.occurrences(in: bytes) {
            places.append(SourceRange(start: source.position(atOffset: r.lowerBound), end: source.position(atOffset: r.upperBound)))
        }
        return source.redacting(places, texts: texts)
    }

    // MARK: diagnostics of a project

    /// Each file's diagnostics with that file's secrets masked.
    public static func masking(_ diagnostics: [Diagnostic], masks: [String: SecretMask]) -> [Diagnostic] {
        guard !masks.isEmpty else { return diagnostics }
        return diagnostics.map { d in masks[d.file].map { $0.masking(d) } ?? d }
    }

    /// The masks that these (redacted) sources carry, by file.
    public static func masks(of sources: [String: SourceText]) -> [String: SecretMask] {
        var out: [String: SecretMask] = [:]
        for (file, source) in sources where !source.redactions.isEmpty || !source.redactedTexts.isEmpty {
            out[file] = SecretMask(redactedSource: source)
        }
        return out
    }

    // MARK: helpers

    /// The text of `node` as written in the file, without its quotes.
    static func spelling(of node: YAMLNode, style: YAMLScalar.Style, in source: SourceText) -> String {
        let b = source.bytes
        var start = min(max(0, node.range.start.offset), b.count)
        var end = min(max(start, node.range.end.offset), b.count)
        if style == .singleQuoted || style == .doubleQuoted, end - start >= 2 {
            start += 1
            end -= 1
        }
        return String(decoding: b[start..<end], as: UTF8.self)
    }

    /// How `text` appears in konnect's outputs: as is, inside a JSON string,
    /// in a GitHub workflow command, and escaped for a terminal.
    static func spellings(of text: String) -> [[UInt8]] {
        var json = JSONValue.string(text).serialized()
        json.removeFirst()
        json.removeLast()
        let github = text.replacingAll(["%": "%25", "\r": "%0D", "\n": "%0A"])
        var out: [[UInt8]] = []
        for s in [text, json, github, TerminalText.escaped(text), TerminalText.escaped(github)] where !out.contains(Array(s.utf8)) {
            out.append(Array(s.utf8))
        }
        return out
    }

    static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, r.lowerBound <= last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }
}

/// `env:NAME` and `vault:PATH` (SPEC §3): where a credential lives.
enum SecretReference {
    /// Whether `text` is meant as a reference (well formed or not).
    static func isReference(_ text: String) -> Bool {
        text.hasPrefix("env:") || text.hasPrefix("vault:")
    }

    /// The reference `text` names, or the message saying why it is malformed
    /// (nil for a text that is no reference at all).
    static func parse(_ text: String) -> Result<Connection.Secret, Problem>? {
        if text.hasPrefix("env:") {
            let name = text.dropFirst(4)
            let valid = !name.isEmpty && name.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
                && !(name.utf8.first.map { $0 >= 0x30 && $0 <= 0x39 } ?? true)
            return valid ? .success(.env(String(name))) : .failure(Problem("`env:` must name an environment variable, like `env:SHOPIFY_TOKEN`"))
        }
        if text.hasPrefix("vault:") {
            let path = text.dropFirst(6)
            let valid = !path.isEmpty && !path.contains(where: { $0 == " " || $0 == "\t" })
            return valid ? .success(.vault(String(path))) : .failure(Problem("`vault:` must name a secret path, like `vault:secret/shopify`"))
        }
        return nil
    }

    struct Problem: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }
}

private extension Substring {
    var trimmingSpaces: String {
        var s = self[...]
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
