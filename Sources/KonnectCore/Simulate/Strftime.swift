/// The strftime subset of `format_date` (SPEC §5.4, issue 5), in UTC.
public enum Strftime {
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                         "October", "November", "December"]
    static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// Formats seconds since the epoch. Unknown directives are kept as written.
    /// The result is within the string ceiling: a long format of many
    /// conversions would otherwise expand twelvefold.
    public static func format(_ seconds: Double, _ pattern: String) throws(RuntimeError) -> String {
        guard seconds.isFinite, abs(seconds) < 4e11 else { return JSONValue.format(seconds) }
        let whole = Int(seconds.rounded(.down))
        let days = Int((Double(whole) / 86_400).rounded(.down))
        let secs = whole - days * 86_400
        let (y, m, d) = Formats.civilFromDays(days)
        let hour = secs / 3600, minute = secs / 60 % 60, second = secs % 60
        let weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
        let dayOfYear = days - Formats.daysFromCivil(y, 1, 1) + 1
        var out = ""
        var chars = pattern.makeIterator()
        while let c = chars.next() {
            try EvaluationLimits.checkString(out.utf8.count + 32, of: "`format_date`")
            guard c == "%" else { out.append(c); continue }
            guard let k = chars.next() else { out.append("%"); break }
            switch k {
            case "Y": out += String(y)
            case "y": out += RuntimeValue.pad(y % 100, 2)
            case "m": out += RuntimeValue.pad(m, 2)
            case "d": out += RuntimeValue.pad(d, 2)
            case "e": out += (d < 10 ? " " : "") + String(d)
            case "H": out += RuntimeValue.pad(hour, 2)
            case "I": out += RuntimeValue.pad(hour % 12 == 0 ? 12 : hour % 12, 2)
            case "M": out += RuntimeValue.pad(minute, 2)
            case "S": out += RuntimeValue.pad(second, 2)
            case "p": out += hour < 12 ? "AM" : "PM"
            case "b": out += String(months[m - 1].prefix(3))
            case "B": out += months[m - 1]
            case "a": out += String(weekdays[weekday].prefix(3))
            case "A": out += weekdays[weekday]
            case "j": out += RuntimeValue.pad(dayOfYear, 3)
            case "Z": out += "UTC"
            case "z": out += "+0000"
            case "%": out += "%"
            default: out += "%" + String(k)
            }
        }
        return out
    }
}
