import Foundation

/// A 5-field cron expression (SPEC §2.1, schedules): minute, hour,
/// day-of-month, month, day-of-week. Each field is `*`, a number, a name
/// (JAN–DEC, SUN–SAT, any case), a range `a-b`, a list `a,b`, or any of these
/// with a step `/n`. Day-of-week 7 is Sunday, like 0.
///
/// Day-of-month and day-of-week follow the POSIX rule: when both are
/// restricted (neither is exactly `*`), a day matches when EITHER matches
/// (`0 9 1 * MON` runs on the 1st and on every Monday); when one is `*`, only
/// the other restricts.
///
/// Run times in a time zone (`nextRuns`): a wall-clock time that a DST
/// change skips runs once, at the first minute after the gap (02:30 on a
/// spring-forward night runs at 03:00); a wall-clock time that a DST change
/// repeats runs once, at its first occurrence. No instant is listed twice.
public struct CronSchedule: Sendable, Hashable {
    /// A problem in the text, with the UTF-8 byte span inside it that it is about.
    public struct Problem: Error, Sendable, Equatable {
        public var message: String
        public var hint: String?
        public var span: Range<Int>
    }

    public enum Field: Int, Sendable, CaseIterable {
        case minute, hour, dayOfMonth, month, dayOfWeek

        var bounds: ClosedRange<Int> {
            switch self {
            case .minute: return 0...59
            case .hour: return 0...23
            case .dayOfMonth: return 1...31
            case .month: return 1...12
            case .dayOfWeek: return 0...7
            }
        }

        var label: String {
            switch self {
            case .minute: return "minute"
            case .hour: return "hour"
            case .dayOfMonth: return "day-of-month"
            case .month: return "month"
            case .dayOfWeek: return "day-of-week"
            }
        }

        var names: [String] {
            switch self {
            case .month: return ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
            case .dayOfWeek: return ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
            default: return []
            }
        }

        /// The value of the first name (JAN = 1, SUN = 0).
        var firstNameValue: Int { self == .month ? 1 : 0 }
    }

    /// The fields separated by single spaces, names in capitals: the
    /// canonical spelling, so that extra spaces or `mon-fri` for `MON-FRI`
    /// plan to no change (names are case-insensitive).
    public let normalized: String
    /// Allowed values per field, as bit sets (bit n = value n); day-of-week 7 is folded into 0.
    let minutes: UInt64
    let hours: UInt64
    let daysOfMonth: UInt64
    let months: UInt64
    let daysOfWeek: UInt64
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool

    /// Parses `text`, or throws the first problem found.
    public init(parsing text: String) throws(Problem) {
        let bytes = Array(text.utf8)
        var fields: [(text: String, span: Range<Int>)] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1; continue }
            let start = i
            while i < bytes.count, bytes[i] != 0x20, bytes[i] != 0x09 { i += 1 }
            fields.append((String(decoding: bytes[start..<i], as: UTF8.self), start..<i))
        }
        guard fields.count == 5 else {
            let span = fields.count > 5 ? fields[5].span.lowerBound..<fields.last!.span.upperBound : 0..<bytes.count
            throw Problem(message: "a cron schedule has 5 fields (minute hour day-of-month month day-of-week), this one has \(fields.count)",
                          hint: "for example `0 9 * * MON-FRI`: at 09:00 on weekdays", span: span)
        }
        var sets: [UInt64] = []
        for (field, part) in zip(Field.allCases, fields) {
            sets.append(try Self.parseField(part.text, field: field, at: part.span.lowerBound))
        }
        minutes = sets[0]
        hours = sets[1]
        daysOfMonth = sets[2]
        months = sets[3]
        // Sunday is 0 and 7.
        daysOfWeek = (sets[4] | (sets[4] >> 7)) & 0x7F
        dayOfMonthRestricted = fields[2].text != "*"
        dayOfWeekRestricted = fields[4].text != "*"
        normalized = fields.map { $0.text.uppercased() }.joined(separator: " ")
        // Only day-of-month with day-of-week `*` can name days that no month has.
        if dayOfMonthRestricted && !dayOfWeekRestricted && !Self.canFire(days: daysOfMonth, months: months) {
            throw Problem(message: "the schedule `\(normalized)` can never fire: no month it allows has the days it allows",
                          hint: "February has at most 29 days; April, June, September and November have 30",
                          span: fields[2].span)
        }
    }

    private static let monthLengths = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

    private static func canFire(days: UInt64, months: UInt64) -> Bool {
        (1...12).contains { m in
            months & (1 << UInt64(m)) != 0 && (1...monthLengths[m - 1]).contains { days & (1 << UInt64($0)) != 0 }
        }
    }

    private static func parseField(_ text: String, field: Field, at offset: Int) throws(Problem) -> UInt64 {
        var set: UInt64 = 0
        var itemStart = offset
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let span = itemStart..<(itemStart + item.utf8.count)
            set |= try parseItem(String(item), field: field, span: span)
            itemStart = span.upperBound + 1
        }
        return set
    }

    /// One list item: `*`, `v`, `a-b`, each optionally `/step`.
    private static func parseItem(_ item: String, field: Field, span: Range<Int>) throws(Problem) -> UInt64 {
        guard !item.isEmpty else {
            throw Problem(message: "empty item in the \(field.label) field", hint: "remove the extra `,`", span: span)
        }
        var rangePart = Substring(item)
        var step = 1
        var rangeSpan = span
        if let slash = item.firstIndex(of: "/") {
            rangePart = item[..<slash]
            let stepText = item[item.index(after: slash)...]
            let stepStart = span.lowerBound + rangePart.utf8.count + 1
            let stepSpan = stepStart..<span.upperBound
            let maxStep = field.bounds.upperBound - field.bounds.lowerBound + (field == .dayOfWeek ? 0 : 1)
            guard let n = Int(stepText), (1...maxStep).contains(n) else {
                throw Problem(message: "step `\(stepText)` in the \(field.label) field must be a whole number from 1 to \(maxStep)",
                              hint: nil, span: stepSpan.isEmpty ? span : stepSpan)
            }
            step = n
            rangeSpan = span.lowerBound..<(span.lowerBound + rangePart.utf8.count)
        }
        let low: Int, high: Int
        if rangePart == "*" {
            (low, high) = (field.bounds.lowerBound, field == .dayOfWeek ? 6 : field.bounds.upperBound)
        } else if let dash = rangePart.firstIndex(of: "-") {
            let a = rangePart[..<dash], b = rangePart[rangePart.index(after: dash)...]
            let aSpan = rangeSpan.lowerBound..<(rangeSpan.lowerBound + a.utf8.count)
            let bSpan = (aSpan.upperBound + 1)..<rangeSpan.upperBound
            low = try value(a, field: field, span: aSpan)
            high = try value(b, field: field, span: bSpan)
            guard low <= high else {
                throw Problem(message: "range `\(rangePart)` in the \(field.label) field goes backwards",
                              hint: "a range runs from the smaller value to the larger; to wrap around, list two ranges (`22-23,0-2`)", span: rangeSpan)
            }
        } else {
            low = try value(rangePart, field: field, span: rangeSpan)
            // `5/15` means from 5 to the end of the field in steps of 15.
            high = step > 1 ? field.bounds.upperBound : low
        }
        var set: UInt64 = 0
        for v in stride(from: low, through: high, by: step) { set |= 1 << UInt64(v) }
        return set
    }

    private static func value(_ text: Substring, field: Field, span: Range<Int>) throws(Problem) -> Int {
        if let n = Int(text), text.allSatisfy(\.isASCII) {
            guard field.bounds.contains(n) else {
                throw Problem(message: "\(n) is out of range for the \(field.label) field (\(field.bounds.lowerBound) to \(field.bounds.upperBound))",
                              hint: nil, span: span)
            }
            return n
        }
        let upper = text.uppercased()
        if let index = field.names.firstIndex(of: upper) { return index + field.firstNameValue }
        if text.isEmpty {
            throw Problem(message: "a value is missing in the \(field.label) field", hint: nil, span: span)
        }
        let hint = field.names.isEmpty
            ? "the \(field.label) field takes numbers from \(field.bounds.lowerBound) to \(field.bounds.upperBound)"
            : Suggestion.hint(for: upper, among: field.names, noun: "names")
        throw Problem(message: "`\(text)` is not a \(field.names.isEmpty ? "number" : "\(field.label) name or number") in the \(field.label) field",
                      hint: hint, span: span)
    }

    // MARK: run times

    /// The first `count` run times at or after `start`, in `zone`. Bounded:
    /// it walks days (skipping months that are not allowed), at most ten
    /// years of them, and within a matching day only the allowed hours and minutes.
    public func nextRuns(from start: Date, in zone: TimeZone, count: Int) -> [Date] {
        guard count > 0 else { return [] }
        var runs: [Date] = []
        let startSeconds = Int(start.timeIntervalSince1970.rounded(.up))
        let startWall = startSeconds + zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(startSeconds)))
        // Start an hour early: a wall-clock time repeated by DST may map to an instant at or after `start`.
        var day = Self.floorDiv(startWall - 3600, 86_400)
        let lastDay = day + 3_700
        let hourList = Self.members(hours, in: 0...23)
        let minuteList = Self.members(minutes, in: 0...59)
        while day <= lastDay {
            let (y, m, d) = Self.civil(fromDays: day)
            if months & (1 << UInt64(m)) == 0 {
                day = Self.days(year: m == 12 ? y + 1 : y, month: m == 12 ? 1 : m + 1, day: 1)
                continue
            }
            if matches(day: d, weekday: Self.floorMod(day + 4, 7)) {
                for h in hourList {
                    for minute in minuteList {
                        let wall = day * 86_400 + h * 3_600 + minute * 60
                        guard wall >= startWall - 3_600 else { continue }
                        let instant = Self.instant(wall: wall, in: zone)
                        guard instant >= startSeconds, instant > (runs.last.map { Int($0.timeIntervalSince1970) } ?? Int.min) else { continue }
                        runs.append(Date(timeIntervalSince1970: TimeInterval(instant)))
                        if runs.count == count { return runs }
                    }
                }
            }
            day += 1
        }
        return runs
    }

    func matches(day: Int, weekday: Int) -> Bool {
        let dom = daysOfMonth & (1 << UInt64(day)) != 0
        let dow = daysOfWeek & (1 << UInt64(weekday)) != 0
        if dayOfMonthRestricted && dayOfWeekRestricted { return dom || dow }
        return dom && dow
    }

    /// The instant of a wall-clock time (seconds as if the zone were UTC):
    /// its first occurrence, or for a time that a DST gap skips, the end of the gap.
    static func instant(wall: Int, in zone: TimeZone) -> Int {
        func offset(_ t: Int) -> Int { zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))) }
        let before = offset(wall - 86_400 * 2), after = offset(wall + 86_400 * 2)
        let candidates = Set([before, after, offset(wall)]).map { wall - $0 }.filter { $0 + offset($0) == wall }
        if let first = candidates.min() { return first }
        // In a gap: the offset changes between `wall - max` and `wall - min`; find the change.
        var low = wall - max(before, after), high = wall - min(before, after)
        let lowOffset = offset(low)
        while high - low > 1 {
            let mid = low + (high - low) / 2
            if offset(mid) == lowOffset { low = mid } else { high = mid }
        }
        return high
    }

    static func members(_ set: UInt64, in range: ClosedRange<Int>) -> [Int] {
        range.filter { set & (1 << UInt64($0)) != 0 }
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    static func floorMod(_ a: Int, _ b: Int) -> Int { a - floorDiv(a, b) * b }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
