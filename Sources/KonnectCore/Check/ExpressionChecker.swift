import KonnectYAML

/// Types one expression against a scope (SPEC §5.3–§5.4). An operand of
/// unknown type (an error already reported) silences everything built on it.
struct ExpressionChecker {
    var scope: Scope
    let file: String
    /// The scalar holding the expression, and the expression's byte offset
    /// in its value. One checker serves every template of a scope: these
    /// are set per expression.
    var locator: ScalarLocator
    var offset: Int
    var diagnostics: [Diagnostic] = []

    init(scope: Scope, file: String, locator: ScalarLocator, offset: Int = 0) {
        self.scope = scope
        self.file = file
        self.locator = locator
        self.offset = offset
    }

    /// Maps a byte span of the expression to the file (only for a diagnostic).
    private func locate(_ span: Range<Int>) -> SourceRange {
        locator.range(span, shiftedBy: offset)
    }

    mutating func check(_ e: Expression) -> TypedValue {
        switch e.kind {
        case .literal(let l):
            switch l {
            case .integer: return TypedValue(.integer)
            case .number(let d):
                guard d.isFinite else {
                    diagnostics.append(.nonFiniteNumber(file: file, at: locate(e.span)))
                    return .unknown
                }
                return TypedValue(.number)
            case .string: return TypedValue(.string)
            case .boolean: return TypedValue(.boolean)
            case .null: return TypedValue(.null, nullReported: true)
            }
        case .root(.trigger):
            return TypedValue(scope.trigger)
        case .root(.konnector):
            return TypedValue(Scope.konnectorType)
        case .step(let id, let idSpan):
            return step(id, span: idSpan, path: e)
        case .name(let name):
            // Inside a repeat: its element's name and `loop` (SPEC §2.1, §5.3).
            if let type = scope.locals[name] {
                if type.isNullable && isNarrowedLocal(e) { return TypedValue(type.nonNull) }
                return TypedValue(type)
            }
            diagnostics.append(.unknownName(name, locals: Array(scope.locals.keys), file: file, at: locate(e.span)))
            return .unknown
        case .member(let base, let name, let nameSpan):
            return member(check(base), name, span: nameSpan, baseExpr: base, path: e)
        case .index(let base, let index):
            return self.index(check(base), check(index), e: e, indexExpr: index)
        case .unary(.not, let operand):
            let t = check(operand)
            requireBoolean(t, operator: "not", span: operand.span)
            return TypedValue(.boolean)
        case .unary(.negate, let operand):
            let t = check(operand)
            if t.type.isUnknown || t.type.isAny { return t }
            guard t.type.nonNull.isNumeric else {
                diagnostics.append(.operandMismatch("-", expected: "a number", found: t.type, file: file, at: locate(operand.span)))
                return .unknown
            }
            return nullableOperand(t, operator: "-", span: operand.span, result: t.type.nonNull)
        case .binary(.and, let l, let r):
            // `x != null and x > 5`: the right side sees what the left proved.
            let left = check(l)
            let saved = scope.nonNullPaths
            Scope.addNarrowedPaths(l, to: &scope.nonNullPaths)
            let right = check(r)
            scope.nonNullPaths = saved
            return binary(.and, left, right, l: l, r: r)
        case .binary(let op, let l, let r):
            return binary(op, check(l), check(r), l: l, r: r)
        case .call(let name, let args, _, let nameSpan):
            let types = args.map { check($0) }
            guard let builtin = Builtin.named(name) else {
                diagnostics.append(.unknownFunction(name, file: file, at: locate(nameSpan)))
                return .unknown
            }
            return call(builtin, types, args: args, e: e)
        case .array(let items):
            let types = items.map { check($0).type }
            if types.contains(where: \.isUnknown) { return .unknown }
            guard let first = types.first else { return TypedValue(.array(.any)) }
            let element = types.dropFirst().allSatisfy({ $0 == first }) ? first : .any
            return TypedValue(.array(element))
        }
    }

    // MARK: paths

    private mutating func step(_ id: String, span: Range<Int>, path: Expression) -> TypedValue {
        if let type = scope.earlierSteps[id] {
            if scope.isNarrowed(path) { return TypedValue(type.nonNull) }
            return TypedValue(type)
        }
        diagnostics.append(.unknownStep(id, current: scope.currentStep, later: scope.laterSteps.contains(id),
                                        earlier: scope.earlierStepOrder, file: file, at: locate(span)))
        return .unknown
    }

    private mutating func member(_ base: TypedValue, _ name: String, span: Range<Int>, baseExpr: Expression, path: Expression) -> TypedValue {
        let t = base.type
        if t.isUnknown { return .unknown }
        if t.isAny { return TypedValue(.any) }
        guard case .object(let object) = t.nonNull else {
            diagnostics.append(.noFields(ofType: t, field: name, path: baseExpr.pathKey ?? baseExpr.localPathKey, file: file, at: locate(span)))
            return .unknown
        }
        guard let fieldType = object.fieldType(name) else {
            diagnostics.append(.unknownPathField(name, in: object, path: baseExpr.pathKey ?? baseExpr.localPathKey, file: file, at: locate(span)))
            return .unknown
        }
        var result = fieldType
        if t.isNullable { result = result.nullable }
        // Only an optional type can narrow, and naming the path costs a string.
        if result.isNullable && (scope.isNarrowed(path) || isNarrowedLocal(path)) { result = result.nonNull }
        return TypedValue(result, nullReported: base.nullReported && result.isNullable)
    }

    private mutating func index(_ base: TypedValue, _ index: TypedValue, e: Expression, indexExpr: Expression) -> TypedValue {
        if base.type.isUnknown || index.type.isUnknown { return .unknown }
        if base.type.isAny { return TypedValue(.any) }
        switch base.type.nonNull {
        case .array(let element):
            if !(index.type.nonNull == .integer || index.type.isAny) {
                diagnostics.append(.operandMismatch("[]", expected: "an integer index", found: index.type, file: file, at: locate(indexExpr.span)))
                return .unknown
            }
            return TypedValue(element.nullable, nullReported: base.nullReported)
        case .object(let object):
            guard case .literal(.string(let key)) = indexExpr.kind else {
                diagnostics.append(.operandMismatch("[]", expected: "a string literal to index an object", found: index.type,
                                                    file: file, at: locate(indexExpr.span)))
                return .unknown
            }
            guard let fieldType = object.fieldType(key) else {
                diagnostics.append(.unknownPathField(key, in: object, path: nil, file: file, at: locate(indexExpr.span)))
                return .unknown
            }
            return TypedValue(base.type.isNullable ? fieldType.nullable : fieldType)
        default:
            diagnostics.append(.operandMismatch("[]", expected: "an array or object", found: base.type, file: file, at: locate(e.span)))
            return .unknown
        }
    }

    // MARK: operators

    private mutating func requireBoolean(_ t: TypedValue, operator op: String, span: Range<Int>) {
        if t.type.isUnknown || t.type.isAny { return }
        if t.type.nonNull == .boolean || t.type == .null { return }
        diagnostics.append(.notBoolean(op, found: t.type, file: file, at: locate(span)))
    }

    /// A nullable operand of arithmetic, ordering or a string/array test:
    /// a `nullable` warning (once), and a nullable result.
    private mutating func nullableOperand(_ t: TypedValue, operator op: String, span: Range<Int>, result: ValueType) -> TypedValue {
        guard t.type.isNullable, !t.type.isAny else { return TypedValue(result) }
        if !t.nullReported && !scope.quietNullable {
            diagnostics.append(.nullableOperand(op, file: file, at: locate(span)))
        }
        return TypedValue(result.nullable, nullReported: true)
    }

    private mutating func binary(_ op: Expression.BinaryOperator, _ lt: TypedValue, _ rt: TypedValue, l: Expression, r: Expression) -> TypedValue {
        switch op {
        case .and, .or:
            requireBoolean(lt, operator: op.rawValue, span: l.span)
            requireBoolean(rt, operator: op.rawValue, span: r.span)
            return TypedValue(.boolean)
        default: break
        }
        if lt.type.isUnknown || rt.type.isUnknown { return .unknown }
        let a = lt.type.nonNull, b = rt.type.nonNull
        let eitherAny = lt.type.isAny || rt.type.isAny
        let span = l.span.lowerBound..<r.span.upperBound
        func mismatch(_ expected: String) -> TypedValue {
            diagnostics.append(.operandsMismatch(op.rawValue, expected: expected, left: lt.type, right: rt.type, file: file, at: locate(span)))
            return .unknown
        }
        func withNulls(_ result: ValueType) -> TypedValue {
            if lt.type == .null || rt.type == .null {
                return mismatch("values, not `null`")
            }
            var out = nullableOperand(lt, operator: op.rawValue, span: l.span, result: result)
            let right = nullableOperand(TypedValue(rt.type, nullReported: rt.nullReported || out.nullReported),
                                        operator: op.rawValue, span: r.span, result: result)
            if right.type.isNullable { out = right }
            return out
        }
        switch op {
        case .equal, .notEqual:
            guard eitherAny || lt.type == .null || rt.type == .null || Self.comparable(a, b) else {
                return mismatch("two values of compatible types")
            }
            checkEnumLiterals(a, path: l, literals: [r])
            checkEnumLiterals(b, path: r, literals: [l])
            return TypedValue(.boolean)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard eitherAny || (a.isNumeric && b.isNumeric) || (a.isStringLike && b.isStringLike) || (a.isTemporal && b.isTemporal)
                    || (a.isTemporal && b == .string) || (a == .string && b.isTemporal) else {
                return mismatch("two numbers, two strings or two dates")
            }
            return withNulls(.boolean)
        case .contains:
            if eitherAny { return withNulls(.boolean) }
            if a.isStringLike && b.isStringLike { return withNulls(.boolean) }
            if case .array(let element) = a, element.isAny || Self.comparable(element.nonNull, b) { return withNulls(.boolean) }
            return mismatch("a string and a string, or an array and an element")
        case .in:
            if eitherAny { return withNulls(.boolean) }
            if case .array(let element) = b, element.isAny || Self.comparable(element.nonNull, a) {
                if case .array(let items) = r.kind { checkEnumLiterals(a, path: l, literals: items) }
                return withNulls(.boolean)
            }
            return mismatch("an element and an array")
        case .startsWith, .endsWith, .matches:
            guard eitherAny || (a.isStringLike && b.isStringLike) else { return mismatch("two strings") }
            if op == .matches, case .literal(.string(let pattern)) = r.kind, !Pattern.isValid(pattern) {
                diagnostics.append(.invalidRegex(pattern, file: file, at: locate(r.span)))
                return .unknown
            }
            return withNulls(.boolean)
        case .add:
            if eitherAny { return withNulls(.any) }
            if a.isNumeric && b.isNumeric { return withNulls(a == .integer && b == .integer ? .integer : .number) }
            if a.isStringLike && b.isStringLike { return withNulls(.string) }
            return mismatch("two numbers or two strings")
        case .subtract, .multiply, .remainder, .divide:
            if eitherAny { return withNulls(op == .divide ? .number : .any) }
            guard a.isNumeric && b.isNumeric else { return mismatch("two numbers") }
            return withNulls(op != .divide && a == .integer && b == .integer ? .integer : .number)
        case .and, .or:
            return TypedValue(.boolean)
        }
    }

    /// An enum compared with string literals (`==`, `!=`, `in [...]`): a
    /// literal outside its values could never match (SPEC §5.3).
    private mutating func checkEnumLiterals(_ type: ValueType, path: Expression, literals: [Expression]) {
        guard case .enumeration(let values) = type.nonNull else { return }
        for literal in literals {
            guard case .literal(.string(let text)) = literal.kind, !values.contains(text) else { continue }
            let what = path.pathKey.map { "`\($0)`" } ?? "this enum"
            diagnostics.append(.notInEnum(text, values: values, what: what, file: file, at: locate(literal.span)))
        }
    }

    /// `==` across types: same kind of scalar, or equal structured types.
    static func comparable(_ a: ValueType, _ b: ValueType) -> Bool {
        if a.isAny || b.isAny { return true }
        if a.isNumeric && b.isNumeric { return true }
        if a.isStringLike && b.isStringLike { return true }
        if a.isTemporal && (b.isTemporal || b == .string) { return true }
        if b.isTemporal && a == .string { return true }
        switch (a.nonNull, b.nonNull) {
        case (.object, .object), (.array, .array):
            // Structured types: each fits the other, compared pair by pair of named types.
            return Assignability.check(a.nonNull, into: b.nonNull) == .ok && Assignability.check(b.nonNull, into: a.nonNull) == .ok
        default:
            return a.nonNull == b.nonNull
        }
    }

    // MARK: functions

    private mutating func call(_ f: Builtin, _ args: [TypedValue], args exprs: [Expression], e: Expression) -> TypedValue {
        guard f.arity.contains(args.count) else {
            diagnostics.append(.wrongArgumentCount(f, found: args.count, file: file, at: locate(e.span)))
            return .unknown
        }
        if args.contains(where: { $0.type.isUnknown }) { return .unknown }
        let spec = f.spec
        // A view, not a second array: every call is typed.
        let types = args.lazy.map(\.type)
        for i in args.indices {
            let t = types[i], kind = spec.parameter(i).kind
            if t.isAny || t == .null || kind.accepts(t.nonNull) { continue }
            diagnostics.append(.argumentMismatch(f, position: i, expected: kind.expected, found: t, file: file, at: locate(exprs[i].span)))
            return .unknown
        }
        var result: ValueType
        switch spec.result {
        case .exact(let t):
            return TypedValue(t)
        case .fixed(let t):
            result = t
        case .rounded:
            var digitsZero = args.count == 1
            if args.count == 2, case .literal(.integer(0)) = exprs[1].kind { digitsZero = true }
            result = digitsZero ? .integer : .number
        case .sameNumber:
            result = types[0].nonNull == .integer ? .integer : .number
        case .sameAsFirst:
            result = types[0].isAny ? .any : types[0].nonNull
        case .element:
            if case .array(let element) = types[0].nonNull { result = element.nullable } else { result = .any }
            return TypedValue(result, nullReported: args[0].nullReported)
        case .common:
            let last = types[types.count - 1]
            let base = types.first(where: { $0 != .null && !$0.isAny })?.nonNull ?? last.nonNull
            for (i, t) in types.enumerated() where t != .null && !t.isAny && !Self.comparable(t.nonNull, base) {
                diagnostics.append(.argumentMismatch(f, position: i, expected: "a value of type \(base)", found: t, file: file, at: locate(exprs[i].span)))
                return .unknown
            }
            let widened = types.contains(where: { $0.nonNull == .number }) && base == .integer ? ValueType.number : base
            return TypedValue(last.isNullable && last != .any ? widened.nullable : widened)
        }
        if f == .formatDate, case .literal(.string(let format)) = exprs[1].kind {
            checkFormat(format, literal: exprs[1].span)
        }
        // `any` may hold anything; assuming null would warn on every webhook field.
        if types[0].isAny { return TypedValue(result) }
        // A null argument in any position gives null (SPEC §5.3).
        if f.propagatesNull, let i = args.indices.first(where: { types[$0].isNullable && !types[$0].isAny }) {
            return TypedValue(result.nullable, nullReported: args[i].nullReported)
        }
        return TypedValue(result)
    }

    /// A literal format of `format_date`: an unknown conversion could only
    /// print itself, so it is `invalid-value` at the conversion.
    private mutating func checkFormat(_ format: String, literal span: Range<Int>) {
        // `bad`: the conversion's UTF-8 bytes in the format.
        guard let bad = Strftime.firstUnknownConversion(in: format) else { return }
        // Its bytes in the source when no escape in the literal shifts them
        // (the value is as long as the text between the quotes); else the whole literal.
        let at = format.utf8.count == span.count - 2
            ? (span.lowerBound + 1 + bad.lowerBound)..<(span.lowerBound + 1 + bad.upperBound) : span
        let conversion = String(decoding: format.utf8.dropFirst(bad.lowerBound).prefix(bad.count), as: UTF8.self)
        diagnostics.append(.unknownDateConversion(conversion, file: file, at: locate(at)))
    }
}
