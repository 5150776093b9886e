import KonnectYAML

/// What a checker builds of the values it checks, besides its diagnostics.
public enum ValueKeeping: Sendable {
    /// The checked values, for the compiler and the simulator.
    case values
    /// None: every value checks to `CheckedValue.unkept`, and checking makes
    /// no dictionaries, lists or strings that would be dropped at once. For
    /// `validate`, and for konnectors kept only as outlines.
    case none
}

/// Checks YAML values against field types (SPEC §5.5). With a scope,
/// strings may hold templates, typed against it; without one (schema
/// samples, defaults, test events) values are plain data.
struct ValueChecker {
    let file: String
    let source: SourceText
    let scope: Scope?
    /// What checking builds besides its diagnostics.
    let keeping: ValueKeeping
    private var keepsValues: Bool { keeping == .values }
    /// The values are written in a konnector (a trigger's config, a step's
    /// inputs), where a literal in a sensitive field is a `literal-secret`
    /// warning; not data (events, samples, tests, defaults).
    let inKonnector: Bool
    var diagnostics: [Diagnostic] = []
    /// Types the templates' expressions: made at the first template, then
    /// reused, so the scope is copied once rather than per expression.
    private var expressionChecker: ExpressionChecker? = nil

    /// A checker of a konnector's values (a trigger's config, a step's inputs).
    init(file: String, source: SourceText, scope: Scope?, keeping: ValueKeeping) {
        self.file = file
        self.source = source
        self.scope = scope
        self.keeping = keeping
        self.inKonnector = true
    }

    /// A checker of data: events, samples, defaults, test expectations.
    init(file: String, source: SourceText, scope: Scope?) {
        self.file = file
        self.source = source
        self.scope = scope
        self.keeping = .values
        self.inKonnector = false
    }

    /// Checks a mapping of named fields (a `with:`, or a nested object value).
    /// `owner` names it in messages: "mailchimp.add_subscriber".
    /// `owner` is only built for a message.
    mutating func checkFields(_ node: YAMLNode, fields: [FieldSpec], noun: String, owner: @autoclosure () -> String,
                              at keyRange: @autoclosure () -> SourceRange? = nil, reportMissing: Bool = true) -> CheckedValue {
        guard let pairs = node.mapping else {
            diagnostics.append(.valueShape(expected: "a mapping of \(noun)s", found: node, file: file))
            return .literal(.null)
        }
        var values = [String: CheckedValue](minimumCapacity: keepsValues ? pairs.count : 0)
        var order: [String] = []
        order.reserveCapacity(keepsValues ? pairs.count : 0)
        var known = 0
        for pair in pairs {
            guard let key = pair.keyText else { continue }
            guard let i = fields.firstIndex(where: { $0.name == key }) else {
                diagnostics.append(.unknownInput(key, noun: noun, owner: owner(), allowed: fields.map(\.name), file: file, at: pair.key.range))
                continue
            }
            known += 1
            let value: CheckedValue
            if fields[i].sensitive, let reference = sensitiveReference(pair.value) {
                value = reference
            } else {
                if fields[i].sensitive && inKonnector && Self.holdsLiteral(pair.value) {
                    diagnostics.append(.literalSensitive(key, owner: owner(), file: file, at: pair.value.range))
                }
                value = check(pair.value, as: fields[i].type, required: fields[i].required, what: "`\(key)`")
            }
            if keepsValues {
                values[key] = value
                order.append(key)
            }
        }
        let result: CheckedValue = keepsValues ? .object(values, order: order) : .unkept
        guard reportMissing else { return result }
        // A misspelled key is reported as unknown (with "did you mean"), not also as missing.
        let misspelled = known == pairs.count ? [] : FieldReader(node, pairs: pairs, context: owner()).misspelledKeys(allowed: fields.map(\.name))
        for field in fields where field.required && !misspelled.contains(field.name) && pairs.firstIndex(ofKey: field.name) == nil {
            diagnostics.append(.missingInput(field.name, noun: noun, owner: owner(), file: file, at: keyRange() ?? node.range))
        }
        return result
    }

    /// Checks one value against a type; `what` names it in messages.
    mutating func check(_ node: YAMLNode, as type: ValueType, required: Bool, what: @autoclosure () -> String) -> CheckedValue {
        switch node.content {
        case .scalar(let s):
            if scope != nil, case .string(let text) = s.value, Template.mayContainTemplate(text) {
                return template(node, text, into: type, required: required, what: what)
            }
            literal(node, s, as: type, required: required, what: what())
            return keepsValues ? .literal(SchemaValue(node)) : .unkept
        case .sequence(let items):
            let element: ValueType
            switch type.nonNull {
            case .array(let e): element = e
            case .any, .unknown: element = type.nonNull
            default:
                diagnostics.append(.typeMismatch(expected: type, found: "a list", what: what(), file: file, at: node.range))
                return .literal(.null)
            }
            guard keepsValues else {
                for (i, item) in items.enumerated() { _ = check(item, as: element, required: true, what: "item \(i + 1) of \(what())") }
                return .unkept
            }
            return .array(items.enumerated().map { i, item in
                check(item, as: element, required: true, what: "item \(i + 1) of \(what())")
            })
        case .mapping(let pairs):
            switch type.nonNull {
            case .object(let object):
                return checkFields(node, fields: object.fields, noun: "field", owner: what())
            case .any, .unknown:
                var values: [String: CheckedValue] = [:]
                var order: [String] = []
                for pair in pairs {
                    guard let key = pair.keyText else { continue }
                    let value = check(pair.value, as: type.nonNull, required: false, what: "`\(key)`")
                    if keepsValues {
                        values[key] = value
                        order.append(key)
                    }
                }
                return keepsValues ? .object(values, order: order) : .unkept
            default:
                diagnostics.append(.typeMismatch(expected: type, found: "a mapping", what: what(), file: file, at: node.range))
                return .literal(.null)
            }
        }
    }

    // MARK: sensitive fields (SPEC §3)

    /// A sensitive field's `env:NAME` / `vault:PATH` reference, accepted
    /// whatever the field's type (konnect never resolves it); nil when the
    /// value is no reference.
    private mutating func sensitiveReference(_ node: YAMLNode) -> CheckedValue? {
        guard node.scalarKind == .string, let text = node.scalarText, let parsed = SecretReference.parse(text) else { return nil }
        if case .failure(let problem) = parsed {
            diagnostics.append(.invalidValue(problem.message, file: file, at: node.range))
        }
        return keepsValues ? .literal(.string(text)) : .unkept
    }

    /// Whether a value holds a literal: a scalar (a number too) that is no
    /// reference and no template, or a template whose expressions quote a
    /// string of 4 characters or more (`{{ 'https://…/T0K3N' }}` is a
    /// literal written another way), at any depth.
    static func holdsLiteral(_ node: YAMLNode) -> Bool {
        var found = false
        node.forEachNode(includingKeys: false) { n in
            guard !found, let s = n.scalar, !s.isNull else { return }
            if case .string(let text) = s.value, SecretReference.isReference(text) { return }
            if case .string(let text) = s.value, Template.mayContainTemplate(text) {
                guard let t = try? Template.split(text) else { return }
                found = t.expressions.contains { quotesLongString($0.source) }
                return
            }
            found = true
        }
        return found
    }

    /// Whether an expression's text holds a quoted string of 4 characters or more.
    static func quotesLongString(_ expression: String) -> Bool {
        !quotedStrings(in: expression).isEmpty
    }

    /// The quoted strings of 4 characters or more in an expression's text, as written between the quotes.
    static func quotedStrings(in expression: String) -> [String] {
        var out: [String] = []
        var quote: Character? = nil
        var current = ""
        var escaped = false
        for ch in expression {
            if let q = quote {
                if escaped { escaped = false; current.append(ch); continue }
                if ch == "\\" { escaped = true; current.append(ch); continue }
                if ch == q { if current.count >= 4 { out.append(current) }; quote = nil; continue }
                current.append(ch)
            } else if ch == "'" || ch == "\"" {
                quote = ch
                current = ""
            }
        }
        return out
    }

    // MARK: literals

    private mutating func literal(_ node: YAMLNode, _ s: YAMLScalar, as type: ValueType, required: Bool, what: @autoclosure () -> String) {
        if case .float(let d) = s.value, !d.isFinite {
            // `.inf`, `-.inf`, `.nan`, `1e999`: numbers stay finite (SPEC §9), whatever the field's type.
            diagnostics.append(.nonFiniteLiteral(s.text, what: what(), file: file, at: node.range))
            return
        }
        let target = type.nonNull
        if target.isUnknown || target.isAny { return }
        let found: String
        switch s.value {
        case .null:
            if type.isNullable || !required { return }
            found = "null"
        case .bool:
            if target == .boolean { return }
            found = "a boolean"
        case .int:
            if target == .integer || target == .number { return }
            found = "an integer"
        case .float:
            if target == .number { return }
            found = "a number"
        case .string(let text):
            switch target {
            case .string: return
            case .email, .url, .date, .datetime:
                let ok = switch target {
                case .email: Formats.isEmail(text)
                case .url: Formats.isURL(text)
                case .date: Formats.isDate(text)
                default: Formats.isDateTime(text)
                }
                if !ok { diagnostics.append(.malformedLiteral(text, type: target, what: what(), file: file, at: node.range)) }
                return
            case .enumeration(let values):
                if !values.contains(text) {
                    diagnostics.append(.notInEnum(text, values: values, what: what(), file: file, at: node.range))
                }
                return
            default:
                found = "a string"
            }
        }
        diagnostics.append(.typeMismatch(expected: type, found: found, what: what(), file: file, at: node.range,
                                         quotedNumber: s.style != .plain && SchemaValue.numberLike(s.text), plain: s.style == .plain ? s.text : nil))
    }

    // MARK: templates

    private mutating func template(_ node: YAMLNode, _ text: String, into type: ValueType, required: Bool, what: () -> String) -> CheckedValue {
        guard let locator = ScalarLocator(node, source: source), scope != nil else { return .literal(.string(text)) }
        // Taken out while it checks and put back after, so one checker serves every template.
        var checker = expressionChecker.take() ?? ExpressionChecker(scope: scope!, file: file, locator: locator)
        let value = template(node, text, into: type, required: required, what: what, locator: locator, checker: &checker)
        expressionChecker = checker
        return value
    }

    private mutating func template(_ node: YAMLNode, _ text: String, into type: ValueType, required: Bool, what: () -> String,
                                   locator: ScalarLocator, checker: inout ExpressionChecker) -> CheckedValue {
        // Expressions are parsed in place from the bytes; positions are
        // computed only for a diagnostic.
        let bytes = Array(text.utf8)
        let pieces: [Template.Piece]
        do {
            pieces = try Template.pieces(bytes)
        } catch {
            diagnostics.append(.expressionSyntax(error, file: file, at: locator.range(error.span)))
            return .literal(.string(text))
        }
        let isSingleExpression = Template.isSingleExpression(pieces, in: bytes)
        checker.locator = locator
        var parts: [CheckedValue.TemplatePart] = []
        if keepsValues { parts.reserveCapacity(pieces.count) }
        // The single expression, its type and its span in the value (`hasSingle` says whether there is one).
        var singleExpression = Expression(.literal(.null), span: 0..<0)
        var hasSingle = false
        var singleType = TypedValue.unknown
        var singleSpan = 0..<0
        var failed = false
        for piece in pieces {
            switch piece {
            case .text(let range):
                if keepsValues { parts.append(.text(String(decoding: bytes[range], as: UTF8.self))) }
            case .expression(let range):
                let offset = range.lowerBound
                let expression: Expression
                do {
                    expression = try ExpressionParser.parse(utf8: bytes, in: range)
                } catch {
                    diagnostics.append(.expressionSyntax(error, file: file, at: locator.range(error.span, shiftedBy: offset)))
                    failed = true
                    continue
                }
                checker.offset = offset
                let typed = checker.check(expression)
                if !checker.diagnostics.isEmpty {
                    diagnostics += checker.diagnostics
                    checker.diagnostics.removeAll()
                }
                if isSingleExpression {
                    singleExpression = expression
                    hasSingle = true
                    singleType = typed
                    singleSpan = (expression.span.lowerBound + offset)..<(expression.span.upperBound + offset)
                } else if !typed.type.isUnknown && !typed.type.isScalar {
                    diagnostics.append(.notInterpolable(typed.type, file: file, at: locator.range(expression.span, shiftedBy: offset)))
                    failed = true
                }
                if keepsValues { parts.append(.expression(expression)) }
            }
        }
        let result: CheckedValue = keepsValues ? .template(parts) : .unkept
        if failed { return result }
        if hasSingle {
            assign(singleType, to: type, required: required, what: what(), at: locator.range(singleSpan))
            return keepsValues ? .expression(singleExpression) : .unkept
        }
        assign(TypedValue(.string), to: type, required: required, what: what(), at: node.range)
        return result
    }

    /// SPEC §5.5 for an expression's type into a field's type.
    /// `range` is computed only for a diagnostic.
    private mutating func assign(_ value: TypedValue, to type: ValueType, required: Bool, what: @autoclosure () -> String,
                                 at range: @autoclosure () -> SourceRange) {
        let from = value.type
        if from.isUnknown || type.isUnknown || from.isAny || type.isAny { return }
        if from == .null {
            if type.isNullable || !required { return }
            diagnostics.append(.typeMismatch(expected: type, found: "null", what: what(), file: file, at: range()))
            return
        }
        switch Assignability.check(from.nonNull, into: type.nonNull) {
        case .ok: break
        case .uncheckedEnum(let values):
            diagnostics.append(.uncheckedEnum(what: what(), values: values, file: file, at: range()))
        case .mismatch:
            diagnostics.append(.typeMismatch(expected: type, found: "`\(from)`", what: what(), file: file, at: range()))
            return
        }
        if from.isNullable && !type.isNullable && required && !value.nullReported && !(scope?.quietNullable ?? false) {
            diagnostics.append(.nullableIntoRequired(what: what(), type: from, file: file, at: range()))
        }
    }
}

extension SchemaValue {
    static func numberLike(_ s: String) -> Bool {
        switch YAMLScalar.resolveCore(s) {
        case .int, .float: return true
        default: return false
        }
    }
}
