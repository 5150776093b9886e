import XCTest
@testable import KonnectCore
import KonnectYAML

// Unit tests of the type checker (SPEC §5.2–§5.5, issue 3), driven through
// `ProjectValidator` with small inline projects (the `TC` harness,
// TypeCheckerHarness.swift).

// MARK: - Typing rules of §5.3

final class TypeCheckerTests: XCTestCase {
    func testHarnessSchemasAreValid() {
        let checked = TC.validate(TC.konnector(with: ["s: x"]))
        XCTAssertEqual(checked.diagnostics, [])
        XCTAssertEqual(checked.schemas.appNames, ["crm", "shop"])
        XCTAssertEqual(checked.checkedKonnectors.count, 1)
    }

    // Booleans only for and/or/not/when/if.

    func testWhenMustBeBoolean() {
        let (ds, at) = TC.marked(TC.konnector(when: "⟨trigger.count⟩", with: ["s: x"]))
        XCTAssertEqual(ds.map(\.tcSpan), at.spans("type-mismatch"))
        XCTAssertEqual(ds.first?.message, "`when:` must be a boolean expression, found integer")
        XCTAssertEqual(ds.first?.hint, "there is no truthiness: compare explicitly, e.g. `x != null`")
    }

    func testIfMustBeBoolean() {
        let (ds, at) = TC.marked(TC.konnector(if: "⟨trigger.name⟩", with: ["s: x"]))
        XCTAssertEqual(ds.map(\.tcSpan), at.spans("type-mismatch"))
        XCTAssertEqual(ds.first?.message, "`if:` must be a boolean expression, found string")
    }

    func testNoTruthinessForCollectionsAndNullables() {
        for expr in ["trigger.tags", "trigger.note", "trigger.customer", "trigger.total"] {
            let (ds, at) = TC.conditionMarked("⟨\(expr)⟩")
            XCTAssertEqual(tcBriefs(ds), at.briefs("type-mismatch"), expr)
            XCTAssertTrue(ds.first?.message.hasPrefix("`when:` must be a boolean expression, found ") ?? false, expr)
        }
    }

    func testBooleanConditionsAreAccepted() {
        for expr in ["trigger.paid", "trigger.maybe_paid", "trigger.owner.vip", "trigger.customer.vip", "true", "null",
                     "not trigger.paid", "trigger.paid and trigger.maybe_paid or not trigger.owner.vip", "trigger.extra"] {
            XCTAssertEqual(TC.condition(expr), [], expr)
        }
    }

    func testAndOrNotTakeBooleansOnly() {
        // `when: "` puts the expression at column 8.
        var (ds, at) = TC.conditionMarked("trigger.paid and ⟨trigger.count⟩")
        tcAssertMarked((ds, at), "type-mismatch", "`and` takes booleans, found integer", hint: "there is no truthiness: compare explicitly, e.g. `x != null` or `x == 'yes'`")

        (ds, at) = TC.conditionMarked("⟨trigger.name⟩ or trigger.paid")
        tcAssertMarked((ds, at), "type-mismatch", "`or` takes booleans, found string")

        (ds, at) = TC.conditionMarked("not ⟨trigger.tags⟩")
        tcAssertMarked((ds, at), "type-mismatch", "`not` takes booleans, found array<string>")

        // Both sides wrong: one diagnostic each, and none for the condition as a whole.
        (ds, at) = TC.conditionMarked("⟨trigger.count⟩ and ⟨trigger.name⟩")
        XCTAssertEqual(tcBriefs(ds), at.briefs("type-mismatch", "type-mismatch"))
    }

    func testBooleanOperatorsOutsideConditions() {
        tcAssertTypes([
            "trigger.paid and trigger.maybe_paid": "boolean",
            "not trigger.maybe_paid": "boolean",
        ])
        let (ds, at) = TC.checkMarked("trigger.paid or ⟨1⟩", into: "b")
        XCTAssertEqual(tcBriefs(ds), at.briefs("type-mismatch"))
    }

    // == and !=

    func testEqualityOfCompatibleTypes() {
        for expr in ["trigger.count == trigger.total", "trigger.name == trigger.email", "trigger.email != 'a@b.co'",
                     "trigger.state == 'open'", "trigger.at == '2026-01-01T00:00:00Z'", "trigger.day != trigger.at",
                     "trigger.note == null", "null != trigger.count", "trigger.tags == trigger.tags",
                     "trigger.customer == trigger.owner", "trigger.extra == 1", "trigger.paid == trigger.maybe_paid"] {
            XCTAssertEqual(TC.typeOf(expr), "boolean", expr)
        }
    }

    func testEqualityOfIncompatibleTypes() {
        tcAssertMarked(TC.checkMarked("⟨trigger.count == trigger.name⟩"), "type-mismatch", "`==` takes two values of compatible types; found integer and string")
        for expr in ["trigger.paid != 'true'", "trigger.tags == trigger.counts", "trigger.owner == trigger.name", "1 == '1'"] {
            XCTAssertEqual(TC.check(expr).map(\.code), [.typeMismatch], expr)
        }
    }

    // Ordering

    func testOrderingTakesNumbersStringsOrDates() {
        for expr in ["trigger.count < trigger.total", "trigger.total >= 100", "trigger.name > 'm'", "trigger.email <= trigger.name",
                     "trigger.day < trigger.at", "trigger.at > '2026-01-01T00:00:00Z'", "trigger.extra > 3"] {
            XCTAssertEqual(TC.typeOf(expr), "boolean", expr)
        }
        tcAssertMarked(TC.checkMarked("⟨trigger.paid < trigger.paid⟩"), "type-mismatch", "`<` takes two numbers, two strings or two dates; found boolean and boolean")
        for expr in ["trigger.count > 'a'", "trigger.tags >= trigger.tags", "trigger.at <= 3", "trigger.owner > trigger.owner"] {
            XCTAssertEqual(TC.check(expr).map(\.code), [.typeMismatch], expr)
        }
    }

    func testOrderingWithNullLiteral() {
        let ds = TC.check("trigger.count > null")
        XCTAssertEqual(ds.map(\.code), [.typeMismatch])
        XCTAssertEqual(ds.first?.message, "`>` takes two numbers, two strings or two dates; found integer and null")
    }

    // contains, in, starts_with, ends_with, matches

    func testContainsAndIn() {
        for expr in ["trigger.name contains 'a'", "trigger.email contains '@'", "trigger.tags contains 'vip'",
                     "trigger.counts contains 3", "'vip' in trigger.tags", "trigger.count in trigger.counts", "1 in [1, 2]"] {
            XCTAssertEqual(TC.typeOf(expr), "boolean", expr)
        }
        var (ds, at) = TC.checkMarked("⟨trigger.tags contains 1⟩")
        tcAssertMarked((ds, at), "type-mismatch", "`contains` takes a string and a string, or an array and an element; found array<string> and integer")
        (ds, at) = TC.checkMarked("trigger.name in trigger.name")
        XCTAssertEqual(ds.first?.message, "`in` takes an element and an array; found string and string")
        for expr in ["trigger.count contains 1", "trigger.name contains 1", "trigger.tags in trigger.tags", "'a' in trigger.counts"] {
            XCTAssertEqual(TC.check(expr).map(\.code), [.typeMismatch], expr)
        }
    }

    func testStringTests() {
        for expr in ["trigger.name starts_with 'A'", "trigger.email ends_with '.com'", "trigger.site starts_with 'https:'",
                     "trigger.name matches '^[A-Z]+$'", "trigger.state ends_with 'n'"] {
            XCTAssertEqual(TC.typeOf(expr), "boolean", expr)
        }
        let ds = TC.check("trigger.count starts_with 'a'")
        XCTAssertEqual(ds.first?.message, "`starts_with` takes two strings; found integer and string")
        for expr in ["trigger.name ends_with 1", "trigger.tags matches 'a'", "trigger.paid starts_with trigger.name"] {
            XCTAssertEqual(TC.check(expr).map(\.code), [.typeMismatch], expr)
        }
    }

    func testInvalidRegexLiteral() {
        tcAssertMarked(TC.checkMarked("trigger.name matches ⟨'['⟩"), "invalid-value", "`[` is not a valid regular expression")
    }

    // Arithmetic

    func testAddition() {
        tcAssertTypes([
            "trigger.count + trigger.count": "integer",
            "trigger.count + trigger.total": "number",
            "trigger.total + 1": "number",
            "trigger.name + '!'": "string",
            "trigger.email + trigger.name": "string",
        ])
        tcAssertMarked(TC.checkMarked("⟨trigger.name + 1⟩"), "type-mismatch", "`+` takes two numbers or two strings; found string and integer")
        XCTAssertEqual(TC.check("trigger.tags + trigger.tags").map(\.code), [.typeMismatch])
        XCTAssertEqual(TC.check("trigger.paid + 1").map(\.code), [.typeMismatch])
    }

    func testOtherArithmeticTakesNumbers() {
        tcAssertTypes([
            "trigger.count - 1": "integer",
            "trigger.count * trigger.count": "integer",
            "trigger.count % 7": "integer",
            "trigger.total - trigger.count": "number",
            "trigger.total * 2": "number",
            "trigger.total % 2": "number",
            "-trigger.count": "integer",
            "-trigger.total": "number",
        ])
        for op in ["-", "*", "/", "%"] {
            let ds = TC.check("trigger.name \(op) 'a'")
            XCTAssertEqual(ds.map(\.code), [.typeMismatch], op)
            XCTAssertEqual(ds.first?.message, "`\(op)` takes two numbers; found string and string", op)
        }
        tcAssertMarked(TC.checkMarked("-⟨trigger.name⟩"), "type-mismatch", "`-` needs a number, found string")
    }

    func testIntegerDivisionIsNumber() {
        tcAssertTypes([
            "trigger.count / trigger.count": "number",
            "6 / 3": "number",
        ])
        // So it does not fit an integer field.
        let ds = TC.check("trigger.count / 2", into: "i")
        XCTAssertEqual(ds.map(\.code), [.typeMismatch])
        XCTAssertEqual(ds.first?.message, "`i` expects integer, found `number`")
        XCTAssertEqual(TC.check("trigger.count * 2", into: "i"), [])
    }

    // Paths

    func testPathsThroughNullableValuesAreNullable() {
        tcAssertTypes([
            "trigger.customer.email": "email?",
            "trigger.customer.vip": "boolean?",
            "trigger.customer.id": "integer?",
            "trigger.customer.address.zip": "string?",
            "trigger.owner.vip": "boolean",
            "trigger.owner.email": "email?",
            "trigger.owner.address.zip": "string?",
            "trigger.owner": "Customer",
            "trigger.customer": "Customer?",
            "konnector.id": "string",
            "konnector.name": "string",
        ])
    }

    func testUnknownFieldsAndFieldsOfScalars() {
        var (ds, at) = TC.checkMarked("trigger.customer.⟨emial⟩")
        tcAssertMarked((ds, at), "unknown-reference", "`trigger.customer` has no field `emial`", hint: "did you mean `email`?")
        (ds, at) = TC.checkMarked("trigger.name.⟨first⟩")
        tcAssertMarked((ds, at), "unknown-reference", "`trigger.name` is string, which has no field `first`")
        ds = TC.check("konnector.nme")
        tcExpect(ds, message: "`konnector` has no field `nme`", hint: "did you mean `name`?")
        // A field far from every name lists them when there are few.
        ds = TC.check("trigger.owner.address.zzzzzz")
        XCTAssertEqual(ds.first?.hint, "its fields: `city`, `zip`")
    }

    func testAnyHasEveryPath() {
        XCTAssertEqual(TC.typeOf("trigger.extra.foo.bar[0].baz"), "<assignable>")
        XCTAssertEqual(TC.check("trigger.extra.x + 1", into: "n"), [])
    }

    func testBareNamesAreUnknownReferences() {
        var (ds, at) = TC.checkMarked("⟨trigers⟩.name")
        tcAssertMarked((ds, at), "unknown-reference", "unknown name `trigers`", hint: "did you mean `trigger`?")
        (ds, at) = TC.checkMarked("hello")
        XCTAssertEqual(ds.first?.hint, "paths start with `trigger`, `steps.<id>` or `konnector`; quote text as 'text'")
    }

    // Indexing

    func testIndexing() {
        tcAssertTypes([
            "trigger.tags[0]": "string?",
            "trigger.counts[trigger.count]": "integer?",
            "trigger.items[0]": "Item?",
            "trigger.items[0].sku": "string?",
            "trigger.owner['vip']": "boolean",
            "trigger.customer['vip']": "boolean?",
        ])
        var (ds, at) = TC.checkMarked("trigger.tags[⟨'a'⟩]")
        tcAssertMarked((ds, at), "type-mismatch", "`[]` needs an integer index, found string")
        ds = TC.check("trigger.tags[1.5]")
        XCTAssertEqual(ds.first?.message, "`[]` needs an integer index, found number")
        (ds, at) = TC.checkMarked("⟨trigger.count[0]⟩")
        tcAssertMarked((ds, at), "type-mismatch", "`[]` needs an array or object, found integer")
        ds = TC.check("trigger.owner['nope']")
        XCTAssertEqual(ds.map(\.code), [.unknownReference])
    }

    // Array literals

    func testArrayLiterals() {
        tcAssertTypes([
            "[1, 2]": "array<integer>",
            "['a', trigger.name]": "array<string>",
        ])
        XCTAssertEqual(TC.check("[trigger.name, 'b']", into: "arr"), [])
        XCTAssertEqual(TC.check("[1, 2]", into: "arri"), [])
    }

    // Nullable operands: warnings

    func testNullableOperandsWarn() {
        for (expr, op, column, end) in [
            ("trigger.maybe_count * 2", "*", 14, 33),
            ("trigger.note + '!'", "+", 14, 26),
            ("1 - trigger.maybe_total", "-", 18, 37),
            ("-trigger.maybe_count", "-", 15, 34),
        ] {
            let ds = TC.check(expr, into: "a")
            XCTAssertEqual(ds.map(\.tcSpan), ["nullable@11:\(column)-11:\(end)"], expr)
            XCTAssertEqual(ds.first?.severity, .warning)
            XCTAssertEqual(ds.first?.message, "this operand of `\(op)` may be null; the result is then null (false in a condition)", expr)
            XCTAssertEqual(ds.first?.hint, "check `!= null` first, or use `| default(…)`")
        }
        for expr in ["trigger.maybe_count > 1", "trigger.note contains 'x'", "'a' in trigger.maybe_tags",
                     "trigger.note starts_with 'x'", "trigger.note ends_with 'x'", "trigger.note matches 'x'", "trigger.maybe_at < trigger.at"] {
            let ds = TC.condition(expr)
            XCTAssertEqual(ds.map(\.code), [.nullable], expr)
            XCTAssertEqual(ds.first?.severity, .warning)
        }
    }

    func testNullableResultIsNullableAndWarnsOnce() {
        XCTAssertEqual(TC.typeOf("trigger.maybe_count * 2 + 1 - 3"),
                       "integer? + nullable@11:18 this operand of `*` may be null; the result is then null (false in a condition)")
        // One nullable value, used twice in one expression: one warning per use at most, never one per operator.
        let ds = TC.check("(trigger.maybe_total + 1) * 2 / 3", into: "n")
        XCTAssertEqual(ds.map(\.code), [.nullable])
    }

    func testEqualityWithNullableOperandsDoesNotWarn() {
        XCTAssertEqual(TC.condition("trigger.note == 'x'"), [])
        XCTAssertEqual(TC.condition("trigger.customer.email != null"), [])
        XCTAssertEqual(TC.condition("trigger.maybe_paid"), [])
    }

    func testNullableScalarInMixedTemplateIsFine() {
        let text = TC.konnector(action: "need", with: ["rs: \"Hello {{ trigger.note }}, {{ trigger.customer.name }}\"",
                                                       "re: a@b.co", "rb: true"])
        XCTAssertEqual(TC.diagnostics(text), [])
    }

    // steps.<id>

    func testStepReferences() {
        let text = TC.head() + """
          - id: first
            app: shop
            action: take
            with:
              s: "{{ steps.second.id }}"
              i: "{{ steps.first.id }}"
          - id: second
            app: shop
            action: take
            with:
              i: "{{ steps.first.id }}"
              b: "{{ steps.first.ok }}"
              s: "{{ steps.frist.id }}"
              n: "{{ steps.first.nope }}"
          - id: third
            app: shop
            action: need
            if: steps.second.ok
            with:
              rs: "{{ steps.first.id | to_string }}"
              re: a@b.co
              rb: "{{ steps.second.ok }}"
          - id: fourth
            app: shop
            action: need
            with:
              rs: "{{ steps.third.id | to_string }}"
              re: a@b.co
              rb: "{{ steps.third.label == null }}"

        """
        let ds = TC.diagnostics(text)
        XCTAssertEqual(ds.map(\.tcSpan), [
            "unknown-reference@9:20-9:26",
            "unknown-reference@10:20-10:25",
            "unknown-reference@17:20-17:25",
            "unknown-reference@18:26-18:30",
            "nullable@31:15-31:41",
        ])
        XCTAssertEqual(ds[0].message, "step `second` runs after this point; only earlier steps can be referred to")
        XCTAssertEqual(ds[0].hint, "move the step, or refer to an earlier one")
        XCTAssertEqual(ds[1].message, "step `first` cannot refer to its own output")
        XCTAssertEqual(ds[2].message, "unknown step `frist`")
        XCTAssertEqual(ds[2].hint, "did you mean `first`?")
        XCTAssertEqual(ds[3].message, "`steps.first` has no field `nope`")
        // `third` has `if:`: it may be skipped, so its output is nullable.
        XCTAssertEqual(ds[4].message, "this value may be null (it is string?), but `rs` is required")
    }

    func testStepWithIfHasNullableOutput() {
        let text = TC.head() + maybeStep + """
          - id: after
            app: shop
            action: take
            with:
              probe: "{{ steps.maybe.id }}"

        """
        XCTAssertEqual(TC.diagnostics(text).map(\.message), [TC.probePrefix + "integer?`"])
    }

    func testUnknownStepWithNoEarlierSteps() {
        tcExpect(TC.check("steps.zz.id"), message: "unknown step `zz`", hint: "no step runs before this point")
    }
}

/// A `take` step `maybe` that runs only `if: trigger.paid`: its output is nullable.
private let maybeStep = "  - id: maybe\n    app: shop\n    action: take\n    if: trigger.paid\n"

// MARK: - Narrowing (§5.3)

final class TypeCheckNarrowingTests: XCTestCase {
    /// A `need` step filling `re` from `value`, under `when`/`if`.
    func need(_ value: String, when: String? = nil, if condition: String? = nil) -> [Diagnostic] {
        TC.diagnostics(TC.konnector(when: when, action: "need", if: condition,
                                    with: ["rs: x", "re: \(TC.template(value))", "rb: true"]))
    }

    func testWithoutNarrowingANullableIntoARequiredFieldWarns() {
        tcExpect(need("trigger.customer.email"), spans: ["nullable@12:15-12:37"], severity: .warning, message: "this value may be null (it is email?), but `re` is required", hint: "use `| default(…)`, or check `!= null` in `when:` or `if:`")
    }

    func testWhenNarrowsThePathAndItsPrefixes() {
        XCTAssertEqual(need("trigger.customer.email", when: "trigger.customer.email != null"), [])
        XCTAssertEqual(need("trigger.customer.email", when: "null != trigger.customer.email"), [])
        // The prefix `trigger.customer` is non-null, so `vip` is a plain boolean…
        let text = TC.konnector(when: "trigger.customer.email != null", action: "need",
                                with: ["rs: \(TC.template("trigger.customer.name"))", "re: a@b.co",
                                       "rb: \(TC.template("trigger.customer.vip"))"])
        // …but `name` is `string?` in its own right.
        XCTAssertEqual(TC.diagnostics(text).map(\.tcBrief), ["nullable@11:15"])
        XCTAssertEqual(TC.typeOf("trigger.customer.vip", when: "trigger.customer != null"), "boolean")
        XCTAssertEqual(TC.typeOf("trigger.customer.email", when: "trigger.customer != null"), "email?")
        XCTAssertEqual(TC.typeOf("trigger.customer.address.zip", when: "trigger.customer.address.city != null"), "string")
    }

    func testNarrowingInAnAndChain() {
        XCTAssertEqual(need("trigger.maybe_email", when: "trigger.paid and trigger.maybe_email != null and trigger.count > 1"), [])
        XCTAssertEqual(need("trigger.maybe_email", when: "(trigger.paid and trigger.maybe_email != null) and trigger.count > 1"), [])
    }

    func testNoNarrowingThroughOrNotOrEquality() {
        XCTAssertEqual(need("trigger.maybe_email", when: "trigger.maybe_email != null or trigger.paid").map(\.code), [.nullable])
        XCTAssertEqual(need("trigger.maybe_email", when: "not (trigger.maybe_email == null)").map(\.code), [.nullable])
        XCTAssertEqual(need("trigger.maybe_email", when: "trigger.maybe_email == null").map(\.code), [.nullable])
        XCTAssertEqual(need("trigger.maybe_email", when: "trigger.email != null").map(\.code), [.nullable])
    }

    func testNarrowingInsideAnAndSilencesNullableOperands() {
        // `x != null and x > 5`: the right side sees what the left proved.
        XCTAssertEqual(TC.condition("trigger.maybe_count != null and trigger.maybe_count > 5"), [])
        XCTAssertEqual(TC.condition("trigger.maybe_count > 5 and trigger.maybe_count != null").map(\.code), [.nullable])
    }

    func testIfNarrowsOnlyItsOwnStep() {
        XCTAssertEqual(need("trigger.customer.email", if: "trigger.customer.email != null"), [])
        let withNote = "    with:\n      rs: \"{{ trigger.note }}\"\n      re: a@b.co\n      rb: true\n"
        let text = TC.head() + "  - id: a\n    app: shop\n    action: need\n    if: trigger.note != null\n" + withNote
            + "  - id: b\n    app: shop\n    action: need\n" + withNote
        XCTAssertEqual(TC.diagnostics(text).map(\.tcBrief), ["nullable@17:15"])
    }

    func testNarrowedStepOutput() {
        let text = TC.head() + maybeStep + """
          - id: after
            app: shop
            action: need
            if: steps.maybe != null
            with:
              rs: "{{ steps.maybe.id | to_string }}"
              re: a@b.co
              rb: "{{ steps.maybe.ok }}"

        """
        XCTAssertEqual(TC.diagnostics(text), [])
    }

    func testWhenInTemplateFormNarrowsToo() {
        XCTAssertEqual(need("trigger.maybe_email", when: "\"{{ trigger.maybe_email != null }}\""), [])
    }
}

// MARK: - Templates (§5.2)

final class TypeCheckTemplateTests: XCTestCase {
    func testASingleTemplateHasTheExpressionsType() {
        XCTAssertEqual(TC.check("trigger.total", into: "n"), [])
        XCTAssertEqual(TC.check("trigger.count", into: "i"), [])
        XCTAssertEqual(TC.check("trigger.paid", into: "b"), [])
        XCTAssertEqual(TC.check("trigger.tags", into: "arr"), [])
        XCTAssertEqual(TC.check("trigger.items", into: "items"), [])
        XCTAssertEqual(TC.check("trigger.owner", into: "cust"), [])
        tcAssertMarked(TC.checkMarked("⟨trigger.total⟩", into: "i"), "type-mismatch", "`i` expects integer, found `number`")
    }

    func testSpacesAroundASingleTemplateKeepItsType() {
        let ds = TC.diagnostics(TC.konnector(with: ["i: \"  {{trigger.count}}  \"", "b: \" {{ trigger.paid }}\""]))
        XCTAssertEqual(ds, [])
    }

    func testMixedTemplatesAreStrings() {
        let (ds, at) = TC.marked(TC.konnector(with: ["n: ⟨\"{{ trigger.total }} EUR\"⟩", "s: \"{{ trigger.count }}{{ trigger.total }}\""]))
        XCTAssertEqual(ds.map(\.tcSpan), at.spans("type-mismatch"))
        XCTAssertEqual(ds.first?.message, "`n` expects number, found `string`")
        XCTAssertEqual(TC.diagnostics(TC.konnector(with: ["s: \"{{ trigger.count }} and {{ trigger.paid }} at {{ trigger.at }}\""])), [])
    }

    func testObjectsAndArraysAreNotInterpolable() {
        let (ds, at) = TC.marked(TC.konnector(with: ["s: \"tags: {{ ⟨trigger.tags⟩ }}, owner: {{ ⟨trigger.owner⟩ }}\""]))
        XCTAssertEqual(ds.map(\.tcSpan), at.spans("not-interpolable", "not-interpolable"))
        XCTAssertEqual(ds[0].message, "a value of type array<string> cannot be put into text")
        XCTAssertEqual(ds[0].hint, "use `| join(', ')`, or pick one item")
        XCTAssertEqual(ds[1].message, "a value of type Customer cannot be put into text")
        XCTAssertEqual(ds[1].hint, "pick one of its fields")
        // Joined, it is fine.
        XCTAssertEqual(TC.diagnostics(TC.konnector(with: ["s: \"tags: {{ trigger.tags | join(', ') }}\""])), [])
        // A nullable object is no better.
        XCTAssertEqual(TC.diagnostics(TC.konnector(with: ["s: \"x {{ trigger.customer }}\""])).map(\.code), [.notInterpolable])
    }

    func testUnclosedTemplate() {
        let (ds, at) = TC.marked(TC.konnector(with: ["s: \"Hello ⟨{{⟩ trigger.name\""]))
        XCTAssertEqual(ds.map(\.tcSpan), at.spans("expression-syntax"))
        XCTAssertEqual(ds.first?.message, "`{{` is not closed with `}}`")
        XCTAssertEqual(ds.first?.hint, "close the template with `}}`, or write a literal `{{` as `{{ '{{' }}`")
        // The second of two templates.
        let (second, at2) = TC.marked(TC.konnector(with: ["s: \"{{ trigger.name }} ⟨{{⟩ trigger.count\""]))
        XCTAssertEqual(second.map(\.tcSpan), at2.spans("expression-syntax"))
    }

    func testLiteralBraces() {
        XCTAssertEqual(TC.diagnostics(TC.konnector(with: ["s: \"{{ '{{' }} not a template {{ '}}' }}\""])), [])
        // `}}` inside a quoted string of the expression does not close it.
        XCTAssertEqual(TC.diagnostics(TC.konnector(with: ["s: \"{{ trigger.name + '}}' }}\""])), [])
        // Single braces are text.
        XCTAssertEqual(TC.diagnostics(TC.konnector(with: ["s: \"{ not } a { template }\""])), [])
        let checked = TC.validate(TC.konnector(with: ["s: \"{{ '{{' }}x\""]))
        guard case .object(let inputs, _)? = checked.checkedKonnectors.first?.steps.first?.action?.inputs,
              case .template(let parts)? = inputs["s"] else {
            return XCTFail("expected a template")
        }
        XCTAssertEqual(parts.count, 2)
        guard case .expression(let e) = parts[0], case .literal(.string("{{")) = e.kind else { return XCTFail("\(parts)") }
    }

    func testSyntaxErrorInsideATemplate() {
        let ds = TC.diagnostics(TC.konnector(with: ["s: \"{{ trigger.name + }}\""]))
        XCTAssertEqual(ds.map(\.code), [.expressionSyntax])
        XCTAssertEqual(ds.first?.message, "the expression ends where a value was expected")
        XCTAssertEqual(ds.first?.range.start.line, 11)
    }

    func testEmptyTemplate() {
        let ds = TC.diagnostics(TC.konnector(with: ["s: \"a {{ }} b\""]))
        XCTAssertEqual(ds.map(\.code), [.expressionSyntax])
        XCTAssertEqual(ds.first?.message, "the expression is empty")
    }

    func testTemplatesInListsAndObjects() {
        let ds = TC.diagnostics(TC.konnector(with: [
            "arr: [plain, \"{{ trigger.name }}\", \"{{ trigger.count }}\"]",
            "obj: { city: \"{{ trigger.owner.address.city | default('?') }}\", zip: \"{{ trigger.tags }}\" }",
        ]))
        XCTAssertEqual(ds.map(\.tcSpan), ["type-mismatch@11:46-11:59", "type-mismatch@12:80-12:92"])
        XCTAssertEqual(ds[0].message, "item 3 of `arr` expects string, found `integer`")
        XCTAssertEqual(ds[1].message, "`zip` expects string?, found `array<string>`")
    }
}

// MARK: - Assignability (§5.5)

final class TypeCheckAssignabilityTests: XCTestCase {
    func with(_ lines: String...) -> [Diagnostic] { TC.diagnostics(TC.konnector(with: lines)) }

    func testWellFormedLiterals() {
        XCTAssertEqual(with("e: ada@example.com", "u: https://example.com/a?b=c", "d: 2026-03-02", "dt: 2026-03-02T12:00:00Z",
                            "en: green", "s: anything", "i: 3", "n: 3.5", "b: false", "a: [1, {x: y}]"), [])
        XCTAssertEqual(with("n: 3"), [])
    }

    func testMalformedLiterals() {
        let ds = with("e: not-an-email", "u: example dot com", "d: 2026-13-45", "dt: yesterday", "en: blue")
        XCTAssertEqual(ds.map(\.tcSpan), ["invalid-value@11:10-11:22", "invalid-value@12:10-12:25", "invalid-value@13:10-13:20",
                                          "invalid-value@14:11-14:20", "invalid-value@15:11-15:15"])
        XCTAssertEqual(ds.map(\.message), [
            "`not-an-email` is not a valid email for `e`",
            "`example dot com` is not a valid url for `u`",
            "`2026-13-45` is not a valid date for `d`",
            "`yesterday` is not a valid datetime for `dt`",
            "`blue` is not one of the values of `en`",
        ])
        XCTAssertEqual(ds.map(\.hint), [
            "write it like `ada@example.com`",
            "write it like `https://example.com/path`",
            "write it as YYYY-MM-DD, like `2026-03-02`",
            "write it in RFC 3339, like `2026-03-02T12:00:00Z`",
            "valid values: `red`, `green`",
        ])
        XCTAssertEqual(with("en: gren").first?.hint, "did you mean `green`?")
    }

    func testStringExpressionsIntoCheckedStringTypesAreCheckedWhenTheyRun() {
        XCTAssertEqual(with("e: \"{{ trigger.name }}\"", "u: \"{{ trigger.name }}\"", "d: \"{{ trigger.name }}\"",
                            "dt: \"{{ trigger.name }}\""), [])
        XCTAssertEqual(with("e: \"x{{ trigger.name }}\""), [])
    }

    func testStringExpressionIntoAnEnumIsUnchecked() {
        let ds = with("en: \"{{ trigger.name }}\"")
        tcExpect(ds, spans: ["unchecked-enum@11:15-11:27"], severity: .warning, message: "a string expression fills `en`, an enum; its value is checked only when it runs", hint: "valid values: `red`, `green`")
        // A mixed template is a string expression too.
        XCTAssertEqual(with("en: \"r{{ trigger.name }}\"").map(\.code), [.uncheckedEnum])
        // An enum whose values all fit is checked statically.
        XCTAssertEqual(with("en2: \"{{ trigger.state }}\""), [])
    }

    func testWiderTypesIntoString() {
        for field in ["email", "site", "day", "at", "state"] {
            XCTAssertEqual(with("s: \"{{ trigger.\(field) }}\""), [], field)
        }
    }

    func testIntegerIntoNumberButNotTheOtherWay() {
        XCTAssertEqual(with("n: \"{{ trigger.count }}\""), [])
        XCTAssertEqual(with("i: 3.5").map(\.message), ["`i` expects integer, found a number"])
        XCTAssertEqual(with("i: \"{{ trigger.total }}\"").map(\.message), ["`i` expects integer, found `number`"])
    }

    func testTypeMismatchNamesBothTypes() {
        let ds = with("b: \"{{ trigger.name }}\"", "d: \"{{ trigger.count }}\"", "arr: \"{{ trigger.name }}\"",
                      "s: \"{{ trigger.tags }}\"", "cust: \"{{ trigger.items }}\"")
        XCTAssertEqual(ds.map(\.message), [
            "`b` expects boolean, found `string`",
            "`d` expects date, found `integer`",
            "`arr` expects array<string>, found `string`",
            "`s` expects string, found `array<string>`",
            "`cust` expects Customer, found `array<Item>`",
        ])
        XCTAssertEqual(Set(ds.map(\.code)), [.typeMismatch])
    }

    func testLiteralShapesAndHints() {
        let ds = ["i: \"5\"", "s: 5", "b: yes", "s: true", "i: [1]", "s: {a: b}"].flatMap { with($0) }
        XCTAssertEqual(ds.map(\.message), [
            "`i` expects integer, found a string",
            "`s` expects string, found an integer",
            "`b` expects boolean, found a string",
            "`s` expects string, found a boolean",
            "`i` expects integer, found a list",
            "`s` expects string, found a mapping",
        ])
        XCTAssertEqual(ds.map(\.hint), ["remove the quotes to write a number", "quote it to write a string",
                                        "YAML 1.2 reads `yes` as a string; write `true` or `false`",
                                        "quote it to write a string", nil, nil])
    }

    func testNullableIntoOptionalIsFineIntoRequiredWarns() {
        XCTAssertEqual(with("s: \"{{ trigger.note }}\"", "e: \"{{ trigger.customer.email }}\""), [])
        let (ds, at) = TC.marked(TC.konnector(action: "need", with: ["rs: \"{{ ⟨trigger.note⟩ }}\"", "re: a@b.co", "rb: \"{{ ⟨trigger.maybe_paid⟩ }}\""]))
        XCTAssertEqual(ds.map(\.tcSpan), at.spans("nullable", "nullable"))
        XCTAssertEqual(ds.map(\.severity), [.warning, .warning])
        XCTAssertEqual(ds.last?.message, "this value may be null (it is boolean?), but `rb` is required")
        // `| default(…)` removes the null.
        XCTAssertEqual(TC.diagnostics(TC.konnector(action: "need", with: ["rs: \"{{ trigger.note | default('-') }}\"", "re: a@b.co", "rb: true"])), [])
    }

    func testNullLiteralIntoRequiredField() {
        let ds = TC.diagnostics(TC.konnector(action: "need", with: ["rs: null", "re: a@b.co", "rb: \"{{ null }}\""]))
        XCTAssertEqual(ds.map(\.code), [.typeMismatch, .typeMismatch])
        XCTAssertEqual(ds.first?.message, "`rs` expects string, found null")
        XCTAssertEqual(ds.first?.hint, "give a value, or remove the field if it is optional")
        XCTAssertEqual(with("s: null", "i: ~", "n:"), [])
    }

    func testAnyIntoAnythingAndAnythingIntoAny() {
        XCTAssertEqual(with("i: \"{{ trigger.extra }}\"", "cust: \"{{ trigger.extra.owner }}\"", "a: \"{{ trigger.owner }}\""), [])
        XCTAssertEqual(with("a: \"{{ trigger.tags }}\""), [])
        XCTAssertEqual(with("a: {x: [1, 2]}"), [])
    }

    func testArraysElementWise() {
        let ds = with("arr: [a, 1, true, \"{{ trigger.count }}\", \"{{ trigger.name }}\"]", "arri: [1, \"2\"]")
            + with("arri: \"{{ trigger.counts }}\"") + with("arri: \"{{ trigger.tags }}\"") + with("arr: \"{{ trigger.counts }}\"")
        XCTAssertEqual(ds.map(\.tcBrief), ["type-mismatch@11:16", "type-mismatch@11:19", "type-mismatch@11:29",
                                           "type-mismatch@12:17", "type-mismatch@11:17", "type-mismatch@11:16"])
        XCTAssertEqual(ds.map(\.message), [
            "item 2 of `arr` expects string, found an integer",
            "item 3 of `arr` expects string, found a boolean",
            "item 4 of `arr` expects string, found `integer`",
            "item 2 of `arri` expects integer, found a string",
            "`arri` expects array<integer>, found `array<string>`",
            "`arr` expects array<string>, found `array<integer>`",
        ])
        // An array of nullable elements does not fit an array of non-null ones.
        XCTAssertEqual(with("arr: \"{{ [trigger.note] }}\"").map(\.code), [.typeMismatch])
    }

    func testObjectsFieldWise() {
        XCTAssertEqual(with("obj: { city: Paris }", "cust: \"{{ trigger.owner }}\""), [])
        XCTAssertEqual(with("obj: { city: Paris, zip: \"75001\" }"), [])
        let ds = with("obj: { city: 1, zp: x }")
        XCTAssertEqual(ds.map(\.tcBrief), ["type-mismatch@11:20", "unknown-field@11:23"])
        XCTAssertEqual(ds.map(\.message), ["`city` expects string, found an integer", "unknown field `zp` for `obj`"])
        XCTAssertEqual(ds.last?.hint, "did you mean `zip`?")
        // A required field of the object is missing.
        let missing = with("obj: { zip: x }")
        XCTAssertEqual(missing.map(\.tcSpan), ["missing-field@11:12-11:22"])
        XCTAssertEqual(missing.first?.message, "missing required field `city` for `obj`")
        // Whole objects from expressions: field by field.
        XCTAssertEqual(with("cust: \"{{ trigger.customer }}\""), [])
        XCTAssertEqual(with("obj: \"{{ trigger.owner.address }}\"").map(\.code), [.typeMismatch])
        // Items of an array of objects.
        let items = with("items: [{ sku: A, qty: 1, price: 2 }, { sku: B, qty: x, price: 1 }]")
        XCTAssertEqual(items.map(\.message), ["`qty` expects integer, found a string"])
    }

    func testConfigFieldsAreCheckedAsData() {
        let text = """
        konnector: k
        name: K
        trigger:
          app: shop
          event: order
          with:
            status: paied
            min: "{{ trigger.count }}"
            mx: 1
        steps:
          - {id: a, app: shop, action: take}

        """
        let ds = TC.diagnostics(text)
        XCTAssertEqual(ds.map(\.tcBrief), ["invalid-value@7:13", "type-mismatch@8:10", "unknown-field@9:5"])
        XCTAssertEqual(ds[0].hint, "did you mean `paid`?")
        XCTAssertEqual(ds[2].message, "unknown config field `mx` for shop.order")
    }
}

// MARK: - Positions (§6)

final class TypeCheckPositionTests: XCTestCase {
    /// Fails unless the konnector's diagnostics are `codes`, each over its `⟨…⟩` pair.
    func assertMarked(_ withLines: [String], when: String? = nil, if condition: String? = nil, _ codes: String...,
                      file: StaticString = #filePath, line: UInt = #line) {
        let (ds, at) = TC.marked(TC.konnector(when: when, if: condition, with: withLines))
        XCTAssertEqual(ds.map(\.tcSpan), at.spans(codes), file: file, line: line)
    }

    func testPlainScalars() {
        assertMarked(["s: x {{ trigger.⟨nmae⟩ }}"], "unknown-reference")
        assertMarked([], when: "trigger.paid and trigger.⟨custmer⟩ != null", "unknown-reference")
        assertMarked([], if: "not trigger.⟨pad⟩", "unknown-reference")
    }

    func testSingleQuotedScalars() {
        assertMarked(["s: 'it''s {{ trigger.⟨nmae⟩ }}'"], "unknown-reference")
        // Doubled quotes inside the expression.
        assertMarked([], if: "'trigger.name == ''x'' and trigger.⟨nme⟩ != null'", "unknown-reference")
    }

    func testDoubleQuotedScalarsWithEscapes() {
        assertMarked([#"s: "\"q\" {{ trigger.⟨nmae⟩ }}""#], "unknown-reference")
        assertMarked([#"s: "\u00e9\t{{ trigger.⟨nmae⟩ }}""#], "unknown-reference")
        assertMarked([#"s: "\x41\U0001F600 {{ trigger.⟨nmae⟩ }}""#], "unknown-reference")
        assertMarked([#"s: "é\"\u00e9 {{ trigger.⟨nmae⟩ }}""#], "unknown-reference")
        // An escaped quote inside the expression's string literal.
        assertMarked([#"s: "{{ '\"' + trigger.⟨nmae⟩ }}""#], "unknown-reference")
    }

    func testMultiByteTextCountsCharacters() {
        assertMarked(["s: héllo wörld 😀 {{ trigger.⟨nmae⟩ }}"], "unknown-reference")
        assertMarked(["s: \"日本語 {{ trigger.⟨nmae⟩ }}\""], "unknown-reference")
        assertMarked([], when: "\"'ü' == 'ü' and trigger.⟨nme⟩ != null\"", "unknown-reference")
    }

    func testMultiLineFlowScalars() {
        assertMarked(["s: \"first", "  second {{ trigger.⟨nmae⟩ }}\""], "unknown-reference")
        assertMarked(["s: 'first", "", "  second {{ trigger.⟨nmae⟩ }}'"], "unknown-reference")
        assertMarked(["s: first", "  second {{ trigger.⟨nmae⟩ }}"], "unknown-reference")
    }

    func testBlockScalars() {
        assertMarked(["s: |", "  line one", "  x {{ trigger.⟨nmae⟩ }}"], "unknown-reference")
        assertMarked(["s: >-", "  folded", "", "  text {{ trigger.⟨nmae⟩ }}"], "unknown-reference")
        assertMarked([], when: "|\n  trigger.paid and\n  trigger.⟨custmer⟩ != null", "unknown-reference")
        // An explicit indentation indicator: the first line's extra spaces are content.
        assertMarked(["s: |2", "    x {{ trigger.⟨nmae⟩ }}"], "unknown-reference")
        assertMarked(["s: >-2", "", "     x {{ trigger.⟨nmae⟩ }}"], "unknown-reference")
    }

    func testFlowSequences() {
        assertMarked(["arr: [\"{{ trigger.⟨tgs⟩ }}\", 'ü {{ trigger.⟨tag⟩ }}']"], "unknown-reference", "unknown-reference")
    }

    func testTokenSpansForOperatorsAndCalls() {
        // A function's name; an argument; a whole call with the wrong arity.
        assertMarked(["s: \"{{ trigger.name | ⟨uper⟩ }}\""], "unknown-function")
        assertMarked(["s: \"{{ trigger.name | truncate(⟨'3'⟩) }}\""], "type-mismatch")
        assertMarked(["s: \"{{ ⟨lower(trigger.name, 1)⟩ }}\""], "type-mismatch")
    }

    func testExpressionSyntaxPositions() {
        var (ds, at) = TC.marked(TC.konnector(when: "trigger.paid ⟨&⟩& trigger.maybe_paid", with: ["s: x"]))
        XCTAssertEqual(ds.map(\.tcSpan), at.spans("expression-syntax"))
        XCTAssertEqual(ds.first?.message, "unexpected character `&`")
        XCTAssertEqual(ds.first?.hint, "write `and`")
        ds = TC.diagnostics(TC.konnector(with: [#"s: "\u00e9 {{ trigger.name = 'x' }}""#]))
        tcExpect(ds, spans: ["expression-syntax@11:34-11:35"], hint: "compare with `==`")
        // A quote opened inside a template hides its `}}`: the template is unclosed.
        (ds, at) = TC.marked(TC.konnector(with: ["s: 'x ⟨{{⟩ ''abc }}'"]))
        XCTAssertEqual(ds.map(\.tcSpan), at.spans("expression-syntax"))
        XCTAssertEqual(ds.first?.message, "`{{` is not closed with `}}`")
        ds = TC.diagnostics(TC.konnector(when: "trigger.name == 'abc", with: ["s: x"]))
        XCTAssertEqual(ds.map(\.code), [.expressionSyntax])
        XCTAssertEqual(ds.first?.message, "string is not closed")
        XCTAssertEqual(ds.first?.hint, "close it with `'`")
        XCTAssertEqual(ds.first?.range.start.column, 23)
    }
}

// MARK: - One cause, one diagnostic (§6)

final class TypeCheckOneCauseTests: XCTestCase {
    let crmKonnector = """
    konnector: k
    name: K
    trigger: {app: crm, event: new_contact, connection: crm-main}
    when: trigger.name != null
    steps:
      - id: a
        app: crm
        action: upsert_contact
        connection: crm-main
        with:
          email: "{{ trigger.email }}"
          name: "{{ trigger.name | upper }}"
      - id: b
        app: crm
        action: upsert_contact
        connection: crm-main
        with:
          email: "{{ trigger.email }}"
          name: "{{ steps.a.id | to_string }}"

    """

    /// The diagnostics after replacing `old` with `new` in the crm konnector.
    func typo(_ old: String, _ new: String, occurrence: Int = 0) -> [Diagnostic] {
        var text = crmKonnector
        var searchRange = text.startIndex..<text.endIndex
        var found: Range<String.Index>? = nil
        for _ in 0...occurrence {
            found = text.range(of: old, range: searchRange)
            guard let f = found else { break }
            searchRange = f.upperBound..<text.endIndex
        }
        guard let range = found else {
            XCTFail("no occurrence \(occurrence) of \(old)")
            return []
        }
        text.replaceSubrange(range, with: new)
        return TC.diagnostics(text)
    }

    func testTheBaseKonnectorIsClean() {
        XCTAssertEqual(TC.diagnostics(crmKonnector), [])
    }

    func testTypoInTheTriggerApp() {
        tcExpect(typo("app: crm, event", "app: crn, event"), spans: ["unknown-app@3:16-3:19"], message: "unknown app `crn`", hint: "did you mean `crm`?")
    }

    func testTypoInAStepApp() {
        tcExpect(typo("app: crm", "app: cmr", occurrence: 1), spans: ["unknown-app@7:10-7:13"], hint: "did you mean `crm`?")
    }

    func testUnknownAppFarFromAnyListsTheApps() {
        let ds = typo("app: crm", "app: zendesk", occurrence: 1)
        XCTAssertEqual(ds.first?.hint, "apps with a schema: `crm`, `shop`")
    }

    func testTypoInTheEvent() {
        tcExpect(typo("new_contact", "new_contcat"), spans: ["unknown-trigger@3:28-3:39"], message: "crm has no trigger `new_contcat`", hint: "did you mean `new_contact`?")
    }

    func testTypoInTheAction() {
        tcExpect(typo("upsert_contact", "upsert_contcat"), spans: ["unknown-action@8:13-8:27"], message: "crm has no action `upsert_contcat`", hint: "did you mean `upsert_contact`?")
    }

    func testTypoInAConnection() {
        var ds = typo("connection: crm-main}", "connection: crm-mian}")
        tcExpect(ds, spans: ["unknown-connection@3:53-3:61"], message: "unknown connection `crm-mian`", hint: "did you mean `crm-main`?")
        ds = typo("connection: crm-main", "connection: crm-man", occurrence: 1)
        XCTAssertEqual(ds.map(\.tcBrief), ["unknown-connection@9:17"])
    }

    func testTypoInAnInputKey() {
        // `emial:` is unknown; `email` is not also reported missing.
        tcExpect(typo("email: \"{{", "emial: \"{{"), spans: ["unknown-field@11:7-11:12"], message: "unknown input `emial` for crm.upsert_contact", hint: "did you mean `email`?")
    }

    func testAnInputKeyFarFromAnyIsUnknownAndTheRequiredOneMissing() {
        let ds = typo("email: \"{{", "address: \"{{")
        XCTAssertEqual(ds.map(\.tcBrief), ["missing-field@8:13", "unknown-field@11:7"])
        XCTAssertEqual(ds.first?.message, "missing required input `email` for crm.upsert_contact")
        XCTAssertEqual(ds.first?.hint, "add `email:` under `with:`")
    }

    func testTypoInATriggerFieldInATemplate() {
        var ds = typo("trigger.name | upper", "trigger.nmae | upper")
        tcExpect(ds, spans: ["unknown-reference@12:25-12:29"], hint: "did you mean `name`?")
        // In arithmetic, comparisons and conditions, still one.
        ds = typo("trigger.name != null", "trigger.nmae != null and trigger.nmae + 'x' == 'y'")
        XCTAssertEqual(ds.map(\.tcBrief), ["unknown-reference@4:15", "unknown-reference@4:40"])
        ds = TC.check("(trigger.totl * 2 + 1) | round | to_string | upper", into: "en")
        XCTAssertEqual(ds.map(\.tcBrief), ["unknown-reference@11:24"])
    }

    func testTypoInAFunctionName() {
        tcExpect(typo("| upper", "| uper"), spans: ["unknown-function@12:32-12:36"], message: "unknown function `uper`", hint: "did you mean `upper`?")
        // Later pipes, and a required field, are not reported again.
        XCTAssertEqual(TC.check("trigger.name | uper | lower | length", into: "i").map(\.code), [.unknownFunction])
    }

    func testAnUnknownTriggerSilencesEveryUseOfTrigger() {
        let ds = typo("new_contact", "nope")
        XCTAssertEqual(ds.map(\.code), [.unknownTrigger])
    }

    func testAnUnknownActionSilencesItsInputsAndItsOutput() {
        let ds = typo("upsert_contact", "nope")
        XCTAssertEqual(ds.map(\.code), [.unknownAction])
    }

    func testAnUnknownAppSilencesItsStep() {
        let ds = typo("app: crm", "app: nope", occurrence: 1)
        XCTAssertEqual(ds.map(\.code), [.unknownApp])
    }

    func testMisspelledConnectionKeyIsNotAlsoMissingConnection() {
        tcExpect(typo("connection: crm-main\n    with", "conection: crm-main\n    with"), spans: ["unknown-field@9:5-9:14"], hint: "did you mean `connection`?")
    }

    func testMisspelledWhenKeyDoesNotWarnAboutWhatItWouldHaveNarrowed() {
        let text = TC.konnector(when: nil, action: "need", with: ["rs: \"{{ trigger.note }}\"", "re: a@b.co", "rb: true"])
            .replacingOccurrences(of: "# no filter", with: "whn: trigger.note != null")
        tcExpect(TC.diagnostics(text), spans: ["unknown-field@4:1-4:4"], hint: "did you mean `when`?")
    }

    func testABrokenWhenDoesNotWarnAboutWhatItWouldHaveNarrowed() {
        let ds = TC.diagnostics(TC.konnector(when: "trigger.note != null and (", action: "need",
                                             with: ["rs: \"{{ trigger.note }}\"", "re: a@b.co", "rb: true"]))
        XCTAssertEqual(ds.map(\.code), [.expressionSyntax])
    }

    func testAMistypedWhenIsReportedOnce() {
        let ds = TC.diagnostics(TC.konnector(when: "trigger.nmae != null", action: "need",
                                             with: ["rs: \"{{ trigger.note }}\"", "re: a@b.co", "rb: true"]))
        XCTAssertEqual(ds.map(\.code), [.unknownReference])
    }

    func testAnErrorInsideAnArgumentIsReportedOnce() {
        XCTAssertEqual(TC.check("truncate(trigger.nmae, 'x')").map(\.tcBrief), ["unknown-reference@11:31"])
        XCTAssertEqual(TC.check("[trigger.nmae, 1] | join(',')").map(\.code), [.unknownReference])
        XCTAssertEqual(TC.check("trigger.tags[trigger.nmae]").map(\.code), [.unknownReference])
        XCTAssertEqual(TC.check("not trigger.nmae", into: "b").map(\.code), [.unknownReference])
        XCTAssertEqual(TC.check("-trigger.nmae", into: "i").map(\.code), [.unknownReference])
    }

    func testAnUnknownStepIsReportedOnceAtItsID() {
        XCTAssertEqual(TC.check("steps.zz.id + steps.zz.id", into: "i").map(\.tcBrief), ["unknown-reference@11:20", "unknown-reference@11:34"])
    }

    func testMissingScopeNamesExactlyTheMissingOnes() {
        tcExpect(typo("connection: crm-main", "connection: crm-readonly", occurrence: 1), spans: ["missing-scope@9:17-9:29"], message: "connection `crm-readonly` lacks the scope `contacts.write` that crm.upsert_contact needs", hint: "grant `contacts.write` to the connection and add it to its `scopes:`")
    }

    func testMissingConnection() {
        tcExpect(typo(", connection: crm-main}", "}"), spans: ["missing-connection@3:16-3:19"], message: "the trigger uses crm, which needs a connection", hint: "add `connection:` with one of `crm-main`, `crm-readonly`")
    }

    func testConnectionOfAnotherApp() {
        let text = """
        connection: shop-main
        app: shop
        ---
        \(crmKonnector.replacingOccurrences(of: "connection: crm-main}", with: "connection: shop-main}"))
        """
        tcExpect(TC.diagnostics(text), spans: ["connection-app-mismatch@6:53-6:62"], message: "connection `shop-main` is a shop connection, not crm")
    }
}

// Regression tests for bugs found while writing these tests, now fixed.
final class TypeCheckRegressionTests: XCTestCase {
    /// SPEC §6: positions are precise in double-quoted scalars, escapes
    /// included. An escaped line break (`\` at the end of a line) removes the
    /// break and the next line's indentation from the value, but
    /// ScalarLocator counts it as one value byte and the indentation as
    /// value bytes: `nmae` is reported at 10:15 instead of 10:24.
    func testEscapedLineBreakInDoubleQuotedScalar() {
        let ds = TC.diagnostics(TC.konnector(with: ["s: \"abc\\", "  def {{ trigger.nmae }}\""]))
        XCTAssertEqual(ds.map(\.tcSpan), ["unknown-reference@12:24-12:28"])
        // With an empty line after the escaped break (the value holds one `\n`): 13:23 instead of 13:24.
        let blank = TC.diagnostics(TC.konnector(with: ["s: \"x\\", "", "  def {{ trigger.nmae }}\""]))
        XCTAssertEqual(blank.map(\.tcSpan), ["unknown-reference@13:24-13:28"])
    }

    /// One cause, one diagnostic: a misspelled `with:` key (`wiht:`) is an
    /// unknown field, and the required inputs under it are not also missing
    /// (as for a misspelled `connection:`). Today each required input gives
    /// a `missing-field` too — for a step's inputs and a trigger's config.
    func testMisspelledWithKeyIsNotAlsoMissingInputs() {
        let step = TC.konnector(action: "need", with: ["rs: x", "re: a@b.co", "rb: true"])
            .replacingOccurrences(of: "    with:\n", with: "    wiht:\n")
        XCTAssertEqual(TC.diagnostics(step).map(\.tcBrief), ["unknown-field@10:5"])
        let trigger = """
        konnector: k
        name: K
        trigger:
          app: crm
          event: new_contact
          connection: crm-main
          wiht: {}
        steps:
          - id: a
            app: crm
            action: upsert_contact
            connection: crm-main
            width:
              email: a@b.co

        """
        XCTAssertEqual(TC.diagnostics(trigger).map(\.tcBrief), ["unknown-field@7:3", "unknown-field@13:5"])
    }

    /// A misspelled `when:` key is one cause: what it would have narrowed is
    /// not warned about. A misspelled step `if:` key is not treated the same
    /// way: its step's `with:` gets a `nullable` warning too.
    func testMisspelledIfKeyDoesNotWarnAboutWhatItWouldHaveNarrowed() {
        let text = TC.konnector(action: "need", with: ["rs: \"{{ trigger.note }}\"", "re: a@b.co", "rb: true"])
            .replacingOccurrences(of: "# no condition", with: "iff: trigger.note != null")
        let ds = TC.diagnostics(text)
        XCTAssertEqual(ds.map(\.tcSpan), ["unknown-field@9:5-9:8"])
    }

    /// Step ids are slugs (SPEC §2: `-` allowed, may start with a digit) and
    /// `steps.<id>` refers to any earlier step (§5.3), but the expression
    /// lexer reads `steps.send-it.id` as `steps.send - it.id`: two errors
    /// (unknown step `send`, unknown name `it`) for one reference that is
    /// right; `steps.2nd.id` is a syntax error. Either it resolves, or one
    /// diagnostic says why (or such ids are rejected where they are declared).
    func testStepIDsWithHyphensCanBeReferencedOrGiveOneDiagnostic() {
        let text = TC.head() + """
          - id: send-it
            app: shop
            action: take
          - id: then
            app: shop
            action: take
            with:
              s: "{{ steps.send-it.id }}"

        """
        let ds = TC.diagnostics(text)
        XCTAssertLessThanOrEqual(ds.count, 1, ds.map(\.tcBrief).joined(separator: ", "))
    }

    /// One cause, one diagnostic: a connections file that does not parse
    /// is reported once (yaml-syntax); the konnectors using the connections
    /// it defines are not also given `unknown-connection` (broken app
    /// schemas are handled so: references to them are silenced).
    func testAConnectionsFileWithASyntaxErrorIsReportedOnce() {
        let konnector = TC.head(trigger: "{app: crm, event: new_contact, connection: crm-main}") + """
          - {id: a, app: crm, action: upsert_contact, connection: crm-main, with: {email: a@b.co}}

        """
        let checked = ProjectValidator().validate(
            files: [TC.file("konnectors/k.yaml", konnector),
                    TC.file("konnectors/connections.yaml", "connection: crm-main\napp: crm\nscopes: [contacts.read, contacts.write\nsecret: env:X\n")],
            schemaFiles: TC.schemaFiles)
        XCTAssertEqual(checked.diagnostics.map { "\($0.file) \($0.code.rawValue)" }, ["konnectors/connections.yaml yaml-syntax"])
    }

    /// A misspelled `when:` key is one cause: what it would have narrowed is
    /// not warned about. A misspelled step `if:` key is not treated the same
    /// way: its step's `with:` gets a `nullable` warning too.
}
