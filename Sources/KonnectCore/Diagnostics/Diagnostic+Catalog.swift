import KonnectYAML

/// Every diagnostic konnect reports is made here: one constructor per kind
/// of problem, so each code's wording lives in exactly one place.
extension Diagnostic {
    // MARK: YAML layer

    static func yaml(_ problem: YAMLProblem, file: String, source: SourceText) -> Diagnostic {
        switch problem {
        case let .syntax(text, context, contextStart, range):
            var message = text
            if let context {
                message += " (\(context)"
                if let c = contextStart { message += " that started at line \(c.line), column \(c.column)" }
                message += ")"
            }
            var hint: String? = nil
            if range.start.offset < source.bytes.count, source.bytes[range.start.offset] == 0x09 {
                hint = "YAML does not allow tabs for indentation; indent with spaces"
            } else if text.contains("mapping values are not allowed") {
                hint = "a value containing `: ` must be quoted"
            } else if text.contains("did not find expected key") || text.contains("could not find expected ':'") {
                hint = "check the indentation and the `key: value` form of this line and the one above"
            }
            return Diagnostic(.error, .yamlSyntax, message, file: file, range: range, hint: hint)
        case let .invalidUTF8(range):
            return Diagnostic(.error, .invalidUTF8, "the file is not valid UTF-8 (bad byte at offset \(range.start.offset))",
                              file: file, range: range, hint: "save the file as UTF-8")
        case let .duplicateKey(key, first, range):
            return Diagnostic(.error, .duplicateKey, "duplicate key `\(key)` (first defined on line \(first.start.line))",
                              file: file, range: range, hint: "remove one of the two",
                              notes: [Note("first defined here", file: file, range: first)])
        case let .limitExceeded(limit, range):
            let message: String
            switch limit {
            case let .fileSize(bytes, max):
                message = "file is \(bytes) bytes, over the limit of \(max) bytes (\(max / (1 << 20)) MiB)"
            case let .depth(max):
                message = "nesting deeper than \(max) levels"
            case let .aliases(max):
                message = "more than \(max) aliases in one document"
            case let .expandedNodes(max):
                message = "aliases expand to more than \(max) nodes"
            }
            return Diagnostic(.error, .limitExceeded, message, file: file, range: range,
                              hint: "konnect limits files to guard against hostile input; split the file")
        }
    }

    // MARK: documents and structure

    static func unknownDocument(firstKey: String?, file: String, at range: SourceRange) -> Diagnostic {
        let what = firstKey.map { "a document starting with `\($0)`" } ?? "this document"
        let hint = firstKey.flatMap { Suggestion.closest(to: $0, among: DocumentKind.allKeys) }
            .map { "did you mean `\($0)`?" }
            ?? "a document's first key is `konnector:`, `connection:` or `tests:`"
        return Diagnostic(.error, .unknownDocument, "\(what) is not a konnector, connection or test suite",
                          file: file, range: range, hint: hint)
    }

    static func emptyFile(file: String) -> Diagnostic {
        Diagnostic(.error, .unknownDocument, "the file holds no document", file: file, range: .fileStart,
                   hint: "a document's first key is `konnector:`, `connection:` or `tests:`; delete the file if it is not needed")
    }

    static func unknownField(_ key: String, in context: String, allowed: [String], file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .unknownField, "unknown field `\(key)` in \(context)", file: file, range: range,
                   hint: Suggestion.hint(for: key, among: allowed, noun: "valid fields"))
    }

    static func missingField(_ key: String, in context: String, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .missingField, "missing required field `\(key)` in \(context)", file: file, range: range)
    }

    static func wrongShape(_ what: String, expected: String, found node: YAMLNode, file: String) -> Diagnostic {
        Diagnostic(.error, .invalidValue, "\(what) must be \(expected), found \(node.shapeDescription)",
                   file: file, range: node.range)
    }

    static func invalidSlug(_ value: String, what: String, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .invalidValue, "\(what) `\(value)` is not a valid slug", file: file, range: range,
                   hint: "use 1 to 63 characters: lowercase letters, digits, `-` and `_`, starting with a letter or digit")
    }

    static func invalidValue(_ message: String, hint: String? = nil, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .invalidValue, message, file: file, range: range, hint: hint)
    }

    static func duplicateID(kind: String, id: String, firstFile: String, first: SourceRange, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .duplicateID, "duplicate \(kind) id `\(id)` (first defined at \(firstFile):\(first.start.line))",
                   file: file, range: range, hint: "ids must be unique; rename one of them",
                   notes: [Note("first defined here", file: firstFile, range: first)])
    }

    static func literalSecret(connection: String, file: String, at range: SourceRange) -> Diagnostic {
        // The value itself is never echoed.
        Diagnostic(.error, .literalSecret, "connection `\(connection)` has a literal credential in `secret`",
                   file: file, range: range,
                   hint: "credentials never belong in the repository; write `env:NAME` or `vault:PATH` and revoke the exposed one")
    }
}
