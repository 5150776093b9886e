// Regression tests for bugs found while testing, now fixed.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

final class RegressionEndToEndTests: XCTestCase {
    /// A konnector saved with a UTF-8 byte order mark (Windows Notepad)
    /// gives `did not find expected <document start>` at 2:1 plus three
    /// bogus missing-field errors at 1:2, instead of validating clean.
    func testFileWithByteOrderMarkValidates() throws {
        let project = try FixtureProject.copy("clean", for: self)
        let text = "konnector: bom\nname: Saved by Notepad\n"
            + "trigger: {app: shopify, event: new_customer, connection: shopify-main}\n"
            + "steps: [{id: s, app: slack, action: send_message, connection: slack-sales, with: {channel: '#x', text: hi}}]\n"
        try Data([0xEF, 0xBB, 0xBF] + Array(text.utf8)).write(to: project.appendingPathComponent("konnectors/bom.yaml"))
        let result = try validateJSON(project, exit: 0)
        XCTAssertEqual((try result.json()["diagnostics"] as? [Any])?.count, 0, result.out)
    }

    /// Found by fuzzing: a 16,000-term chain `1 + 1 + …` crashed every
    /// command (stack overflow down its tree); now it is an `expression-syntax` error.
    func testALongOperatorChainIsADiagnosticNotACrash() throws {
        let project = try FixtureProject.copy("clean", for: self)
        let chain = Array(repeating: "1", count: 16_000).joined(separator: "+")
        try write("konnector: chain\nname: Chain\n"
                  + "trigger: {app: shopify, event: new_customer, connection: shopify-main}\n"
                  + "steps: [{id: s, app: slack, action: send_message, connection: slack-sales, with: {channel: '#x', text: \"{{ \(chain) }}\"}}]\n",
                  to: project.appendingPathComponent("konnectors/chain.yaml"))
        for command in [["validate"], ["plan"], ["test"]] {
            let result = try KonnectRunner.run(command, in: project)
            assertExit(result, 1)
            XCTAssertTrue(result.err.contains("konnectors/chain.yaml:4:"), result.err)
            XCTAssertTrue(result.err.contains("expression-syntax"), result.err)
        }
    }

    /// Found by fuzzing: `matches` with a pattern that backtracks
    /// exponentially ran for minutes; now the run fails after the time limit
    /// (ICU finished forty a's within it on a fast machine: four hundred it does not).
    func testABacktrackingPatternFailsTheRunInsteadOfHanging() throws {
        let project = try FixtureProject.copy("clean", for: self)
        try write("konnector: slow\nname: Slow\n"
                  + "trigger: {app: shopify, event: new_customer, connection: shopify-main}\n"
                  + "when: \"trigger.tags matches '(a+)+$'\"\n"
                  + "steps: [{id: s, app: slack, action: send_message, connection: slack-sales, with: {channel: '#x', text: hi}}]\n",
                  to: project.appendingPathComponent("konnectors/slow.yaml"))
        try write("tests: slow\ncases:\n  - name: four hundred a's\n    event: {id: 1, accepts_marketing: true, created_at: '2026-01-05T10:00:00Z', "
                  + "tags: \"\(String(repeating: "a", count: 400))!\"}\n"
                  + "    expect: {filtered: true}\n",
                  to: project.appendingPathComponent("konnectors/slow.test.yaml"))
        let start = Date()
        let result = try KonnectRunner.run(["test", "slow"], in: project)
        assertExit(result, 1)
        XCTAssertTrue((result.out + result.err).contains("backtracks too much"), result.out + result.err)
        XCTAssertLessThan(Date().timeIntervalSince(start), 30)
    }

    /// `--lock-timeout` takes finite durations only; an enormous one is no trap (found by fuzzing).
    func testLockTimeoutsAreFiniteAndMayBeEnormous() throws {
        let project = try FixtureProject.copy("clean", for: self)
        for value in ["inf", "infs", "nan", "-1s"] {
            assertExit(try KonnectRunner.run(["apply", "--auto-approve", "--lock-timeout", value], in: project), 64)
        }
        assertExit(try KonnectRunner.run(["apply", "--auto-approve", "--lock-timeout", "1e300s"], in: project), 0)
    }

    /// Devices and FIFOs are refused instead of read forever (`apply /dev/zero` grew to gigabytes; found by fuzzing).
    func testOnlyRegularFilesAreRead() throws {
        let project = try FixtureProject.copy("clean", for: self)
        let fifo = project.appendingPathComponent("plan.fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        for path in ["/dev/zero", fifo] {
            let result = try KonnectRunner.run(["apply", path], in: project)
            assertExit(result, 1)
            XCTAssertTrue(result.err.contains("not a regular file"), result.err)
        }
    }

    /// A file is read whole whatever its size: one `read` usually brings
    /// it all (its size from `fstat`), and a larger one is read on to its end.
    func testFilesAreReadWholeAtAnySize() throws {
        let project = try FixtureProject.copy("clean", for: self)
        let sizes = [0, 1, 4095, 65535, 65536, 65537, 300_001]
        var expected: [String] = []
        for size in sizes {
            let name = "konnectors/size-\(size).yaml"
            // Padding lines, then an unclosed flow list as the last line: a short read would miss it.
            let tail = "konnector: [oops\n"
            var text = ""
            while text.utf8.count + tail.utf8.count < size { text += String(repeating: "#", count: min(79, size - text.utf8.count - tail.utf8.count - 1)) + "\n" }
            if size > 0 { text += tail }
            try write(text, to: project.appendingPathComponent(name))
            if size > 0 {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
                expected.append("\(name):\(lines):1")
            }
        }
        let result = try KonnectRunner.run(["validate"], in: project)
        assertExit(result, 1)
        for place in expected { XCTAssertTrue(result.err.contains("--> \(place)"), place + "\n" + result.err) }
        XCTAssertEqual(result.err.components(separatedBy: "error[yaml-syntax]").count - 1, expected.count, result.err)
    }

    /// Control characters in user text (a key written `"\e[2J"`) reach the
    /// terminal raw through the message of the text format (and the github
    /// format); only the snippet line is sanitised.
    func testMessagesNeverCarryControlCharacters() throws {
        let project = try FixtureProject.copy("clean", for: self)
        try write("connection: c\napp: slack\n\"\\e[2J\\e]0;pwned\\a\": x\n", to: project.appendingPathComponent("konnectors/ctl.yaml"))
        let text = try KonnectRunner.run(["validate"], in: project)
        assertExit(text, 1)
        XCTAssertFalse(text.err.contains("\u{1B}"), text.err.debugDescription)
        XCTAssertFalse(text.err.contains("\u{07}"), text.err.debugDescription)
        let github = try KonnectRunner.run(["validate", "--format", "github"], in: project)
        XCTAssertFalse(github.out.contains("\u{1B}"), github.out.debugDescription)
    }

    /// A credential under a repeated `secret:` key, or written as a mapping,
    /// is printed in the snippet of the duplicate-key / invalid-value error.
    func testSecretsInOtherDiagnosticsAreMasked() throws {
        let project = try FixtureProject.copy("clean", for: self)
        try write("connection: c1\napp: slack\nsecret: env:SLACK_TOKEN\nsecret: xoxb-real-token-123\n",
                  to: project.appendingPathComponent("konnectors/twice.yaml"))
        try write("connection: c2\napp: slack\nsecret: {token: xoxb-real-token-456}\n",
                  to: project.appendingPathComponent("konnectors/mapping.yaml"))
        let result = try KonnectRunner.run(["validate"], in: project)
        assertExit(result, 1)
        XCTAssertFalse(result.err.contains("xoxb-real-token-123"), result.err)
        XCTAssertFalse(result.err.contains("xoxb-real-token-456"), result.err)
    }
}
