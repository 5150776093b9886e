/// Well-formedness of the string formats of SPEC §4 (email, url, date,
/// datetime), shared by the checker (literals) and the simulator (values).
public enum Formats {
    public static func isEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        guard !s.utf8.contains(where: { $0 <= 0x20 || $0 == 0x3C || $0 == 0x3E || $0 == 0x2C }) else { return false }
        let domain = parts[1]
        return domain.contains(".") && !domain.hasPrefix(".") && !domain.hasSuffix(".") && !domain.contains("..")
    }

    public static func isURL(_ s: String) -> Bool {
        var s = s
        return s.withUTF8(isASCIIURL) ?? isURLByCharacters(s)
    }

    static func isURLByCharacters(_ s: String) -> Bool {
        guard let colon = s.firstIndex(of: ":") else { return false }
        let scheme = s[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") })
        else { return false }
        let rest = s[s.index(after: colon)...]
        guard rest.hasPrefix("//") else { return false }
        let host = rest.dropFirst(2).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return !host.isEmpty && !s.utf8.contains(where: { $0 <= 0x20 })
    }

    /// `isURL` over bytes, nil when `u` is not all ASCII. For ASCII, bytes are
    /// characters (but CR LF, whose control bytes fail either way), and
    /// walking characters cost 20 times as much.
    private static func isASCIIURL(_ u: UnsafeBufferPointer<UInt8>) -> Bool? {
        var colon: Int? = nil
        for (i, b) in u.enumerated() {
            if b >= 0x80 { return nil }
            if colon == nil && b == 0x3A { colon = i }
        }
        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
        guard let colon, colon > 0, isLetter(u[0]),
              u[..<colon].allSatisfy({ isLetter($0) || (0x30...0x39).contains($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E })
        else { return false }
        // "//" and a host: something before the first `/`, `?` or `#`.
        guard colon + 3 < u.count, u[colon + 1] == 0x2F, u[colon + 2] == 0x2F,
              u[colon + 3] != 0x2F, u[colon + 3] != 0x3F, u[colon + 3] != 0x23 else { return false }
        return !u.contains(where: { $0 <= 0x20 })
    }

    /// `YYYY-MM-DD`, a real calendar day.
    public static func date(_ s: Substring) -> (year: Int, month: Int, day: Int)? {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D,
              let y = digits(u, 0, 4), let m = digits(u, 5, 2), let d = digits(u, 8, 2),
              (1...12).contains(m), d >= 1, d <= daysIn(month: m, year: y) else { return nil }
        return (y, m, d)
    }

    public static func isDate(_ s: String) -> Bool { date(s[...]) != nil }

    /// RFC 3339: `2026-01-05T10:00:00Z`, `…T10:00:00.5+02:00`.
    public static func isDateTime(_ s: String) -> Bool { dateTimeParts(s) != nil }

    /// Seconds since the epoch of an RFC 3339 datetime.
    public static func dateTimeParts(_ s: String) -> Double? {
        let u = Array(s.utf8)
        guard u.count >= 20, date(s.prefix(10)) != nil, u[10] == 0x54 || u[10] == 0x74 || u[10] == 0x20,
              let hh = digits(u, 11, 2), u[13] == 0x3A, let mm = digits(u, 14, 2), u[16] == 0x3A,
              let ss = digits(u, 17, 2), hh < 24, mm < 60, ss < 61 else { return nil }
        var i = 19
        var fraction = 0.0
        if u[i] == 0x2E {
            i += 1
            let start = i
            var scale = 0.1
            while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { fraction += Double(u[i] - 0x30) * scale; scale /= 10; i += 1 }
            guard i > start else { return nil }
        }
        guard i < u.count else { return nil }
        var offset = 0
        if u[i] == 0x5A || u[i] == 0x7A {
            i += 1
        } else if u[i] == 0x2B || u[i] == 0x2D {
            guard i + 6 == u.count, let oh = digits(u, i + 1, 2), u[i + 3] == 0x3A, let om = digits(u, i + 4, 2),
                  oh < 24, om < 60 else { return nil }
            offset = (oh * 60 + om) * 60 * (u[i] == 0x2D ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == u.count, let (y, m, d) = date(s.prefix(10)) else { return nil }
        let days = daysFromCivil(y, m, d)
        return Double(days * 86_400 + hh * 3600 + mm * 60 + ss - offset) + fraction
    }

    static func digits(_ u: [UInt8], _ at: Int, _ n: Int) -> Int? {
        guard at + n <= u.count else { return nil }
        var v = 0
        for i in at..<(at + n) {
            guard u[i] >= 0x30, u[i] <= 0x39 else { return nil }
            v = v * 10 + Int(u[i] - 0x30)
        }
        return v
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// (year, month, day) of a count of days since 1970-01-01.
    public static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
