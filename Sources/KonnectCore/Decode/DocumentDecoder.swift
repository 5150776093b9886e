import KonnectYAML

/// Turns the YAML documents of one file into konnectors, connections and
/// test suites (SPEC §1–§3, §9), reporting every structural problem.
public struct DocumentDecoder {
    public enum Decoded: Sendable {
        case konnector(Konnector)
        case connection(Connection)
        case tests(TestSuite)
    }

    public static let konnectorFields = ["konnector", "name", "description", "tags", "enabled", "renamed_from",
                                         "trigger", "when", "steps"]
    public static let triggerFields = ["app", "event", "connection", "with", "payload", "schedule"]
    /// An action step's keys; each other kind has its own (SPEC §2.1).
    public static let stepFields = ["id", "app", "action", "connection", "if", "on_error", "retry", "with"]
    public static let pathsStepFields = ["id", "if", "mode", "paths"]
    public static let pathFields = ["id", "when", "steps"]
    public static let repeatStepFields = ["id", "if", "repeat", "as", "max", "steps"]
    public static let delayStepFields = ["id", "if", "delay", "delay_until"]
    /// Names an `as:` cannot take: the roots of expressions, and `loop`.
    public static let reservedNames: Set<String> = ["trigger", "steps", "konnector", "loop"]
    /// Levels of nested steps (SPEC §2.1).
    public static let maxDepth = 5
    public static let connectionFields = ["connection", "app", "scopes", "secret"]
    public static let testFields = ["tests", "cases"]
    /// Steps in all, nested ones included (SPEC §2).
    public static let maxSteps = 100
    public static let maxNameLength = 200

    public let file: String
    public private(set) var diagnostics: [Diagnostic] = []
    /// The literal credentials found (SPEC §3), masked in every output.
    public private(set) var secrets = SecretMask()
    /// The file being decoded, for the source spelling of a secret.
    private var source = SourceText.empty

    public init(file: String) {
        self.file = file
    }

    public mutating func decode(_ stream: YAMLStream) -> [Decoded] {
        source = stream.source
        if stream.documents.isEmpty && stream.problems.isEmpty {
            diagnostics.append(.emptyFile(file: file))
            return []
        }
        // An empty document (a trailing `---`) says nothing; only a file of nothing is an error.
        let documents = stream.documents.filter { !($0.root?.isNull ?? true) }
        if documents.isEmpty && stream.problems.isEmpty {
            diagnostics.append(.emptyFile(file: file))
            return []
        }
        return documents.compactMap { decode($0) }
    }

    mutating func decode(_ document: YAMLDocument) -> Decoded? {
        guard let root = document.root, let pairs = root.mapping, !pairs.isEmpty else {
            let at = document.root?.range ?? document.range
            diagnostics.append(.unknownDocument(key: nil, isFirst: false, file: file, at: at))
            return nil
        }
        // The key that says what the document is, wherever it stands (SPEC §1).
        let kinds = pairs.indices.compactMap { i in pairs.keyText(at: i).flatMap(DocumentKind.init(rawValue:)).map { (i, $0) } }
        guard kinds.count == 1, let kind = kinds.first?.1 else {
            if kinds.isEmpty {
                // A near miss of a kind's key (`konector:`) is the likely cause; else the first key.
                let near = pairs.indices.first { i in
                    pairs.keyText(at: i).flatMap { Suggestion.closest(to: $0, among: DocumentKind.allKeys) } != nil
                } ?? 0
                diagnostics.append(.unknownDocument(key: pairs.keyText(at: near), isFirst: near == 0,
                                                    file: file, at: pairs[near].key.range))
            } else {
                diagnostics.append(.severalDocumentKinds(kinds.map(\.1.rawValue), file: file, at: pairs[kinds[1].0].key.range))
            }
            return nil
        }
        switch kind {
        case .konnector: return .konnector(konnector(root, pairs))
        case .connection:
            let c = connection(root, pairs)
            // A repeated `secret:` never reaches the connection; a literal one is still a credential in the repository.
            for dropped in document.droppedPairs where dropped.hasKey("secret") && !dropped.value.isNull {
                _ = secret(scalarText(dropped.value), node: dropped.value, connection: c.id?.value ?? "?")
            }
            return .connection(c)
        case .tests: return .tests(testSuite(root, pairs))
        }
    }

    // MARK: konnector

    mutating func konnector(_ node: YAMLNode, _ pairs: YAMLPairs) -> Konnector {
        var k = Konnector(file: file, range: node.range)
        // The context is named only when a diagnostic needs it.
        let fields = FieldReader(node, pairs: pairs)
        k.id = slug(fields["konnector"], what: "konnector id")
        let id = k.id?.value ?? "?"
        k.misspelledKeys = checkKeys(fields, allowed: Self.konnectorFields, required: ["name", "trigger", "steps"],
                                     in: "konnector `\(id)`")
        if let n = fields["name"], let name = string(n, what: "`name`") {
            // A string has no more characters than bytes, so characters are
            // counted only past the limit in bytes.
            if name.value.allSatisfy(\.isWhitespace) {
                diagnostics.append(.invalidValue("`name` must not be empty", file: file, at: name.range))
            } else if name.value.utf8.count > Self.maxNameLength, name.value.count > Self.maxNameLength {
                diagnostics.append(.invalidValue("`name` is \(name.value.count) characters long, over the limit of \(Self.maxNameLength)",
                                                 file: file, at: name.range))
            }
            k.name = name
        }
        if let d = fields["description"], !d.isNull { k.description = string(d, what: "`description`") }
        if let t = fields["tags"], !t.isNull {
            if let items = t.sequence {
                k.tags = items.compactMap { slug($0, what: "tag") }
                // Tag lists are short: scanning them beats hashing, and only a long list gets a set.
                var seen: Set<String>? = k.tags.count > 16 ? [] : nil
                for (i, tag) in k.tags.enumerated() {
                    let repeated = seen != nil ? !seen!.insert(tag.value).inserted
                        : k.tags[..<i].contains(where: { $0.value == tag.value })
                    if repeated {
                        diagnostics.append(.invalidValue("tag `\(tag.value)` is listed twice", file: file, at: tag.range))
                    }
                }
            } else {
                diagnostics.append(.wrongShape("`tags`", expected: "a list of slugs", found: t, file: file))
            }
        }
        if let e = fields["enabled"] { k.enabled = bool(e, what: "`enabled`") }
        if let r = fields["renamed_from"], !r.isNull { k.renamedFrom = slug(r, what: "`renamed_from`") }
        if let t = fields["trigger"] { k.trigger = trigger(t) }
        if let w = fields["when"], !w.isNull { k.when = expression(w, what: "`when`") }
        if let s = fields["steps"] { k.steps = steps(s) }
        let all = k.allSteps
        checkUniqueStepIDs(all)
        if all.count > Self.maxSteps {
            diagnostics.append(.tooManySteps(all.count, max: Self.maxSteps, file: file, at: all[Self.maxSteps].range))
        }
        return k
    }

    /// The fields of `node`, a mapping; else a `wrong-shape` error naming
    /// `what` and what was expected there, and nil.
    mutating func fields(of node: YAMLNode, _ what: String, expected: String) -> FieldReader? {
        guard let pairs = node.mapping else {
            diagnostics.append(.wrongShape(what, expected: expected, found: node, file: file))
            return nil
        }
        return FieldReader(node, pairs: pairs)
    }

    /// The value of `key`, one of `T`'s names; else `invalid-value` naming
    /// them all, with the nearest as its hint, and nil.
    mutating func choice<T: RawRepresentable & CaseIterable>(_ node: YAMLNode?, _ key: String) -> T? where T.RawValue == String {
        guard let node, let value = string(node, what: "`\(key)`") else { return nil }
        if let chosen = T(rawValue: value.value) { return chosen }
        let names = T.allCases.map(\.rawValue)
        diagnostics.append(.invalidValue("`\(key)` must be \(names.map { "`\($0)`" }.joined(separator: " or ")), found `\(value.value)`",
                                         hint: Suggestion.hint(for: value.value, among: names), file: file, at: value.range))
        return nil
    }

    mutating func trigger(_ node: YAMLNode) -> Konnector.Trigger? {
        guard let fields = fields(of: node, "`trigger`", expected: "a mapping with `app` and `event`") else { return nil }
        var t = Konnector.Trigger(range: node.range)
        if let s = fields["schedule"] {
            // A schedule is the whole trigger (SPEC §2.1): a key beside it is unknown.
            t.misspelledKeys = checkKeys(fields, allowed: ["schedule"], required: [], in: "a scheduled trigger")
            var reader = ScheduleReader(file: file, source: source)
            t.schedule = reader.read(s)
            diagnostics += reader.diagnostics
            return t
        }
        t.misspelledKeys = checkKeys(fields, allowed: Self.triggerFields, required: ["app", "event"], in: "the trigger")
        if let p = fields.pair("payload") { t.payload = Located(p.value, p.key.range) }
        t.app = fields["app"].flatMap { name($0, what: "`app`") }
        t.event = fields["event"].flatMap { name($0, what: "`event`") }
        if let c = fields["connection"], !c.isNull { t.connection = slug(c, what: "connection") }
        if let w = fields["with"], !w.isNull { t.with = mappingValue(w, what: "the trigger's `with`") }
        return t
    }

    /// A list of steps, `depth` levels deep (the konnector's own: 1).
    mutating func steps(_ node: YAMLNode, depth: Int = 1) -> [Konnector.Step] {
        guard let items = node.sequence else {
            diagnostics.append(.wrongShape("`steps`", expected: "a list of steps", found: node, file: file))
            return []
        }
        if items.isEmpty {
            diagnostics.append(.invalidValue(depth == 1 ? "a konnector needs at least one step" : "a list of steps needs at least one step",
                                             file: file, at: node.range))
        }
        if depth > Self.maxDepth {
            diagnostics.append(.stepsTooDeep(max: Self.maxDepth, file: file, at: node.range))
            return []
        }
        var result: [Konnector.Step] = []
        result.reserveCapacity(items.count)
        for item in items {
            guard let step = step(item, index: result.count + 1, depth: depth) else { continue }
            result.append(step)
        }
        return result
    }

    /// Step ids are unique in the whole konnector, nested steps included (SPEC §2.1).
    mutating func checkUniqueStepIDs(_ all: [Konnector.Step]) {
        var seen: [String: SourceRange] = [:]
        for step in all {
            guard let id = step.id else { continue }
            if let first = seen[id.value] {
                diagnostics.append(.duplicateID(kind: "step", id: id.value, firstFile: file, first: first, file: file, at: id.range))
            } else {
                seen[id.value] = id.range
            }
        }
    }

    mutating func step(_ node: YAMLNode, index: Int, depth: Int = 1) -> Konnector.Step? {
        guard let fields = fields(of: node, "step \(index)", expected: "a mapping with `id`, `app` and `action`") else { return nil }
        let id = fields["id"].flatMap { slug($0, what: "step id") }
        // The kind is told by its own key; the keys of other kinds are unknown there.
        enum Form { case action, paths, repeatLoop, delay }
        let form: Form = fields.has("paths") ? .paths : fields.has("repeat") ? .repeatLoop
            : fields.has("delay") || fields.has("delay_until") ? .delay : .action
        let (allowed, required): ([String], [String]) = switch form {
        case .paths: (Self.pathsStepFields, ["id", "paths"])
        case .repeatLoop: (Self.repeatStepFields, ["id", "repeat", "steps"])
        case .delay: (Self.delayStepFields, ["id"])
        case .action: (Self.stepFields, ["id", "app", "action"])
        }
        let misspelled = checkKeys(fields, allowed: allowed, required: required,
                                   in: id.map { "step `\($0.value)`" } ?? "step \(index)")
        var condition: YAMLNode? = nil
        if form != .action, let c = fields["if"], !c.isNull { condition = expression(c, what: "`if`") }
        let kind: Konnector.Step.Kind = switch form {
        case .paths: .paths(pathsStep(fields, depth: depth))
        case .repeatLoop: .repeatLoop(repeatStep(fields, depth: depth))
        case .delay: .delay(delayStep(fields))
        case .action: .action(actionStep(fields, condition: &condition))
        }
        var s = Konnector.Step(range: node.range, kind: kind)
        s.id = id
        s.condition = condition
        s.misspelledKeys = misspelled
        return s
    }

    mutating func pathsStep(_ fields: FieldReader, depth: Int) -> Konnector.PathsStep {
        var p = Konnector.PathsStep()
        if let mode: Konnector.PathsStep.Mode = choice(fields["mode"], "mode") { p.mode = mode }
        guard let node = fields["paths"] else { return p }
        guard let items = node.sequence, !items.isEmpty else {
            diagnostics.append(.wrongShape("`paths`", expected: "a non-empty list of paths", found: node, file: file))
            return p
        }
        var seen: [String: SourceRange] = [:]
        var fallback: Konnector.Path? = nil
        for item in items {
            guard let reader = self.fields(of: item, "path \(p.paths.count + 1)", expected: "a mapping with `id` and `steps`") else { continue }
            var path = Konnector.Path(range: item.range)
            path.id = reader["id"].flatMap { slug($0, what: "path id") }
            path.misspelledKeys = checkKeys(reader, allowed: Self.pathFields, required: ["id", "steps"],
                                            in: path.id.map { "path `\($0.value)`" } ?? "path \(p.paths.count + 1)")
            if let id = path.id {
                if let first = seen[id.value] {
                    diagnostics.append(.duplicateID(kind: "path", id: id.value, firstFile: file, first: first, file: file, at: id.range))
                } else {
                    seen[id.value] = id.range
                }
            }
            if let w = reader["when"], !w.isNull { path.when = expression(w, what: "`when`") }
            if reader["when"].map(\.isNull) ?? true, !path.misspelledKeys.contains("when") {
                // Only one path can be the one that runs when no other did: a second would never run.
                if let first = fallback {
                    diagnostics.append(.invalidValue("a paths step has at most one path without `when:` (the fallback); "
                                                     + "\(first.id.map { "`\($0.value)`" } ?? "an earlier path") is one already, so this one would never run",
                                                     hint: "give this path a `when:`, or merge its steps into the fallback",
                                                     file: file, at: path.id?.range ?? item.range))
                } else {
                    fallback = path
                }
            }
            if let inner = reader["steps"] { path.steps = steps(inner, depth: depth + 1) }
            p.paths.append(path)
        }
        return p
    }

    mutating func repeatStep(_ fields: FieldReader, depth: Int) -> Konnector.RepeatStep {
        var r = Konnector.RepeatStep()
        if let e = fields["repeat"], !e.isNull { r.over = expression(e, what: "`repeat`") }
        if let a = fields["as"], let name = string(a, what: "`as`") {
            if Self.reservedNames.contains(name.value) {
                diagnostics.append(.invalidValue("`as` cannot be `\(name.value)`: that name is taken in expressions",
                                                 hint: "choose another name, such as `item` or `line`", file: file, at: name.range))
            } else if !Self.isIdentifier(name.value) {
                diagnostics.append(.invalidValue("`as` must be a name of letters, digits and `_`, found `\(name.value)`",
                                                 file: file, at: name.range))
            } else {
                r.name = name
            }
        }
        if let m = fields["max"] { r.max = integer(m, what: "`max`", in: Konnector.RepeatStep.maxRange) }
        if let inner = fields["steps"] { r.steps = steps(inner, depth: depth + 1) }
        return r
    }

    mutating func delayStep(_ fields: FieldReader) -> Konnector.DelayStep {
        var d = Konnector.DelayStep()
        if let a = fields.pair("delay"), let b = fields.pair("delay_until") {
            let second = a.key.range.start < b.key.range.start ? b : a
            diagnostics.append(.invalidValue("a delay has either `delay` or `delay_until`, not both",
                                             file: file, at: second.key.range))
        }
        if let node = fields["delay"] {
            if let duration = duration(node, what: "`delay`") {
                if duration.value > Konnector.DelayStep.maxDelay {
                    diagnostics.append(.invalidValue("`delay` is at most 31d, found `\(duration.value)`", file: file, at: node.range))
                } else {
                    d.wait = .duration(duration)
                }
            }
        } else if let node = fields["delay_until"], let text = node.scalar?.text,
                  text.count >= 10, text.first?.isNumber == true, text.contains("-"), !text.contains("{{"), !text.contains("(") {
            // A datetime written as it reads: `delay_until` is an expression.
            diagnostics.append(.invalidValue("`delay_until` is an expression, found the text `\(text.prefix(40))`",
                                             hint: "write `parse_datetime('\(text.prefix(40))')`, or an expression such as `trigger.starts_at`",
                                             file: file, at: node.range))
        } else if let node = fields["delay_until"], let e = expression(node, what: "`delay_until`") {
            d.wait = .until(e)
        }
        return d
    }

    mutating func retry(_ node: YAMLNode) -> Konnector.Retry? {
        guard let reader = fields(of: node, "`retry`", expected: "a mapping with `times` and `wait`") else { return nil }
        var r = Konnector.Retry(range: node.range)
        _ = checkKeys(reader, allowed: ["times", "wait"], required: ["times"], in: "`retry`")
        if let t = reader["times"] { r.times = integer(t, what: "`retry.times`", in: Konnector.Retry.timesRange) }
        if let w = reader["wait"], let wait = duration(w, what: "`retry.wait`") {
            if wait.value > Konnector.Retry.maxWait {
                diagnostics.append(.invalidValue("`retry.wait` is at most 1h, found `\(wait.value)`", file: file, at: w.range))
            } else {
                r.wait = wait
            }
        }
        return r
    }

    /// A duration (`30s`, `15m`, `2h`, `3d`).
    mutating func duration(_ node: YAMLNode, what: String) -> Located<FlowDuration>? {
        guard let text = scalarText(node), node.scalarKind == .string, let d = FlowDuration(parsing: text) else {
            diagnostics.append(.invalidValue("\(what) must be a duration such as `30s`, `15m`, `2h` or `3d`, found \(Self.shown(node))",
                                             hint: "a whole number and one unit, s, m, h or d (`90m`, not `1h30m`)",
                                             file: file, at: node.range))
            return nil
        }
        return Located(d, node.range)
    }

    /// A whole number in `range`.
    mutating func integer(_ node: YAMLNode, what: String, in range: ClosedRange<Int>) -> Located<Int>? {
        guard case .int(let n)? = node.scalar?.value, range.contains(n) else {
            diagnostics.append(.invalidValue("\(what) must be a whole number from \(range.lowerBound) to \(range.upperBound), found \(Self.shown(node))",
                                             file: file, at: node.range))
            return nil
        }
        return Located(n, node.range)
    }

    /// A short scalar as written (`` `0` ``, `` `1h30m` ``), else what kind of node it is.
    static func shown(_ node: YAMLNode) -> String {
        guard let text = node.scalar?.text, !text.isEmpty, text.count <= 40, !node.isNull else { return node.shapeDescription }
        return "`\(text)`"
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// An action step's parts; its `if:` is read where it stands among them,
    /// so diagnostics come in the order of the keys' meaning.
    mutating func actionStep(_ fields: FieldReader, condition: inout YAMLNode?) -> Konnector.ActionStep {
        var a = Konnector.ActionStep()
        a.app = fields["app"].flatMap { name($0, what: "`app`") }
        a.action = fields["action"].flatMap { name($0, what: "`action`") }
        if let c = fields["connection"], !c.isNull { a.connection = slug(c, what: "connection") }
        if let c = fields["if"], !c.isNull { condition = expression(c, what: "`if`") }
        if let mode: Konnector.Step.OnError = choice(fields["on_error"], "on_error") { a.onError = mode }
        if let r = fields["retry"], !r.isNull { a.retry = retry(r) }
        if let w = fields["with"], !w.isNull { a.with = mappingValue(w, what: "`with`") }
        return a
    }

    // MARK: connection

    mutating func connection(_ node: YAMLNode, _ pairs: YAMLPairs) -> Connection {
        var c = Connection(file: file, range: node.range)
        let fields = FieldReader(node, pairs: pairs)
        c.id = slug(fields["connection"], what: "connection id")
        let id = c.id?.value ?? "?"
        c.misspelledKeys = checkKeys(fields, allowed: Self.connectionFields, required: ["app"], in: "connection `\(id)`")
        c.app = fields["app"].flatMap { name($0, what: "`app`") }
        if let s = fields["scopes"], !s.isNull {
            c.scopesRange = s.range
            if let items = s.sequence {
                c.scopes = items.compactMap { string($0, what: "a scope") }
            } else {
                diagnostics.append(.wrongShape("`scopes`", expected: "a list of scope names", found: s, file: file))
            }
        }
        c.hasSecretKey = fields["secret"] != nil
        if let s = fields["secret"], !s.isNull {
            c.secret = secret(scalarText(s), node: s, connection: c.id?.value ?? "?")
        }
        // A misspelled `secrte:` (reported as unknown) holds a credential all the same.
        if !c.misspelledKeys.isEmpty {
            for pair in pairs where !pair.value.isNull {
                guard let key = pair.keyText, !Self.connectionFields.contains(key),
                      Suggestion.closest(to: key, among: Self.connectionFields) == "secret" else { continue }
                if SecretReference.parse(scalarText(pair.value) ?? "") == nil { secrets.add(pair.value, source: source) }
            }
        }
        return c
    }

    /// A connection's `secret:` value: a reference, or (anything else, whatever
    /// its shape) a literal credential, reported and masked.
    mutating func secret(_ raw: String?, node: YAMLNode, connection: String) -> Located<Connection.Secret>? {
        switch raw.flatMap(SecretReference.parse) {
        case .success(let reference)?:
            return Located(reference, node.range)
        case .failure(let problem)?:
            diagnostics.append(.invalidValue(problem.message, file: file, at: node.range))
            return nil
        case nil:
            // Never `wrongShape` for a mapping or list: it would not echo the value, but the snippet would.
            diagnostics.append(.literalSecret(connection: connection, file: file, at: node.range))
            secrets.add(node, source: source)
            return nil
        }
    }

    // MARK: tests

    mutating func testSuite(_ node: YAMLNode, _ pairs: YAMLPairs) -> TestSuite {
        var t = TestSuite(file: file, range: node.range)
        t.konnector = slug(FieldReader(node, pairs: pairs)["tests"], what: "konnector id")
        let fields = FieldReader(node, pairs: pairs, context: "tests for `\(t.konnector?.value ?? "?")`")
        diagnostics += fields.unknownFields(allowed: Self.testFields, file: file)
        diagnostics += fields.missingFields(["cases"], allowed: Self.testFields, file: file)
        if let c = fields["cases"] {
            if let items = c.sequence {
                t.cases = Array(items)
            } else {
                diagnostics.append(.wrongShape("`cases`", expected: "a list of test cases", found: c, file: file))
            }
        }
        return t
    }

    // MARK: values

    /// Reports unknown and missing fields (in that order) and returns the
    /// misspelled keys. Most mappings are clean, which one pass over the keys shows.
    mutating func checkKeys(_ fields: FieldReader, allowed: [String], required: [String],
                            in context: @autoclosure () -> String) -> Set<String> {
        if fields.allKeysAllowed(allowed) && required.allSatisfy(fields.has) { return [] }
        diagnostics += fields.unknownFields(allowed: allowed, file: file, in: context())
        diagnostics += fields.missingFields(required, allowed: allowed, file: file, in: context())
        return fields.misspelledKeys(allowed: allowed)
    }

    /// The text of a non-null scalar, or nil (after no diagnostic).
    func scalarText(_ node: YAMLNode) -> String? {
        guard let kind = node.scalarKind, kind != .null else { return nil }
        return node.scalarText
    }

    mutating func string(_ node: YAMLNode, what: String) -> Located<String>? {
        switch node.scalarKind {
        case .string?, .int?, .float?: if let text = node.scalarText { return Located(text, node.range) }
        case .null?, .bool?, nil: break
        }
        diagnostics.append(.wrongShape(what, expected: "a string", found: node, file: file))
        return nil
    }

    /// An app, trigger or action name: a string; unknown names are the checker's business.
    mutating func name(_ node: YAMLNode, what: String) -> Located<String>? {
        string(node, what: what)
    }

    mutating func slug(_ node: YAMLNode?, what: String) -> Located<String>? {
        guard let node else { return nil }
        guard let s = string(node, what: what) else { return nil }
        guard Slug.isValid(s.value) else {
            diagnostics.append(.invalidSlug(s.value, what: what, file: file, at: s.range))
            return nil
        }
        return s
    }

    mutating func bool(_ node: YAMLNode, what: String) -> Located<Bool>? {
        if case .bool(let b)? = node.scalar?.value { return Located(b, node.range) }
        let hint = node.scalar.map { ["yes", "no", "on", "off", "y", "n"].contains($0.text.lowercased()) } == true
            ? "YAML 1.2: `\(node.scalar!.text)` is a string; write `true` or `false`" : "write `true` or `false`"
        diagnostics.append(.invalidValue("\(what) must be a boolean, found \(node.shapeDescription)", hint: hint,
                                         file: file, at: node.range))
        return nil
    }

    /// `when:` and `if:` hold an expression: any scalar (a plain `true` too).
    mutating func expression(_ node: YAMLNode, what: String) -> YAMLNode? {
        guard node.scalarKind != nil else {
            diagnostics.append(.wrongShape(what, expected: "an expression", found: node, file: file))
            return nil
        }
        return node
    }

    mutating func mappingValue(_ node: YAMLNode, what: String) -> YAMLNode? {
        guard node.mapping != nil else {
            diagnostics.append(.wrongShape(what, expected: "a mapping of field names to values", found: node, file: file))
            return nil
        }
        return node
    }
}
