// Issue 18, class 1: no input makes a recursive stage overflow the stack.
// Each recursion whose depth a file controls is bounded (`limit-exceeded` at
// 64 levels, SPEC §6, or a parse error) and has a test here with input deep
// enough to have crashed before it was.
import Foundation
import XCTest
@testable import KonnectCore
import KonnectYAML

final class DepthLimitTests: XCTestCase {
    func loadSchema(_ body: String) -> (SchemaSet, [Diagnostic]) {
        let text = "app: x\nname: X\nauth: none\n" + body
        let (set, diagnostics, _) = SchemaLoader().load([SourceFile(path: "schemas/x.yaml", bytes: Array(text.utf8))])
        return (set, Diagnostic.sorted(diagnostics))
    }

    /// `types:` declaring `T0: {x: T1?}`, `T1: {x: T2?}` … down to a string.
    func chain(_ count: Int, reversed: Bool = false) -> String {
        var types = (0..<count).map { i in
            "  T\(i):\n    x: \(i == count - 1 ? "string" : "T\(i + 1)?")\n"
        }
        if reversed { types.reverse() }
        return "types:\n" + types.joined() + "triggers:\n  ev:\n    output:\n      t: T0\n"
    }

    func codes(_ diagnostics: [Diagnostic]) -> [String] { diagnostics.map(\.code.rawValue) }

    // MARK: schema types

    /// A chain of a few thousand named types overflowed the stack while
    /// the loader resolved one type through the next.
    func testALongChainOfNamedTypesIsLimitExceeded() {
        for reversed in [false, true] {
            let (set, diagnostics) = loadSchema(chain(5_000, reversed: reversed))
            XCTAssertEqual(codes(diagnostics), ["limit-exceeded"], "reversed: \(reversed)")
            XCTAssertEqual(diagnostics.first?.message, "type nested deeper than 64 levels")
            XCTAssertNil(set["x"])
        }
    }

    /// 64 levels are allowed, 65 are not, whatever order the types are
    /// declared in: the output's object and 63 named types are 64.
    func testNamedTypesNestUpTo64Levels() throws {
        for reversed in [false, true] {
            let (set, diagnostics) = loadSchema(chain(63, reversed: reversed))
            XCTAssertEqual(diagnostics, [], "reversed: \(reversed)")
            XCTAssertEqual(set["x"]?.trigger("ev")?.output.description, "{ t: T0 }")
            XCTAssertEqual(codes(loadSchema(chain(64, reversed: reversed)).1), ["limit-exceeded"], "reversed: \(reversed)")
        }
    }

    /// `array<array<…>>` 100,000 levels deep overflowed the type parser.
    func testADeeplyNestedTypeStringIsLimitExceeded() throws {
        func field(_ depth: Int) -> String {
            "triggers:\n  ev:\n    output:\n      t: \"" + String(repeating: "array<", count: depth) + "string"
                + String(repeating: ">", count: depth) + "\"\n"
        }
        let (set, diagnostics) = loadSchema(field(100_000))
        XCTAssertEqual(codes(diagnostics), ["limit-exceeded"])
        XCTAssertEqual(diagnostics.first?.range.start.line, 7)
        XCTAssertNil(set["x"])
        XCTAssertEqual(loadSchema(field(63)).1, [])
        XCTAssertEqual(codes(loadSchema(field(64)).1), ["limit-exceeded"])
        XCTAssertThrowsError(try TypeParser(resolveName: { _ in nil }).parse(String(repeating: "array<", count: 100_000)))
    }

    /// Arrays, inline objects and named types count together: the output's
    /// object, `array<…>` and a chain of 63 are 65 levels.
    func testArraysAndNamedTypesCountTogether() {
        XCTAssertEqual(loadSchema(chain(62) + "      list: array<T0>\n").1, [])
        let (_, diagnostics) = loadSchema(chain(63) + "      list: array<T0>\n")
        XCTAssertEqual(codes(diagnostics), ["limit-exceeded"])
        XCTAssertEqual(diagnostics.first?.range.start.line, 2 * 63 + 8)  // the output type
        XCTAssertEqual(loadSchema(chain(62) + "      list: { inner: T0 }\n").1, [])
        XCTAssertEqual(codes(loadSchema(chain(63) + "      list: { inner: T0 }\n").1), ["limit-exceeded"])
    }

    // MARK: JSON (plan files and the library are untrusted, SPEC §7, §8)

    /// Runs `body` on a thread with a small stack, as a worker thread may
    /// have: what is bounded must fit in it.
    func onSmallStack(kilobytes: Int = 512, _ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            done.signal()
        }
        thread.stackSize = kilobytes << 10
        thread.start()
        done.wait()
    }

    func testDeepJSONIsAParseErrorNotACrash() {
        for open in ["[", "{\"a\":"] {
            XCTAssertThrowsError(try JSONParser.parse(String(repeating: open, count: 100_000))) { error in
                XCTAssertTrue("\(error)".contains("nested more than \(JSONParser.maxDepth) levels"), "\(error)")
            }
        }
        let fine = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        XCTAssertNoThrow(try JSONParser.parse(fine))
        XCTAssertThrowsError(try JSONParser.parse("[" + fine + "]"))
    }

    /// Everything that walks parsed JSON fits in a small stack at the
    /// deepest JSON the parser accepts (at 512 levels the differ did not).
    func testTheDeepestJSONIsWalkedSafely() throws {
        let depth = JSONParser.maxDepth
        let text = "{\"steps\":[],\"with\":" + String(repeating: "{\"a\":[", count: (depth - 1) / 2) + "1"
            + String(repeating: "]}", count: (depth - 1) / 2) + "}"
        let json = try JSONParser.parse(text)
        let other = try JSONParser.parse(text.replacingOccurrences(of: "1", with: "2"))
        onSmallStack {
            XCTAssertEqual(json.serialized(), text)
            XCTAssertEqual(json.serialized(sortedKeys: true).count, text.count)
            XCTAssertFalse(json.pretty().isEmpty)
            XCTAssertNotEqual(json, other)
            XCTAssertEqual(DefinitionDiffer.diff(before: json, after: other, sensitivePaths: []).count, 1)
            XCTAssertNil(try? PlanFile.decode(text))
        }
    }

    // MARK: expressions

    /// The parser bounds nesting (64) and chains (256 operations); the
    /// checker, printer and evaluator recurse on what it builds. Through
    /// the whole checker, each is one diagnostic.
    func testDeepExpressionsAreOneDiagnosticEach() {
        let n = 100_000
        for source in [String(repeating: "(", count: n) + "true" + String(repeating: ")", count: n),
                       String(repeating: "not ", count: n) + "true",
                       String(repeating: "-", count: n) + "1 == 1",
                       String(repeating: "[", count: n) + String(repeating: "]", count: n) + " == null",
                       "true" + String(repeating: " and true", count: n)] {
            let diagnostics = TC.condition(source)
            XCTAssertEqual(diagnostics.map(\.code), [.expressionSyntax], String(source.prefix(20)))
        }
        let template = "\"" + String(repeating: "{{ (", count: 2_000) + "\""
        XCTAssertEqual(TC.diagnostics(TC.konnector(with: ["s: \(template)"])).map(\.code), [.expressionSyntax])
    }

    /// The deepest expression the parser accepts is checked, printed,
    /// compiled and evaluated on a small stack (2 MiB: a debug build's
    /// frames are large; worker threads have 8 MiB).
    func testTheDeepestExpressionRunsSafely() throws {
        let nested = String(repeating: "(", count: 60) + "trigger.count" + String(repeating: " + 1", count: 190)
            + String(repeating: ")", count: 60) + " > 0"
        let project = TC.validate(TC.konnector(when: TC.quoted(nested), with: ["s: x"]))
        XCTAssertEqual(project.diagnostics, [])
        let k = try XCTUnwrap(project.checkedKonnectors.first)
        onSmallStack(kilobytes: 2048) {
            XCTAssertTrue(Compiler.compile(k).definition?.serialized().contains("trigger.count + 1 + 1") == true)
            let trace = Simulator(now: 0).run(k, event: .object(["count": .int(1)], order: ["count"]))
            XCTAssertFalse(trace.filtered)
        }
    }
}
