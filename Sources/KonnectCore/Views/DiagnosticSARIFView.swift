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
            return .object([
                "ruleId": .string(d.code.rawValue),
                "ruleIndex": .int(codes.firstIndex(of: d.code) ?? 0),
                "level": .string(d.severity == .error ? "error" : "warning"),
                "message": .object(["text": .string(text)]),
                "locations": .array([.object([
                    "physicalLocation": .object([
                        "artifactLocation": .object(["uri": .string(d.file), "uriBaseId": .string("PROJECTROOT")]),
                        "region": .object([
                            "startLine": .int(d.range.start.line),
                            "startColumn": .int(d.range.start.column),
                            "endLine": .int(d.range.end.line),
                            "endColumn": .int(d.range.end.column),
                        ]),
                    ]),
                ])]),
            ])
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
        ]).serialized() + "\n"
    }
}
