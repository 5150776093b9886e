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

    /// The compiled form as it sits in a definition's `trigger.schedule`.
    public var definition: JSONValue {
        .object(["cron": .string(cron.normalized), "timezone": .string(timezone)])
    }

    /// The schedule of a compiled definition (`trigger.schedule`), or nil
    /// for a konnector that is not scheduled or a definition that does not parse.
    public init?(definition: JSONValue) {
        guard case .string(let text)? = definition["trigger"]?["schedule"]?["cron"],
              case .string(let zoneName)? = definition["trigger"]?["schedule"]?["timezone"],
              let cron = try? CronSchedule(parsing: text), case .success(let zone) = Schedule.zone(named: zoneName)
        else { return nil }
        self.init(cronText: Located(text, .fileStart), cron: cron, timezone: zoneName, zone: zone)
    }

    public init(cronText: Located<String>, cron: CronSchedule, timezone: String, zone: TimeZone) {
        self.cronText = cronText
        self.cron = cron
        self.timezone = timezone
        self.zone = zone
    }

    /// For the plan (SPEC §2.1): a created or changed schedule's next `count`
    /// run times after `now`, in its zone. Nil when `definition` has no schedule.
    public static func planNote(for definition: JSONValue, now: Date, count: Int = 3) -> String? {
        guard let schedule = Schedule(definition: definition) else { return nil }
        let times = schedule.localTimes(schedule.nextRuns(from: now, count: count))
        return times.isEmpty ? "never runs in the next ten years" : "next runs: " + times.joined(separator: ", ")
    }

    /// The plan's note for `change` (SPEC §2.1): for a created konnector with
    /// a schedule, or one whose schedule changed, its next 3 run times after
    /// `now` (seconds since the epoch; nil: the current time).
    public static func planNote(for change: PlanChange, now: Double? = nil) -> String? {
        guard let (schedule, runs) = nextRuns(for: change, now: now) else { return nil }
        let times = schedule.localTimes(runs)
        return times.isEmpty ? "never runs in the next ten years" : "next runs: " + times.joined(separator: ", ")
    }

    /// A created konnector's schedule, or a changed one, and its next 3 runs
    /// after `now` (nil: the current time); nil for any other change.
    public static func nextRuns(for change: PlanChange, now: Double? = nil) -> (Schedule, [Date])? {
        guard change.kind == .konnector, let definition = change.after?.definition else { return nil }
        let changed = change.action == .create || change.diff.contains { $0.path.hasPrefix("trigger.schedule") || $0.path == "trigger" }
        guard changed, let schedule = Schedule(definition: definition) else { return nil }
        return (schedule, schedule.nextRuns(from: now.map { Date(timeIntervalSince1970: $0) } ?? Date(), count: 3))
    }

    /// The trigger a scheduled konnector is checked, compiled and simulated
    /// with: the output `{ scheduled_at, timezone }`, and a sample whose
    /// `scheduled_at` is `Schedule.unsetInstant`, which a run replaces by the
    /// first run time at or after its clock (`event(filling:now:)`).
    public var operation: Operation {
        Operation(kind: .trigger, app: "schedule", key: "cron", name: "Schedule", description: nil, scopes: [], fields: [],
                  output: Schedule.outputType,
                  sample: .object(["scheduled_at": .string(Schedule.unsetInstant), "timezone": .string(timezone)],
                                  order: ["scheduled_at", "timezone"]))
    }

    /// Stands for "not written by the test case": no schedule can name year 1.
    public static let unsetInstant = "0001-01-01T00:00:00Z"
    static let unsetSeconds: Double = -62_135_596_800

    /// A run's event (SPEC §2.1): a `scheduled_at` that the test case or
    /// event file left unset is the first run time at or after `now`.
    public func event(filling event: RuntimeValue, now: Double) -> RuntimeValue {
        guard case .object(var fields, let order) = event else { return event }
        switch fields["scheduled_at"] {
        case .datetime(Self.unsetSeconds)?, .string(Self.unsetInstant)?:
            guard let run = nextRuns(from: Date(timeIntervalSince1970: now), count: 1).first else { return event }
            fields["scheduled_at"] = .datetime(run.timeIntervalSince1970)
            return .object(fields, order: order)
        default:
            return event
        }
    }

    public func nextRuns(from start: Date, count: Int) -> [Date] {
        cron.nextRuns(from: start, in: zone, count: count)
    }

    /// The event of a run at or after `now` (SPEC §2.1: the default event in
    /// tests and `konnect run`), as its JSON fields; nil if the schedule never fires within ten years.
    public func event(atOrAfter now: Date) -> (scheduledAt: Date, timezone: String)? {
        nextRuns(from: now, count: 1).first.map { ($0, timezone) }
    }

    /// Local times of `dates` in this schedule's zone, as `2026-03-30 09:00 (Europe/Berlin)`.
    /// Written from the zone's offset and the civil date (a `DateFormatter`
    /// is made through ICU: a first plan notes thousands of schedules).
    public func localTimes(_ dates: [Date]) -> [String] {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return dates.map { date in
            let offset = zone.secondsFromGMT(for: date)
            let wall = Int(date.timeIntervalSince1970.rounded(.down)) + offset
            let (y, m, d) = CronSchedule.civil(fromDays: CronSchedule.floorDiv(wall, 86_400))
            let minutes = CronSchedule.floorMod(wall, 86_400) / 60
            let year = String(repeating: "0", count: max(0, 4 - String(y).count)) + String(y)
            let sign = offset < 0 ? "-" : "+"
            return "\(year)-\(two(m))-\(two(d)) \(two(minutes / 60)):\(two(minutes % 60)) "
                + "\(sign)\(two(abs(offset) / 3600)):\(two(abs(offset) % 3600 / 60)) (\(timezone))"
        }
    }

    /// A zone by IANA identifier, exactly as spelled (`Europe/Berlin`);
    /// otherwise the hint names the nearest known one. Foundation's list of
    /// known identifiers lacks some current names (`Asia/Kolkata`,
    /// `Etc/UTC`), so any name of IANA's form that the system's database
    /// resolves is a zone too; the form keeps a name from reaching outside
    /// that database (no `..`, no leading `/`).
    public static func zone(named name: String) -> Result<TimeZone, CronSchedule.Problem> {
        let known = TimeZone.knownTimeZoneIdentifiers
        if known.contains(name) || name == "UTC" || isIANAForm(name), let zone = TimeZone(identifier: name) { return .success(zone) }
        let hint = Suggestion.closest(to: name, among: known).map { "did you mean `\($0)`?" }
            ?? "use an IANA time zone name such as `Europe/Berlin`, `America/New_York` or `UTC`"
        return .failure(CronSchedule.Problem(message: "unknown time zone `\(name)`", hint: hint, span: 0..<name.utf8.count))
    }
}

extension Schedule {
    /// `Area/Location[/More]` or `UTC`-like: components of ASCII letters,
    /// digits, `_`, `-` and `+`, each starting with a letter.
    static func isIANAForm(_ name: String) -> Bool {
        guard name.utf8.count <= 64 else { return false }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        return parts.allSatisfy { part in
            guard let first = part.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return false }
            return part.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-+".unicodeScalars.contains($0)) }
        }
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
