/// Evaluates expressions and renders templates (SPEC §5 at run time).
/// Null propagates: a path through null is null, an operator or function
/// on null gives null (but `default`, `coalesce`, `==`), and null in a
/// condition is false.
///
/// Evaluation is bounded (SPEC §9): strings, arrays and numbers stay within
/// `EvaluationLimits`, and the run's `budget` of time is checked at each
/// function call, operator and list.
public struct Evaluator: Sendable {
    public var environment: Environment
    public var budget: EvaluationBudget

    /// `budget`: shared by every evaluator of one run; a fresh one by default.
    public init(_ environment: Environment, budget: EvaluationBudget = EvaluationBudget()) {
        self.environment = environment
        self.budget = budget
    }

    /// A condition: true only for `true` (null is false).
    public func condition(_ e: Expression) throws(RuntimeError) -> Bool {
        switch try evaluate(e) {
        case .bool(let b): return b
        case .null: return false
        case let v: throw RuntimeError("the condition `\(ExpressionPrinter.print(e))` gave \(v.typeName) `\(v.preview)`, not a boolean")
        }
    }

    /// A `with:` value: literals as they are, templates rendered.
    public func render(_ v: CheckedValue, as type: ValueType) throws(RuntimeError) -> RuntimeValue {
        switch v {
        case .literal(let s): return RuntimeValue.from(s, as: type)
        case .expression(let e): return try evaluate(e)
        case .template(let parts):
            var out = ""
            for part in parts {
                let piece: String
                switch part {
                case .text(let t): piece = t
                case .expression(let e):
                    // Checked statically unless `any`: text gets scalars only, never JSON (SPEC §5.2).
                    let value = try evaluate(e)
                    switch value {
                    case .array, .object:
                        throw RuntimeError("`{{ \(ExpressionPrinter.print(e)) }}` gave \(value.typeName) `\(value.preview)`, which cannot be put into text (not-interpolable)")
                    default: piece = value.text
                    }
                }
                try EvaluationLimits.checkString(out.utf8.count + piece.utf8.count, of: "the template")
                out += piece
            }
            return .string(out)
        case .array(let items):
            let element: ValueType = if case .array(let el) = type.nonNull { el } else { .any }
            var out: [RuntimeValue] = []
            for item in items { out.append(try render(item, as: element)) }
            return .array(out)
        case .object(let values, let order):
            var out: [String: RuntimeValue] = [:]
            for key in order {
                var fieldType = ValueType.any
                if case .object(let o) = type.nonNull, let f = o.field(key) { fieldType = f.type }
                out[key] = try render(values[key]!, as: fieldType)
            }
            return .object(out, order: order)
        }
    }

    public func evaluate(_ e: Expression) throws(RuntimeError) -> RuntimeValue {
        switch e.kind {
        case .literal(let l):
            switch l {
            case .integer(let i): return .int(i)
            case .number(let d): return .number(d)
            case .string(let s): return .string(s)
            case .boolean(let b): return .bool(b)
            case .null: return .null
            }
        case .root(.trigger): return environment.trigger
        case .root(.konnector):
            return .object(["id": .string(environment.konnectorID), "name": .string(environment.konnectorName)], order: ["id", "name"])
        case .step(let id, _): return environment.steps[id] ?? .null
        case .name(let n):
            guard let value = environment.locals[n] else { throw RuntimeError("unknown name `\(n)`") }
            return value
        case .member(let base, let name, _):
            let b = try evaluate(base)
            if case .object(let fields, _) = b { return fields[name] ?? .null }
            return .null
        case .index(let base, let index):
            let b = try evaluate(base), i = try evaluate(index)
            switch (b, i) {
            case (.array(let items), .int(let n)): return n >= 0 && n < items.count ? items[n] : .null
            case (.object(let fields, _), .string(let k)): return fields[k] ?? .null
            default: return .null
            }
        case .unary(.not, let operand):
            return .bool(!(try condition(operand)))
        case .unary(.negate, let operand):
            switch try evaluate(operand) {
            case .null: return .null
            case .int(let i):
                guard i != .min else { throw Operators.overflow("`-(\(i))`") }
                return .int(-i)
            case .number(let d): return .number(-d)
            case let v: throw RuntimeError("cannot negate \(v.typeName) `\(v.preview)`")
            }
        case .binary(.and, let l, let r):
            guard try condition(l) else { return .bool(false) }
            return .bool(try condition(r))
        case .binary(.or, let l, let r):
            if try condition(l) { return .bool(true) }
            return .bool(try condition(r))
        case .binary(let op, let l, let r):
            let a = try evaluate(l), b = try evaluate(r)
            try budget.check()
            return try Operators.apply(op, a, b, budget: budget)
        case .call(let name, let args, _, _):
            guard let f = Builtin(rawValue: name) else { throw RuntimeError("unknown function `\(name)`") }
            var values: [RuntimeValue] = []
            for a in args { values.append(try evaluate(a)) }
            try budget.check()
            let result = try Functions.call(f, values, now: environment.now, exprs: args)
            if case .number(let d) = result { return try Operators.finite(d, "`\(name)`'s result") }
            return result
        case .array(let items):
            try EvaluationLimits.checkElements(items.count, of: "the list")
            var out: [RuntimeValue] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try evaluate(item)) }
            try budget.check()
            let list = RuntimeValue.array(out)
            try EvaluationLimits.checkSize(list, of: "the list")
            return list
        }
    }
}
