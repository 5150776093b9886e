// Issue 19, "Right answers from the evaluator": rendering of numbers and
// datetimes into text (SPEC §5.2).
import XCTest
@testable import KonnectCore

final class EvaluatorAnswersTests: XCTestCase {
    /// Numbers render as JavaScript's `String(number)`: Swift's `1e-05`,
    /// `1e+16` and `%.0f` forms did not.
    func testNumbersRenderAsJavaScriptDoes() {
        let cases: [(Double, String)] = [
            (144, "144"), (0.1, "0.1"), (0.00001, "0.00001"), (0.000001, "0.000001"), (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"), (1e20, "100000000000000000000"), (1e21, "1e+21"), (1.5e21, "1.5e+21"),
            (1.2345678901234568e20, "123456789012345680000"), (-0.0001, "-0.0001"), (-1e-7, "-1e-7"),
            (74.75, "74.75"), (1e16, "10000000000000000"), (1.7976931348623157e308, "1.7976931348623157e+308"),
            (Double.leastNonzeroMagnitude, "5e-324"), (-0.0, "0"), (123.456, "123.456"), (1234567.125, "1234567.125"),
        ]
        for (d, text) in cases {
            XCTAssertEqual(RuntimeValue.number(d).text, text, "\(d)")
            XCTAssertEqual(JSONValue.number(d).serialized(), text, "\(d)")
        }
    }

    /// Finer fractions than milliseconds are truncated, never rounded up:
    /// `.9999` rendered as `…:00Z` (rounded to 1000 ms, then dropped).
    func testDatetimeFractionsAreTruncatedToMilliseconds() throws {
        func render(_ s: String) throws -> String {
            RuntimeValue.datetime(try XCTUnwrap(Formats.dateTimeParts(s), s)).text
        }
        XCTAssertEqual(try render("2026-03-02T13:00:00.9999Z"), "2026-03-02T13:00:00.999Z")
        XCTAssertEqual(try render("2026-03-02T13:00:00.001Z"), "2026-03-02T13:00:00.001Z")
        XCTAssertEqual(try render("2026-03-02T13:00:00.250Z"), "2026-03-02T13:00:00.250Z")
        XCTAssertEqual(try render("2026-03-02T13:00:00.0004Z"), "2026-03-02T13:00:00Z")
        XCTAssertEqual(try render("2026-03-02T13:00:59.9996Z"), "2026-03-02T13:00:59.999Z")
        XCTAssertEqual(try render("2026-03-02T13:00:00Z"), "2026-03-02T13:00:00Z")
    }

    /// A nullable argument in any position makes the result nullable when checked.
    func testANullableArgumentInAnyPositionIsANullableResult() {
        XCTAssertEqual(TC.typeOf("split('a,b', trigger.note)"), "array<string>?")
        XCTAssertEqual(TC.typeOf("replace('abc', 'b', trigger.note)"), "string?")
        XCTAssertEqual(TC.typeOf("split('a,b', ',')"), "array<string>")
    }
}
