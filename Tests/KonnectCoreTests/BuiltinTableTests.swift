// Issue 23 item 5: one table of the functions (`Builtin.table`) drives the
// checker, the evaluator, the messages and the docs; issue 19: a value of
// type `any` of the wrong kind is a runtime error naming the function or
// operator, never an answer computed on its JSON text (SPEC §5.3), and a
// template mixing text with one is never filled with JSON (SPEC §5.2).
import Foundation
import XCTest
@testable import KonnectCore

private let event: RuntimeValue = .object([
    "obj": .object(["a": .int(1), "b": .int(2)], order: ["a", "b"]),
    "list": .array([.int(1), .int(2)]),
    "nested": .array([.array([.int(1)]), .string("x")]),
    "text": .string("a,b"),
    "flag": .bool(true),
], order: ["obj", "list", "nested", "text", "flag"])

private func evaluate(_ source: String) throws -> RuntimeValue {
    try Evaluator(Environment(trigger: event, konnectorID: "k", konnectorName: "K", now: 0)).evaluate(ExpressionParser.parse(source))
}

final class BuiltinTableTests: XCTestCase {
    // MARK: the docs

    /// docs/language.md's function table: each row's name and signature, in order.
    static func documentedRows() throws -> [(String, String)] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/language.md"), encoding: .utf8)
        guard let section = text.range(of: "\n## Functions\n") else { return [] }
        var rows: [(String, String)] = []
        for line in text[section.upperBound...].split(separator: "\n") {
            if line.hasPrefix("## ") { break }
            guard line.hasPrefix("| `") else { continue }
            let cells = line.replacingOccurrences(of: "\\|", with: "¦").split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            rows.append((cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`")), cells[1]))
        }
        return rows
    }

    func testTheDocsTableIsTheCheckersTable() throws {
        let rows = try Self.documentedRows()
        XCTAssertEqual(rows.map(\.0), Builtin.names, "one row a function, in the table's order")
        for (name, shape) in rows {
            guard let f = Builtin(rawValue: name) else { continue }
            let expected = f.spec.shape.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            XCTAssertEqual(shape, expected, name)
        }
    }

    func testTheDocsListEveryDateConversion() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/language.md"), encoding: .utf8)
        XCTAssertTrue(text.contains("`" + Strftime.conversionList + "`"))
    }

    func testSignaturesAndAritiesComeFromTheTable() {
        XCTAssertEqual(Builtin.coalesce.signature, "coalesce(T?, …, T) → T")
        XCTAssertEqual(Builtin.round.signature, "round(number, integer = 0) → number")
        XCTAssertEqual(Builtin.addDays.signature, "add_days(date or datetime, integer) → same type")
        XCTAssertEqual(Builtin.round.spec.shape, "number, integer = 0 → number")
        XCTAssertEqual(Builtin.now.spec.shape, "→ datetime")
        for f in Builtin.allCases {
            XCTAssertEqual(f.arity.lowerBound, f.spec.required, f.rawValue)
            XCTAssertEqual(f.spec.parameters.count, f.signature.filter { $0 == "," }.count + (f.spec.parameters.isEmpty ? 0 : 1)
                           - (f.spec.variadic ? 1 : 0), f.rawValue)
        }
    }

    /// The evaluator checks each argument against the kind the checker checked.
    func testEveryParameterKindIsCheckedWhenItRuns() {
        for f in Builtin.allCases {
            for (i, parameter) in f.spec.parameters.enumerated() where parameter.kind != .value {
                var args = (0..<max(f.arity.lowerBound, i + 1)).map { Self.fitting(f.spec.parameter($0).kind) }
                XCTAssertNoThrow(try Functions.call(f, args, now: 0, exprs: []), f.rawValue)
                args[i] = .object(["a": .int(1)], order: ["a"])
                XCTAssertThrowsError(try Functions.call(f, args, now: 0, exprs: []), "\(f.rawValue) argument \(i + 1)") { error in
                    XCTAssertEqual((error as? RuntimeError)?.message,
                                   "argument \(i + 1) of `\(f.rawValue)` must be \(parameter.kind.expected), found object `{\"a\":1}`")
                }
            }
        }
    }

    /// A value each kind accepts.
    static func fitting(_ kind: Builtin.Kind) -> RuntimeValue {
        switch kind {
        case .string, .format, .stringOrArray, .scalar: return .string("x")
        case .integer, .number, .value: return .int(1)
        case .array, .scalarArray: return .array([.int(1)])
        case .temporal, .temporalOrString: return .date(0)
        }
    }

    // MARK: `any` values when they run

    func checkError(_ source: String, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try evaluate(source), source, file: file, line: line) { error in
            XCTAssertEqual((error as? RuntimeError)?.message, message, source, file: file, line: line)
        }
    }

    func testFunctionsOfTheWrongKindOfValueAreErrorsNamingThem() {
        checkError("length(trigger.obj)", "argument 1 of `length` must be a string or an array, found object `{\"a\":1,\"b\":2}`")
        checkError("trigger.list | lower", "argument 1 of `lower` must be a string, found array `[1,2]`")
        checkError("trigger.nested | join(',')", "argument 1 of `join` must be an array of scalars, found array `[[1],\"x\"]`")
        checkError("to_string(trigger.obj)", "argument 1 of `to_string` must be a scalar, found object `{\"a\":1,\"b\":2}`")
        checkError("trigger.flag | upper", "argument 1 of `upper` must be a string, found boolean `true`")
        checkError("trigger.text | split(trigger.list)", "argument 2 of `split` must be a string, found array `[1,2]`")
        checkError("trigger.obj | first", "argument 1 of `first` must be an array, found object `{\"a\":1,\"b\":2}`")
    }

    func testStringTestsOnTheWrongKindOfValueAreErrors() {
        checkError("trigger.obj contains 'a'",
                   "`contains` needs a string and a string, or an array and an element, found object `{\"a\":1,\"b\":2}` and string `a`")
        checkError("trigger.obj matches 'a'", "`matches` needs two strings, found object `{\"a\":1,\"b\":2}` and string `a`")
        checkError("trigger.list starts_with '['", "`starts_with` needs two strings, found array `[1,2]` and string `[`")
        checkError("trigger.text ends_with trigger.obj", "`ends_with` needs two strings, found string `a,b` and object `{\"a\":1,\"b\":2}`")
    }

    func testTheRightKindsStillWork() throws {
        XCTAssertEqual(try evaluate("length(trigger.list)"), .int(2))
        XCTAssertEqual(try evaluate("length(trigger.text)"), .int(3))
        XCTAssertEqual(try evaluate("trigger.list contains 2"), .bool(true))
        XCTAssertEqual(try evaluate("trigger.text contains ','"), .bool(true))
        XCTAssertEqual(try evaluate("trigger.text matches '^a'"), .bool(true))
        XCTAssertEqual(try evaluate("trigger.list | join('-')"), .string("1-2"))
        XCTAssertEqual(try evaluate("to_string(trigger.flag)"), .string("true"))
    }

    func testAMixedTemplateNeverInsertsJSON() throws {
        let evaluator = Evaluator(Environment(trigger: event, konnectorID: "k", konnectorName: "K", now: 0))
        for path in ["trigger.obj", "trigger.list"] {
            let template = CheckedValue.template([.text("got "), .expression(try ExpressionParser.parse(path))])
            XCTAssertThrowsError(try evaluator.render(template, as: .string), path) { error in
                let message = (error as? RuntimeError)?.message ?? ""
                XCTAssertTrue(message.hasPrefix("`{{ \(path) }}` gave "), message)
                XCTAssertTrue(message.hasSuffix("which cannot be put into text (not-interpolable)"), message)
            }
        }
        let scalar = CheckedValue.template([.text("got "), .expression(try ExpressionParser.parse("trigger.text"))])
        XCTAssertEqual(try evaluator.render(scalar, as: .string), .string("got a,b"))
        // A whole-value template keeps its array: no text is made.
        XCTAssertEqual(try evaluator.render(.expression(try ExpressionParser.parse("trigger.list")), as: .any), .array([.int(1), .int(2)]))
    }
}
