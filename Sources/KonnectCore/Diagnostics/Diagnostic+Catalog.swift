import KonnectYAML

/// Every diagnostic konnect reports is made here: one constructor per kind
/// of problem, so each code's wording lives in exactly one place.
extension Diagnostic {
    // MARK: YAML layer

    static func yaml(_ problem: YAMLProblem, file: String, source: SourceText) -> Diagnostic {
        switch problem {
        case let .syntax(text, context, contextStart, range):
            if let c = contextStart, context?.hasSuffix("quoted scalar") == true,
               text.contains("end of stream") || text.contains("document indicator"),
               c.offset < source.bytes.count, source.bytes[c.offset] == 0x22 || source.bytes[c.offset] == 0x27 {
                // An unclosed quote: libyaml stops at the end of the file (or the next `---`);
                // the quote that opened the string is what to fix.
                let quote = source.bytes[c.offset] == 0x22 ? "\"" : "'"
                let end = SourcePosition(line: c.line, column: c.column + 1, offset: c.offset + 1)
                return Diagnostic(.error, .yamlSyntax, "this quoted string is never closed (\(text) at line \(range.start.line))",
                                  file: file, range: SourceRange(start: c, end: end),
                                  hint: "close it with a `\(quote)` where the value ends")
            }
            if let open = UnclosedQuote.openQuote(in: source, before: range.start.line) {
                return .unclosedQuote(opening: open, failedAt: range.start, problem: text,
                                      quote: source.bytes[open.offset], file: file)
            }
            if context?.contains("flow") == true, let comment = CommentInValue.inFlowCollection(of: source, before: range.start.line) {
                // A long value is named by its start (a line may be megabytes long).
                let shown = comment.text.count > 80 ? comment.text.prefix(80) + "…" : comment.text
                return Diagnostic(.error, .yamlSyntax,
                                  "`\(shown)` starts a comment inside an open `{ … }` or `[ … ]`: YAML reads no further on the line, "
                                  + "its closing bracket included, then fails at line \(range.start.line) (\(text))",
                                  file: file, range: comment.range,
                                  hint: comment.text.count > 80 ? "quote the value" : "quote the value: `\(comment.quoted)`")
            }
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
                              file: file, range: range, hint: "remove one of the two")
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

    /// A quote not closed on its line, which a later quote closed (`UnclosedQuote`).
    static func unclosedQuote(opening: SourcePosition, closedAt: SourcePosition, swallowed: Int, quote: UInt8, file: String) -> Diagnostic {
        unclosedQuote(opening, quote: quote, file: file) { q in
            "this quoted string is not closed on its line: it runs on to the `\(q)` at line \(closedAt.line), column \(closedAt.column), and takes lines \(swallowed) to \(closedAt.line) into the string"
        }
    }

    /// A file libyaml rejects below a quote left open on its line (`UnclosedQuote`).
    static func unclosedQuote(opening: SourcePosition, failedAt: SourcePosition, problem: String, quote: UInt8, file: String) -> Diagnostic {
        unclosedQuote(opening, quote: quote, file: file) { q in
            "this quoted string is not closed on its line (YAML reads on to the next `\(q)`, then fails: \(problem) at line \(failedAt.line), column \(failedAt.column))"
        }
    }

    /// Either one, at the opening quote; `message` is given the quote as written.
    private static func unclosedQuote(_ opening: SourcePosition, quote: UInt8, file: String, message: (String) -> String) -> Diagnostic {
        let q = quote == 0x22 ? "\"" : "'"
        let end = SourcePosition(line: opening.line, column: opening.column + 1, offset: opening.offset + 1)
        return Diagnostic(.error, .yamlSyntax, message(q), file: file, range: SourceRange(start: opening, end: end),
                          hint: "close it with a `\(q)` where the value ends")
    }

    /// A `#comment` that cut the value of `key` short, or took all of it (SPEC §6 `comment-in-value`).
    static func commentInValue(key: String, comment: String, isEmpty: Bool, quoted: String, file: String, at range: SourceRange) -> Diagnostic {
        let message = isEmpty
            ? "`\(comment)` is a YAML comment, so `\(key)` has no value"
            : "`\(comment)` is a YAML comment, so `\(key)` ends before it"
        return Diagnostic(.warning, .commentInValue, message, file: file, range: range,
                          hint: "a `#` after a space starts a comment; quote the value: `\(key): \(quoted)`")
    }

    /// `d`, about a value that a `#comment` emptied: it points at the comment,
    /// the cause, says so in its message, and the quoted value is the fix.
    static func explainedByComment(_ d: Diagnostic, key: String, comment: String, quoted: String, at range: SourceRange) -> Diagnostic {
        var d = d
        d.range = range
        d.message += ": `\(comment)` is a comment, not the value"
        d.hint = "quote the value: `\(key): \(quoted)`"
        return d
    }

    // MARK: documents and structure

    /// A document with none of §1's keys, named by `key` (a near miss of one, or its first key).
    static func unknownDocument(key: String?, isFirst: Bool, file: String, at range: SourceRange) -> Diagnostic {
        let what = key.map { isFirst ? "a document starting with `\($0)`" : "a document with the key `\($0)`" } ?? "this document"
        let hint = key.flatMap { Suggestion.closest(to: $0, among: DocumentKind.allKeys) }
            .map { "did you mean `\($0)`?" }
            ?? "a document holds one of the keys `konnector:`, `connection:` or `tests:`"
        return Diagnostic(.error, .unknownDocument, "\(what) is not a konnector, connection or test suite",
                          file: file, range: range, hint: hint)
    }

    /// A document holding several of §1's keys, reported at the second.
    static func severalDocumentKinds(_ keys: [String], file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .unknownDocument,
                   "a document holds \(keys.map { "`\($0):`" }.joined(separator: " and ")): it can be only one of a konnector, connection or test suite",
                   file: file, range: range, hint: "put each in its own document, separated by `---`")
    }

    static func emptyFile(file: String) -> Diagnostic {
        Diagnostic(.error, .unknownDocument, "the file holds no document", file: file, range: .fileStart,
                   hint: "a document holds one of the keys `konnector:`, `connection:` or `tests:`; delete the file if it is not needed")
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

    /// Over SPEC §2's cap on steps in all, reported at the first step past it.
    static func tooManySteps(_ count: Int, max: Int, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .invalidValue, "a konnector has at most \(max) steps in all, nested ones included; this one has \(count)",
                   file: file, range: range, hint: "split it into several konnectors")
    }

    /// Steps inside paths and repeats nest at most `max` levels (SPEC §2.1), reported at the list too deep.
    static func stepsTooDeep(max: Int, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .invalidValue, "steps nest at most \(max) levels deep", file: file, range: range,
                   hint: "move the innermost steps into another konnector")
    }

    /// A step inside a repeat, referred to after it: its outputs are per iteration.
    static func perIterationStep(_ id: String, repeatStep: String, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .unknownReference, "step `\(id)` runs inside repeat `\(repeatStep)`; it is not visible after it",
                   file: file, range: range,
                   hint: "its outputs are per iteration; refer to `steps.\(repeatStep).count`, or use them inside the repeat")
    }

    static func notAnActionStep(_ id: String, kind: String, konnector: String, what: String, actions: [String],
                                file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .unknownReference, "step `\(id)` of konnector `\(konnector)` is a \(kind) step; only action steps \(what == "attempts" ? "have attempts" : "can fail")",
                   file: file, range: range,
                   hint: actions.isEmpty ? nil : "its action steps: " + actions.map { "`\($0)`" }.joined(separator: ", "))
    }

    static func otherPathStep(_ id: String, path: String, pathsStep: String, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .unknownReference, "step `\(id)` is in path `\(path)` of `\(pathsStep)`; it is not visible in this path",
                   file: file, range: range,
                   hint: "the paths of a paths step do not see each other's steps; after `\(pathsStep)`, `steps.\(id)` may be referred to (null when its path did not run)")
    }

    static func duplicateID(kind: String, id: String, firstFile: String, first: SourceRange, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .duplicateID, "duplicate \(kind) id `\(id)` (first defined at \(firstFile):\(first.start.line))",
                   file: file, range: range, hint: "ids must be unique; rename one of them")
    }

    static func literalSecret(connection: String, file: String, at range: SourceRange) -> Diagnostic {
        // The value itself is never echoed.
        Diagnostic(.error, .literalSecret, "connection `\(connection)` has a literal credential in `secret`",
                   file: file, range: range,
                   hint: "credentials never belong in the repository; write `env:NAME` or `vault:PATH` and revoke the exposed one")
    }

    /// A literal in a `sensitive: true` field (SPEC §3): a warning; the value is masked, never echoed.
    static func literalSensitive(_ field: String, owner: String, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.warning, .literalSecret, "`\(field)` of \(owner) is sensitive and holds a literal value",
                   file: file, range: range,
                   hint: "write `env:NAME` or `vault:PATH`, resolved where the konnector runs")
    }

    // MARK: references and permissions (SPEC §3)

    static func unknownApp(_ app: String, known: [String], file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .unknownApp, "unknown app `\(app)`", file: file, range: range,
                   hint: Suggestion.hint(for: app, among: known, noun: "apps with a schema")
                       ?? "add its schema as `schemas/\(app).yaml`")
    }

    static func unknownOperation(_ name: String, kind: Operation.Kind, app: AppSchema, file: String, at range: SourceRange) -> Diagnostic {
        let names = (kind == .trigger ? app.triggers : app.actions).map(\.key)
        return Diagnostic(.error, kind == .trigger ? .unknownTrigger : .unknownAction,
                          "\(app.app) has no \(kind.rawValue) `\(name)`", file: file, range: range,
                          hint: Suggestion.hint(for: name, among: names, noun: "its \(kind.rawValue)s"))
    }

    static func unknownConnection(_ name: String, sameApp: [String], all: [String], file: String, at range: SourceRange) -> Diagnostic {
        let hint = Suggestion.closest(to: name, among: all).map { "did you mean `\($0)`?" }
            ?? (sameApp.isEmpty ? "define it in a `connection:` document" : Suggestion.hint(for: name, among: sameApp, noun: "connections of this app"))
        return Diagnostic(.error, .unknownConnection, "unknown connection `\(name)`", file: file, range: range, hint: hint)
    }

    static func missingConnection(owner: String, app: String, candidates: [String], file: String, at range: SourceRange) -> Diagnostic {
        let hint = candidates.isEmpty
            ? "add `connection:` naming a connection of \(app) (define one in a `connection:` document)"
            : "add `connection:` with one of " + candidates.map { "`\($0)`" }.joined(separator: ", ")
        return Diagnostic(.error, .missingConnection, "\(owner) uses \(app), which needs a connection", file: file, range: range, hint: hint)
    }

    /// `sameApp`: the connections of the right app, which the hint lists.
    static func connectionAppMismatch(_ name: String, connectionApp: String, app: String, sameApp: [String],
                                      file: String, at range: SourceRange) -> Diagnostic {
        let hint = sameApp.isEmpty
            ? "no connection of \(app) is defined; add a `connection:` document with `app: \(app)`"
            : "connections of \(app): " + sameApp.map { "`\($0)`" }.joined(separator: ", ")
        return Diagnostic(.error, .connectionAppMismatch, "connection `\(name)` is a \(connectionApp) connection, not \(app)",
                          file: file, range: range, hint: hint)
    }

    /// With a note at the connection's `scopes:` (in its own file), where the scopes are added.
    static func missingScope(_ missing: [String], connection: Connection, operation: Operation, file: String, at range: SourceRange) -> Diagnostic {
        let list = missing.map { "`\($0)`" }.joined(separator: ", ")
        let name = connection.id?.value ?? "?"
        let place = connection.scopesRange ?? connection.id?.range ?? connection.range
        return Diagnostic(.error, .missingScope,
                          "connection `\(name)` lacks the \(missing.count == 1 ? "scope" : "scopes") \(list) that \(operation.qualifiedName) needs",
                          file: file, range: range, hint: "grant \(list) to the connection and add \(missing.count == 1 ? "it" : "them") to its `scopes:`",
                          notes: [Note("connection `\(name)` is defined here: add \(list) to its `scopes:`", file: connection.file, range: place)])
    }

    static func unknownScope(_ scope: String, app: AppSchema, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .invalidValue, "\(app.app) has no scope `\(scope)`", file: file, range: range,
                   hint: Suggestion.hint(for: scope, among: app.scopeNames, noun: "its scopes"))
    }

    // MARK: inputs and values (SPEC §5.5)

    static func unknownInput(_ key: String, noun: String, owner: String, allowed: [String], file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .unknownField, "unknown \(noun) `\(key)` for \(owner)", file: file, range: range,
                   hint: Suggestion.hint(for: key, among: allowed, noun: "valid \(noun)s") ?? (allowed.isEmpty ? "\(owner) takes no \(noun)s" : nil))
    }

    static func missingInput(_ name: String, noun: String, owner: String, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .missingField, "missing required \(noun) `\(name)` for \(owner)", file: file, range: range,
                   hint: noun == "field" ? nil : "add `\(name):` under `with:`")
    }

    /// Required fields of one object, all missing: one diagnostic names them all.
    static func missingFields(_ names: [String], for owner: String, hint: String?, file: String, at range: SourceRange) -> Diagnostic {
        let list = names.map { "`\($0)`" }.joined(separator: ", ")
        return Diagnostic(.error, .missingField, "missing required field\(names.count == 1 ? "" : "s") \(list) for \(owner)",
                          file: file, range: range, hint: hint)
    }

    static func valueShape(expected: String, found node: YAMLNode, file: String) -> Diagnostic {
        Diagnostic(.error, .invalidValue, "expected \(expected), found \(node.shapeDescription)", file: file, range: node.range)
    }

    /// `plain`: the value's text when it is a plain scalar (`on` for a boolean is YAML 1.1's, a string in YAML 1.2).
    static func typeMismatch(expected: ValueType, found: String, what: String, file: String, at range: SourceRange,
                             quotedNumber: Bool = false, plain: String? = nil) -> Diagnostic {
        var hint: String? = nil
        if quotedNumber { hint = "remove the quotes to write a number" }
        else if expected.nonNull == .boolean, let plain, ["yes", "no", "on", "off", "y", "n"].contains(plain.lowercased()) {
            hint = "YAML 1.2 reads `\(plain)` as a string; write `true` or `false`"
        }
        else if expected.nonNull.isStringLike && (found == "an integer" || found == "a number" || found == "a boolean") {
            hint = "quote it to write a string"
        } else if found == "null" { hint = "give a value, or remove the field if it is optional" }
        return Diagnostic(.error, .typeMismatch, "\(what) expects \(expected), found \(found)", file: file, range: range, hint: hint)
    }

    static func malformedLiteral(_ text: String, type: ValueType, what: String, file: String, at range: SourceRange) -> Diagnostic {
        let example = switch type {
        case .email: "like `ada@example.com`"
        case .url: "like `https://example.com/path`"
        case .date: "as YYYY-MM-DD, like `2026-03-02`"
        default: "in RFC 3339, like `2026-03-02T12:00:00Z`"
        }
        return Diagnostic(.error, .invalidValue, "`\(text)` is not a valid \(type) for \(what)", file: file, range: range,
                          hint: "write it \(example)")
    }

    static func notInEnum(_ text: String, values: [String], what: String, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .invalidValue, "`\(text)` is not one of the values of \(what)", file: file, range: range,
                   hint: Suggestion.hint(for: text, among: values, noun: "valid values"))
    }

    static func uncheckedEnum(what: String, values: [String], file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.warning, .uncheckedEnum, "a string expression fills \(what), an enum; its value is checked only when it runs",
                   file: file, range: range, hint: "valid values: " + values.map { "`\($0)`" }.joined(separator: ", "))
    }

    static func nullableIntoRequired(what: String, type: ValueType, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.warning, .nullable, "this value may be null (it is \(type)), but \(what) is required", file: file, range: range,
                   hint: "use `| default(…)`, or check `!= null` in `when:` or `if:`")
    }

    // MARK: expressions (SPEC §5.2–§5.4)

    /// A number literal past the largest number (`1e999`): numbers stay finite (SPEC §9).
    static func nonFiniteNumber(file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .invalidValue, "this number is beyond the largest number (about 1.8e308)", file: file, range: range,
                   hint: "numbers stay finite")
    }

    /// A YAML number literal that is not finite (`.inf`, `-.inf`, `.nan`, `1e999`): numbers stay finite (SPEC §9).
    static func nonFiniteLiteral(_ text: String, what: String, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .invalidValue, "\(what) must be a finite number, found `\(text)`", file: file, range: range,
                   hint: "numbers stay finite: no infinity or NaN, nothing beyond about 1.8e308")
    }

    /// A conversion C99's `strftime` does not define, in a literal `format_date` format (SPEC §5.4).
    static func unknownDateConversion(_ conversion: String, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .invalidValue, "`\(conversion)` is not a strftime conversion", file: file, range: range,
                   hint: "C99 conversions: \(Strftime.conversionList); write `%%` for a `%`")
    }

    static func expressionSyntax(_ error: ExpressionSyntaxError, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .expressionSyntax, error.message, file: file, range: range, hint: error.hint)
    }

    static func notInterpolable(_ type: ValueType, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .notInterpolable, "a value of type \(type) cannot be put into text", file: file, range: range,
                   hint: type.nonNull.description.hasPrefix("array") ? "use `| join(', ')`, or pick one item" : "pick one of its fields")
    }

    /// `locals`: the names a repeat binds here (its `as:` name, `loop`), also roots of paths.
    static func unknownName(_ name: String, locals: [String] = [], file: String, at range: SourceRange) -> Diagnostic {
        let roots = ["trigger", "steps", "konnector"] + locals.sorted()
        let listed = (["`trigger`", "`steps.<id>`", "`konnector`"] + locals.sorted().map { "`\($0)`" })
        let outsideRepeat = locals.isEmpty && (name == "item" || name == "loop")
        return Diagnostic(.error, .unknownReference, "unknown name `\(name)`", file: file, range: range,
                          hint: Suggestion.closest(to: name, among: roots).map { "did you mean `\($0)`?" }
                              ?? (Builtin(rawValue: name) != nil ? "call it: `\(name)(…)` or `value | \(name)`"
                                  : outsideRepeat ? "`\(name)` exists only inside a repeat step's `steps:`"
                                  : "paths start with \(listed.dropLast().joined(separator: ", ")) or \(listed.last!); quote text as 'text'"))
    }

    static func unknownStep(_ id: String, current: String?, later: Bool, earlier: [String], file: String, at range: SourceRange) -> Diagnostic {
        let message: String
        var hint: String? = nil
        if id == current {
            message = "step `\(id)` cannot refer to its own output"
        } else if later {
            message = "step `\(id)` runs after this point; only earlier steps can be referred to"
            hint = "move the step, or refer to an earlier one"
        } else {
            message = "unknown step `\(id)`"
            hint = earlier.isEmpty ? "no step runs before this point" : Suggestion.hint(for: id, among: earlier, noun: "earlier steps")
        }
        return Diagnostic(.error, .unknownReference, message, file: file, range: range, hint: hint)
    }

    static func unknownPathField(_ name: String, in object: ObjectType, path: String?, file: String, at range: SourceRange) -> Diagnostic {
        let owner = path.map { "`\($0)`" } ?? "this object"
        return Diagnostic(.error, .unknownReference, "\(owner) has no field `\(name)`", file: file, range: range,
                          hint: Suggestion.hint(for: name, among: object.fieldNames, noun: "its fields"))
    }

    static func noFields(ofType type: ValueType, field: String, path: String?, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .unknownReference, "\(path.map { "`\($0)`" } ?? "this value") is \(type), which has no field `\(field)`",
                   file: file, range: range)
    }

    static func unknownFunction(_ name: String, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .unknownFunction, "unknown function `\(name)`", file: file, range: range,
                   hint: Suggestion.closest(to: name, among: Builtin.names).map { "did you mean `\($0)`?" }
                       ?? "functions: " + Builtin.names.joined(separator: ", "))
    }

    static func wrongArgumentCount(_ f: Builtin, found: Int, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .typeMismatch, "`\(f.rawValue)` takes \(Self.count(f.arity)), found \(found) (a piped value counts as the first)",
                   file: file, range: range, hint: f.signature)
    }

    static func count(_ r: ClosedRange<Int>) -> String {
        if r.upperBound == Int.max { return "at least \(r.lowerBound) arguments" }
        if r.lowerBound == r.upperBound { return "\(r.lowerBound) argument\(r.lowerBound == 1 ? "" : "s")" }
        return "\(r.lowerBound) to \(r.upperBound) arguments"
    }

    static func argumentMismatch(_ f: Builtin, position: Int, expected: String, found: ValueType, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .typeMismatch, "argument \(position + 1) of `\(f.rawValue)` must be \(expected), found \(found)",
                   file: file, range: range, hint: f.signature)
    }

    static func operandMismatch(_ op: String, expected: String, found: ValueType, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .typeMismatch, "`\(op)` needs \(expected), found \(found)", file: file, range: range)
    }

    static func operandsMismatch(_ op: String, expected: String, left: ValueType, right: ValueType, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .typeMismatch, "`\(op)` takes \(expected); found \(left) and \(right)", file: file, range: range)
    }

    static func notBoolean(_ op: String, found: ValueType, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .typeMismatch, "`\(op)` takes booleans, found \(found)", file: file, range: range,
                   hint: "there is no truthiness: compare explicitly, e.g. `x != null` or `x == 'yes'`")
    }

    /// `repeat:` not an array, `delay_until:` not a datetime (SPEC §2.1).
    static func flowExpressionType(_ what: String, expected: String, found: ValueType, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .typeMismatch, "\(what) must be \(expected), found \(found)", file: file, range: range)
    }

    static func conditionNotBoolean(_ what: String, found: ValueType, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .typeMismatch, "\(what) must be a boolean expression, found \(found)", file: file, range: range,
                   hint: "there is no truthiness: compare explicitly, e.g. `x != null`")
    }

    static func nullableOperand(_ op: String, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.warning, .nullable, "this operand of `\(op)` may be null; the result is then null (false in a condition)",
                   file: file, range: range, hint: "check `!= null` first, or use `| default(…)`")
    }

    static func invalidRegex(_ pattern: String, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .invalidValue, "`\(pattern)` is not a valid regular expression", file: file, range: range)
    }

    // MARK: schemas (SPEC §4)

    static func invalidSchema(_ message: String, hint: String? = nil, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .invalidSchema, message, file: file, range: range, hint: hint)
    }

    /// A schema type nested (`array<…>`, named types through each other) past the limit (SPEC §6).
    static func schemaTypeTooDeep(max: Int, file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .limitExceeded, "type nested deeper than \(max) levels", file: file, range: range,
                   hint: "konnect limits nesting to guard against hostile input; flatten the type")
    }

    /// A value problem found in a schema (a sample, a default) is the schema's fault.
    func asSchemaProblem(context: String) -> Diagnostic {
        Diagnostic(.error, .invalidSchema, "\(context): \(message)", file: file, range: range, hint: hint, notes: notes)
    }

    // MARK: plan (SPEC §8)

    static func ownedElsewhere(_ object: CompiledObject, owner: String) -> Diagnostic {
        Diagnostic(.error, .ownedElsewhere, "\(object.kind.rawValue) `\(object.id)` belongs to project `\(owner)` in the library",
                   file: object.sourceFile, range: object.idRange ?? .fileStart,
                   hint: "ids are unique across a library; rename this one, or remove it from `\(owner)` first")
    }

    // MARK: tests (SPEC §9)

    static func unknownTestedKonnector(_ id: String, known: [String], file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .unknownReference, "no konnector `\(id)` to test", file: file, range: range,
                   hint: Suggestion.hint(for: id, among: known, noun: "konnectors"))
    }

    /// A test case's `fail:` or `expect.attempts` count that is not a whole number in range (SPEC §9).
    static func testStepCount(_ what: String, step: String, atLeast min: Int, orAlways: Bool, found node: YAMLNode,
                              file: String) -> Diagnostic {
        let found = node.scalar.map { "`\($0.text)`" } ?? node.shapeDescription
        return Diagnostic(.error, .invalidValue,
                          "\(what) of step `\(step)` must be a whole number ≥ \(min)\(orAlways ? " or `always`" : ""), found \(found)",
                          file: file, range: node.range)
    }

    static func unknownTestedStep(_ id: String, konnector: String, steps: [String], file: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.error, .unknownReference, "konnector `\(konnector)` has no step `\(id)`", file: file, range: range,
                   hint: Suggestion.hint(for: id, among: steps, noun: "its steps"))
    }

    static func emptyEvent(file: String) -> Diagnostic {
        Diagnostic(.error, .invalidValue, "the event file is empty", file: file, range: .fileStart,
                   hint: "write the trigger's output as JSON or YAML, or use --sample")
    }

    // MARK: reading the project (SPEC §1)

    /// Why a file, folder or link under the project is not read.
    public enum Unreadable: Sendable, Hashable {
        /// The folder cannot be listed: the system's reason.
        case folder(String)
        /// The file cannot be opened or read: the system's reason.
        case file(String)
        case nameNotUTF8
        /// A FIFO, a device or a socket named like a YAML file.
        case notRegularFile
        case linkOutsideProject
        case linkDangling
        case linkLoop
        /// A link to a folder whose files are read already, or to one that holds such a folder.
        case linkToFolderRead
        /// A link to something that is neither a regular file nor a folder.
        case linkToSpecialFile
        /// The link cannot be followed: the system's reason.
        case link(String)
    }

    /// A file, folder or link that is not read; `file` is its path as shown
    /// (bytes that are not UTF-8 escaped), the diagnostic at its start.
    public static func unreadable(_ cause: Unreadable, file: String) -> Diagnostic {
        let message: String, hint: String
        switch cause {
        case .folder(let reason):
            message = "cannot read this folder (\(reason))"
            hint = "konnect reads every folder under the konnectors and schemas folders; make it readable, or move it out"
        case .file(let reason):
            message = "cannot read this file (\(reason))"
            hint = "make it readable, or move it out of the konnectors and schemas folders"
        case .nameNotUTF8:
            message = "the name is not valid UTF-8"
            hint = "rename it: konnect reads only names in UTF-8"
        case .notRegularFile:
            message = "not a regular file (a FIFO, a device or a socket)"
            hint = "konnect reads only regular files; remove it"
        case .linkOutsideProject:
            message = "a symbolic link to a target outside the project; it is not followed"
            hint = "link only to files and folders inside the project, or copy the file in"
        case .linkDangling:
            message = "a symbolic link to a target that does not exist"
            hint = "remove the link, or restore its target"
        case .linkLoop:
            message = "a symbolic link that leads back into itself (a loop); it is not followed"
            hint = "remove the link"
        case .linkToFolderRead:
            message = "a symbolic link to a folder whose files are read already; it is not followed"
            hint = "remove the link: konnect reads every folder once"
        case .linkToSpecialFile:
            message = "a symbolic link to something that is neither a regular file nor a folder; it is not followed"
            hint = "konnect follows links only to regular files and folders inside the project"
        case .link(let reason):
            message = "cannot follow this symbolic link (\(reason))"
            hint = "konnect follows links only to regular files and folders inside the project"
        }
        return Diagnostic(.error, .unreadable, message, file: file, range: .fileStart, hint: hint)
    }

    /// A file over the size limit, found before it is read: worded as the YAML layer's.
    public static func fileTooLarge(bytes: Int, max: Int, file: String) -> Diagnostic {
        yaml(.limitExceeded(.fileSize(bytes: bytes, max: max), at: .fileStart), file: file, source: .empty)
    }

    /// `konnect.yaml` names a konnectors or schemas folder that is not there
    /// (`candidates`: the project's folders, for a "did you mean").
    public static func missingProjectFolder(key: String, folder: String, notAFolder: Bool, candidates: [String],
                                            file: String, at range: SourceRange) -> Diagnostic {
        let hint = Suggestion.closest(to: folder, among: candidates).map { "did you mean `\($0)`?" }
            ?? "create it, or correct `\(key):` (a path relative to the project folder)"
        return Diagnostic(.error, .invalidValue, "the \(key) folder `\(folder)` \(notAFolder ? "is not a folder" : "does not exist")",
                          file: file, range: range, hint: hint)
    }
}
