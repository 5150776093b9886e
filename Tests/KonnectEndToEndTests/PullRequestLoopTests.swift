import Foundation
import XCTest

/// The loop konnect is built for (SPEC §12), in a temporary git repository:
/// a project applied from main, a branch with an edit and a rename that CI
/// validates, tests and plans as a pull-request comment, then the merge's
/// apply as another actor from a tree that differs from its commit, and the
/// history that says who applied what from which commit, following the rename.
final class PullRequestLoopTests: XCTestCase {
    private var repository: URL!

    private func konnect(_ arguments: [String], environment: [String: String] = [:],
                         file: StaticString = #filePath, line: UInt = #line) throws -> KonnectResult {
        // Who applies comes from the arguments and `environment` only.
        try KonnectRunner.run(arguments, in: repository, environment: environment, removing: ["KONNECT_ACTOR", "GITHUB_ACTOR"],
                              file: file, line: line)
    }

    @discardableResult
    private func git(_ arguments: [String]) throws -> String {
        try KonnectRunner.git(arguments, in: repository)
    }

    private func edit(_ path: String, _ old: String, _ new: String) throws {
        let url = repository.appendingPathComponent(path)
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.contains(old), "\(path) lacks \(old)")
        try write(text.replacingOccurrences(of: old, with: new), to: url)
    }

    static let digest = FixtureProject.webhookToSlackTeam("signup-digest", name: "Signup digest", with: [
        "channel: \"#growth\"", "text: \"Signup from {{ trigger.body.email | default('someone') }}\"",
    ])

    static let tests = """
    tests: new-signup-to-slack
    cases:
      - name: a POST is announced
        event: { method: POST }
        expect:
          filtered: false
          ran: [announce]
      - name: a GET is not
        event: { method: GET }
        expect:
          filtered: true

    """

    func testThePullRequestLoop() throws {
        let root = try FixtureProject.emptyDirectory(for: self)
        repository = root.appendingPathComponent("shop")
        assertExit(try KonnectRunner.run(["init", "shop"], in: root), 0)
        try write(Self.digest, to: repository.appendingPathComponent("konnectors/signup-digest.yaml"))
        try write(Self.tests, to: repository.appendingPathComponent("konnectors/new-signup-to-slack.test.yaml"))
        try git(["init", "-q"])
        try git(["add", "."])
        try git(["commit", "-q", "-m", "konnectors"])
        let first = try git(["rev-parse", "HEAD"])

        // Applied on main, from a clean checkout.
        let applied = try konnect(["apply", "--auto-approve", "--actor", "alice"])
        assertExit(applied, 0)
        XCTAssertTrue(applied.out.contains("Apply complete: 3 created, 0 updated, 0 renamed, 0 deleted.\n"), applied.out)

        // A branch: an edit, and a rename.
        try git(["checkout", "-q", "-b", "edit-channels"])
        try edit("konnectors/new-signup-to-slack.yaml", "channel: \"#signups\"", "channel: \"#signups-eu\"")
        try edit("konnectors/signup-digest.yaml", "konnector: signup-digest\n", "konnector: growth-digest\nrenamed_from: signup-digest\n")
        try FileManager.default.moveItem(at: repository.appendingPathComponent("konnectors/signup-digest.yaml"),
                                         to: repository.appendingPathComponent("konnectors/growth-digest.yaml"))
        try git(["add", "-A"])
        try git(["commit", "-q", "-m", "EU channel; the digest is for growth"])

        // CI on the pull request.
        let validate = try konnect(["validate", "--format", "github"])
        assertExit(validate, 0)
        XCTAssertFalse(validate.out.contains("::error"), validate.out)
        let test = try konnect(["test"])
        assertExit(test, 0)
        XCTAssertTrue(test.out.contains("2 passed, 0 failed"), test.out)
        let markdown = try konnect(["plan", "--format", "markdown"])
        assertExit(markdown, 0)
        XCTAssertEqual(try konnect(["plan", "--format", "markdown"]).out, markdown.out, "the same plan, the same bytes")
        GoldenFile.assertMatches(markdown.out, "plan-e2e.md")

        // The merge, applied by CI as bob, from a tree that differs from its commit.
        try git(["checkout", "-q", "main"])
        try git(["merge", "-q", "--ff-only", "edit-channels"])
        let merged = try git(["rev-parse", "HEAD"])
        try write("# a note\n", to: repository.appendingPathComponent("konnectors/NOTES.md"))
        let merge = try konnect(["apply", "--auto-approve"], environment: ["GITHUB_ACTOR": "bob"])
        assertExit(merge, 0)
        XCTAssertTrue(merge.out.contains("Apply complete: 0 created, 1 updated, 1 renamed, 0 deleted.\n"), merge.out)

        let text = try konnect(["history"])
        assertExit(text, 0)
        XCTAssertTrue(text.out.hasPrefix("serial 2  "), text.out)
        XCTAssertTrue(text.out.contains("  bob  commit \(merged.prefix(12))+dirty\n"), text.out)
        XCTAssertTrue(text.out.contains("  alice  commit \(first.prefix(12))\n"), text.out)

        let history = try konnect(["history", "--diff", "--format", "json"])
        assertExit(history, 0)
        let revisions = try XCTUnwrap(try history.json()["revisions"] as? [[String: Any]])
        XCTAssertEqual(revisions.map { $0["serial"] as? Int }, [2, 1])
        XCTAssertEqual(revisions.map { $0["user"] as? String }, ["bob", "alice"])
        XCTAssertEqual(revisions.map { $0["commit"] as? String }, ["\(merged)+dirty", first])
        XCTAssertEqual(revisions.map { $0["project"] as? String }, ["shop", "shop"])
        let changes = try XCTUnwrap(revisions[0]["changes"] as? [[String: Any]])
        let update = try XCTUnwrap(changes.first { $0["id"] as? String == "new-signup-to-slack" })
        XCTAssertEqual(update["action"] as? String, "update")
        XCTAssertEqual(update["diff"] as? [[String: String]],
                       [["path": "steps.announce.with.channel", "before": "#signups", "after": "#signups-eu"]])
        let rename = try XCTUnwrap(changes.first { $0["id"] as? String == "growth-digest" })
        XCTAssertEqual(rename["action"] as? String, "rename")
        XCTAssertEqual(rename["renamed_from"] as? String, "signup-digest")
        XCTAssertEqual(rename["diff"] as? [[String: String]], [["path": "id", "before": "signup-digest", "after": "growth-digest"]])

        // The renamed konnector's history includes what it did under its old id.
        let renamed = try konnect(["history", "growth-digest", "--diff", "--format", "json"])
        assertExit(renamed, 0)
        let its = try XCTUnwrap(try renamed.json()["revisions"] as? [[String: Any]])
        XCTAssertEqual(its.map { $0["serial"] as? Int }, [2, 1])
        let created = try XCTUnwrap((its[1]["changes"] as? [[String: Any]])?.first)
        XCTAssertEqual(created["id"] as? String, "signup-digest")
        XCTAssertEqual(created["action"] as? String, "create")
        let fields = (created["diff"] as? [[String: Any]])?.compactMap { $0["path"] as? String } ?? []
        XCTAssertTrue(fields.contains("steps.post.with.channel"), "a create records the fields it created: \(fields)")
        let renamedText = try konnect(["history", "growth-digest", "--diff"])
        XCTAssertTrue(renamedText.out.contains("    → konnector growth-digest (from signup-digest)  v2\n        ~ id: \"signup-digest\" -> \"growth-digest\"\n"),
                      renamedText.out)
        XCTAssertTrue(renamedText.out.contains("    + konnector signup-digest  v1\n"), renamedText.out)

        // show --format json: the object as the library holds it, from the dirty merge.
        let show = try konnect(["show", "growth-digest", "--format", "json"])
        assertExit(show, 0)
        let object = try show.json()
        XCTAssertEqual(object["version"] as? Int, 2)
        XCTAssertEqual(object["owner"] as? String, "shop")
        XCTAssertEqual((object["source"] as? [String: String])?["commit"], "\(merged)+dirty")
        XCTAssertEqual((object["source"] as? [String: String])?["file"], "konnectors/growth-digest.yaml")
        XCTAssertEqual((object["definition"] as? [String: Any])?["id"] as? String, "growth-digest")
    }
}

/// Golden files of end-to-end output, beside the views' in `Tests/Fixtures/views/`
/// (`KONNECT_UPDATE_GOLDEN=1` rewrites them).
enum GoldenFile {
    static func assertMatches(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let url = FixtureProject.fixtures.appendingPathComponent("views").appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["KONNECT_UPDATE_GOLDEN"] == "1" {
            XCTAssertNoThrow(try Data(actual.utf8).write(to: url), file: file, line: line)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            XCTFail("missing golden file \(url.path); run with KONNECT_UPDATE_GOLDEN=1 to create it", file: file, line: line)
            return
        }
        XCTAssertEqual(actual, String(decoding: data, as: UTF8.self), "output differs from \(name)", file: file, line: line)
    }
}
