// Issue 19: enum literals in conditions are checked (SPEC §5.3); `format_date`
// has every C99 conversion and an unknown one in a literal format is
// `invalid-value` (SPEC §5.4). Issue 18: comparing named types that branch
// takes time polynomial in their number, not exponential in their depth.
import Glibc
import XCTest
@testable import KonnectCore

final class ExpressionCheckAnswersTests: XCTestCase {
    // MARK: enum literals (`trigger.state` is `enum(open, closed)`)

    func testAnEnumComparedWithALiteralOutsideItIsInvalidValue() {
        for expr in ["trigger.state == ⟨'opne'⟩", "⟨'opne'⟩ == trigger.state", "trigger.state != ⟨'opne'⟩", "⟨\"opne\"⟩ != trigger.state",
                     "trigger.state in ['closed', ⟨'opne'⟩]", "trigger.paid and trigger.state == ⟨'opne'⟩"] {
            let (ds, marks) = TC.conditionMarked(expr)
            XCTAssertEqual(ds.map(\.tcSpan), marks.spans("invalid-value"), expr)
            XCTAssertEqual(ds.first?.message, "`opne` is not one of the values of `trigger.state`", expr)
            XCTAssertEqual(ds.first?.hint, "did you mean `open`?", expr)
            XCTAssertEqual(ds.first?.severity, .error, expr)
        }
    }

    func testEachLiteralOfAListIsChecked() {
        let (ds, marks) = TC.conditionMarked("trigger.state in [⟨'x'⟩, 'open', ⟨'clsed'⟩]")
        XCTAssertEqual(ds.map(\.tcSpan), marks.spans("invalid-value", "invalid-value"))
        XCTAssertEqual(ds.last?.hint, "did you mean `closed`?")
    }

    func testEnumLiteralsInsideTheEnumAndOtherComparisonsPass() {
        for expr in ["trigger.state == 'open'", "'closed' != trigger.state", "trigger.state in ['open', 'closed']",
                     "trigger.state == trigger.name", "trigger.name == 'opne'", "trigger.state == null"] {
            XCTAssertEqual(TC.condition(expr), [], expr)
        }
        // In a template too.
        XCTAssertEqual(TC.checkMarked("trigger.state == ⟨'shut'⟩", into: "b").diagnostics.map(\.code), [.invalidValue])
    }

    // MARK: format_date's literal format

    func testAnUnknownConversionInALiteralFormatIsInvalidValue() {
        for expr in ["trigger.at | format_date('%Y-⟨%Q⟩')", "format_date(trigger.day, '⟨%Ed⟩ %d')", "trigger.at | format_date('100⟨%⟩')",
                     "trigger.at | format_date('%%⟨%k⟩')"] {
            let (ds, marks) = TC.checkMarked(expr)
            XCTAssertEqual(ds.map(\.tcSpan), marks.spans("invalid-value"), expr)
            XCTAssertEqual(ds.first?.hint, "C99 conversions: \(Strftime.conversionList); write `%%` for a `%`", expr)
        }
        XCTAssertEqual(TC.checkMarked("trigger.at | format_date('%Y-⟨%Q⟩')").diagnostics.first?.message, "`%Q` is not a strftime conversion")
        // An escape before it: the whole literal.
        let (ds, marks) = TC.checkMarked("trigger.at | format_date(⟨'\\t%Q'⟩)")
        XCTAssertEqual(ds.map(\.tcSpan), marks.spans("invalid-value"))
    }

    func testEveryC99ConversionPassesTheCheck() {
        let all = Strftime.conversionOrder.map { "%\($0)" }.joined(separator: " ")
        let modified = "%Ec %EC %Ex %EX %Ey %EY %Od %Oe %OH %OI %Om %OM %OS %Ou %OU %OV %Ow %OW %Oy"
        XCTAssertEqual(TC.check("trigger.at | format_date('\(all) \(modified)')"), [])
        XCTAssertNil(Strftime.firstUnknownConversion(in: all + " " + modified))
    }

    func testAComputedFormatWithAnUnknownConversionFailsWhenItRuns() {
        XCTAssertThrowsError(try Strftime.format(0, "%Y %Q")) { error in
            XCTAssertEqual((error as? RuntimeError)?.message, "`format_date`: `%Q` is not a strftime conversion (write `%%` for a `%`)")
        }
    }

    // MARK: format_date against C

    /// glibc's `strftime` in the C locale and UTC, the reference SPEC §5.4 names.
    func cStrftime(_ seconds: Int, _ format: String) -> String {
        var t = time_t(seconds)
        var fields = tm()
        gmtime_r(&t, &fields)
        var buffer = [CChar](repeating: 0, count: 256)
        let count = strftime(&buffer, buffer.count, format, &fields)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func testEveryConversionAgreesWithC() throws {
        setlocale(LC_TIME, "C")
        // `%Z` is `UTC` here; glibc names UTC `GMT`.
        let conversions = Strftime.conversionOrder.filter { $0 != "Z" }.map { "%\($0)" }
            + ["%Ec", "%EY", "%Ey", "%Od", "%Oe", "%OV", "%Ou"]
        var instants: [Int] = [0, -1, 1_772_456_645, 951_782_400, 4_102_444_799]
        // The days around each new year (ISO weeks change year there), at two times of day.
        for year in 1999...2030 {
            let newYear = Formats.daysFromCivil(year, 1, 1)
            for day in (newYear - 4)...(newYear + 7) {
                instants += [day * 86_400 + 3_723, day * 86_400 + 86_399 - 13 * 3600]
            }
        }
        for t in instants {
            for c in conversions {
                XCTAssertEqual(try Strftime.format(Double(t), c), cStrftime(t, c), "\(c) at \(t)")
            }
        }
        XCTAssertEqual(try Strftime.format(0, "%Z"), "UTC")
    }

    func testConversionsOnAKnownDay() throws {
        // 2026-03-02T13:04:05Z, a Monday.
        let t = Double(Formats.daysFromCivil(2026, 3, 2) * 86_400 + 13 * 3600 + 4 * 60 + 5)
        let expected: [(String, String)] = [
            ("%F", "2026-03-02"), ("%T", "13:04:05"), ("%u", "1"), ("%G", "2026"), ("%V", "10"), ("%j", "061"), ("%e", " 2"),
            ("%C", "20"), ("%g", "26"), ("%h", "Mar"), ("%n", "\n"), ("%t", "\t"), ("%p", "PM"), ("%r", "01:04:05 PM"),
            ("%R", "13:04"), ("%U", "09"), ("%W", "09"), ("%w", "1"), ("%x", "03/02/26"), ("%X", "13:04:05"), ("%y", "26"),
            ("%z", "+0000"), ("%Z", "UTC"), ("%%", "%"), ("%c", "Mon Mar  2 13:04:05 2026"), ("%D", "03/02/26"), ("%I", "01"),
        ]
        for (c, text) in expected {
            XCTAssertEqual(try Strftime.format(t, c), text, c)
        }
    }

    // MARK: named types that branch

    /// `T0: {a: T1, b: T1}`, `T1: {a: T2, b: T2}` … `T(depth-1): {a: string, b: leaf}`,
    /// made afresh each call (so that no comparison can short-cut on shared storage).
    func branching(_ depth: Int, leaf: ValueType = .string) -> ValueType {
        var t = ValueType.object(ObjectType(name: "T\(depth - 1)", fields: [FieldSpec(name: "a", type: .string), FieldSpec(name: "b", type: leaf)]))
        for i in stride(from: depth - 2, through: 0, by: -1) {
            t = .object(ObjectType(name: "T\(i)", fields: [FieldSpec(name: "a", type: t), FieldSpec(name: "b", type: t)]))
        }
        return t
    }

    /// Compared as trees these take 2^60 steps: the test would not end.
    func testComparingBranchingNamedTypesEnds() {
        XCTAssertEqual(Assignability.check(branching(60), into: branching(60)), .ok)
        XCTAssertEqual(Assignability.check(branching(60, leaf: .integer), into: branching(60, leaf: .number)), .ok)
        XCTAssertEqual(Assignability.check(branching(60, leaf: .number), into: branching(60, leaf: .integer)), .mismatch)
        XCTAssertEqual(Assignability.check(.array(branching(60)), into: .array(branching(60))), .ok)
        XCTAssertTrue(ExpressionChecker.comparable(branching(60), branching(60)))
        XCTAssertFalse(ExpressionChecker.comparable(branching(60, leaf: .integer), branching(60, leaf: .number)))
    }

    func testStructuralAnswersStay() {
        let customer = ValueType.object(ObjectType(name: "Customer", fields: [FieldSpec(name: "id", type: .integer),
                                                                                FieldSpec(name: "email", type: .optional(.email))]))
        let inline = ValueType.object(ObjectType(fields: [FieldSpec(name: "id", type: .number), FieldSpec(name: "email", type: .optional(.string))]))
        XCTAssertEqual(Assignability.check(customer, into: inline), .ok)
        XCTAssertEqual(Assignability.check(inline, into: customer), .mismatch)
        XCTAssertEqual(Assignability.check(.enumeration(["a"]), into: .enumeration(["a", "b"])), .ok)
        XCTAssertEqual(Assignability.check(.enumeration(["a", "c"]), into: .enumeration(["a", "b"])), .uncheckedEnum(["a", "b"]))
        XCTAssertEqual(Assignability.check(.string, into: .integer), .mismatch)
        XCTAssertEqual(Assignability.check(.array(.string), into: .string), .mismatch)
    }
}
