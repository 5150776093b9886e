/// `--format sarif`: SARIF 2.1.0 with one rule per diagnostic code.
public struct DiagnosticSARIFView {
    public var toolVersion: String

    public init(toolVersion: String) {
        self.toolVersion = toolVersion
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        let codes = DiagnosticCode.allCases
        let rules: [JSONValue] = codes.map { code in
            .object([
                "id": .string(code.rawValue),
                "name": .string(code.rawValue),
                "shortDescription": .object(["text": .string(code.summary)]),
            ])
        }
        let results: [JSONValue] = diagnostics.map { d in
            var text = d.message
            if let hint = d.hint { text += "\nhint: \(hint)" }
            for note in d.notes { text += "\nnote: \(note.message)" }
            // A note with a place is also a related location (SARIF 2.1.0 §3.27.22).
            let related: [JSONValue] = d.notes.enumerated().compactMap { i, note in
                guard let file = note.file, let range = note.range else { return nil }
                return .object([
                    "id": .int(i),
                    "message": .object(["text": .string(note.message)]),
                    "physicalLocation": .object([
                        "artifactLocation": Self.artifactLocation(file),
                        "region": .object(["startLine": .int(range.start.line), "startColumn": .int(range.start.column),
                                           "endLine": .int(range.end.line), "endColumn": .int(range.end.column)]),
                    ]),
                ])
            }
            var result: JSONValue = .object([
                "ruleId": .string(d.code.rawValue),
                "ruleIndex": .int(codes.firstIndex(of: d.code) ?? 0),
                "level": .string(d.severity == .error ? "error" : "warning"),
                "message": .object(["text": .string(text)]),
                "locations": .array([.object([
                    "physicalLocation": .object([
                        "artifactLocation": Self.artifactLocation(d.file),
                        "region": .object([
                            "startLine": .int(d.range.start.line),
                            "startColumn": .int(d.range.start.column),
                            "endLine": .int(d.range.end.line),
                            "endColumn": .int(d.range.end.column),
                        ]),
                    ]),
                ])]),
            ])
            if !related.isEmpty, case .object(var members) = result {
                members.append(.init("relatedLocations", .array(related)))
                result = .object(members)
            }
            return result
        }
        return JSONValue.object([
            "$schema": .string("https://json.schemastore.org/sarif-2.1.0.json"),
            "version": .string("2.1.0"),
            "runs": .array([.object([
                "tool": .object(["driver": .object([
                    "name": .string("konnect"),
                    "version": .string(toolVersion),
                    "informationUri": .string("https://github.com/konnect/konnect"),
                    "rules": .array(rules),
                ])]),
                "results": .array(results),
            ])]),
        ]).serializedForTerminal() + "\n"
    }

    /// Where a file is: a relative path (printed relative to the current
    /// directory, SPEC §6) is relative to `%SRCROOT%`, the folder konnect ran
    /// in — in CI the repository's root, where code scanning resolves it;
    /// an absolute one is a `file://` URI, which SARIF allows no base for.
    static func artifactLocation(_ path: String) -> JSONValue {
        if path.hasPrefix("/") { return .object(["uri": .string("file://" + uri(path))]) }
        return .object(["uri": .string(uri(path)), "uriBaseId": .string("%SRCROOT%")])
    }

    /// A path as a URI reference (RFC 3986): every byte of its UTF-8 but
    /// the unreserved characters and `/` percent-encoded (a space, `#`, `%`,
    /// `?`, non-ASCII, control characters).
    static func uri(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }
}
