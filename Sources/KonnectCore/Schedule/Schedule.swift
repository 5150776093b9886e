import Foundation
import KonnectYAML

/// A schedule trigger (SPEC §2.1): `trigger: { schedule: { cron, timezone } }`.
public struct Schedule: Sendable {
    public static let fields = ["cron", "timezone"]
    public static let defaultZone = "UTC"

    /// The cron text as written, and where.
    public var cronText: Located<String>
    public var cron: CronSchedule
    /// The zone's identifier (`UTC` when none is written).
    public var timezone: String
    public var zone: TimeZone

    /// What `trigger.` refers to in a scheduled konnector.
    public static let outputType = ValueType.object(ObjectType(fields: [
        FieldSpec(name: "scheduled_at", type: .datetime, required: true),
        FieldSpec(name: "timezone", type: .string, required: true),
    ]))

    /// The canonical compiled form: the cron with its whitespace normalised, and the zone.
    public var canonical: [String: String] { ["cron": cron.normalized, "timezone": timezone] }

    public func nextRuns(from start: Date, count: Int) -> [Date] {
        cron.nextRuns(from: start, in: zone, count: count)
    }

    /// The event of a run at or after `now` (SPEC §2.1: the default event in
    /// tests and `konnect run`), as its JSON fields; nil if the schedule never fires within ten years.
    public func event(atOrAfter now: Date) -> (scheduledAt: Date, timezone: String)? {
        nextRuns(from: now, count: 1).first.map { ($0, timezone) }
    }

    /// Local times of `dates` in this schedule's zone, as `2026-03-30 09:00 (Europe/Berlin)`.
    public func localTimes(_ dates: [Date]) -> [String] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm xxx"
        return dates.map { "\(formatter.string(from: $0)) (\(timezone))" }
    }

    /// A zone by IANA identifier, exactly as spelled (`Europe/Berlin`);
    /// otherwise the hint names the nearest known one.
    public static func zone(named name: String) -> Result<TimeZone, CronSchedule.Problem> {
        let known = TimeZone.knownTimeZoneIdentifiers
        if (known.contains(name) || name == "UTC"), let zone = TimeZone(identifier: name) { return .success(zone) }
        let hint = Suggestion.closest(to: name, among: known).map { "did you mean `\($0)`?" }
            ?? "use an IANA time zone name such as `Europe/Berlin`, `America/New_York` or `UTC`"
        return .failure(CronSchedule.Problem(message: "unknown time zone `\(name)`", hint: hint, span: 0..<name.utf8.count))
    }
}

/// Reads a trigger's `schedule:` mapping, reporting each problem at its place
/// (inside the cron string for cron problems, SPEC §2.1).
public struct ScheduleReader {
    public let file: String
    public let source: SourceText
    public private(set) var diagnostics: [Diagnostic] = []

    public init(file: String, source: SourceText) {
        self.file = file
        self.source = source
    }

    public mutating func read(_ node: YAMLNode) -> Schedule? {
        guard let pairs = node.mapping else {
            diagnostics.append(.wrongShape("`schedule`", expected: "a mapping with `cron` and optionally `timezone`", found: node, file: file))
            return nil
        }
        let fields = FieldReader(node, pairs: pairs, context: "the schedule")
        diagnostics += fields.unknownFields(allowed: Schedule.fields, file: file)
        diagnostics += fields.missingFields(["cron"], allowed: Schedule.fields, file: file)
        var zoneName = Schedule.defaultZone
        var zone = TimeZone(identifier: "UTC")!
        var zoneOK = true
        if let z = fields["timezone"], !z.isNull {
            if let name = text(z, what: "`timezone`") {
                switch Schedule.zone(named: name) {
                case .success(let found):
                    zoneName = name
                    zone = found
                case .failure(let problem):
                    report(problem, in: z)
                    zoneOK = false
                }
            } else {
                zoneOK = false
            }
        }
        guard let c = fields["cron"], let cronText = text(c, what: "`cron`") else { return nil }
        do {
            let cron = try CronSchedule(parsing: cronText)
            guard zoneOK else { return nil }
            return Schedule(cronText: Located(cronText, c.range), cron: cron, timezone: zoneName, zone: zone)
        } catch {
            report(error, in: c)
            return nil
        }
    }

    private mutating func text(_ node: YAMLNode, what: String) -> String? {
        if node.scalarKind == .string, let text = node.scalarText { return text }
        diagnostics.append(.wrongShape(what, expected: "a string", found: node, file: file))
        return nil
    }

    /// `invalid-value` at the problem's span inside the scalar.
    private mutating func report(_ problem: CronSchedule.Problem, in node: YAMLNode) {
        let range = ScalarLocator(node, source: source)?.range(problem.span) ?? node.range
        diagnostics.append(.invalidValue(problem.message, hint: problem.hint, file: file, at: range))
    }
}
