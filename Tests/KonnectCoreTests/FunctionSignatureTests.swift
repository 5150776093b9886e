import XCTest
@testable import KonnectCore
import KonnectYAML

/// Every function of SPEC §5.4: a correct call type-checks to its result
/// type, a wrong argument type is a type-mismatch naming the argument, a
/// wrong number of arguments is a type-mismatch with the signature, and
/// the null rules hold. Driven through `ProjectValidator` (see `TC`).
final class FunctionSignatureTests: XCTestCase {
    struct Case {
        var function: Builtin
        /// Calls that type-check, with their result type.
        var good: [(String, String)]
        /// Calls with a wrong argument: the diagnostic's message and its columns
        /// (line 11; the expression starts at column 18 in `probe: "{{ `).
        var bad: [(String, String)]
        /// A call with the wrong number of arguments, and the count found.
        var arity: (String, Int)
    }

    static let cases: [Case] = [
        Case(function: .lower, good: [("trigger.name | lower", "string"), ("lower(trigger.email)", "string")],
             bad: [("trigger.count | lower", "argument 1 of `lower` must be a string, found integer")],
             arity: ("lower(trigger.name, 1)", 2)),
        Case(function: .upper, good: [("trigger.name | upper", "string"), ("trigger.state | upper", "string")],
             bad: [("trigger.tags | upper", "argument 1 of `upper` must be a string, found array<string>")],
             arity: ("upper()", 0)),
        Case(function: .title, good: [("trigger.name | title", "string")],
             bad: [("trigger.paid | title", "argument 1 of `title` must be a string, found boolean")],
             arity: ("trigger.name | title(1)", 2)),
        Case(function: .trim, good: [("trim(trigger.name)", "string"), ("trigger.site | trim", "string")],
             bad: [("trigger.owner | trim", "argument 1 of `trim` must be a string, found Customer")],
             arity: ("trim(trigger.name, ' ')", 2)),
        Case(function: .truncate, good: [("trigger.name | truncate(3)", "string"), ("truncate(trigger.name, trigger.count)", "string")],
             bad: [("trigger.name | truncate('3')", "argument 2 of `truncate` must be an integer, found string"),
                   ("trigger.name | truncate(2.5)", "argument 2 of `truncate` must be an integer, found number"),
                   ("trigger.count | truncate(3)", "argument 1 of `truncate` must be a string, found integer")],
             arity: ("trigger.name | truncate", 1)),
        Case(function: .replace, good: [("replace(trigger.name, 'a', 'b')", "string"), ("trigger.name | replace(' ', trigger.name)", "string")],
             bad: [("replace(trigger.name, 'a', 1)", "argument 3 of `replace` must be a string, found integer"),
                   ("trigger.name | replace(1, 'a')", "argument 2 of `replace` must be a string, found integer")],
             arity: ("trigger.name | replace('a')", 2)),
        Case(function: .split, good: [("trigger.name | split(',')", "array<string>")],
             bad: [("split(trigger.name, 1)", "argument 2 of `split` must be a string, found integer"),
                   ("trigger.tags | split(',')", "argument 1 of `split` must be a string, found array<string>")],
             arity: ("split(trigger.name)", 1)),
        Case(function: .join, good: [("trigger.tags | join(', ')", "string"), ("trigger.counts | join('-')", "string"),
                                     ("[1, 'a'] | join('')", "string")],
             bad: [("trigger.items | join(',')", "argument 1 of `join` must be an array of scalars, found array<Item>"),
                   ("join(trigger.name, ',')", "argument 1 of `join` must be an array of scalars, found string"),
                   ("trigger.tags | join(1)", "argument 2 of `join` must be a string, found integer")],
             arity: ("trigger.tags | join", 1)),
        Case(function: .length, good: [("trigger.tags | length", "integer"), ("trigger.name | length", "integer"),
                                       ("trigger.items | length", "integer")],
             bad: [("trigger.count | length", "argument 1 of `length` must be a string or an array, found integer"),
                   ("trigger.owner | length", "argument 1 of `length` must be a string or an array, found Customer")],
             arity: ("length(trigger.name, trigger.name)", 2)),
        Case(function: .default, good: [("trigger.note | default('x')", "string"), ("trigger.maybe_count | default(0)", "integer"),
                                        ("trigger.maybe_total | default(0)", "number"), ("trigger.customer.vip | default(false)", "boolean"),
                                        ("trigger.name | default('x')", "string"), ("default(null, 1)", "integer")],
             bad: [("trigger.note | default(1)", "argument 2 of `default` must be a value of type string, found integer"),
                   ("trigger.maybe_paid | default('no')", "argument 2 of `default` must be a value of type boolean, found string")],
             arity: ("trigger.note | default", 1)),
        Case(function: .coalesce, good: [("coalesce(trigger.note, trigger.name)", "string"),
                                         ("coalesce(trigger.note, trigger.customer.name, 'x')", "string"),
                                         ("coalesce(trigger.note, trigger.customer.name)", "string?"),
                                         ("trigger.maybe_email | coalesce(trigger.email)", "email")],
             bad: [("coalesce(trigger.note, 1)", "argument 2 of `coalesce` must be a value of type string, found integer"),
                   ("coalesce(trigger.note, 'a', trigger.paid)", "argument 3 of `coalesce` must be a value of type string, found boolean")],
             arity: ("coalesce(trigger.note)", 1)),
        Case(function: .round, good: [("trigger.total | round", "integer"), ("round(trigger.total, 0)", "integer"),
                                      ("round(trigger.total, 2)", "number"), ("trigger.count | round", "integer")],
             bad: [("round(trigger.name)", "argument 1 of `round` must be a number, found string"),
                   ("round(trigger.total, 1.5)", "argument 2 of `round` must be an integer, found number")],
             arity: ("round(trigger.total, 1, 2)", 3)),
        Case(function: .floor, good: [("trigger.total | floor", "integer")],
             bad: [("trigger.name | floor", "argument 1 of `floor` must be a number, found string")],
             arity: ("floor(trigger.total, 1)", 2)),
        Case(function: .ceil, good: [("ceil(trigger.total)", "integer")],
             bad: [("trigger.at | ceil", "argument 1 of `ceil` must be a number, found datetime")],
             arity: ("ceil()", 0)),
        Case(function: .abs, good: [("abs(trigger.total)", "number"), ("trigger.total - 200 | abs", "number")],
             bad: [("abs('x')", "argument 1 of `abs` must be a number, found string")],
             arity: ("abs(1, 2)", 2)),
        Case(function: .toNumber, good: [("trigger.name | to_number", "number?")],
             bad: [("to_number(trigger.tags)", "argument 1 of `to_number` must be a string, found array<string>")],
             arity: ("to_number()", 0)),
        Case(function: .toString, good: [("trigger.count | to_string", "string"), ("trigger.at | to_string", "string"),
                                         ("trigger.paid | to_string", "string")],
             bad: [("trigger.tags | to_string", "argument 1 of `to_string` must be a scalar, found array<string>"),
                   ("trigger.owner | to_string", "argument 1 of `to_string` must be a scalar, found Customer")],
             arity: ("to_string(1, 2)", 2)),
        Case(function: .formatDate, good: [("trigger.at | format_date('%Y')", "string"), ("format_date(trigger.day, '%d/%m')", "string"),
                                           ("now() | format_date('%H:%M')", "string")],
             bad: [("trigger.count | format_date('%Y')", "argument 1 of `format_date` must be a date or datetime, found integer"),
                   ("trigger.at | format_date(1)", "argument 2 of `format_date` must be a format string, found integer")],
             arity: ("trigger.at | format_date", 1)),
        Case(function: .parseDatetime, good: [("trigger.name | parse_datetime", "datetime?")],
             bad: [("trigger.count | parse_datetime", "argument 1 of `parse_datetime` must be a string, found integer")],
             arity: ("parse_datetime(trigger.name, '%Y')", 2)),
        Case(function: .addDays, good: [("trigger.day | add_days(1)", "date"), ("trigger.at | add_days(-7)", "datetime"),
                                        ("add_days(now(), trigger.count)", "datetime")],
             bad: [("trigger.count | add_days(1)", "argument 1 of `add_days` must be a date or datetime, found integer"),
                   ("trigger.day | add_days('1')", "argument 2 of `add_days` must be an integer, found string")],
             arity: ("trigger.day | add_days", 1)),
        Case(function: .now, good: [("now()", "datetime")],
             bad: [],
             arity: ("trigger.at | now", 1)),
        Case(function: .first, good: [("trigger.tags | first", "string?"), ("trigger.items | first", "Item?")],
             bad: [("trigger.name | first", "argument 1 of `first` must be an array, found string")],
             arity: ("first(trigger.tags, 1)", 2)),
        Case(function: .last, good: [("trigger.counts | last", "integer?"), ("last(trigger.items).sku", "string?")],
             bad: [("trigger.count | last", "argument 1 of `last` must be an array, found integer")],
             arity: ("last()", 0)),
    ]

    func testEveryFunctionIsCovered() {
        XCTAssertEqual(Set(Self.cases.map(\.function)), Set(Builtin.allCases))
        XCTAssertEqual(Builtin.names.sorted(), ["abs", "add_days", "ceil", "coalesce", "default", "first", "floor", "format_date",
                                                "join", "last", "length", "lower", "now", "parse_datetime", "replace", "round",
                                                "split", "title", "to_number", "to_string", "trim", "truncate", "upper"])
    }

    func testCorrectCallsTypeCheck() {
        for c in Self.cases {
            for (call, type) in c.good {
                XCTAssertEqual(TC.typeOf(call), type, "\(c.function.rawValue): \(call)")
            }
        }
    }

    func testWrongArgumentTypesAreTypeMismatches() {
        for c in Self.cases {
            for (call, message) in c.bad {
                let ds = TC.check(call, into: "probe")
                XCTAssertEqual(ds.map(\.code), [.typeMismatch], "\(call): \(ds.map(\.message))")
                XCTAssertEqual(ds.first?.message, message, call)
                XCTAssertEqual(ds.first?.hint, c.function.signature, call)
                XCTAssertEqual(ds.first?.severity, .error)
            }
        }
    }

    func testWrongArityIsATypeMismatchWithTheSignature() {
        for c in Self.cases {
            let (call, found) = c.arity
            let ds = TC.check(call, into: "probe")
            XCTAssertEqual(ds.map(\.code), [.typeMismatch], "\(call): \(ds.map(\.message))")
            let r = c.function.arity
            let expected: String
            if r.upperBound == Int.max {
                expected = "at least \(r.lowerBound) arguments"
            } else if r.lowerBound == r.upperBound {
                expected = "\(r.lowerBound) argument\(r.lowerBound == 1 ? "" : "s")"
            } else {
                expected = "\(r.lowerBound) to \(r.upperBound) arguments"
            }
            XCTAssertEqual(ds.first?.message, "`\(c.function.rawValue)` takes \(expected), found \(found) (a piped value counts as the first)", call)
            XCTAssertEqual(ds.first?.hint, c.function.signature, call)
        }
    }

    func testArityTable() {
        // SPEC §5.4, counting a piped value as the first argument.
        XCTAssertEqual(Builtin.now.arity, 0...0)
        XCTAssertEqual(Builtin.lower.arity, 1...1)
        XCTAssertEqual(Builtin.truncate.arity, 2...2)
        XCTAssertEqual(Builtin.replace.arity, 3...3)
        XCTAssertEqual(Builtin.round.arity, 1...2)
        XCTAssertEqual(Builtin.coalesce.arity.lowerBound, 2)
        XCTAssertEqual(Builtin.coalesce.arity.upperBound, Int.max)
        XCTAssertEqual(TC.typeOf("coalesce(trigger.note, trigger.note, trigger.note, trigger.note, 'x')"), "string")
    }

    func testPositions() {
        // A wrong argument points at the argument; a wrong arity at the whole call; an unknown name at the name.
        for (expr, code) in [("replace(trigger.name, 'a', ⟨1⟩)", "type-mismatch"), ("⟨trigger.count⟩ | lower", "type-mismatch"),
                             ("⟨lower(trigger.name, 1)⟩", "type-mismatch"), ("⟨trigger.name | lower(1)⟩", "type-mismatch"),
                             ("trigger.name | ⟨uper⟩", "unknown-function")] {
            let (ds, at) = TC.checkMarked(expr, into: "probe")
            XCTAssertEqual(ds.map(\.tcSpan), at.spans(code), expr)
        }
    }

    func testPipeAndCallFormsAgree() {
        for (piped, called) in [("trigger.name | truncate(3)", "truncate(trigger.name, 3)"),
                                ("trigger.note | default('x')", "default(trigger.note, 'x')"),
                                ("trigger.tags | join(',') | upper", "upper(join(trigger.tags, ','))"),
                                ("trigger.total | round(2)", "round(trigger.total, 2)")] {
            XCTAssertEqual(TC.typeOf(piped), TC.typeOf(called), piped)
        }
    }

    // MARK: null rules

    func testANullableFirstArgumentGivesANullableResult() {
        for (call, type) in [
            ("trigger.note | upper", "string?"), ("trigger.note | truncate(2)", "string?"),
            ("trigger.note | replace('a', 'b')", "string?"), ("trigger.note | split(',')", "array<string>?"),
            ("trigger.maybe_tags | join(',')", "string?"), ("trigger.maybe_tags | length", "integer?"),
            ("trigger.maybe_total | round", "integer?"), ("trigger.maybe_total | floor", "integer?"),
            ("trigger.maybe_total | abs", "number?"), ("trigger.note | to_number", "number?"),
            ("trigger.maybe_count | to_string", "string?"), ("trigger.maybe_at | format_date('%Y')", "string?"),
            ("trigger.note | parse_datetime", "datetime?"), ("trigger.maybe_at | add_days(1)", "datetime?"),
            ("trigger.maybe_tags | first", "string?"), ("trigger.customer.name | lower | upper | trim", "string?"),
        ] {
            XCTAssertEqual(TC.typeOf(call), type, call)
        }
    }

    func testDefaultAndCoalesceRemoveTheNull() {
        XCTAssertEqual(TC.typeOf("trigger.note | upper | default('-')"), "string")
        XCTAssertEqual(TC.typeOf("coalesce(trigger.note | upper, trigger.name)"), "string")
        XCTAssertEqual(TC.typeOf("trigger.note | default(trigger.customer.name)"), "string?")
        XCTAssertEqual(TC.typeOf("now()"), "datetime")
    }

    func testNullLiteralArguments() {
        // A null first argument is accepted everywhere (the result is null).
        XCTAssertEqual(TC.check("null | upper", into: "s"), [])
        XCTAssertEqual(TC.typeOf("default(null, 'x')"), "string")
    }

    func testNullableValuesInFunctionsDoNotWarn() {
        // Functions pass null through; only their use may warn.
        XCTAssertEqual(TC.check("trigger.note | upper | truncate(3)", into: "s"), [])
        let ds = TC.diagnostics(TC.konnector(action: "need", with: ["rs: \(TC.template("trigger.note | upper"))", "re: a@b.co", "rb: true"]))
        XCTAssertEqual(ds.map(\.code), [.nullable])
        XCTAssertEqual(ds.first?.message, "this value may be null (it is string?), but `rs` is required")
    }

    func testAnyArgumentsAreAccepted() {
        for call in ["trigger.extra | upper", "trigger.extra | join(',')", "trigger.extra | round(2)", "trigger.extra | add_days(1)",
                     "trigger.extra | first", "trigger.name | truncate(trigger.extra)", "trigger.extra | default(1)"] {
            XCTAssertEqual(TC.check(call, into: "a"), [], call)
        }
        XCTAssertEqual(TC.typeOf("trigger.extra | length"), "integer")
        XCTAssertEqual(TC.typeOf("trigger.extra | upper"), "string")
    }

    // MARK: unknown functions

    func testUnknownFunctionWithDidYouMean() {
        for (name, suggestion) in [("uper", "upper"), ("lowr", "lower"), ("tittle", "title"), ("joni", "join"), ("Upper", "upper"),
                                   ("defualt", "default"), ("to_numbr", "to_number"), ("formatdate", "format_date"), ("adddays", "add_days")] {
            let ds = TC.check("trigger.name | \(name)", into: "s")
            XCTAssertEqual(ds.map(\.code), [.unknownFunction], name)
            XCTAssertEqual(ds.first?.message, "unknown function `\(name)`", name)
            XCTAssertEqual(ds.first?.hint, "did you mean `\(suggestion)`?", name)
        }
    }

    func testUnknownFunctionFarFromAnyListsThem() {
        let (ds, at) = TC.checkMarked("⟨frobnicate⟩(trigger.name)", into: "s")
        XCTAssertEqual(ds.map(\.tcSpan), at.spans("unknown-function"))
        XCTAssertEqual(ds.first?.hint, "functions: " + Builtin.names.joined(separator: ", "))
    }

    func testUnknownFunctionSilencesWhatDependsOnIt() {
        XCTAssertEqual(TC.check("trigger.name | uper | truncate('x') | length", into: "b").map(\.code), [.unknownFunction])
        XCTAssertEqual(TC.check("uper(trigger.name) + 1 > 2", into: "b").map(\.code), [.unknownFunction])
        // Its arguments are still checked.
        XCTAssertEqual(TC.check("uper(trigger.nmae)", into: "s").map(\.code), [.unknownFunction, .unknownReference])
    }

    func testAFunctionNameWithoutCallIsAnUnknownName() {
        let (ds, at) = TC.checkMarked("trigger.name + ⟨upper⟩", into: "s")
        XCTAssertEqual(ds.map(\.tcSpan), at.spans("unknown-reference"))
        XCTAssertEqual(ds.first?.message, "unknown name `upper`")
        XCTAssertEqual(ds.first?.hint, "call it: `upper(…)` or `value | upper`")
    }

    func testSignaturesAsDocumented() {
        XCTAssertEqual(Builtin.truncate.signature, "truncate(string, integer) → string")
        XCTAssertEqual(Builtin.join.signature, "join(array<scalar>, string) → string")
        XCTAssertEqual(Builtin.default.signature, "default(T?, T) → T")
        XCTAssertEqual(Builtin.first.signature, "first(array<T>) → T?")
        XCTAssertEqual(Builtin.now.signature, "now() → datetime")
        for f in Builtin.allCases {
            XCTAssertTrue(f.signature.hasPrefix(f.rawValue + "("), f.signature)
        }
    }
}
