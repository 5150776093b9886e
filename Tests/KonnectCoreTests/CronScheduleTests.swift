import Foundation
import XCTest
@testable import KonnectCore
import KonnectYAML

final class CronScheduleTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    func date(_ iso: String) -> Date {
        let f = ISO8601DateFormatter()
        return f.date(from: iso)!
    }

    func iso(_ dates: [Date], in zone: TimeZone) -> [String] {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = "yyyy-MM-dd'T'HH:mmxxx"
        return dates.map { f.string(from: $0) }
    }

    func runs(_ cron: String, from start: String, count: Int, in zone: TimeZone? = nil) throws -> [String] {
        let z = zone ?? utc
        return iso(try CronSchedule(parsing: cron).nextRuns(from: date(start), in: z, count: count), in: z)
    }

    func problem(_ cron: String) -> CronSchedule.Problem? {
        do {
            _ = try CronSchedule(parsing: cron)
            return nil
        } catch {
            return error
        }
    }

    /// The text of the span a problem points at.
    func spanText(_ cron: String) -> String? {
        guard let p = problem(cron) else { return nil }
        return String(decoding: Array(cron.utf8)[p.span], as: UTF8.self)
    }

    // MARK: parsing

    func testEveryForm() throws {
        XCTAssertEqual(try runs("*/15 * * * *", from: "2026-01-05T10:07:00Z", count: 3),
                       ["2026-01-05T10:15+00:00", "2026-01-05T10:30+00:00", "2026-01-05T10:45+00:00"])
        XCTAssertEqual(try runs("0 9 * * MON-FRI", from: "2026-01-09T10:00:00Z", count: 2),  // a Friday after 9
                       ["2026-01-12T09:00+00:00", "2026-01-13T09:00+00:00"])
        XCTAssertEqual(try runs("30 8,17 * * *", from: "2026-01-05T09:00:00Z", count: 2),
                       ["2026-01-05T17:30+00:00", "2026-01-06T08:30+00:00"])
        XCTAssertEqual(try runs("0 0 1-30/10 * *", from: "2026-01-02T00:00:00Z", count: 3),
                       ["2026-01-11T00:00+00:00", "2026-01-21T00:00+00:00", "2026-02-01T00:00+00:00"])
        XCTAssertEqual(try runs("0 12 1 jan,Jul *", from: "2026-01-05T00:00:00Z", count: 2),
                       ["2026-07-01T12:00+00:00", "2027-01-01T12:00+00:00"])
        XCTAssertEqual(try runs("0 0 * * 7", from: "2026-01-05T00:00:00Z", count: 1), ["2026-01-11T00:00+00:00"])
        XCTAssertEqual(try runs("0 0 * * sun", from: "2026-01-05T00:00:00Z", count: 1), ["2026-01-11T00:00+00:00"])
        XCTAssertEqual(try runs("5/20 10 * * *", from: "2026-01-05T00:00:00Z", count: 3),
                       ["2026-01-05T10:05+00:00", "2026-01-05T10:25+00:00", "2026-01-05T10:45+00:00"])
    }

    func testAStartOnARunTimeIncludesIt() throws {
        XCTAssertEqual(try runs("0 9 * * *", from: "2026-01-05T09:00:00Z", count: 1), ["2026-01-05T09:00+00:00"])
        XCTAssertEqual(try runs("0 9 * * *", from: "2026-01-05T09:00:01Z", count: 1), ["2026-01-06T09:00+00:00"])
    }

    /// POSIX: both day fields restricted → either matches.
    func testDayOfMonthOrDayOfWeek() throws {
        // January 2026: the 13th is a Tuesday; Fridays are the 2nd, 9th, 16th.
        XCTAssertEqual(try runs("0 0 13 * FRI", from: "2026-01-01T00:00:00Z", count: 4),
                       ["2026-01-02T00:00+00:00", "2026-01-09T00:00+00:00", "2026-01-13T00:00+00:00", "2026-01-16T00:00+00:00"])
        // One of them `*`: only the other restricts.
        XCTAssertEqual(try runs("0 0 13 * *", from: "2026-01-01T00:00:00Z", count: 1), ["2026-01-13T00:00+00:00"])
    }

    func testWhitespaceIsNormalised() throws {
        XCTAssertEqual(try CronSchedule(parsing: "  0   9 *\t* MON-FRI ").normalized, "0 9 * * MON-FRI")
        XCTAssertEqual(try CronSchedule(parsing: "0 9 * * MON-FRI"), try CronSchedule(parsing: "0  9 * * MON-FRI"))
    }

    func testFieldCount() {
        XCTAssertEqual(problem("0 9 * *")?.message.contains("has 4"), true)
        XCTAssertEqual(spanText("0 9 * * * 2026 x"), "2026 x")
        XCTAssertEqual(problem("")?.span, 0..<0)
    }

    func testOutOfRangeAndNamesPointAtTheToken() {
        XCTAssertEqual(spanText("0 25 * * *"), "25")
        XCTAssertEqual(problem("0 25 * * *")?.message, "25 is out of range for the hour field (0 to 23)")
        XCTAssertEqual(spanText("60 * * * *"), "60")
        XCTAssertEqual(spanText("0 0 0 * *"), "0")
        XCTAssertEqual(problem("0 0 0 * *")?.span, 4..<5)
        XCTAssertEqual(spanText("0 0 * 13 *"), "13")
        XCTAssertEqual(spanText("0 0 * * 8"), "8")
        XCTAssertEqual(spanText("0 9 * * MON-FRY"), "FRY")
        XCTAssertEqual(problem("0 9 * * MON-FRY")?.hint, "did you mean `FRI`?")
        XCTAssertEqual(spanText("0 9 * JANUARY *"), "JANUARY")
        XCTAssertEqual(spanText("0 MON * * *"), "MON")  // names only in month and day-of-week
        XCTAssertEqual(spanText("0 9 * * 1,,3"), "")
        XCTAssertEqual(problem("0 9 * * 1,,3")?.span, 10..<10)
        XCTAssertEqual(spanText("*/0 * * * *"), "0")
        XCTAssertEqual(spanText("*/x * * * *"), "x")
        XCTAssertEqual(spanText("0 9 * * FRI-MON"), "FRI-MON")
        XCTAssertEqual(spanText("0 9-5 * * *"), "9-5")
        XCTAssertEqual(spanText("0 9- * * *"), "")
        XCTAssertEqual(spanText("0 -1 * * *"), "")
    }

    func testCanNeverFirePointsAtDayOfMonth() {
        XCTAssertEqual(spanText("0 0 30 2 *"), "30")
        XCTAssertEqual(spanText("0 0 31 4 *"), "31")
        XCTAssertEqual(spanText("0 0 30,31 FEB *"), "30,31")
        XCTAssertEqual(problem("0 0 31 4 *")?.message.contains("can never fire"), true)
        // February 29th fires in leap years; the 31st fires in the months that have one.
        XCTAssertNil(problem("0 0 29 2 *"))
        XCTAssertNil(problem("0 0 31 4,5 *"))
        // With a day-of-week too, a day matches by either field: it fires.
        XCTAssertNil(problem("0 0 30 2 MON"))
    }

    func testLeapDayRunsInTheNextLeapYears() throws {
        XCTAssertEqual(try runs("0 0 29 2 *", from: "2026-01-01T00:00:00Z", count: 2),
                       ["2028-02-29T00:00+00:00", "2032-02-29T00:00+00:00"])
        // 2100 is not a leap year: eight years apart, still found.
        XCTAssertEqual(try runs("0 0 29 2 *", from: "2096-03-01T00:00:00Z", count: 1), ["2104-02-29T00:00+00:00"])
    }

    // MARK: time zones and DST (Europe/Berlin 2026: forward on 29 March 02:00 → 03:00, back on 25 October 03:00 → 02:00)

    func testZoneOffsets() throws {
        XCTAssertEqual(try runs("0 9 * * *", from: "2026-01-05T00:00:00Z", count: 1, in: berlin), ["2026-01-05T09:00+01:00"])
        XCTAssertEqual(try runs("0 9 * * *", from: "2026-07-05T00:00:00Z", count: 1, in: berlin), ["2026-07-05T09:00+02:00"])
    }

    func testSpringForwardGapRunsAtTheFirstMinuteAfterIt() throws {
        XCTAssertEqual(try runs("30 2 * * *", from: "2026-03-28T00:00:00Z", count: 3, in: berlin),
                       ["2026-03-28T02:30+01:00", "2026-03-29T03:00+02:00", "2026-03-30T02:30+02:00"])
        // Every 20 minutes across the gap: 02:00, 02:20, 02:40 all fall on 03:00, which runs once.
        XCTAssertEqual(try runs("*/20 1-3 29 3 *", from: "2026-03-29T00:30:00Z", count: 4, in: berlin),
                       ["2026-03-29T01:40+01:00", "2026-03-29T03:00+02:00", "2026-03-29T03:20+02:00", "2026-03-29T03:40+02:00"])
    }

    func testFallBackOverlapRunsOnceAtTheFirstOccurrence() throws {
        XCTAssertEqual(try runs("30 2 * * *", from: "2026-10-24T12:00:00Z", count: 2, in: berlin),
                       ["2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00"])
        let instants = try CronSchedule(parsing: "0 * 25 10 *").nextRuns(from: date("2026-10-24T23:30:00Z"), in: berlin, count: 3)
        // 02:00 local happens twice; it runs once, at 00:00Z; then 03:00 local (+01:00).
        XCTAssertEqual(iso(instants, in: utc), ["2026-10-25T00:00+00:00", "2026-10-25T02:00+00:00", "2026-10-25T03:00+00:00"])
        // Starting inside the repeated hour, its first occurrence is past: next is 03:00.
        XCTAssertEqual(try runs("30 2 * * *", from: "2026-10-25T01:10:00Z", count: 1, in: berlin), ["2026-10-26T02:30+01:00"])
    }

    func testZoneNames() {
        XCTAssertNotNil(try? Schedule.zone(named: "Europe/Berlin").get())
        XCTAssertNotNil(try? Schedule.zone(named: "UTC").get())
        guard case .failure(let p) = Schedule.zone(named: "Europe/Berln") else { return XCTFail("accepted a typo") }
        XCTAssertEqual(p.message, "unknown time zone `Europe/Berln`")
        XCTAssertEqual(p.hint, "did you mean `Europe/Berlin`?")
        guard case .failure(let q) = Schedule.zone(named: "europe/berlin") else { return XCTFail("accepted a wrong case") }
        XCTAssertEqual(q.hint, "did you mean `Europe/Berlin`?")
    }

    // MARK: reading a `schedule:` mapping

    func read(_ yaml: String) -> (Schedule?, [String]) {
        let parsed = ParsedFile(SourceFile(path: "k.yaml", bytes: Array(yaml.utf8)))
        var reader = ScheduleReader(file: "k.yaml", source: parsed.stream.source)
        let root = parsed.stream.documents.first!.root!
        let schedule = reader.read(root.mapping!.first { $0.keyText == "schedule" }!.value)
        return (schedule, reader.diagnostics.map { "\(brief($0))-\($0.range.end.column)" })
    }

    func testReaderPointsInsideTheCronString() {
        XCTAssertEqual(read("schedule: { cron: \"0 25 * * *\" }").1, ["invalid-value@1:22-24"])
        XCTAssertEqual(read("schedule: { cron: '0 0 30 2 *' }").1, ["invalid-value@1:24-26"])
        XCTAssertEqual(read("schedule:\n  cron: 0 9 * * MON-FRY\n").1, ["invalid-value@2:21-24"])
        XCTAssertEqual(read("schedule:\n  cron: \"0 9 * * *\"\n  timezone: Europe/Berln\n").1, ["invalid-value@3:13-25"])
        XCTAssertEqual(read("schedule:\n  crn: \"0 9 * * *\"\n").1, ["unknown-field@2:3-6"])
        XCTAssertEqual(read("schedule:\n  timezone: UTC\n").1, ["missing-field@2:3-11"])
        XCTAssertEqual(read("schedule: daily\n").1, ["invalid-value@1:11-16"])
    }

    func testReaderDefaultsToUTC() throws {
        let (s, problems) = read("schedule: { cron: \"0  9 * * *\" }")
        XCTAssertEqual(problems, [])
        XCTAssertEqual(s?.timezone, "UTC")
        XCTAssertEqual(s?.canonical, ["cron": "0 9 * * *", "timezone": "UTC"])
        XCTAssertEqual(s.map { $0.localTimes($0.nextRuns(from: date("2026-01-05T10:00:00Z"), count: 1)) },
                       ["2026-01-06 09:00 +00:00 (UTC)"])
    }
}

/// What the rest of the pipeline uses: the compiled form, the plan's note, the default event.
final class ScheduleWiringTests: XCTestCase {
    func schedule(_ cron: String, _ zone: String) throws -> Schedule {
        Schedule(cronText: Located(cron, .fileStart), cron: try CronSchedule(parsing: cron), timezone: zone,
                 zone: try Schedule.zone(named: zone).get())
    }

    func testDefinitionRoundTripAndPlanNote() throws {
        let s = try schedule("0  9 * * MON-FRI", "Europe/Berlin")
        let definition = JSONValue.object(["trigger": .object(["schedule": s.definition])])
        XCTAssertEqual(s.definition.serialized(sortedKeys: true), #"{"cron":"0 9 * * MON-FRI","timezone":"Europe/Berlin"}"#)
        XCTAssertEqual(Schedule(definition: definition)?.cron, s.cron)
        XCTAssertNil(Schedule(definition: .object(["trigger": .object(["app": .string("x")])])))
        // Friday 2026-03-27 10:00 UTC: the next weekday mornings cross the spring-forward weekend.
        XCTAssertEqual(Schedule.planNote(for: definition, now: Date(timeIntervalSince1970: 1_774_605_600)),
                       "next runs: 2026-03-30 09:00 +02:00 (Europe/Berlin), 2026-03-31 09:00 +02:00 (Europe/Berlin), 2026-04-01 09:00 +02:00 (Europe/Berlin)")
    }

    func testDefaultEventIsTheFirstRunAtOrAfterNow() throws {
        let s = try schedule("30 8 * * *", "UTC")
        let sample = try XCTUnwrap(s.operation.sample)
        let event = RuntimeValue.from(sample, as: s.operation.output)
        let now = 1_767_607_200.0  // 2026-01-05T10:00:00Z
        XCTAssertEqual(s.event(filling: event, now: now)["scheduled_at"], .datetime(1_767_688_200))  // 2026-01-06T08:30Z
        XCTAssertEqual(s.event(filling: event, now: now)["timezone"], .string("UTC"))
        // A time the case wrote is kept.
        let written = RuntimeValue.object(["scheduled_at": .datetime(5), "timezone": .string("UTC")], order: ["scheduled_at", "timezone"])
        XCTAssertEqual(s.event(filling: written, now: now), written)
    }

    func testPlanNoteOnlyForACreatedOrChangedSchedule() throws {
        let s = try schedule("0 9 * * MON-FRI", "Europe/Berlin")
        let definition = JSONValue.object(["id": .string("d"), "trigger": .object(["schedule": s.definition])])
        let object = CompiledObject(kind: .konnector, id: "d", name: "D", enabled: true, tags: [], definition: definition,
                                    sensitivePaths: [], renamedFrom: nil, connections: [], sourceFile: "k.yaml", idRange: nil)
        func change(_ action: PlanChange.Action, _ paths: [String]) -> PlanChange {
            PlanChange(kind: .konnector, id: "d", action: action,
                       diff: paths.map { FieldDiff(path: $0, before: nil, after: .string("x"), sensitive: false) },
                       after: object, beforeHash: nil, beforeVersion: nil)
        }
        let now = 1_774_605_600.0  // Friday 2026-03-27 10:00 UTC
        XCTAssertEqual(Schedule.planNote(for: change(.create, []), now: now)?.hasPrefix("next runs: 2026-03-30 09:00 +02:00"), true)
        XCTAssertNotNil(Schedule.planNote(for: change(.update, ["trigger.schedule.cron"]), now: now))
        XCTAssertNil(Schedule.planNote(for: change(.update, ["name"]), now: now))
        XCTAssertNil(Schedule.planNote(for: change(.delete, []), now: now))
    }
}

/// Zones Foundation's list lacks but the system resolves, names that must
/// not reach outside the zone database, and case-insensitive cron names.
final class ScheduleSpellingTests: XCTestCase {
    func testCurrentIANANamesAreZones() {
        for name in ["Asia/Kolkata", "Etc/UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "UTC"] {
            guard case .success = Schedule.zone(named: name) else { return XCTFail("refused \(name)") }
        }
    }

    func testNamesOutsideTheZoneDatabaseAreRefused() {
        for name in ["../../etc/passwd", "/etc/localtime", "Europe/../Europe/Berlin", "Europe//Berlin", "", String(repeating: "A", count: 80), "Europe/Berln"] {
            guard case .failure = Schedule.zone(named: name) else { return XCTFail("accepted \(name)") }
        }
    }

    func testCronNamesAreCaseInsensitiveInTheCanonicalForm() throws {
        XCTAssertEqual(try CronSchedule(parsing: "0  9 * jan-mar mon-fri").normalized, "0 9 * JAN-MAR MON-FRI")
    }
}
