/// Binary operators at run time (SPEC §5.3).
enum Operators {
    static func apply(_ op: Expression.BinaryOperator, _ a: RuntimeValue, _ b: RuntimeValue,
                      budget: EvaluationBudget = EvaluationBudget()) throws(RuntimeError) -> RuntimeValue {
        switch op {
        case .equal: return .bool(equal(a, b))
        case .notEqual: return .bool(!equal(a, b))
        default: break
        }
        if a.isNull || b.isNull { return .null }
        switch op {
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let c = compare(a, b) else {
                throw RuntimeError("cannot order \(a.typeName) `\(a.preview)` and \(b.typeName) `\(b.preview)`")
            }
            switch op {
            case .less: return .bool(c < 0)
            case .lessOrEqual: return .bool(c <= 0)
            case .greater: return .bool(c > 0)
            default: return .bool(c >= 0)
            }
        case .contains:
            if case .array(let items) = a { return .bool(items.contains { equal($0, b) }) }
            try texts(op, a, b, expected: "a string and a string, or an array and an element")
            return .bool(ScalarSearch.contains(a.text, b.text))
        case .in:
            guard case .array(let items) = b else { throw RuntimeError("`in` needs an array on the right, found \(b.typeName)") }
            return .bool(items.contains { equal($0, a) })
        case .startsWith:
            try texts(op, a, b, expected: "two strings")
            return .bool(ScalarSearch.hasPrefix(a.text, b.text))
        case .endsWith:
            try texts(op, a, b, expected: "two strings")
            return .bool(ScalarSearch.hasSuffix(a.text, b.text))
        case .matches:
            try texts(op, a, b, expected: "two strings")
            switch Pattern.search(b.text, in: a.text, shouldStop: { budget.isExhausted }) {
            case .found(let found): return .bool(found)
            case .invalid: throw RuntimeError("`\(b.preview)` is not a valid regular expression")
            case .tooSlow: throw budget.exhausted("`matches` with `\(b.text.prefix(80))` backtracks too much on this text")
            }
        case .add:
            if case .string(let x) = a, case .string(let y) = b {
                try RuntimeError.checkLength(x.utf8.count + y.utf8.count, of: "`+`")
                return .string(x + y)
            }
            return try arithmetic(op, a, b)
        case .subtract, .multiply, .divide, .remainder:
            return try arithmetic(op, a, b)
        case .and, .or, .equal, .notEqual:
            return .null  // handled above / by the evaluator
        }
    }

    /// A string test takes text on both sides: an `any` value holding an
    /// array, object, number or boolean is an error, never searched as JSON (SPEC §5.3).
    private static func texts(_ op: Expression.BinaryOperator, _ a: RuntimeValue, _ b: RuntimeValue, expected: String) throws(RuntimeError) {
        guard Builtin.Kind.string.accepts(a) && Builtin.Kind.string.accepts(b) else {
            throw RuntimeError("`\(op.rawValue)` needs \(expected), found \(a.typeName) `\(a.preview)` and \(b.typeName) `\(b.preview)`")
        }
    }

    static func arithmetic(_ op: Expression.BinaryOperator, _ a: RuntimeValue, _ b: RuntimeValue) throws(RuntimeError) -> RuntimeValue {
        if case .int(let x) = a, case .int(let y) = b, op != .divide {
            // Integers are exact 64-bit (SPEC §5.3): an overflow is an error, never a rounded number.
            let (r, overflow): (Int, Bool)
            switch op {
            case .add: (r, overflow) = x.addingReportingOverflow(y)
            case .subtract: (r, overflow) = x.subtractingReportingOverflow(y)
            case .multiply: (r, overflow) = x.multipliedReportingOverflow(by: y)
            default:
                guard y != 0 else { throw RuntimeError("remainder of a division by zero (`\(x) % 0`)") }
                // Int.min % -1 is 0: only the quotient overflows.
                return .int(y == -1 ? 0 : x % y)
            }
            guard !overflow else { throw Self.overflow("`\(x) \(op.rawValue) \(y)`") }
            return .int(r)
        }
        guard let x = number(a), let y = number(b) else {
            throw RuntimeError("`\(op.rawValue)` needs numbers, found \(a.typeName) `\(a.preview)` and \(b.typeName) `\(b.preview)`")
        }
        let r: Double
        switch op {
        case .add: r = x + y
        case .subtract: r = x - y
        case .multiply: r = x * y
        case .divide:
            guard y != 0 else { throw RuntimeError("division by zero (`\(a.text) / 0`)") }
            r = x / y
        default:
            guard y != 0 else { throw RuntimeError("remainder of a division by zero (`\(a.text) % 0`)") }
            r = x.truncatingRemainder(dividingBy: y)
        }
        return try finite(r, "`\(a.text) \(op.rawValue) \(b.text)`")
    }

    static func overflow(_ what: String) -> RuntimeError {
        RuntimeError("integer overflow: \(what) is beyond 64-bit integers")
    }

    /// Numbers stay finite (SPEC §9): a result past the largest number is an error, never infinity or NaN.
    static func finite(_ d: Double, _ what: @autoclosure () -> String) throws(RuntimeError) -> RuntimeValue {
        guard d.isFinite else { throw .limit("\(what()) is beyond the largest number (about 1.8e308)") }
        return .number(d)
    }

    static func number(_ v: RuntimeValue) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }

    /// Seconds since the epoch of a date, datetime, or a string holding one.
    static func instant(_ v: RuntimeValue) -> Double? {
        switch v {
        case .datetime(let t): return t
        case .date(let d): return Double(d) * 86_400
        case .string(let s):
            if let t = Formats.dateTimeParts(s) { return t }
            if let (y, m, d) = Formats.date(s[...]) { return Double(Formats.daysFromCivil(y, m, d)) * 86_400 }
            return nil
        default: return nil
        }
    }

    static func equal(_ a: RuntimeValue, _ b: RuntimeValue) -> Bool {
        if case .int(let x) = a, case .int(let y) = b { return x == y }  // exact, beyond 2^53 too
        if let x = number(a), let y = number(b) { return x == y }
        switch (a, b) {
        case (.date, .date), (.datetime, .datetime), (.date, .datetime), (.datetime, .date):
            return instant(a) == instant(b)
        case (.date, .string), (.datetime, .string), (.string, .date), (.string, .datetime):
            return instant(a) != nil && instant(a) == instant(b)
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x, _), .object(let y, _)):
            return x.count == y.count && x.allSatisfy { k, v in y[k].map { equal(v, $0) } ?? false }
        case (.string(let x), .string(let y)):
            return ScalarSearch.equal(x, y)
        default:
            return a == b
        }
    }

    /// -1, 0, 1; nil when the two cannot be ordered.
    static func compare(_ a: RuntimeValue, _ b: RuntimeValue) -> Int? {
        if case .int(let x) = a, case .int(let y) = b { return x < y ? -1 : x > y ? 1 : 0 }
        if let x = number(a), let y = number(b) { return x < y ? -1 : x > y ? 1 : 0 }
        if case .string(let x) = a, case .string(let y) = b {
            return ScalarSearch.precedes(x, y) ? -1 : ScalarSearch.equal(x, y) ? 0 : 1
        }
        if let x = instant(a), let y = instant(b) { return x < y ? -1 : x > y ? 1 : 0 }
        return nil
    }
}
