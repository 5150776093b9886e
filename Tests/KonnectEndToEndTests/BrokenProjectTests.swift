import Foundation
import XCTest

/// A dozen broken files in one project: each gives one clear, positioned
/// diagnostic, none hides another's, and konnect never crashes.
final class BrokenProjectTests: XCTestCase {
    struct Expected: Hashable, CustomStringConvertible {
        var file: String
        var code: String
        var line: Int
        var column: Int
        var description: String { "\(file):\(line):\(column) \(code)" }
    }

    /// Every diagnostic the broken project must produce, in output order.
    static let expected: [Expected] = [
        Expected(file: "konnectors/billion-laughs.yaml", code: "limit-exceeded", line: 4, column: 29),
        Expected(file: "konnectors/binary.yaml", code: "invalid-utf8", line: 1, column: 1),
        Expected(file: "konnectors/crlf.yaml", code: "unknown-field", line: 3, column: 1),
        Expected(file: "konnectors/deep-nesting.yaml", code: "limit-exceeded", line: 1, column: 70),
        Expected(file: "konnectors/duplicate-keys.yaml", code: "duplicate-key", line: 7, column: 1),
        Expected(file: "konnectors/dups/second.yaml", code: "duplicate-id", line: 2, column: 12),
        Expected(file: "konnectors/empty.yaml", code: "unknown-document", line: 1, column: 1),
        Expected(file: "konnectors/garbage-after-text.yaml", code: "invalid-utf8", line: 2, column: 8),
        Expected(file: "konnectors/huge.yaml", code: "limit-exceeded", line: 1, column: 1),
        Expected(file: "konnectors/literal-secret.yaml", code: "literal-secret", line: 3, column: 9),
        Expected(file: "konnectors/multibyte.yaml", code: "unknown-field", line: 3, column: 43),
        Expected(file: "konnectors/syntax-error.yaml", code: "yaml-syntax", line: 2, column: 12),
        Expected(file: "konnectors/tabs.yaml", code: "yaml-syntax", line: 2, column: 1),
        Expected(file: "konnectors/unclosed-flow.yaml", code: "yaml-syntax", line: 3, column: 5),
        Expected(file: "konnectors/unknown-document.yaml", code: "unknown-document", line: 1, column: 1),
        // One cause, one diagnostic: `evnet` and `acton` are not also reported missing.
        Expected(file: "konnectors/unknown-fields.yaml", code: "unknown-field", line: 2, column: 1),
        Expected(file: "konnectors/unknown-fields.yaml", code: "unknown-field", line: 6, column: 3),
        Expected(file: "konnectors/unknown-fields.yaml", code: "unknown-field", line: 11, column: 5),
    ]

    /// 18 files under konnectors/ and the 2 app schemas (schemas are read and checked too).
    static let fileCount = 20
    static let secret = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"

    /// Copies the fixture and writes the files that are not committed.
    func brokenProject() throws -> URL {
        let project = try FixtureProject.copy("broken", for: self)
        let konnectors = project.appendingPathComponent("konnectors")
        // Binary garbage: 0x80…0xFF four times (0x80 is never a valid first byte).
        let garbage = (0..<512).map { UInt8(0x80 + $0 % 0x80) }
        try Data(garbage).write(to: konnectors.appendingPathComponent("binary.yaml"))
        // Valid text, then a bad byte after a multi-byte character: line 2, column 8.
        try Data(Array("konnector: late\nname: é".utf8) + [0xFF, 0xFE] + Array(" rest\n".utf8))
            .write(to: konnectors.appendingPathComponent("garbage-after-text.yaml"))
        // 5 MB of harmless YAML: rejected on size alone.
        var huge = Data(capacity: 5_000_000)
        huge.append(contentsOf: Array("konnector: huge\n".utf8))
        let padding = Array("# padding padding padding padding padding padding padding\n".utf8)
        while huge.count + padding.count <= 5_000_000 { huge.append(contentsOf: padding) }
        huge.append(contentsOf: [UInt8](repeating: 0x0A, count: 5_000_000 - huge.count))
        try huge.write(to: konnectors.appendingPathComponent("huge.yaml"))
        // CRLF line endings with an unknown field on line 3.
        try Data(("konnector: crlf\r\nname: CRLF line endings\r\nbogus: 1\r\n"
                  + "trigger: {app: shopify, event: new_order, connection: shopify-main}\r\n"
                  + "steps: [{id: s, app: slack, action: send_message, connection: slack-sales, with: {channel: '#x', text: hi}}]\r\n").utf8)
            .write(to: konnectors.appendingPathComponent("crlf.yaml"))
        return project
    }

    func diagnostics(_ json: [String: Any]) throws -> [[String: Any]] {
        try XCTUnwrap(json["diagnostics"] as? [[String: Any]])
    }

    func testJSONReportsEveryFileExactly() throws {
        let project = try brokenProject()
        let result = try validateJSON(project, exit: 1)
        XCTAssertEqual(result.err, "", "the JSON format goes to stdout alone")
        let json = try result.json()
        let found = try diagnostics(json).map {
            Expected(file: $0["file"] as? String ?? "?", code: $0["code"] as? String ?? "?",
                     line: $0["line"] as? Int ?? -1, column: $0["column"] as? Int ?? -1)
        }
        XCTAssertEqual(found, Self.expected)
        for (got, want) in zip(found, Self.expected) where got != want {
            XCTFail("got \(got), expected \(want)")
        }
        for missing in Set(Self.expected).subtracting(found) { XCTFail("missing \(missing)") }
        for extra in Set(found).subtracting(Self.expected) { XCTFail("unexpected \(extra)") }

        let summary = try XCTUnwrap(json["summary"] as? [String: Any])
        XCTAssertEqual(summary["files"] as? Int, Self.fileCount)
        XCTAssertEqual(summary["errors"] as? Int, Self.expected.count)
        XCTAssertEqual(summary["warnings"] as? Int, 0)
        XCTAssertNotNil(summary["konnectors"] as? Int)
        XCTAssertNotNil(summary["connections"] as? Int)
    }

    func testJSONDiagnosticsAreWellFormed() throws {
        let project = try brokenProject()
        let result = try KonnectRunner.run(["validate", "--format", "json"], in: project)
        let all = try diagnostics(try result.json())
        for d in all {
            let file = try XCTUnwrap(d["file"] as? String)
            XCTAssertFalse(file.hasPrefix("/"), "paths are relative to the project: \(file)")
            XCTAssertFalse(file.contains(project.path), file)
            XCTAssertEqual(d["severity"] as? String, "error")
            let message = try XCTUnwrap(d["message"] as? String)
            XCTAssertFalse(message.isEmpty)
            let line = try XCTUnwrap(d["line"] as? Int), column = try XCTUnwrap(d["column"] as? Int)
            let endLine = try XCTUnwrap(d["end_line"] as? Int), endColumn = try XCTUnwrap(d["end_column"] as? Int)
            XCTAssertGreaterThanOrEqual(line, 1)
            XCTAssertGreaterThanOrEqual(column, 1)
            XCTAssertTrue((endLine, endColumn) >= (line, column), "\(file): end before start")
            XCTAssertTrue(d.keys.contains("hint"))
        }
        // Some precise details a user relies on.
        func first(_ file: String) throws -> [String: Any] {
            try XCTUnwrap(all.first { $0["file"] as? String == "konnectors/\(file)" }, file)
        }
        XCTAssertEqual(try first("duplicate-keys.yaml")["message"] as? String, "duplicate key `name` (first defined on line 2)")
        XCTAssertEqual(try first("unknown-document.yaml")["hint"] as? String, "did you mean `konnector`?")
        XCTAssertEqual(try first("unknown-fields.yaml")["hint"] as? String, "did you mean `name`?")
        XCTAssertEqual(try first("multibyte.yaml")["end_column"] as? Int, 48, "columns count characters")
        XCTAssertEqual(try first("tabs.yaml")["hint"] as? String, "YAML does not allow tabs for indentation; indent with spaces")
        XCTAssertEqual(try first("syntax-error.yaml")["message"] as? String, "mapping values are not allowed in this context")
        XCTAssertEqual((try first("dups/second.yaml")["message"] as? String)?.contains("konnectors/dups/first.yaml"), true)
        XCTAssertEqual(try first("huge.yaml")["message"] as? String,
                       "file is 5000000 bytes, over the limit of 1048576 bytes (1 MiB)")
        XCTAssertEqual(try first("billion-laughs.yaml")["message"] as? String, "aliases expand to more than 10000 nodes")
        XCTAssertEqual(try first("deep-nesting.yaml")["message"] as? String, "nesting deeper than 64 levels")
        XCTAssertEqual(try first("empty.yaml")["message"] as? String, "the file holds no document")
        XCTAssertEqual((try first("unclosed-flow.yaml")["message"] as? String)?.contains("flow sequence that started at line 2, column 7"), true)
    }

    func testTextFormat() throws {
        let project = try brokenProject()
        let result = try KonnectRunner.run(["validate"], in: project)
        assertExit(result, 1)
        XCTAssertEqual(result.out, "", "diagnostics go to stderr")
        XCTAssertNotNil(String(data: result.stderr, encoding: .utf8), "stderr is valid UTF-8 even for binary input")
        let lines = result.err.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.last, "", "ends with a newline")
        XCTAssertEqual(lines.dropLast().last.map(String.init), "\(Self.expected.count) errors, 0 warnings in \(Self.fileCount) files")
        for e in Self.expected {
            XCTAssertTrue(result.err.contains("--> \(e.file):\(e.line):\(e.column)\n"), "no snippet header for \(e)")
            XCTAssertTrue(result.err.contains("error[\(e.code)]"), "no \(e.code)")
        }
        XCTAssertFalse(result.err.contains("\u{1B}"), "no colour when stderr is not a terminal")
        // Control bytes of the binary file are never written to the terminal.
        let controls = result.stderr.filter { $0 < 0x20 && $0 != 0x0A }
        XCTAssertEqual(controls.count, 0)
    }

    /// Each broken file alone (with the project file, schemas and the
    /// connections it refers to) gives exactly its own diagnostics.
    func testEachBrokenFileAloneFailsCleanly() throws {
        let project = try brokenProject()
        let files = Set(Self.expected.map(\.file)).sorted()
        for path in files {
            let solo = try FixtureProject.emptyDirectory(for: self)
            for shared in ["konnect.yaml", "schemas", "konnectors/connections.yaml", path] {
                let destination = solo.appendingPathComponent(shared)
                try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: project.appendingPathComponent(shared), to: destination)
            }
            let result = try KonnectRunner.run(["validate", "--format", "json"], in: solo)
            if path == "konnectors/dups/second.yaml" {
                assertExit(result, 0)  // a duplicate needs its twin
                continue
            }
            assertExit(result, 1)
            let all = try diagnostics(try result.json())
            XCTAssertEqual(all.map { "\($0["file"] as? String ?? "?") \($0["code"] as? String ?? "?")" },
                           Self.expected.filter { $0.file == path }.map { "\($0.file) \($0.code)" }, path)
        }
    }

    func testOutputIsDeterministic() throws {
        let project = try brokenProject()
        let first = try KonnectRunner.run(["validate", "--format", "json"], in: project)
        let second = try KonnectRunner.run(["validate", "--format", "json"], in: project)
        XCTAssertEqual(first.stdout, second.stdout)
        let text1 = try KonnectRunner.run(["validate"], in: project)
        let text2 = try KonnectRunner.run(["validate"], in: project)
        XCTAssertEqual(text1.stderr, text2.stderr)
    }

    func testLiteralSecretIsNotEchoedInMachineFormats() throws {
        let project = try brokenProject()
        for format in ["json", "github", "sarif"] {
            let result = try KonnectRunner.run(["validate", "--format", format], in: project)
            assertExit(result, 1)
            XCTAssertFalse(result.out.contains(Self.secret), "--format \(format) echoes the secret")
            XCTAssertFalse(result.out.contains("pdFZKVeTuE8sk7oOcBrzbqgy"), "--format \(format) echoes part of the secret")
        }
    }

    func testTextFormatDoesNotEchoTheLiteralSecret() throws {
        let project = try brokenProject()
        let result = try KonnectRunner.run(["validate"], in: project)
        assertExit(result, 1)
        XCTAssertTrue(result.err.contains("--> konnectors/literal-secret.yaml:3:9"))
        XCTAssertFalse(result.err.contains("pdFZKVeTuE8sk7oOcBrzbqgy"), "the secret is printed in the snippet")
        let onTerminal = try KonnectRunner.runOnTerminal(["validate"], in: project)
        XCTAssertFalse(onTerminal.output.contains("pdFZKVeTuE8sk7oOcBrzbqgy"), "the secret is printed on a terminal")
    }

    func testGitHubFormat() throws {
        let project = try brokenProject()
        let result = try KonnectRunner.run(["validate", "--format", "github"], in: project)
        assertExit(result, 1)
        XCTAssertEqual(result.err, "")
        let lines = result.out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, Self.expected.count, "one command per diagnostic")
        for (line, e) in zip(lines, Self.expected) {
            XCTAssertTrue(line.hasPrefix("::error file=\(e.file),line=\(e.line),col=\(e.column),endLine="), line)
            XCTAssertTrue(line.contains(",title=\(e.code)::"), line)
            let parts = line.components(separatedBy: "::")
            XCTAssertGreaterThanOrEqual(parts.count, 3, line)
            XCTAssertFalse(parts.dropFirst(2).joined(separator: "::").isEmpty, "a message follows: \(line)")
        }
    }

    func testSARIFFormat() throws {
        let project = try brokenProject()
        let run = try sarifRun(project, exit: 1)
        let driver = try XCTUnwrap((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        let ruleIDs = rules.compactMap { $0["id"] as? String }
        XCTAssertEqual(Set(ruleIDs).count, ruleIDs.count)
        let results = try XCTUnwrap(run["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, Self.expected.count)
        for (r, e) in zip(results, Self.expected) {
            XCTAssertEqual(r["ruleId"] as? String, e.code)
            XCTAssertEqual(r["level"] as? String, "error")
            if let index = r["ruleIndex"] as? Int { XCTAssertEqual(ruleIDs[index], e.code) }
            let location = try XCTUnwrap((r["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            XCTAssertEqual((location["artifactLocation"] as? [String: Any])?["uri"] as? String, e.file)
            let region = try XCTUnwrap(location["region"] as? [String: Any])
            XCTAssertEqual(region["startLine"] as? Int, e.line)
            XCTAssertEqual(region["startColumn"] as? Int, e.column)
        }
    }
}
