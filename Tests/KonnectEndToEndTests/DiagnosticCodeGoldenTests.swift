import Foundation
import XCTest

/// One golden end-to-end test per diagnostic code of SPEC §6.
///
/// Each `Tests/Fixtures/codes/<code>/` is a tiny project whose
/// `expected.json` holds the diagnostics `konnect validate --format json`
/// must report — every field: code, severity, file, line, column, end_line,
/// end_column, message, hint. Every diagnostic of a fixture has the
/// fixture's code (one cause, one diagnostic: nothing else cascades).
///
/// `owned-elsewhere` needs a library: its fixture holds two projects,
/// `alpha` applies, then `beta` plans the same ids.
///
/// Run with `KONNECT_UPDATE_GOLDEN=1` to rewrite the `expected.json` files
/// from the current output — then review the diff: a golden file blesses
/// what it holds.
final class DiagnosticCodeGoldenTests: XCTestCase {
    static let codesDirectory = KonnectRunner.packageRoot
        .appendingPathComponent("Tests").appendingPathComponent("Fixtures").appendingPathComponent("codes")

    /// The codes of SPEC §6, in its order.
    static let specCodes = [
        "yaml-syntax", "invalid-utf8", "duplicate-key", "limit-exceeded", "unreadable", "comment-in-value",
        "unknown-document", "unknown-field",
        "missing-field", "invalid-value", "duplicate-id", "unknown-app", "unknown-trigger", "unknown-action",
        "unknown-connection", "connection-app-mismatch", "missing-scope", "missing-connection", "literal-secret",
        "expression-syntax", "unknown-reference", "unknown-function", "type-mismatch", "not-interpolable",
        "nullable", "unchecked-enum", "invalid-schema", "owned-elsewhere",
    ]

    /// Codes that are warnings: validate still succeeds, unless `--strict`.
    static let warningCodes: Set<String> = ["nullable", "unchecked-enum", "comment-in-value"]

    static let fields = ["code", "severity", "file", "line", "column", "end_line", "end_column", "message", "hint"]

    static var updating: Bool { ProcessInfo.processInfo.environment["KONNECT_UPDATE_GOLDEN"] == "1" }

    // MARK: helpers

    /// A fresh temporary copy of a fixture folder, removed after the test.
    func copy(_ code: String) throws -> URL {
        let destination = try FixtureProject.copy(code, in: "codes", for: self)
        try? FileManager.default.removeItem(at: destination.appendingPathComponent("expected.json"))
        return destination
    }

    /// Keeps the golden fields of each diagnostic, in a stable order.
    func normalized(_ diagnostics: [[String: Any]]) -> [[String: Any]] {
        diagnostics.map { d in
            var out: [String: Any] = [:]
            for key in Self.fields { out[key] = d[key] ?? NSNull() }
            return out
        }
    }

    func render(_ diagnostics: [[String: Any]]) throws -> Data {
        var data = try JSONSerialization.data(withJSONObject: diagnostics, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        data.append(0x0A)
        return data
    }

    /// One diagnostic as compact JSON with sorted keys, for comparison.
    func canonical(_ d: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: d, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    func describe(_ d: [String: Any]) -> String {
        let hint = d["hint"] as? String
        return "\(d["severity"] ?? "?")[\(d["code"] ?? "?")] \(d["file"] ?? "?"):\(d["line"] ?? "?"):\(d["column"] ?? "?")-"
            + "\(d["end_line"] ?? "?"):\(d["end_column"] ?? "?") \(d["message"] ?? "?")" + (hint.map { " (hint: \($0))" } ?? "")
    }

    /// Compares `actual` with the fixture's `expected.json` (or rewrites it).
    func assertGolden(_ actual: [[String: Any]], code: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = Self.codesDirectory.appendingPathComponent(code).appendingPathComponent("expected.json")
        if Self.updating {
            try render(actual).write(to: url)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            XCTFail("missing \(url.path); run with KONNECT_UPDATE_GOLDEN=1 to create it, then review it", file: file, line: line)
            return
        }
        let expected = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [[String: Any]], "\(url.path) is not an array",
                                     file: file, line: line)
        for i in 0..<max(expected.count, actual.count) {
            let e = i < expected.count ? expected[i] : nil
            let a = i < actual.count ? actual[i] : nil
            if let e, let a, try canonical(e) == canonical(a) { continue }
            XCTFail("\(code): diagnostic \(i + 1) differs (KONNECT_UPDATE_GOLDEN=1 rewrites the golden file)\n"
                    + "  expected: \(e.map(describe) ?? "nothing")\n  actual:   \(a.map(describe) ?? "nothing")", file: file, line: line)
        }
    }

    /// Runs `konnect validate --format json` on the fixture and checks it against its golden file.
    func checkValidate(_ code: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let project = try copy(code)
        let result = try KonnectRunner.run(["validate", "--format", "json"], in: project, file: file, line: line)
        let warningsOnly = Self.warningCodes.contains(code)
        assertExit(result, warningsOnly ? 0 : 1, file: file, line: line)
        XCTAssertEqual(result.err, "", "the JSON format goes to stdout alone", file: file, line: line)
        let json = try result.json(file: file, line: line)
        let diagnostics = normalized(try XCTUnwrap(json["diagnostics"] as? [[String: Any]], file: file, line: line))
        XCTAssertFalse(diagnostics.isEmpty, "\(code): no diagnostic at all", file: file, line: line)
        for d in diagnostics where d["code"] as? String != code {
            XCTFail("\(code): unexpected other diagnostic \(describe(d))", file: file, line: line)
        }
        for d in diagnostics {
            XCTAssertEqual(d["severity"] as? String, warningsOnly ? "warning" : "error", describe(d), file: file, line: line)
        }
        let summary = try XCTUnwrap(json["summary"] as? [String: Any], file: file, line: line)
        XCTAssertEqual(summary[warningsOnly ? "warnings" : "errors"] as? Int, diagnostics.count, file: file, line: line)
        XCTAssertEqual(summary[warningsOnly ? "errors" : "warnings"] as? Int, 0, file: file, line: line)
        try assertGolden(diagnostics, code: code, file: file, line: line)

        if warningsOnly {
            let strict = try KonnectRunner.run(["validate", "--strict", "--format", "json"], in: project, file: file, line: line)
            assertExit(strict, 1, file: file, line: line)
        }
    }

    /// Parses the text format (SPEC §6): `error[code]: message`, ` --> file:line:column`, and the
    /// hint after the carets (`| ^^^ hint`) or, without a snippet, on a `= hint: …` line.
    func parseText(_ text: String) -> [[String: Any]] {
        var out: [[String: Any]] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let open = line.firstIndex(of: "["), let close = line.firstIndex(of: "]"), line.hasPrefix("error[") || line.hasPrefix("warning["),
               let colon = line.range(of: "]: ") {
                out.append(["severity": String(line[..<open]), "code": String(line[line.index(after: open)..<close]),
                            "message": String(line[colon.upperBound...]), "hint": NSNull()])
            } else if trimmed.hasPrefix("--> "), !out.isEmpty {
                let location = trimmed.dropFirst(4).split(separator: ":").map(String.init)
                guard location.count >= 3, let line = Int(location[location.count - 2]),
                      let column = Int(location[location.count - 1]) else { continue }
                out[out.count - 1]["file"] = location.dropLast(2).joined(separator: ":")
                out[out.count - 1]["line"] = line
                out[out.count - 1]["column"] = column
            } else if trimmed.hasPrefix("= hint: "), !out.isEmpty {
                out[out.count - 1]["hint"] = String(trimmed.dropFirst(8))
            } else if trimmed.hasPrefix("|"), !out.isEmpty {
                let afterBar = trimmed.dropFirst().drop(while: { $0 == " " })
                guard afterBar.hasPrefix("^") else { continue }
                let hint = afterBar.drop(while: { $0 == "^" }).dropFirst()
                if !hint.isEmpty { out[out.count - 1]["hint"] = String(hint) }
            }
        }
        return out
    }

    // MARK: coverage

    func testEverySpecCodeHasAFixture() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.codesDirectory.path).filter { !$0.hasPrefix(".") }
        XCTAssertEqual(Set(folders), Set(Self.specCodes))
        for code in Self.specCodes {
            let golden = Self.codesDirectory.appendingPathComponent(code).appendingPathComponent("expected.json")
            XCTAssertTrue(FileManager.default.fileExists(atPath: golden.path) || Self.updating, "no \(code)/expected.json")
        }
    }

    // MARK: one test per code

    func testYAMLSyntax() throws { try checkValidate("yaml-syntax") }
    func testInvalidUTF8() throws { try checkValidate("invalid-utf8") }
    func testDuplicateKey() throws { try checkValidate("duplicate-key") }
    func testLimitExceeded() throws { try checkValidate("limit-exceeded") }
    func testUnknownDocument() throws { try checkValidate("unknown-document") }
    func testUnknownField() throws { try checkValidate("unknown-field") }
    func testMissingField() throws { try checkValidate("missing-field") }
    func testInvalidValue() throws { try checkValidate("invalid-value") }
    func testDuplicateID() throws { try checkValidate("duplicate-id") }
    func testUnknownApp() throws { try checkValidate("unknown-app") }
    func testUnknownTrigger() throws { try checkValidate("unknown-trigger") }
    func testUnknownAction() throws { try checkValidate("unknown-action") }
    func testUnknownConnection() throws { try checkValidate("unknown-connection") }
    func testConnectionAppMismatch() throws { try checkValidate("connection-app-mismatch") }
    func testMissingScope() throws { try checkValidate("missing-scope") }
    func testMissingConnection() throws { try checkValidate("missing-connection") }
    func testExpressionSyntax() throws { try checkValidate("expression-syntax") }
    func testUnknownReference() throws { try checkValidate("unknown-reference") }
    func testUnknownFunction() throws { try checkValidate("unknown-function") }
    func testTypeMismatch() throws { try checkValidate("type-mismatch") }
    func testNotInterpolable() throws { try checkValidate("not-interpolable") }
    func testNullable() throws { try checkValidate("nullable") }
    func testCommentInValue() throws { try checkValidate("comment-in-value") }
    /// A link to a file outside the project (SPEC §1): never opened, never skipped.
    func testUnreadable() throws { try checkValidate("unreadable") }
    func testUncheckedEnum() throws { try checkValidate("unchecked-enum") }
    func testInvalidSchema() throws { try checkValidate("invalid-schema") }

    func testLiteralSecret() throws {
        try checkValidate("literal-secret")
        // The credential is never echoed, in any format.
        let project = try copy("literal-secret")
        for arguments in [["validate"], ["validate", "--format", "json"], ["validate", "--format", "github"], ["validate", "--format", "sarif"]] {
            let result = try KonnectRunner.run(arguments, in: project)
            assertExit(result, 1)
            for secret in ["xoxb-1234567890-abcdefghijkl", "hunter2"] {
                XCTAssertFalse(result.out.contains(secret) || result.err.contains(secret), "\(arguments) echoes \(secret)")
            }
        }
    }

    /// Two projects share a library: `alpha` applies, then `beta` plans the
    /// same konnector and connection ids. Plan reports `owned-elsewhere` in
    /// the text format, on stderr, and changes nothing.
    func testOwnedElsewhere() throws {
        let root = try copy("owned-elsewhere")
        let alpha = root.appendingPathComponent("alpha"), beta = root.appendingPathComponent("beta")
        let applied = try KonnectRunner.run(["apply", "--auto-approve"], in: alpha)
        assertExit(applied, 0)
        // Each project validates clean on its own: ownership is a library matter.
        assertExit(try KonnectRunner.run(["validate"], in: beta), 0)

        for format in [["--format", "json"], []] {
            let plan = try KonnectRunner.run(["plan"] + format, in: beta)
            assertExit(plan, 1)
            XCTAssertFalse(plan.out.contains("beta-only"), "no plan is shown when there are errors: \(plan.out)")
            let diagnostics = parseText(plan.err)
            for d in diagnostics where d["code"] as? String != "owned-elsewhere" {
                XCTFail("unexpected other diagnostic \(describe(d))")
            }
            try assertGolden(diagnostics, code: "owned-elsewhere")
        }
        // Nothing was written for beta: alpha still plans no changes.
        let again = try KonnectRunner.run(["plan", "--detailed-exitcode"], in: alpha)
        assertExit(again, 0)
        XCTAssertTrue(again.out.contains("No changes."), again.out)
    }

    // MARK: the bundled project

    /// The example project shipped with konnect (the package root) validates clean.
    func testBundledProjectValidatesClean() throws {
        let root = KonnectRunner.packageRoot
        let result = try KonnectRunner.run(["validate", "--format", "json"], in: root)
        assertExit(result, 0)
        let json = try result.json()
        let diagnostics = try XCTUnwrap(json["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(diagnostics.map(describe), [])
        let summary = try XCTUnwrap(json["summary"] as? [String: Any])
        XCTAssertEqual(summary["errors"] as? Int, 0)
        XCTAssertEqual(summary["warnings"] as? Int, 0)
        XCTAssertGreaterThanOrEqual(summary["konnectors"] as? Int ?? 0, 6)
        XCTAssertGreaterThanOrEqual(summary["connections"] as? Int ?? 0, 1)

        let strict = try KonnectRunner.run(["validate", "--strict"], in: root)
        assertExit(strict, 0)
        XCTAssertTrue(strict.err.hasPrefix("0 errors, 0 warnings in "), strict.err)
    }
}

final class DiagnosticCodeGoldenRegressionTests: XCTestCase {
    /// SPEC §6's text format shows the source line under each diagnostic,
    /// "for every command that reports diagnostics", `konnect plan`'s
    /// owned-elsewhere errors included, and counts the files.
    func testOwnedElsewhereTextHasASnippet() throws {
        let root = try FixtureProject.copy("owned-elsewhere", in: "codes", for: self)
        assertExit(try KonnectRunner.run(["apply", "--auto-approve"], in: root.appendingPathComponent("alpha")), 0)
        let plan = try KonnectRunner.run(["plan"], in: root.appendingPathComponent("beta"))
        assertExit(plan, 1)
        XCTAssertTrue(plan.err.contains("\n7 | konnector: hook-relay"), plan.err)
        XCTAssertFalse(plan.err.contains("in 0 files"), plan.err)
    }
}
