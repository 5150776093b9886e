// SPEC §3: a literal secret is never printed, however it reaches the output
// (issue 18, class 3). Each test builds a project in a temporary folder and
// runs the built binary in every output format.
import Foundation
import XCTest

final class SecretLeakTests: XCTestCase {
    /// Connections that leak their credential every way the issue lists.
    static let leakyConnections = """
    connection: repeated
    app: slack
    scopes: [chat:write]
    secret: env:SLACK_TOKEN
    secret: hunter2-repeated-key
    ---
    connection: misspelled
    app: slack
    scopes: [chat:write]
    secrte: hunter2-misspelled-key
    Secret: hunter2-capital-key
    "secret ": hunter2-spaced-key
    ---
    connection: anchored
    secret: &token hunter2-anchored
    app: *token
    scopes: [*token]
    ---
    connection: escaped
    app: slack
    scopes: [chat:write]
    secret: "hunter\\x32-escaped"
    ---
    connection: spelled-again
    app: "hunter\\x32-escaped"
    secret: env:OTHER

    """

    static let leaked = ["hunter2-repeated-key", "hunter2-misspelled-key", "hunter2-capital-key", "hunter2-spaced-key",
                         "hunter2-anchored", "hunter2-escaped", "hunter\\x32-escaped", "hunter\\\\x32-escaped"]

    /// A konnector with literals in sensitive fields, one of them aliased into a field that is not.
    static let sensitiveKonnector = """
    konnector: hook
    name: Hook
    trigger:
      app: webhook
      event: catch_hook
      with:
        secret: &signing sig-hunter2-trigger
    steps:
      - id: post
        app: webhook
        action: post
        with:
          url: &hook https://hooks.example/in?token=tok-hunter2-url
          headers: { Authorization: Bearer tok-hunter2-header }
          body: { copy: *hook, signed: *signing, event: "{{ trigger.body.event }}" }

    """

    static let sensitiveSecrets = ["sig-hunter2-trigger", "tok-hunter2-url", "tok-hunter2-header"]

    static let suite = """
    tests: hook
    cases:
      - name: posts
        expect:
          ran: [post]

    """

    func testLiteralSecretsNeverReachAnyOutput() throws {
        let project = try makeProject(["konnectors/connections.yaml": Self.leakyConnections])
        for format in ["text", "json", "github", "sarif"] {
            let result = try KonnectRunner.run(["validate", "--format", format], in: project)
            assertExit(result, 1)
            assertNoLeak(Self.leaked, in: result, "validate --format \(format)")
            XCTAssertTrue((result.out + result.err).contains("literal-secret"), "\(format): \(result.out)\(result.err)")
        }
        // The alias is masked inside the message that quotes it, not only in snippets.
        let json = try KonnectRunner.run(["validate", "--format", "json"], in: project).json()
        let messages = (json["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        XCTAssertTrue(messages.contains("unknown app `****`"), "\(messages)")
        for command in [["plan"], ["plan", "--format", "json"], ["test"], ["run", "hook", "--sample"]] {
            let result = try KonnectRunner.run(command, in: project)
            assertExit(result, 1)
            assertNoLeak(Self.leaked, in: result, command.joined(separator: " "))
        }
    }

    func testSnippetsShowAFixedWidthPlaceholder() throws {
        let project = try makeProject(["konnectors/connections.yaml": Self.leakyConnections])
        let result = try KonnectRunner.run(["validate"], in: project)
        XCTAssertTrue(result.err.contains("5 | secret: ****\n"), result.err)
        XCTAssertTrue(result.err.contains("10 | secrte: ****\n"), result.err)
        XCTAssertTrue(result.err.contains("25 | app: ****\n"), "another spelling of a secret is masked too: \(result.err)")
    }

    func testSensitiveLiteralsAreWarnedAboutAndMaskedEverywhere() throws {
        let project = try makeProject(["konnectors/hook.yaml": Self.sensitiveKonnector, "konnectors/hook.test.yaml": Self.suite])
        for format in ["text", "json", "github", "sarif"] {
            let result = try KonnectRunner.run(["validate", "--format", format], in: project)
            assertExit(result, 0)
            assertNoLeak(Self.sensitiveSecrets, in: result, "validate --format \(format)")
        }
        let json = try KonnectRunner.run(["validate", "--format", "json"], in: project).json()
        let diagnostics = json["diagnostics"] as? [[String: Any]] ?? []
        XCTAssertEqual(diagnostics.map { "\($0["severity"]!) \($0["code"]!) \($0["line"]!)" },
                       ["warning literal-secret 7", "warning literal-secret 13", "warning literal-secret 14"])

        for format in [["--format", "text"], ["--format", "json"]] {
            let plan = try KonnectRunner.run(["plan"] + format, in: project)
            assertExit(plan, 0)
            assertNoLeak(Self.sensitiveSecrets, in: plan, "plan \(format)")
            XCTAssertTrue(plan.out.contains("body.copy") && plan.out.contains("(sensitive)"), "the aliased copies are masked, not dropped: \(plan.out)")
            let run = try KonnectRunner.run(["run", "hook", "--sample"] + format, in: project)
            assertNoLeak(Self.sensitiveSecrets, in: run, "run \(format)")
            let test = try KonnectRunner.run(["test"] + format, in: project)
            assertNoLeak(Self.sensitiveSecrets, in: test, "test \(format)")
        }
        let plan = try KonnectRunner.run(["plan"], in: project)
        // A copy holds a sensitive field's literal: it is sensitive too (masked by value, SPEC §3).
        XCTAssertTrue(plan.out.contains("+ steps.post.with.body.copy: (sensitive)\n"), plan.out)
        XCTAssertTrue(plan.out.contains("+ steps.post.with.url: (sensitive)\n"), plan.out)
    }

    func testAReferenceInASensitiveFieldIsNoWarning() throws {
        let konnector = Self.sensitiveKonnector
            .replacingOccurrences(of: "&signing sig-hunter2-trigger", with: "env:HOOK_SECRET")
            .replacingOccurrences(of: "&hook https://hooks.example/in?token=tok-hunter2-url", with: "vault:hooks/post")
            .replacingOccurrences(of: "{ Authorization: Bearer tok-hunter2-header }", with: "env:HOOK_HEADERS")
            .replacingOccurrences(of: "copy: *hook, signed: *signing, ", with: "")
        let project = try makeProject(["konnectors/hook.yaml": konnector])
        let result = try KonnectRunner.run(["validate", "--strict"], in: project)
        assertExit(result, 0)
        XCTAssertTrue(result.err.hasPrefix("0 errors, 0 warnings"), result.err)
    }

    // MARK: helpers

    private func makeProject(_ files: [String: String]) throws -> URL {
        let root = try FixtureProject.emptyDirectory(for: self)
        try write("project: secrets\nkonnectors: konnectors\nschemas: schemas\n", to: root.appendingPathComponent("konnect.yaml"))
        for app in ["slack", "webhook"] {
            let schema = KonnectRunner.packageRoot.appendingPathComponent("schemas/\(app).yaml")
            try write(String(decoding: try Data(contentsOf: schema), as: UTF8.self), to: root.appendingPathComponent("schemas/\(app).yaml"))
        }
        for (path, text) in files { try write(text, to: root.appendingPathComponent(path)) }
        return root
    }

    private func assertNoLeak(_ secrets: [String], in result: KonnectResult, _ what: String,
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(result.signaled, what, file: file, line: line)
        let all = result.out + result.err
        for secret in secrets {
            XCTAssertFalse(all.contains(secret), "\(what) prints `\(secret)`:\n\(all)", file: file, line: line)
        }
    }
}
