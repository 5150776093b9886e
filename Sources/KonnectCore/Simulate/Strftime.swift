/// `format_date` (SPEC §5.4): every C99 `strftime` conversion, in the C
/// locale and UTC. The `E` and `O` modifiers C99 allows on some
/// conversions change nothing in the C locale and are accepted there.
public enum Strftime {
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                         "October", "November", "December"]
    static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// The conversion characters of C99 7.23.3.5, in the order docs and hints list them.
    public static let conversionOrder: [Character] = ["a", "A", "b", "B", "c", "C", "d", "D", "e", "F", "g", "G", "h", "H", "I",
                                                      "j", "m", "M", "n", "p", "r", "R", "S", "t", "T", "u", "U", "V", "w", "W",
                                                      "x", "X", "y", "Y", "z", "Z", "%"]
    static let conversions = Set(conversionOrder)
    /// `%a %A … %%`.
    public static let conversionList = conversionOrder.map { "%\($0)" }.joined(separator: " ")
    /// Those that take `E` (`%Ec`) and `O` (`%Od`).
    static let withE: Set<Character> = ["c", "C", "x", "X", "y", "Y"]
    static let withO: Set<Character> = ["d", "e", "H", "I", "m", "M", "S", "u", "U", "V", "w", "W", "y"]

    /// The UTF-8 byte range of the first conversion C99 does not define
    /// (`%Q`, `%Ed`, a `%` at the end), or nil when every one is known.
    public static func firstUnknownConversion(in pattern: String) -> Range<Int>? {
        var offset = 0
        var chars = pattern.makeIterator()
        while let c = chars.next() {
            let start = offset
            offset += c.utf8.count
            guard c == "%" else { continue }
            guard var k = chars.next() else { return start..<offset }
            offset += k.utf8.count
            if k == "E" || k == "O" {
                let allowed = k == "E" ? withE : withO
                guard let next = chars.next() else { return start..<offset }
                offset += next.utf8.count
                guard allowed.contains(next) else { return start..<offset }
                k = next
            }
            if !conversions.contains(k) { return start..<offset }
        }
        return nil
    }

    /// Formats seconds since the epoch. An unknown conversion is a runtime
    /// error (a literal format is checked before it runs). The result is
    /// within the string ceiling: a long format of many conversions would
    /// otherwise expand twelvefold.
    public static func format(_ seconds: Double, _ pattern: String) throws(RuntimeError) -> String {
        guard seconds.isFinite, abs(seconds) < 4e11 else { return JSONValue.format(seconds) }
        if let bad = firstUnknownConversion(in: pattern) {
            let text = String(decoding: pattern.utf8.dropFirst(bad.lowerBound).prefix(bad.count), as: UTF8.self)
            throw RuntimeError("`format_date`: `\(text)` is not a strftime conversion (write `%%` for a `%`)")
        }
        let t = Moment(seconds)
        var out = ""
        var chars = pattern.makeIterator()
        while let c = chars.next() {
            try EvaluationLimits.checkString(out.utf8.count + 32, of: "`format_date`")
            guard c == "%" else { out.append(c); continue }
            guard var k = chars.next() else { break }
            if k == "E" || k == "O", let next = chars.next() { k = next }
            out += t.conversion(k)
        }
        return out
    }

    /// One instant's calendar fields, in UTC.
    struct Moment {
        let year, month, day, hour, minute, second: Int
        /// 0 = Sunday.
        let weekday: Int
        /// 0-based day of the year.
        let yearDay: Int

        init(_ seconds: Double) {
            let whole = Int(seconds.rounded(.down))
            let days = Int((Double(whole) / 86_400).rounded(.down))
            let secs = whole - days * 86_400
            (year, month, day) = Formats.civilFromDays(days)
            hour = secs / 3600
            minute = secs / 60 % 60
            second = secs % 60
            weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
            yearDay = days - Formats.daysFromCivil(year, 1, 1)
        }

        private func pad(_ n: Int, _ width: Int) -> String { RuntimeValue.pad(n, width) }

        /// C's `%`-conversions; the composite ones as C99 defines them in the C locale.
        func conversion(_ k: Character) -> String {
            switch k {
            case "a": return String(Strftime.weekdays[weekday].prefix(3))
            case "A": return Strftime.weekdays[weekday]
            case "b", "h": return String(Strftime.months[month - 1].prefix(3))
            case "B": return Strftime.months[month - 1]
            case "c": return "\(conversion("a")) \(conversion("b")) \(conversion("e")) \(conversion("T")) \(year)"
            case "C": return pad(Self.floorDiv(year, 100), 2)
            case "d": return pad(day, 2)
            case "D", "x": return "\(pad(month, 2))/\(pad(day, 2))/\(pad(Self.floorMod(year, 100), 2))"
            case "e": return (day < 10 ? " " : "") + String(day)
            case "F": return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
            case "g": return pad(Self.floorMod(isoWeek.year, 100), 2)
            case "G": return String(isoWeek.year)
            case "H": return pad(hour, 2)
            case "I": return pad(hour % 12 == 0 ? 12 : hour % 12, 2)
            case "j": return pad(yearDay + 1, 3)
            case "m": return pad(month, 2)
            case "M": return pad(minute, 2)
            case "n": return "\n"
            case "p": return hour < 12 ? "AM" : "PM"
            case "r": return "\(conversion("I")):\(pad(minute, 2)):\(pad(second, 2)) \(conversion("p"))"
            case "R": return "\(pad(hour, 2)):\(pad(minute, 2))"
            case "S": return pad(second, 2)
            case "t": return "\t"
            case "T", "X": return "\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
            case "u": return String(weekday == 0 ? 7 : weekday)
            case "U": return pad((yearDay + 7 - weekday) / 7, 2)
            case "V": return pad(isoWeek.week, 2)
            case "w": return String(weekday)
            case "W": return pad((yearDay + 7 - (weekday + 6) % 7) / 7, 2)
            case "y": return pad(Self.floorMod(year, 100), 2)
            case "Y": return String(year)
            case "z": return "+0000"
            case "Z": return "UTC"
            default: return "%"
            }
        }

        /// ISO 8601 week-based year and week (weeks start on Monday; week 1
        /// holds the year's first Thursday).
        var isoWeek: (year: Int, week: Int) {
            let isoWeekday = (weekday + 6) % 7  // 0 = Monday
            // The Thursday of this week decides its year.
            let thursday = yearDay - isoWeekday + 3
            let length = Self.daysIn(year)
            if thursday < 0 {
                let previous = Self.daysIn(year - 1)
                return (year - 1, (thursday + previous) / 7 + 1)
            }
            if thursday >= length { return (year + 1, 1) }
            return (year, thursday / 7 + 1)
        }

        static func daysIn(_ y: Int) -> Int {
            Formats.daysFromCivil(y + 1, 1, 1) - Formats.daysFromCivil(y, 1, 1)
        }

        static func floorDiv(_ a: Int, _ b: Int) -> Int { Int((Double(a) / Double(b)).rounded(.down)) }
        static func floorMod(_ a: Int, _ b: Int) -> Int { ((a % b) + b) % b }
    }
}
