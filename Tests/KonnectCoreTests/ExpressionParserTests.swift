import XCTest
@testable import KonnectCore
import KonnectYAML

// The expression language's parser (SPEC §5.3 grammar) and its canonical
// printer (SPEC §8: cosmetic edits never change a compiled definition).

/// A fully parenthesised, span-free rendering of a syntax tree, to test
/// the parser's shape independently of the printer.
func tcTree(_ e: KonnectCore.Expression) -> String {
    switch e.kind {
    case .literal(let l):
        switch l {
        case .integer(let i): return "\(i)"
        case .number(let d): return "\(d)"
        case .string(let s): return "'\(s)'"
        case .boolean(let b): return "\(b)"
        case .null: return "null"
        }
    case .root(let r): return r.rawValue
    case .step(let id, _): return "steps.\(id)"
    case .name(let n): return "?\(n)"
    case .member(let base, let name, _): return "\(tcTree(base)).\(name)"
    case .index(let base, let index): return "\(tcTree(base))[\(tcTree(index))]"
    case .unary(let op, let operand): return "(\(op.rawValue) \(tcTree(operand)))"
    case .binary(let op, let l, let r): return "(\(tcTree(l)) \(op.rawValue) \(tcTree(r)))"
    case .call(let name, let args, let piped, _):
        return "\(name)\(piped ? "|" : "")(" + args.map(tcTree).joined(separator: ", ") + ")"
    case .array(let items): return "[" + items.map(tcTree).joined(separator: ", ") + "]"
    }
}

/// The same tree with every span zeroed, so trees parsed from different
/// spellings compare equal.
func tcWithoutSpans(_ e: KonnectCore.Expression) -> KonnectCore.Expression {
    let none = 0..<0
    let kind: KonnectCore.Expression.Kind
    switch e.kind {
    case .literal, .root, .name: kind = e.kind
    case .step(let id, _): kind = .step(id, idSpan: none)
    case .member(let base, let name, _): kind = .member(tcWithoutSpans(base), name, nameSpan: none)
    case .index(let base, let index): kind = .index(tcWithoutSpans(base), tcWithoutSpans(index))
    case .unary(let op, let operand): kind = .unary(op, tcWithoutSpans(operand))
    case .binary(let op, let l, let r): kind = .binary(op, tcWithoutSpans(l), tcWithoutSpans(r))
    case .call(let name, let args, let piped, _): kind = .call(name, args.map(tcWithoutSpans), piped: piped, nameSpan: none)
    case .array(let items): kind = .array(items.map(tcWithoutSpans))
    }
    return KonnectCore.Expression(kind, span: none)
}

/// `render` of `source` parsed; "" (and a failure) when it does not parse.
func tcRender(_ source: String, _ render: (KonnectCore.Expression) -> String,
              file: StaticString = #filePath, line: UInt = #line) -> String {
    do {
        return render(try ExpressionParser.parse(source))
    } catch {
        XCTFail("`\(source)` does not parse: \(error.message)", file: file, line: line)
        return ""
    }
}

/// Asserts, for each pair in order, that the source parses and `render` of it is the expected text.
func tcAssertRenders(_ cases: KeyValuePairs<String, String>, _ render: (KonnectCore.Expression) -> String,
                     file: StaticString = #filePath, line: UInt = #line) {
    for (source, expected) in cases {
        XCTAssertEqual(tcRender(source, render, file: file, line: line), expected, source, file: file, line: line)
    }
}

final class ExpressionParserTests: XCTestCase {
    func tree(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        tcRender(source, tcTree, file: file, line: line)
    }

    /// Asserts `tree(source) == expected` for each pair, in order.
    func assertTrees(_ cases: KeyValuePairs<String, String>, file: StaticString = #filePath, line: UInt = #line) {
        tcAssertRenders(cases, tcTree, file: file, line: line)
    }

    func failure(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> ExpressionSyntaxError? {
        do {
            let e = try ExpressionParser.parse(source)
            XCTFail("`\(source)` parses as \(tcTree(e))", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    // MARK: precedence and associativity

    func testBooleanPrecedence() {
        assertTrees([
            "trigger.a or trigger.b and trigger.c": "(trigger.a or (trigger.b and trigger.c))",
            "trigger.a and trigger.b or trigger.c": "((trigger.a and trigger.b) or trigger.c)",
            "not trigger.a and trigger.b": "((not trigger.a) and trigger.b)",
            "not trigger.a == 1": "(not (trigger.a == 1))",
            "not not trigger.a": "(not (not trigger.a))",
            "trigger.a == 1 and trigger.b != 2": "((trigger.a == 1) and (trigger.b != 2))",
        ])
    }

    func testArithmeticPrecedence() {
        assertTrees([
            "1 + 2 * 3": "(1 + (2 * 3))",
            "(1 + 2) * 3": "((1 + 2) * 3)",
            "1 - 2 - 3": "((1 - 2) - 3)",
            "8 / 4 / 2": "((8 / 4) / 2)",
            "7 % 3 * 2": "((7 % 3) * 2)",
            "-1 * 2": "((- 1) * 2)",
            "- -1": "(- (- 1))",
            "-trigger.a.b": "(- trigger.a.b)",
            "1 + 2 > 2 * 1": "((1 + 2) > (2 * 1))",
        ])
    }

    func testComparisonOperators() {
        for op in ["==", "!=", "<", "<=", ">", ">=", "in", "contains", "starts_with", "ends_with", "matches"] {
            XCTAssertEqual(tree("trigger.a \(op) 'x'"), "(trigger.a \(op) 'x')", op)
        }
        XCTAssertEqual(tree("trigger.a<=1"), "(trigger.a <= 1)")
    }

    func testComparisonsDoNotChain() {
        let e = failure("1 < 2 < 3")
        XCTAssertEqual(e?.message, "unexpected `<` after the end of the expression")
        XCTAssertEqual(e?.span, 6..<7)
        XCTAssertEqual(e?.hint, "comparisons do not chain; combine them with `and`")
        XCTAssertEqual(tree("(1 < 2) == true"), "((1 < 2) == true)")
    }

    func testPostfix() {
        assertTrees([
            "trigger.items[0].sku": "trigger.items[0].sku",
            "trigger.a[trigger.b[1]]": "trigger.a[trigger.b[1]]",
            "steps.send.output.id": "steps.send.output.id",
            "konnector.name": "konnector.name",
            "trigger['a b']": "trigger['a b']",
            "[1, 2][0]": "[1, 2][0]",
            "(trigger.a).b": "trigger.a.b",
            "f(1).x": "f(1).x",
        ])
    }

    func testPipes() {
        assertTrees([
            "trigger.a | lower": "lower|(trigger.a)",
            "trigger.a | truncate(3) | upper": "upper|(truncate|(trigger.a, 3))",
            "truncate(trigger.a, 3)": "truncate(trigger.a, 3)",
            // The pipe binds loosest: it applies to the whole expression on its left.
            "trigger.a + trigger.b | upper": "upper|((trigger.a + trigger.b))",
            "trigger.a or trigger.b | f": "f|((trigger.a or trigger.b))",
            "trigger.a + (trigger.b | upper)": "(trigger.a + upper|(trigger.b))",
            // Arguments are full expressions, pipes included.
            "default(trigger.a | lower, 'x' + 'y')": "default(lower|(trigger.a), ('x' + 'y'))",
            "trigger.a | default(trigger.b | upper)": "default|(trigger.a, upper|(trigger.b))",
            "now()": "now()",
            "[trigger.a | lower, 1]": "[lower|(trigger.a), 1]",
            "trigger.a[trigger.i | abs]": "trigger.a[abs|(trigger.i)]",
        ])
    }

    // MARK: literals

    func testLiterals() {
        assertTrees([
            "42": "42",
            "007": "7",
            "1.5": "1.5",
            "1e3": "1000.0",
            "2.5E-1": "0.25",
            "true": "true",
            "false": "false",
            "null": "null",
            "[]": "[]",
            "['a', 1, null]": "['a', 1, null]",
            // Too large for an integer: a number.
            "99999999999999999999": "1e+20",
        ])
        // `1.` is the integer 1 followed by a `.`.
        XCTAssertEqual(failure("1.")?.message, "expected a field name after `.`, found `end of expression`")
    }

    func testStringEscapes() throws {
        func string(_ source: String) throws -> String? {
            if case .literal(.string(let s)) = try ExpressionParser.parse(source).kind { return s }
            return nil
        }
        let cases: KeyValuePairs<String, String> = [
            "'it\\'s'": "it's",
            "\"say \\\"hi\\\"\"": "say \"hi\"",
            "'a\\\\b'": "a\\b",
            "'line\\nnext\\tcol'": "line\nnext\tcol",
            "\"it's\"": "it's",
            "'ü 😀'": "ü 😀",
            "''": "",
        ]
        for (source, expected) in cases {
            XCTAssertEqual(try string(source), expected, source)
        }
        let e = failure("'a\\qb'")
        XCTAssertEqual(e?.message, "unknown escape `\\q` in a string")
        XCTAssertEqual(e?.span, 2..<4)
        XCTAssertEqual(e?.hint, "the escapes are \\\\ \\' \\\" \\n \\t")
    }

    // MARK: errors, with their byte spans

    func testSyntaxErrors() {
        let cases: [(String, String, Range<Int>, String?)] = [
            ("", "the expression is empty", 0..<0, nil),
            ("   ", "the expression is empty", 0..<3, nil),
            ("trigger.", "expected a field name after `.`, found `end of expression`", 8..<8, nil),
            ("trigger.1", "expected a field name after `.`, found `1`", 8..<9, nil),
            ("trigger.a &&", "unexpected character `&`", 10..<11, "write `and`"),
            ("trigger.a = 1", "unexpected character `=`", 10..<11, "compare with `==`"),
            ("!trigger.a", "unexpected character `!`", 0..<1, "write `not` or `!=`"),
            // `||` is two pipes, the second where a function name should be.
            ("trigger.a || trigger.b", "expected a function name after `|`, found `|`", 11..<12, nil),
            ("'abc", "string is not closed", 0..<4, "close it with `'`"),
            ("\"abc", "string is not closed", 0..<4, "close it with `\"`"),
            ("(1 + 2", "expected `)` to close `(`, found `end of expression`", 6..<6, nil),
            ("f(1, 2", "expected `)` to close the arguments of `f`, found `end of expression`", 6..<6, nil),
            ("f(1,)", "unexpected `)` where a value was expected", 4..<5, nil),
            ("[1, 2", "expected `]` to close the list, found `end of expression`", 5..<5, nil),
            ("trigger.a[1", "expected `]` to close the index, found `end of expression`", 11..<11, nil),
            ("trigger.a |", "expected a function name after `|`, found `end of expression`", 11..<11, nil),
            ("trigger.a | 1", "expected a function name after `|`, found `1`", 12..<13, nil),
            ("trigger.a | and", "expected a function name after `|`, found `and`", 12..<15, nil),
            ("trigger.a | f(1", "expected `)` to close the arguments of `f`, found `end of expression`", 15..<15, nil),
            ("steps", "`steps` must be followed by a step id: `steps.<id>`", 0..<5, nil),
            ("steps.'x'", "expected a step id after `steps.`, found `string`", 6..<9, nil),
            ("and trigger.a", "unexpected `and` where a value was expected", 0..<3, nil),
            ("trigger.a and", "the expression ends where a value was expected", 13..<13, nil),
            ("1 +", "the expression ends where a value was expected", 3..<3, nil),
            ("* 2", "unexpected `*` where a value was expected", 0..<1, nil),
            ("trigger.a trigger.b", "unexpected `trigger` after the end of the expression", 10..<17, nil),
            // `1e999` parses (as infinity): the checker reports it, `invalid-value` (SPEC §9).
            ("1e999 1", "unexpected `1` after the end of the expression", 6..<7, nil),
            ("trigger.a ; 1", "unexpected character `;`", 10..<11, nil),
            ("{ trigger.a }", "unexpected character `{`", 0..<1, "`{{` and `}}` only delimit templates; write a literal brace inside quotes"),
            ("'é' é", "unexpected character `é`", 5..<7, nil),
            // A lexical error wins over a grammar error before it: the parser pulls
            // tokens one by one, and lexes the rest when the grammar fails.
            ("trigger.a trigger.b $", "unexpected character `$`", 20..<21, nil),
            ("* 2 'open", "string is not closed", 4..<9, "close it with `'`"),
            ("and x 1e999 $", "unexpected character `$`", 12..<13, nil),
            ("steps.-a ;", "unexpected character `;`", 9..<10, nil),
            ("(1 + ) + 2 &", "unexpected character `&`", 11..<12, "write `and`"),
        ]
        for (source, message, span, hint) in cases {
            guard let e = failure(source) else { continue }
            XCTAssertEqual(e.message, message, source)
            XCTAssertEqual(e.span, span, source)
            XCTAssertEqual(e.hint, hint, source)
        }
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500)
        XCTAssertEqual(failure(deep)?.message, "expression nested more than \(ExpressionParser.maxDepth) levels deep")
        let minus = String(repeating: "-", count: 500) + "1"
        XCTAssertNotNil(failure(minus))
        let nots = String(repeating: "not ", count: 500) + "true"
        XCTAssertNotNil(failure(nots))
        let lists = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        XCTAssertNotNil(failure(lists))
        let calls = String(repeating: "f(", count: 500) + String(repeating: ")", count: 500)
        XCTAssertNotNil(failure(calls))
        // 60 levels are fine.
        XCTAssertEqual(tree(String(repeating: "(", count: 60) + "1" + String(repeating: ")", count: 60)), "1")
    }

    /// Chains nest no brackets, but their trees are as tall as they are
    /// long, and checking, running and printing all recurse down them: a
    /// chain of 16,000 crashed every command (found by fuzzing).
    func testLongChainsAreAnErrorNotACrash() throws {
        let message = "expression more than \(ExpressionParser.maxHeight) operations deep"
        for (term, joiner) in [("1", " + "), ("true", " and "), ("'a'", " | trim"), ("", ".a"), ("", "[0]")] {
            for count in [20_000, ExpressionParser.maxHeight] {
                let chain = joiner.hasPrefix(" |") || joiner.hasPrefix(".") || joiner.hasPrefix("[")
                    ? (term.isEmpty ? "trigger" : term) + String(repeating: joiner, count: count)
                    : Array(repeating: term, count: count + 1).joined(separator: joiner)
                XCTAssertEqual(failure(chain)?.message, message, "\(joiner) × \(count)")
            }
            let fine = joiner.hasPrefix(" |") || joiner.hasPrefix(".") || joiner.hasPrefix("[")
                ? (term.isEmpty ? "trigger" : term) + String(repeating: joiner, count: ExpressionParser.maxHeight - 1)
                : Array(repeating: term, count: ExpressionParser.maxHeight).joined(separator: joiner)
            XCTAssertEqual(try ExpressionParser.parse(fine).height, ExpressionParser.maxHeight, joiner)
        }
    }

    func testSpansOfNodes() throws {
        let e = try ExpressionParser.parse("  trigger.customer.email | lower ")
        XCTAssertEqual(e.span, 2..<32)
        guard case .call(_, let args, true, let nameSpan) = e.kind, case .member(let base, "email", let emailSpan) = args[0].kind else {
            return XCTFail(tcTree(e))
        }
        XCTAssertEqual(nameSpan, 27..<32)
        XCTAssertEqual(emailSpan, 19..<24)
        XCTAssertEqual(args[0].span, 2..<24)
        XCTAssertEqual(base.span, 2..<18)
        let step = try ExpressionParser.parse("steps.notify.ts")
        guard case .member(let s, _, _) = step.kind, case .step("notify", let idSpan) = s.kind else { return XCTFail(tcTree(step)) }
        XCTAssertEqual(idSpan, 6..<12)
        // Spans are bytes of the source.
        let multibyte = try ExpressionParser.parse("'é' + trigger.x")
        guard case .binary(_, _, let r) = multibyte.kind else { return XCTFail() }
        XCTAssertEqual(r.span, 7..<16)
    }

    func testPathKeys() throws {
        XCTAssertEqual(try ExpressionParser.parse("trigger.customer.email").pathKey, "trigger.customer.email")
        XCTAssertEqual(try ExpressionParser.parse("steps.a.id").pathKey, "steps.a.id")
        XCTAssertNil(try ExpressionParser.parse("trigger.items[0].sku").pathKey)
        XCTAssertNil(try ExpressionParser.parse("trigger.a | lower").pathKey)
    }

    /// `spellsPath(k)` holds exactly when `pathKey == k`, for every pair of these.
    func testSpellsPathAgreesWithPathKey() throws {
        let sources = ["trigger", "konnector", "trigger.customer", "trigger.customer.email", "trigger.customeremail",
                       "steps.a", "steps.a.id", "steps.ab.id", "steps.send-it.x", "trigger.items[0].sku", "trigger.a | lower",
                       "customer.email", "trigger.steps", "steps.trigger", "'trigger'"]
        let keys = sources + ["", ".", "steps.", "trigger.", ".email", "trigger..email", "steps.a.", "xtrigger.customer.email",
                              "trigger.customer.emai", "steps.a.idx", "steps", "steps..a"]
        for source in sources {
            let e = try ExpressionParser.parse(source)
            for key in keys {
                XCTAssertEqual(e.spellsPath(key), e.pathKey == key, "\(source) against \(key)")
            }
        }
    }
}

// MARK: - Canonical printing

final class ExpressionPrinterTests: XCTestCase {
    func canonical(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        tcRender(source, ExpressionPrinter.print, file: file, line: line)
    }

    /// Asserts `canonical(source) == expected` for each pair, in order.
    func assertCanonical(_ cases: KeyValuePairs<String, String>, file: StaticString = #filePath, line: UInt = #line) {
        tcAssertRenders(cases, ExpressionPrinter.print, file: file, line: line)
    }

    func testSpacing() {
        assertCanonical([
            "trigger.a+1": "trigger.a + 1",
            "  trigger.a   ==   'x'  ": "trigger.a == 'x'",
            "trigger.a|lower": "trigger.a | lower",
            "trigger.a|truncate( 3 )": "trigger.a | truncate(3)",
            "replace( trigger.a ,'x','y' )": "replace(trigger.a, 'x', 'y')",
            "[ 1,2 ,3 ]": "[1, 2, 3]",
            "trigger.a[ 0 ]": "trigger.a[0]",
            "not    trigger.a": "not trigger.a",
            "- 1": "-1",
            "trigger.a\tand\ntrigger.b": "trigger.a and trigger.b",
            "now( )": "now()",
        ])
    }

    func testLiteralsAreCanonical() {
        assertCanonical([
            "\"x\"": "'x'",
            "\"it's\"": "'it\\'s'",
            "'a\\\\b'": "'a\\\\b'",
            "\"tab\\there\\nnewline\"": "'tab\\there\\nnewline'",
            "\"say \\\"hi\\\"\"": "'say \"hi\"'",
            "1.50": "1.5",
            "1.0": "1.0",
            "1e3": "1000.0",
            "0.1": "0.1",
            "007": "7",
            "null": "null",
            "true": "true",
        ])
    }

    func testMinimalParentheses() {
        assertCanonical([
            "(trigger.a + trigger.b) * 2": "(trigger.a + trigger.b) * 2",
            "trigger.a + (trigger.b * 2)": "trigger.a + trigger.b * 2",
            "((trigger.a))": "trigger.a",
            "(1 - 2) - 3": "1 - 2 - 3",
            "1 - (2 - 3)": "1 - (2 - 3)",
            "1 / (2 * 3)": "1 / (2 * 3)",
            "(1 * 2) / 3": "1 * 2 / 3",
            "(trigger.a or trigger.b) and trigger.c": "(trigger.a or trigger.b) and trigger.c",
            "trigger.a or (trigger.b and trigger.c)": "trigger.a or trigger.b and trigger.c",
            "not (trigger.a and trigger.b)": "not (trigger.a and trigger.b)",
            "not (trigger.a == 1)": "not trigger.a == 1",
            "(not trigger.a) and trigger.b": "not trigger.a and trigger.b",
            "-(1 + 2)": "-(1 + 2)",
            "(-1) * 2": "-1 * 2",
            "(trigger.a == 1) == true": "(trigger.a == 1) == true",
            "trigger.a == (1 == 1)": "trigger.a == (1 == 1)",
            "(1 + 2) > 3": "1 + 2 > 3",
            "(trigger.a | lower) + 'x'": "(trigger.a | lower) + 'x'",
            "(trigger.a + 'x') | lower": "trigger.a + 'x' | lower",
            "(trigger.a | lower) | upper": "trigger.a | lower | upper",
            "(trigger.a)[0]": "trigger.a[0]",
            "(trigger.a + 1)[0]": "(trigger.a + 1)[0]",
            "(-trigger.a).b": "(-trigger.a).b",
            "f((1 + 2), (trigger.a | lower))": "f(1 + 2, trigger.a | lower)",
            "[(1), (trigger.a or trigger.b)]": "[1, trigger.a or trigger.b]",
        ])
    }

    func testCallFormsArePreserved() {
        assertCanonical([
            "lower(trigger.a)": "lower(trigger.a)",
            "trigger.a | lower": "trigger.a | lower",
            "trigger.a | lower()": "trigger.a | lower",
        ])
    }

    /// parse(print(e)) == e, spans aside, and printing is idempotent.
    func testRoundTrip() throws {
        let corpus = [
            "trigger.total_price >= 100 and trigger.customer.email != null",
            "trigger.customer.first_name | default('friend') | title",
            "trigger.a or trigger.b and not trigger.c or trigger.d",
            "not not trigger.a",
            "(trigger.a or trigger.b) and (trigger.c or not trigger.d)",
            "1 - (2 - (3 - 4))", "((1 - 2) - 3) - 4", "-(-(1))", "- -1", "-trigger.a * -2", "2 * -(trigger.a + 1)",
            "1 + 2 * 3 / 4 % 5 - 6", "(1 + 2) * (3 - 4) / (5 % 6)",
            "trigger.a contains 'x' and 'y' in trigger.b", "trigger.a starts_with 'x' or trigger.a ends_with 'y'",
            "trigger.a matches '^[a-z]+\\\\d$'",
            "(trigger.a == 1) != (trigger.b == 2)", "(1 < 2) == (3 >= 4)",
            "trigger.items[0].sku", "trigger.items[trigger.n - 1].price * 2", "trigger['odd key'].x",
            "steps.subscribe.status == 'subscribed'", "konnector.name + ': ' + konnector.id",
            "replace(trigger.a | lower, ' ', '-') | truncate(10)", "coalesce(trigger.a, trigger.b, 'x')",
            "round(trigger.total * 1.2, 2)", "trigger.total | round(0)", "format_date(now(), '%Y-%m-%d')",
            "[1, 2.5, 'x', null, true, [false]]", "[]", "[trigger.a | lower][0]", "(trigger.a | split(','))[1]",
            "'it\\'s' + \"\\\"q\\\"\" + '\\n\\t\\\\'", "0.1 + 1e3 + 1.0 + 99999999999999999999",
            "(trigger.a + 1) | to_string", "trigger.a + 1 | to_string", "(not trigger.a) == false",
            "trigger.a | default(trigger.b | default('x'))", "f(g(h(1)))", "(-trigger.a).b", "(trigger.a | f).b",
        ]
        for source in corpus {
            let parsed = try ExpressionParser.parse(source)
            let printed = ExpressionPrinter.print(parsed)
            let reparsed: KonnectCore.Expression
            do {
                reparsed = try ExpressionParser.parse(printed)
            } catch {
                XCTFail("`\(source)` prints as `\(printed)`, which does not parse: \(error)")
                continue
            }
            XCTAssertEqual(tcWithoutSpans(reparsed), tcWithoutSpans(parsed), "`\(source)` → `\(printed)`: \(tcTree(parsed)) vs \(tcTree(reparsed))")
            XCTAssertEqual(ExpressionPrinter.print(reparsed), printed, "printing is not idempotent for `\(source)`")
        }
    }

    /// Cosmetic edits of a konnector's expressions give the same compiled text.
    func testCosmeticVariantsPrintTheSame() throws {
        let variants = [
            "trigger.a>=100 and(trigger.b!=null)",
            "  (trigger.a >= 100)   and   trigger.b != null ",
            "((trigger.a >= 100) and (trigger.b != null))",
            "trigger.a\n  >= 100\n  and trigger.b != null",
        ]
        let printed = Set(try variants.map { ExpressionPrinter.print(try ExpressionParser.parse($0)) })
        XCTAssertEqual(printed, ["trigger.a >= 100 and trigger.b != null"])
        let quotes = Set(try ["trigger.a | default(\"x\")", "trigger.a|default('x')", "(trigger.a) | default( 'x' )"]
            .map { ExpressionPrinter.print(try ExpressionParser.parse($0)) })
        XCTAssertEqual(quotes, ["trigger.a | default('x')"])
    }
}
