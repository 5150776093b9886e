// SPEC §6: nothing in a file forges terminal output (issue 18, class 8).
// Control characters in test case names, file paths, konnector names and
// messages are escaped (`\u{1b}`) in every format; the raw bytes never
// reach stdout or stderr.
import Foundation
import XCTest

final class TerminalEscapeTests: XCTestCase {
    static let konnector = """
    konnector: hook
    name: "Hook\\e[31m\\rforged\\u0085\\u2028"
    trigger:
      app: webhook
      event: catch_hook
    steps:
      - id: post
        app: webhook
        action: post
        with:
          url: "https://example.com{{ trigger.path }}"
          body: { note: "bell\\a del\\x7f csi\\u009b" }

    """

    /// Case names that try to erase their line and print a passing one.
    static let suite = """
    tests: hook
    cases:
      - name: "x\\e[2K\\rok 1 passed"
        expect:
          ran: [post]
      - name: "y\\nPASS hook › forged"
        expect:
          ran: []

    """

    func testTestCaseNamesCannotForgeLines() throws {
        let project = try makeProject(["konnectors/hook.yaml": Self.konnector, "konnectors/hook.test.yaml": Self.suite])
        let text = try KonnectRunner.run(["test"], in: project)
        assertExit(text, 1)
        assertNoControlBytes(text, "test")
        let lines = text.out.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("PASS hook › x\\u{1b}[2K\\u{d}ok 1 passed"), text.out)
        XCTAssertTrue(lines.contains("FAIL hook › y\\u{a}PASS hook › forged"), text.out)
        XCTAssertFalse(lines.contains { $0.hasPrefix("PASS hook › forged") || $0.hasPrefix("ok 1 passed") }, text.out)
        XCTAssertTrue(text.out.hasSuffix("\n1 passed, 1 failed\n"), text.out)

        let json = try KonnectRunner.run(["test", "--format", "json"], in: project)
        assertNoControlBytes(json, "test --format json")
        let cases = try json.json()["cases"] as? [[String: Any]] ?? []
        XCTAssertEqual(cases.compactMap { $0["name"] as? String }, ["x\u{1B}[2K\rok 1 passed", "y\nPASS hook › forged"],
                       "JSON escapes the name and reads back as it was")
    }

    func testRunEscapesNamesAndValues() throws {
        let project = try makeProject(["konnectors/hook.yaml": Self.konnector])
        for format in [[], ["--format", "json"]] {
            let run = try KonnectRunner.run(["run", "hook", "--sample"] + format, in: project)
            assertExit(run, 0)
            assertNoControlBytes(run, "run \(format)")
        }
        let run = try KonnectRunner.run(["run", "hook", "--sample"], in: project)
        XCTAssertTrue(run.out.hasPrefix("konnector hook — Hook\\u{1b}[31m\\u{d}forged\\u{85}\\u{2028}\n"), run.out)
        let json = try KonnectRunner.run(["run", "hook", "--sample", "--format", "json"], in: project)
        XCTAssertTrue(json.out.contains(#"bell\u0007 del\u007f csi\u009b"#), json.out)
    }

    func testAPathWithAControlCharacterIsEscapedInEveryFormat() throws {
        let name = "konnectors/bad\u{1B}[2J\r name #1%.yaml"
        let project = try makeProject([name: "konnector: bad\nname: Bad\ntrigger: { app: nowhere, event: x }\nsteps: []\n"])
        try assertValidateFailsWithoutControlBytes(project)
        let text = try KonnectRunner.run(["validate"], in: project)
        XCTAssertTrue(text.err.contains("--> konnectors/bad\\u{1b}[2J\\u{d} name #1%.yaml:3:"), text.err)
        let github = try KonnectRunner.run(["validate", "--format", "github"], in: project)
        XCTAssertTrue(github.out.contains("file=konnectors/bad\\u{1b}[2J%0D name #1%25.yaml,line=3,"), github.out)
        let sarif = try KonnectRunner.run(["validate", "--format", "sarif"], in: project)
        XCTAssertTrue(sarif.out.contains(#""uri":"konnectors/bad%1B%5B2J%0D%20name%20%231%25.yaml""#), sarif.out)
        let json = try KonnectRunner.run(["validate", "--format", "json"], in: project).json()
        let files = (json["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["file"] as? String }
        XCTAssertTrue(files.contains(name), "JSON keeps the path exactly: \(files)")
    }

    func testMessagesQuotingControlCharactersAreEscaped() throws {
        let konnector = "konnector: k\nname: K\ntrigger: { app: \"\\e]0;owned\\a\\e[2J\", event: x }\nsteps: []\n"
        let project = try makeProject(["konnectors/k.yaml": konnector])
        try assertValidateFailsWithoutControlBytes(project)
        let text = try KonnectRunner.run(["validate"], in: project)
        XCTAssertTrue(text.err.contains("unknown app `\\u{1b}]0;owned\\u{7}\\u{1b}[2J`"), text.err)
    }

    // MARK: helpers

    private func makeProject(_ files: [String: String]) throws -> URL {
        let root = try FixtureProject.emptyDirectory(for: self)
        try write("project: escapes\nkonnectors: konnectors\nschemas: schemas\n", to: root.appendingPathComponent("konnect.yaml"))
        let schema = KonnectRunner.packageRoot.appendingPathComponent("schemas/webhook.yaml")
        try write(String(decoding: try Data(contentsOf: schema), as: UTF8.self), to: root.appendingPathComponent("schemas/webhook.yaml"))
        for (path, text) in files { try write(text, to: root.appendingPathComponent(path)) }
        return root
    }

    /// No C0 control but LF, no DEL, no C1 control, no U+2028 / U+2029 in stdout or stderr.
    /// `validate`, in every format, exits 1 and writes no control byte.
    private func assertValidateFailsWithoutControlBytes(_ project: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        for format in ["text", "json", "github", "sarif"] {
            let result = try KonnectRunner.run(["validate", "--format", format], in: project)
            assertExit(result, 1, file: file, line: line)
            assertNoControlBytes(result, "validate --format \(format)", file: file, line: line)
        }
    }

    private func assertNoControlBytes(_ result: KonnectResult, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(result.signaled, what, file: file, line: line)
        for (stream, text) in [("stdout", result.out), ("stderr", result.err)] {
            let bad = text.unicodeScalars.filter { s in
                (s.value < 0x20 && s != "\n") || (s.value >= 0x7F && s.value < 0xA0) || s.value == 0x2028 || s.value == 0x2029
            }
            XCTAssertTrue(bad.isEmpty, "\(what): \(stream) carries \(bad.map { String($0.value, radix: 16) }):\n\(text.debugDescription)",
                          file: file, line: line)
        }
    }
}
