// Run-time semantics of expressions (SPEC §5.2, §5.3; issue 5): every
// operator, null rules, paths, and rendering into text.
import XCTest
@testable import KonnectCore

/// 2026-03-02T12:00:00Z, a Monday.
private let noon: Double = 1_772_452_800
/// 2026-03-02 as days since 1970-01-01.
private let march2: Int = 20_514

private func object(_ pairs: KeyValuePairs<String, RuntimeValue>) -> RuntimeValue {
    var fields: [String: RuntimeValue] = [:]
    for (k, v) in pairs { fields[k] = v }
    return .object(fields, order: pairs.map(\.key))
}

/// A trigger event with a little of everything.
private let event: RuntimeValue = object([
    "id": .int(1001),
    "total": .int(144),
    "price": .number(74.75),
    "currency": .string("USD"),
    "created_at": .datetime(noon),
    "day": .date(march2),
    "note": .null,
    "customer": object(["email": .string("ada@example.com"), "first_name": .string("Ada"), "accepts": .bool(true)]),
    "guest": .null,
    "items": .array([object(["sku": .string("TEE-1"), "quantity": .int(2)]), object(["sku": .string("MUG-1"), "quantity": .int(1)])]),
    "tags": .array([.string("vip"), .string("newsletter")]),
])

private func environment(steps: [String: RuntimeValue] = [:]) -> Environment {
    Environment(trigger: event, steps: steps, konnectorID: "shop-to-mail", konnectorName: "Shop → Mail", now: noon)
}

private func evaluate(_ source: String, steps: [String: RuntimeValue] = [:], budget: EvaluationBudget = EvaluationBudget()) throws -> RuntimeValue {
    let e = try ExpressionParser.parse(source)
    return try Evaluator(environment(steps: steps), budget: budget).evaluate(e)
}

private func condition(_ source: String) throws -> Bool {
    try Evaluator(environment()).condition(try ExpressionParser.parse(source))
}

final class EvaluatorTests: XCTestCase {
    func check(_ source: String, _ expected: RuntimeValue, file: StaticString = #filePath, line: UInt = #line) {
        tcCheck(source, expected, file: file, line: line) { try evaluate(source) }
    }

    func checkError(_ source: String, _ fragment: String, budget: EvaluationBudget = EvaluationBudget(),
                    file: StaticString = #filePath, line: UInt = #line) {
        tcCheckError(source, fragment, file: file, line: line) { try evaluate(source, budget: budget) }
    }

    // MARK: literals and roots

    func testLiterals() {
        check("144", .int(144))
        check("0.5", .number(0.5))
        check("1e3", .number(1000))
        check("'it\\'s'", .string("it's"))
        check("\"a\\tb\\n\"", .string("a\tb\n"))
        check("true", .bool(true))
        check("false", .bool(false))
        check("null", .null)
        check("[1, 'a', null]", .array([.int(1), .string("a"), .null]))
        check("[]", .array([]))
        check("(1 + 2) * 3", .int(9))
        check("1 + 2 * 3", .int(7))
    }

    func testRoots() {
        check("trigger.currency", .string("USD"))
        check("trigger.total", .int(144))
        check("konnector.id", .string("shop-to-mail"))
        check("konnector.name", .string("Shop → Mail"))
        XCTAssertEqual(try evaluate("steps.subscribe.status", steps: ["subscribe": object(["status": .string("subscribed")])]),
                       .string("subscribed"))
        // A skipped step's output is null, and so is every path through it.
        XCTAssertEqual(try evaluate("steps.subscribe.status", steps: ["subscribe": .null]), .null)
        XCTAssertEqual(try evaluate("steps.subscribe", steps: [:]), .null)
    }

    // MARK: paths

    func testPathsThroughNullAreNull() {
        check("trigger.guest", .null)
        check("trigger.guest.email", .null)
        check("trigger.guest.address.city", .null)
        check("trigger.note.length", .null)
        check("trigger.customer.email", .string("ada@example.com"))
        // A member of a non-object is null too (the checker rejects it statically).
        check("trigger.currency.length", .null)
    }

    func testIndexing() {
        check("trigger.items[0].sku", .string("TEE-1"))
        check("trigger.items[1].quantity", .int(1))
        check("trigger.items[2]", .null)
        check("trigger.items[2].sku", .null)
        check("trigger.items[-1]", .null)
        check("trigger.items[100000]", .null)
        check("trigger.tags[0]", .string("vip"))
        check("trigger.guest[0]", .null)
        check("[10, 20, 30][1]", .int(20))
        check("trigger['currency']", .string("USD"))
        check("trigger['nope']", .null)
        check("trigger.items[1 - 1].sku", .string("TEE-1"))
    }

    // MARK: and / or / not

    func testBooleanOperators() {
        check("true and true", .bool(true))
        check("true and false", .bool(false))
        check("false or true", .bool(true))
        check("false or false", .bool(false))
        check("not true", .bool(false))
        check("not false", .bool(true))
        check("not not true", .bool(true))
        check("true and not false or false", .bool(true))
    }

    func testNullCountsAsFalse() throws {
        check("null and true", .bool(false))
        check("true and null", .bool(false))
        check("null or true", .bool(true))
        check("null or null", .bool(false))
        check("not null", .bool(true))
        check("not trigger.guest.accepts", .bool(true))
        check("trigger.guest.accepts or trigger.customer.accepts", .bool(true))
        XCTAssertFalse(try condition("null"))
        XCTAssertFalse(try condition("trigger.guest.accepts"))
        XCTAssertFalse(try condition("trigger.note < 3"))
        XCTAssertTrue(try condition("trigger.customer.accepts"))
    }

    func testAndOrShortCircuit() {
        // The right side is not evaluated: no division-by-zero error.
        check("false and 1 / 0 > 1", .bool(false))
        check("true or 1 / 0 > 1", .bool(true))
        checkError("true and 1 / 0 > 1", "division by zero")
    }

    func testConditionRejectsNonBooleans() {
        checkError("1 and true", "not a boolean")
        checkError("not 'yes'", "not a boolean")
        XCTAssertThrowsError(try condition("trigger.currency")) { error in
            XCTAssertTrue("\(error)".contains("string `USD`"), "\(error)")
        }
    }

    // MARK: == and !=

    func testEqualityAcrossNumbers() {
        check("1 == 1", .bool(true))
        check("1 == 1.0", .bool(true))
        check("1.0 == 1", .bool(true))
        check("1 != 2", .bool(true))
        check("0.1 + 0.2 == 0.3", .bool(false))
        check("trigger.total == 144.0", .bool(true))
        check("trigger.price == 74.75", .bool(true))
    }

    func testEqualityAcrossKinds() {
        check("1 == '1'", .bool(false))
        check("'1' != 1", .bool(true))
        check("true == 'true'", .bool(false))
        check("'abc' == 'abc'", .bool(true))
        check("'abc' == 'ABC'", .bool(false))
        check("'abc' != 'abd'", .bool(true))
        check("[1, 2] == [1, 2]", .bool(true))
        check("[1, 2] == [2, 1]", .bool(false))
        check("[1, 2] == [1.0, 2.0]", .bool(true))
        check("trigger.customer == trigger.customer", .bool(true))
        check("trigger.items[0] == trigger.items[1]", .bool(false))
    }

    func testEqualityWithNull() {
        check("null == null", .bool(true))
        check("trigger.note == null", .bool(true))
        check("trigger.guest.email == null", .bool(true))
        check("trigger.note != null", .bool(false))
        check("null != 1", .bool(true))
        check("trigger.customer.email != null", .bool(true))
        check("0 == null", .bool(false))
        check("'' == null", .bool(false))
        check("false == null", .bool(false))
    }

    func testEqualityOfDatetimes() {
        check("trigger.created_at == '2026-03-02T12:00:00Z'", .bool(true))
        check("'2026-03-02T12:00:00Z' == trigger.created_at", .bool(true))
        // Same instant, another offset.
        check("trigger.created_at == '2026-03-02T13:00:00+01:00'", .bool(true))
        check("trigger.created_at == '2026-03-02T12:00:01Z'", .bool(false))
        check("trigger.created_at != '2026-03-02T12:00:01Z'", .bool(true))
        check("trigger.day == '2026-03-02'", .bool(true))
        check("trigger.day == '2026-03-03'", .bool(false))
        check("trigger.created_at == trigger.created_at", .bool(true))
        // A string that is no date is never equal to a date.
        check("trigger.created_at == 'noon'", .bool(false))
        check("trigger.day != 'March 2'", .bool(true))
        check("trigger.created_at == parse_datetime('2026-03-02T12:00:00Z')", .bool(true))
    }

    // MARK: ordering

    func testOrderingNumbers() {
        check("1 < 2", .bool(true))
        check("2 < 1", .bool(false))
        check("2 <= 2", .bool(true))
        check("2.5 > 2", .bool(true))
        check("2 >= 2.0", .bool(true))
        check("-1 < 0", .bool(true))
        check("trigger.total >= 100", .bool(true))
        check("trigger.price < 74.7", .bool(false))
    }

    func testOrderingStrings() {
        check("'a' < 'b'", .bool(true))
        check("'abc' < 'abd'", .bool(true))
        check("'ab' < 'abc'", .bool(true))
        check("'abc' <= 'abc'", .bool(true))
        check("'b' > 'abc'", .bool(true))
        // By code point: upper case sorts before lower case.
        check("'Z' < 'a'", .bool(true))
        check("'' < 'a'", .bool(true))
    }

    func testOrderingDatesAndDatetimes() {
        check("trigger.created_at > '2026-03-01T00:00:00Z'", .bool(true))
        check("trigger.created_at < '2026-03-02T12:00:01Z'", .bool(true))
        check("trigger.created_at >= '2026-03-02T12:00:00Z'", .bool(true))
        check("trigger.created_at < add_days(trigger.created_at, 1)", .bool(true))
        check("trigger.day < '2026-03-03'", .bool(true))
        check("trigger.day > '2026-03-01'", .bool(true))
        check("trigger.day <= trigger.day", .bool(true))
        check("trigger.created_at > trigger.day", .bool(true))
        check("now() >= trigger.created_at", .bool(true))
    }

    func testOrderingIncompatibleValuesIsAnError() {
        checkError("1 < 'a'", "cannot order")
        checkError("true < false", "cannot order")
        checkError("[1] < [2]", "cannot order")
    }

    // MARK: contains / in / starts_with / ends_with / matches

    func testContains() {
        check("'hello' contains 'ell'", .bool(true))
        check("'hello' contains 'xyz'", .bool(false))
        check("'hello' contains ''", .bool(true))
        check("'Hello' contains 'hello'", .bool(false))
        check("[1, 2, 3] contains 2", .bool(true))
        check("[1, 2, 3] contains 2.0", .bool(true))
        check("[1, 2, 3] contains 4", .bool(false))
        check("trigger.tags contains 'vip'", .bool(true))
        check("trigger.tags contains 'vi'", .bool(false))
        // A null operand gives null, even on the right.
        check("['a', null] contains null", .null)
    }

    func testIn() {
        check("2 in [1, 2]", .bool(true))
        check("'x' in ['a', 'b']", .bool(false))
        check("'USD' in ['USD', 'EUR']", .bool(true))
        check("trigger.currency in ['XTS', 'XXX']", .bool(false))
        check("not (trigger.currency in ['XTS', 'XXX'])", .bool(true))
        check("1.0 in [1]", .bool(true))
        checkError("1 in 'abc'", "`in` needs an array")
    }

    func testStartsEndsWith() {
        check("'hello' starts_with 'he'", .bool(true))
        check("'hello' starts_with 'lo'", .bool(false))
        check("'hello' ends_with 'lo'", .bool(true))
        check("'hello' ends_with 'he'", .bool(false))
        check("'hello' starts_with ''", .bool(true))
        check("trigger.customer.email ends_with '@example.com'", .bool(true))
    }

    func testMatches() {
        check("'order-123' matches '^order-[0-9]+$'", .bool(true))
        check("'order-12a' matches '^order-[0-9]+$'", .bool(false))
        // A search, not a whole-string match.
        check("'xx abc yy' matches 'a.c'", .bool(true))
        check("'ABC' matches '(?i)abc'", .bool(true))
        check("trigger.customer.email matches '^[^@]+@example\\\\.com$'", .bool(true))
        checkError("'abc' matches '['", "not a valid regular expression")
        // Exponential backtracking is stopped when the run's time is spent (it ran for minutes; found by
        // fuzzing): a clock that moves a second each time it is read.
        checkError("'\(String(repeating: "a", count: 40))!' matches '(a+)+$'", "backtracks too much",
                   budget: EvaluationBudget(seconds: 10, clock: TickingClock(step: 1_000_000_000).read))
    }

    func testStringOperatorsOnNullGiveNull() {
        check("trigger.note contains 'x'", .null)
        check("'x' contains trigger.note", .null)
        check("trigger.note in ['a']", .null)
        check("'a' in trigger.note", .null)
        check("trigger.note starts_with 'a'", .null)
        check("trigger.note ends_with 'a'", .null)
        check("trigger.note matches 'a'", .null)
        check("trigger.guest.email matches 'a'", .null)
    }

    // MARK: arithmetic

    func testAddition() {
        check("1 + 2", .int(3))
        check("1 + 2.5", .number(3.5))
        check("1.5 + 1.5", .number(3))
        check("'a' + 'b'", .string("ab"))
        check("'#' + to_string(trigger.id)", .string("#1001"))
        checkError("'a' + 1", "needs numbers")
        checkError("1 + 'a'", "needs numbers")
        checkError("true + 1", "needs numbers")
    }

    func testSubtractionMultiplication() {
        check("5 - 7", .int(-2))
        check("5 - 0.5", .number(4.5))
        check("6 * 7", .int(42))
        check("2 * 0.5", .number(1))
        check("-3 * -3", .int(9))
        check("-trigger.total", .int(-144))
        check("-trigger.price", .number(-74.75))
        check("--2", .int(2))
        checkError("'a' - 'b'", "needs numbers")
        checkError("'ab' * 2", "needs numbers")
        checkError("-'a'", "cannot negate")
    }

    func testDivisionIsAlwaysANumber() {
        check("7 / 2", .number(3.5))
        check("6 / 3", .number(2))
        check("1 / 4", .number(0.25))
        check("7.5 / 2.5", .number(3))
        check("-9 / 2", .number(-4.5))
        XCTAssertEqual(try evaluate("6 / 3").text, "2")
        XCTAssertEqual(try evaluate("1 / 3").text, "0.3333333333333333")
    }

    func testRemainder() {
        check("7 % 3", .int(1))
        check("-7 % 3", .int(-1))
        check("7 % -3", .int(1))
        check("6 % 3", .int(0))
        check("7.5 % 2", .number(1.5))
        check("7 % 2.5", .number(2))
    }

    func testDivisionByZeroIsARuntimeError() {
        checkError("1 / 0", "division by zero")
        checkError("1 / 0.0", "division by zero")
        checkError("1.5 / 0", "division by zero")
        checkError("0 / 0", "division by zero")
        checkError("1 % 0", "division by zero")
        checkError("1.5 % 0", "division by zero")
        checkError("trigger.total / (trigger.total - 144)", "division by zero")
    }

    /// Integers are exact 64-bit (SPEC §5.3): an overflow is a runtime
    /// error. It became a rounded number: `9223372036854775807 + 1 ==
    /// 9223372036854775807` was true.
    func testIntegerOverflowIsARuntimeError() throws {
        let max = Int.max  // 9223372036854775807
        check("\(max)", .int(max))
        checkError("\(max) + 1", "integer overflow: `9223372036854775807 + 1`")
        checkError("\(max) + 1 == \(max)", "integer overflow")
        checkError("-\(max) - 2", "integer overflow")
        checkError("\(max) * 2", "integer overflow")
        check("\(max) - 1", .int(max - 1))
        // -Int.min does not fit an Int either.
        checkError("-(-\(max) - 1)", "integer overflow")
        checkError("(-\(max) - 1) * -1", "integer overflow")
        checkError("abs(-\(max) - 1)", "integer overflow")
        // Int.min % -1 is 0, and Int.min / -1 a number: neither overflows.
        check("(-\(max) - 1) % -1", .int(0))
        check("(-\(max) - 1) / -1", .number(Double(max) + 1))
        check("-7 % 3", .int(-1))
        // A literal beyond Int is a number.
        check("9223372036854775808", .number(9_223_372_036_854_775_808))
        checkError("3037000500 * 3037000500", "integer overflow")
        check("3037000499 * 3037000499", .int(3_037_000_499 * 3_037_000_499))
    }

    /// Search and comparison work on Unicode scalars, without
    /// normalization (SPEC §5.3): `\n` is found in CRLF text, and `==`
    /// agrees with `<` on canonically equivalent strings.
    func testStringsAreSearchedAndComparedByScalars() {
        let crlf = RuntimeValue.string("a\r\nb\r\nc")
        let decomposed = RuntimeValue.string("e\u{301}"), composed = RuntimeValue.string("\u{e9}")
        let steps: [String: RuntimeValue] = ["s": .object(["crlf": crlf, "d": decomposed, "c": composed], order: ["crlf", "d", "c"])]
        func value(_ source: String) -> RuntimeValue? { try? evaluate(source, steps: steps) }
        XCTAssertEqual(value("split(steps.s.crlf, '\\n')"), .array([.string("a\r"), .string("b\r"), .string("c")]))
        XCTAssertEqual(value("length(split(steps.s.crlf, '\\n'))"), .int(3))
        XCTAssertEqual(value("steps.s.crlf contains '\\n'"), .bool(true))
        XCTAssertEqual(value("steps.s.d == steps.s.c"), .bool(false))
        XCTAssertEqual(value("steps.s.d < steps.s.c"), .bool(true))
        XCTAssertEqual(value("steps.s.d != steps.s.c"), .bool(true))
        XCTAssertEqual(value("steps.s.d in [steps.s.c]"), .bool(false))
        XCTAssertEqual(value("steps.s.d contains 'e'"), .bool(true))
        XCTAssertEqual(value("steps.s.c contains 'e'"), .bool(false))
        XCTAssertEqual(value("steps.s.d starts_with 'e'"), .bool(true))
        // Length and truncate count what a reader sees.
        XCTAssertEqual(value("length(steps.s.d)"), .int(1))
        XCTAssertEqual(value("replace(steps.s.crlf, '\\n', ' ')"), .string("a\r b\r c"))
    }

    /// One null rule (SPEC §5.3): a null argument in any position gives null.
    func testANullArgumentInAnyPositionGivesNull() {
        check("split('a,b', trigger.note)", .null)
        check("join(trigger.tags, trigger.note)", .null)
        check("replace('abc', trigger.note, 'x')", .null)
        check("replace('abc', 'b', trigger.note)", .null)
        check("format_date(trigger.created_at, trigger.note)", .null)
        check("truncate('abc', trigger.note)", .null)
        check("default(trigger.note, 'x')", .string("x"))
        check("coalesce(trigger.note, null, 'y')", .string("y"))
    }

    /// Regression: integers are compared as Doubles, so distinct integers beyond
    /// 2^53 (64-bit ids) are "equal" and do not order.
    func testBigIntegersCompareExactly() {
        check("1234567890123456789 == 1234567890123456788", .bool(false))
        check("1234567890123456789 != 1234567890123456788", .bool(true))
        check("9007199254740993 > 9007199254740992", .bool(true))
        check("[1234567890123456789] contains 1234567890123456788", .bool(false))
        check("1234567890123456788 in [1234567890123456789]", .bool(false))
    }

    /// Regression: `Int.min % -1` traps (Swift's `%` overflows), killing the process.
    func testRemainderOfIntMinByMinusOneDoesNotCrash() {
        check("(-\(Int.max) - 1) % -1", .int(0))
    }

    func testArithmeticWithNullIsNull() {
        check("null + 1", .null)
        check("1 + null", .null)
        check("trigger.note + 'x'", .null)
        check("trigger.guest.total * 2", .null)
        check("trigger.note - 1", .null)
        check("trigger.note / 0", .null)
        check("1 % trigger.note", .null)
        check("-trigger.note", .null)
        check("-null", .null)
        check("null < 1", .null)
        check("1 >= trigger.note", .null)
        check("trigger.note > trigger.note", .null)
    }

    // MARK: pipes

    func testPipeIsAFunctionCall() {
        check("trigger.currency | lower", .string("usd"))
        check("trigger.customer.first_name | upper | truncate(2)", .string("AD"))
        check("trigger.note | default('none') | upper", .string("NONE"))
        check("trigger.tags | join(', ')", .string("vip, newsletter"))
        check("trigger.price * 2 | round", .int(150))
    }

    // MARK: templates

    func testRenderTemplates() throws {
        let evaluator = Evaluator(environment(steps: ["subscribe": .null]))
        func part(_ s: String) throws -> CheckedValue.TemplatePart { .expression(try ExpressionParser.parse(s)) }
        let mixed = CheckedValue.template([
            .text("Order "), try part("trigger.id"), .text(": "), try part("trigger.total"), .text(" "),
            try part("trigger.currency"), .text(" ("), try part("steps.subscribe.status"), .text(") on "),
            try part("trigger.created_at"), .text(" / "), try part("trigger.day"), .text(" / "), try part("trigger.customer.accepts"),
            .text(" / "), try part("trigger.price / 2"),
        ])
        XCTAssertEqual(try evaluator.render(mixed, as: .string),
                       .string("Order 1001: 144 USD () on 2026-03-02T12:00:00Z / 2026-03-02 / true / 37.375"))
        // A single template keeps the expression's type.
        XCTAssertEqual(try evaluator.render(.expression(try ExpressionParser.parse("trigger.total")), as: .number), .int(144))
        XCTAssertEqual(try evaluator.render(.expression(try ExpressionParser.parse("trigger.tags")), as: .array(.string)),
                       .array([.string("vip"), .string("newsletter")]))
        // Literals are read as their field's type.
        XCTAssertEqual(try evaluator.render(.literal(.string("2026-03-02")), as: .date), .date(march2))
        XCTAssertEqual(try evaluator.render(.literal(.string("2026-03-02T12:00:00Z")), as: .datetime), .datetime(noon))
        XCTAssertEqual(try evaluator.render(.literal(.int(3)), as: .number), .number(3))
        XCTAssertEqual(try evaluator.render(.literal(.string("x")), as: .string), .string("x"))
        // Lists and maps are rendered item by item.
        let list = CheckedValue.array([.literal(.string("shopify")), .template([try part("trigger.currency | lower")])])
        XCTAssertEqual(try evaluator.render(list, as: .array(.string)), .array([.string("shopify"), .string("usd")]))
        let map = CheckedValue.object(["a": .expression(try ExpressionParser.parse("trigger.total")), "b": .literal(.bool(true))],
                                      order: ["b", "a"])
        XCTAssertEqual(try evaluator.render(map, as: .any), .object(["a": .int(144), "b": .bool(true)], order: ["b", "a"]))
        // An error inside a template surfaces.
        XCTAssertThrowsError(try evaluator.render(.template([.text("x"), try part("1 / 0")]), as: .string))
    }
}

/// SPEC §5.2: how values render into text.
final class RuntimeRenderingTests: XCTestCase {
    func testIntegers() {
        XCTAssertEqual(RuntimeValue.int(144).text, "144")
        XCTAssertEqual(RuntimeValue.int(0).text, "0")
        XCTAssertEqual(RuntimeValue.int(-7).text, "-7")
        XCTAssertEqual(RuntimeValue.int(Int.max).text, "9223372036854775807")
    }

    func testNumbersWithAnIntegralValueHaveNoFraction() {
        XCTAssertEqual(RuntimeValue.number(144).text, "144")
        XCTAssertEqual(RuntimeValue.number(150.0).text, "150")
        XCTAssertEqual(RuntimeValue.number(-2).text, "-2")
        XCTAssertEqual(RuntimeValue.number(0).text, "0")
        XCTAssertEqual(RuntimeValue.number(1e15).text, "1000000000000000")
        XCTAssertEqual(RuntimeValue.number(1e18).text, "1000000000000000000")
    }

    /// Big numbers render as JavaScript's `String(number)` does (SPEC §5.2):
    /// plain digits below 1e21, an exponent from 1e21; an integer overflow
    /// is a runtime error (SPEC §5.3), never a rounded number.
    func testBigNumbersRenderAsJavaScriptDoes() throws {
        XCTAssertEqual(RuntimeValue.number(1e21).text, "1e+21")
        XCTAssertEqual(RuntimeValue.number(1e20).text, "100000000000000000000")
        XCTAssertEqual(RuntimeValue.number(1e19).text, "10000000000000000000")
        XCTAssertThrowsError(try evaluate("9223372036854775807 + 1"))
    }

    func testOtherNumbersInShortestRoundTripForm() {
        XCTAssertEqual(RuntimeValue.number(0.1).text, "0.1")
        XCTAssertEqual(RuntimeValue.number(74.75).text, "74.75")
        XCTAssertEqual(RuntimeValue.number(-0.5).text, "-0.5")
        XCTAssertEqual(RuntimeValue.number(0.1 + 0.2).text, "0.30000000000000004")
        XCTAssertEqual(RuntimeValue.number(1.0 / 3.0).text, "0.3333333333333333")
        XCTAssertEqual(RuntimeValue.number(120.1).text, "120.1")
        for d in [0.1, 74.75, 1.0 / 3.0, 123456.789, 1e-7, 2.5e-12] {
            XCTAssertEqual(Double(RuntimeValue.number(d).text), d, "round trip of \(d)")
        }
    }

    func testBooleansAndNull() {
        XCTAssertEqual(RuntimeValue.bool(true).text, "true")
        XCTAssertEqual(RuntimeValue.bool(false).text, "false")
        XCTAssertEqual(RuntimeValue.null.text, "")
        XCTAssertEqual(RuntimeValue.string("").text, "")
        XCTAssertEqual(RuntimeValue.string("Ada").text, "Ada")
    }

    func testDatetimesInUTC() {
        XCTAssertEqual(RuntimeValue.datetime(noon).text, "2026-03-02T12:00:00Z")
        XCTAssertEqual(RuntimeValue.datetime(0).text, "1970-01-01T00:00:00Z")
        XCTAssertEqual(RuntimeValue.datetime(-1).text, "1969-12-31T23:59:59Z")
        XCTAssertEqual(RuntimeValue.datetime(noon + 0.5).text, "2026-03-02T12:00:00.500Z")
        XCTAssertEqual(RuntimeValue.datetime(noon + 86_399).text, "2026-03-03T11:59:59Z")
        // Read with an offset, rendered in UTC.
        let parsed = RuntimeValue.from(.string("2026-02-28T23:30:00-05:00"), as: .datetime)
        XCTAssertEqual(parsed.text, "2026-03-01T04:30:00Z")
    }

    func testDates() {
        XCTAssertEqual(RuntimeValue.date(march2).text, "2026-03-02")
        XCTAssertEqual(RuntimeValue.date(0).text, "1970-01-01")
        XCTAssertEqual(RuntimeValue.date(19_782).text, "2024-02-29")
        XCTAssertEqual(RuntimeValue.date(-1).text, "1969-12-31")
        XCTAssertEqual(RuntimeValue.from(.string("2026-03-02"), as: .date), .date(march2))
    }

    func testJSONForm() {
        XCTAssertEqual(RuntimeValue.datetime(noon).json, .string("2026-03-02T12:00:00Z"))
        XCTAssertEqual(RuntimeValue.date(march2).json, .string("2026-03-02"))
        XCTAssertEqual(RuntimeValue.int(3).json, .int(3))
        XCTAssertEqual(RuntimeValue.null.json, .null)
        XCTAssertEqual(RuntimeValue.array([.int(1), .string("a")]).text, "[1,\"a\"]")
    }

    func testTypeNames() {
        XCTAssertEqual([RuntimeValue.null, .bool(true), .int(1), .number(1), .string(""), .date(0), .datetime(0), .array([]),
                        .object([:], order: [])].map(\.typeName),
                       ["null", "boolean", "integer", "number", "string", "date", "datetime", "array", "object"])
    }
}
