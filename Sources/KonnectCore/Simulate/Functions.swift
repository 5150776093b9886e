import Foundation

/// The functions of SPEC §5.4 at run time. A null argument gives null,
/// except for `default` and `coalesce`.
enum Functions {
    static func call(_ f: Builtin, _ args: [RuntimeValue], now: Double, exprs: [Expression]) throws(RuntimeError) -> RuntimeValue {
        guard f.arity.contains(args.count) else {
            throw RuntimeError("`\(f.rawValue)` takes \(Diagnostic.count(f.arity)), found \(args.count)")
        }
        // One null rule (SPEC §5.3): a null argument, in any position, gives null.
        if f.propagatesNull, args.contains(.null) { return .null }
        // Each argument of the kind its parameter takes: an `any` value is
        // checked here, never computed on as JSON text (SPEC §5.3).
        let spec = f.spec
        for (i, v) in args.enumerated() where !spec.parameter(i).kind.accepts(v) {
            throw RuntimeError("argument \(i + 1) of `\(f.rawValue)` must be \(spec.parameter(i).kind.expected), found \(v.typeName) `\(v.preview)`")
        }
        // The accessors below read arguments the loop above has checked.
        func string(_ i: Int) -> String { args[i].text }
        func integer(_ i: Int) -> Int {
            switch args[i] {
            case .int(let n): return n
            case .number(let d): return Int(d)
            default: return 0
            }
        }
        func number(_ i: Int) -> Double { Operators.number(args[i]) ?? 0 }
        func array(_ i: Int) -> [RuntimeValue] {
            if case .array(let items) = args[i] { return items }
            return []
        }
        switch f {
        case .lower: return try cased(string(0).lowercased())
        case .upper: return try cased(string(0).uppercased())
        case .title: return try cased(titleCase(string(0)))
        case .trim: return .string(string(0).trimmingCharacters(in: .whitespacesAndNewlines))
        case .truncate:
            let n = integer(1)
            guard n >= 0 else { throw RuntimeError("`truncate` needs a length of 0 or more, found \(n)") }
            return .string(String(string(0).prefix(n)))
        case .replace:
            let text = string(0), target = string(1), replacement = string(2)
            if target.isEmpty { return .string(text) }
            return .string(try ScalarSearch.replace(target, with: replacement, in: text))
        case .split:
            let s = string(0), sep = string(1)
            if s.isEmpty { return .array([]) }
            if sep.isEmpty {
                var count = 0
                for _ in s {
                    count += 1
                    try EvaluationLimits.checkElements(count, of: "`split`")
                }
                return .array(s.map { .string(String($0)) })
            }
            return .array(try ScalarSearch.split(s, by: sep).map(RuntimeValue.string))
        case .join:
            let parts = array(0).map(\.text), separator = string(1)
            try EvaluationLimits.checkString(parts.reduce(0) { $0 + $1.utf8.count } + max(0, parts.count - 1) * separator.utf8.count, of: "`join`")
            return .string(parts.joined(separator: separator))
        case .length:
            if case .array(let items) = args[0] { return .int(items.count) }
            return .int(string(0).count)
        case .default: return args[0].isNull ? args[1] : args[0]
        case .coalesce: return args.first { !$0.isNull } ?? .null
        case .round:
            // Past ±400 digits nothing rounds differently; clamped, `-digits` cannot overflow.
            let digits = max(-400, min(400, args.count == 2 ? integer(1) : 0))
            let r = roundDecimal(number(0), digits)
            return digits <= 0 && abs(r) < 9e15 ? .int(Int(r)) : .number(r)
        case .floor: return integral(number(0).rounded(.down))
        case .ceil: return integral(number(0).rounded(.up))
        case .abs:
            if case .int(let i) = args[0] {
                guard i != .min else { throw Operators.overflow("`abs(\(i))`") }
                return .int(Swift.abs(i))
            }
            return .number(Swift.abs(number(0)))
        case .toNumber:
            let s = string(0).trimmingCharacters(in: .whitespacesAndNewlines)
            switch YAMLScalarNumber.parse(s) {
            case .some(let d): return .number(d)
            case .none: return .null
            }
        case .toString: return .string(args[0].text)
        case .formatDate:
            return .string(try Strftime.format(Operators.instant(args[0]) ?? 0, string(1)))
        case .parseDatetime:
            let s = string(0).trimmingCharacters(in: .whitespacesAndNewlines)
            if let t = Formats.dateTimeParts(s) { return .datetime(t) }
            if let t = Formats.dateTimeParts(s.replacingOccurrences(of: " ", with: "T") + (s.hasSuffix("Z") ? "" : "Z")) { return .datetime(t) }
            if let (y, m, d) = Formats.date(s[...]) { return .datetime(Double(Formats.daysFromCivil(y, m, d)) * 86_400) }
            return .null
        case .addDays:
            let n = integer(1)
            // Beyond ±10,000 years there is no calendar date to render.
            guard n.magnitude <= 3_660_000 else { throw RuntimeError("`add_days` by \(n) days leaves the calendar") }
            switch args[0] {
            case .date(let d): return .date(d + n)
            case .datetime(let t): return .datetime(t + Double(n) * 86_400)
            case .string(let s):
                if let t = Formats.dateTimeParts(s) { return .datetime(t + Double(n) * 86_400) }
                if let (y, m, d) = Formats.date(s[...]) { return .date(Formats.daysFromCivil(y, m, d) + n) }
                fallthrough
            default:
                throw RuntimeError("`add_days` needs a date or datetime, found \(args[0].typeName) `\(args[0].preview)`")
            }
        case .now: return .datetime(now)
        case .first: return array(0).first ?? .null
        case .last: return array(0).last ?? .null
        }
    }

    /// Changing case may lengthen a text (`ß` → `SS`): the result is within the ceiling too.
    static func cased(_ s: String) throws(RuntimeError) -> RuntimeValue {
        try EvaluationLimits.checkString(s.utf8.count, of: "changing case")
        return .string(s)
    }

    static func integral(_ d: Double) -> RuntimeValue { abs(d) < 9e15 ? .int(Int(d)) : .number(d) }

    /// `x` rounded half away from zero to `digits` decimal places (tens,
    /// hundreds … when negative), on its shortest decimal form, as written:
    /// `round(1.005, 2)` is 1.01. Done on the digits themselves, so that
    /// no number is too small or too large for it (`Decimal` gave NaN below 1e-128).
    static func roundDecimal(_ x: Double, _ digits: Int) -> Double {
        guard x.isFinite, x != 0 else { return x }
        // Swift's shortest form: `1.005`, `1e-07`, `1.2345e+20`.
        let text = "\(x.magnitude)"
        let parts = text.split(separator: "e")
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        let whole = mantissa[0], fraction = mantissa.count > 1 ? mantissa[1] : ""
        var d = (whole + fraction).map { Int($0.asciiValue! - 48) }
        // The decimal point falls after `point` digits of `d`; `keep` digits stay.
        let point = whole.count + exponent
        let keep = point + digits
        if keep >= d.count { return x }
        if keep < 0 { return 0 }
        let up = d[keep] >= 5
        d.removeSubrange(keep...)
        if up {
            var i = d.count - 1
            while i >= 0, d[i] == 9 { d[i] = 0; i -= 1 }
            if i >= 0 { d[i] += 1 } else { d.insert(1, at: 0) }
        }
        let kept = d.isEmpty ? "0" : d.map(String.init).joined()
        let r = Double("\(kept)e\(point - keep)") ?? x
        return x < 0 ? -r : r
    }

    /// "ada lovelace" → "Ada Lovelace": each word capitalised, the rest lower case.
    static func titleCase(_ s: String) -> String {
        var out = ""
        var atWordStart = true
        for ch in s {
            if ch.isWhitespace || ch == "-" {
                atWordStart = true
                out.append(ch)
            } else if atWordStart {
                out += String(ch).uppercased()
                atWordStart = false
            } else {
                out += String(ch).lowercased()
            }
        }
        return out
    }
}

/// `to_number`: a decimal number, optionally signed, with an exponent.
enum YAMLScalarNumber {
    static func parse(_ s: String) -> Double? {
        guard !s.isEmpty, s.unicodeScalars.allSatisfy({ "0123456789+-.eE".unicodeScalars.contains($0) }),
              let d = Double(s), d.isFinite else { return nil }
        return d
    }
}
