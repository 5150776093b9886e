import Foundation
import XCTest

/// `konnect apply FILE` on edited plan files (SPEC §8): a plan file is
/// untrusted, validated whole, and refused with exit 1 and nothing applied;
/// the change list apply prints is computed, never read from the file.
final class PlanFileTamperTests: XCTestCase {
    typealias S = PlanApplySupport

    /// The `basic` fixture applied, then edited, with a saved plan `plan.json`
    /// (creates a konnector, updates one).
    func planned() throws -> URL {
        let project = try S.copy("basic", for: self)
        assertExit(try konnect(["apply", "--auto-approve"], in: project), 0)
        try write("konnector: extra\nname: Extra\ntrigger: { app: webhook, event: catch_hook }\n"
                  + "steps: [{ id: s, app: slack, action: send_message, connection: slack-ops, with: { channel: \"#x\", text: hi } }]\n",
                  to: project.appendingPathComponent("konnectors/extra.yaml"))
        try S.edit(project, "konnectors/signup-to-slack.yaml", "channel: \"#sales\"", "channel: \"#sales-eu\"")
        let plan = try konnect(["plan", "--out", "plan.json"], in: project)
        assertExit(plan, 0)
        XCTAssertTrue(plan.out.contains("+ konnector extra (create)"), plan.out)
        XCTAssertTrue(plan.out.contains("~ konnector signup-to-slack (update)"), plan.out)
        return project
    }

    /// Edits `plan.json` as Foundation objects: `body` gets each change.
    func tamper(_ project: URL, _ body: (inout [String: Any]) throws -> Void,
                document: (inout [String: Any]) -> Void = { _ in }) throws {
        let url = project.appendingPathComponent("plan.json")
        var json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var changes = try XCTUnwrap(json["changes"] as? [[String: Any]])
        for i in changes.indices { try body(&changes[i]) }
        json["changes"] = changes
        document(&json)
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .withoutEscapingSlashes]).write(to: url)
    }

    /// Replaces text in a change's definition and writes the definition's
    /// true hash, as a careful attacker would.
    func redefine(_ change: inout [String: Any], _ old: String, _ new: String) throws {
        var object = try XCTUnwrap(change["object"] as? [String: Any])
        let definition = try XCTUnwrap(object["definition"] as? String)
        XCTAssertTrue(definition.contains(old), "`\(old)` not in \(definition)")
        let edited = definition.replacingOccurrences(of: old, with: new)
        object["definition"] = edited
        object["hash"] = try Self.sha256(edited)
        change["object"] = object
    }

    static func sha256(_ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("konnect-sha-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in"), output = dir.appendingPathComponent("out")
        try Data(text.utf8).write(to: input)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", input.path]
        process.standardOutput = try FileHandle(forWritingTo: output)
        do { try process.run() } catch { throw XCTSkip("sha256sum is not available") }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw XCTSkip("sha256sum is not available") }
        return String(String(decoding: try Data(contentsOf: output), as: UTF8.self).prefix(64))
    }

    /// Apply refuses the file: exit 1, the expected words, no control
    /// characters, and the library exactly as it was.
    func assertRefused(_ project: URL, _ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try S.objects(of: project, file: file, line: line)
        let serial = try S.serial(of: project, file: file, line: line)
        let apply = try konnect(["apply", "plan.json"], in: project, file: file, line: line)
        assertExit(apply, 1, file: file, line: line)
        XCTAssertTrue(apply.err.contains(expected), "`\(expected)` not in: \(apply.err)", file: file, line: line)
        XCTAssertTrue(apply.err.contains("nothing was applied"), apply.err, file: file, line: line)
        XCTAssertFalse(apply.err.unicodeScalars.contains { $0 == "\u{1b}" }, apply.err, file: file, line: line)
        XCTAssertFalse(apply.out.contains("Apply complete"), apply.out, file: file, line: line)
        XCTAssertEqual(try S.objects(of: project, file: file, line: line), before, "nothing applied", file: file, line: line)
        XCTAssertEqual(try S.serial(of: project, file: file, line: line), serial, file: file, line: line)
    }

    // MARK: sensitive fields

    /// A plan file that marks fewer fields sensitive than the schemas do would
    /// have `show` and `history` print their literals: refused.
    func testAPlanThatDropsASensitivePathIsRefused() throws {
        let project = try planned()
        try S.edit(project, "konnectors/ops/hook-forward.yaml", "tok-123456", "tok-654321")
        assertExit(try konnect(["plan", "--out", "plan.json"], in: project), 0)
        try tamper(project) { c in
            guard c["id"] as? String == "hook-forward", var object = c["object"] as? [String: Any] else { return }
            object["sensitive_paths"] = [String]()
            c["object"] = object
        }
        try assertRefused(project, "does not mark `trigger.with.secret` of konnector `hook-forward` sensitive")
    }

    // MARK: ids

    func testAnIdThatIsNotASlugIsRefusedAndNeverReachesExport() throws {
        let project = try planned()
        try tamper(project) { c in
            guard c["id"] as? String == "extra" else { return }
            c["id"] = "../../x"
            try redefine(&c, "\"id\":\"extra\"", "\"id\":\"../../x\"")
        }
        try assertRefused(project, "the id `../../x` is not a slug")
        // What the old build stored here, export then wrote outside --out.
        let out = try FixtureProject.emptyDirectory(for: self).appendingPathComponent("a/b/out")
        assertExit(try konnect(["export", "--out", out.path], in: project), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("../../x.yaml").standardizedFileURL.path))
    }

    func testAnIdThatDiffersFromItsDefinitionIsRefused() throws {
        let project = try planned()
        try tamper(project) { c in if c["id"] as? String == "extra" { c["id"] = "ops-alert" } }
        try assertRefused(project, "its id `extra` is not the change's id `ops-alert`")
    }

    func testAnEscapeInAnIdIsRefusedAndNotEchoed() throws {
        let project = try planned()
        try tamper(project) { c in if c["id"] as? String == "extra" { c["id"] = "x\u{1b}[2Jy" } }
        try assertRefused(project, "the id `x\\u{1b}[2Jy` is not a slug")
    }

    // MARK: hashes, definitions, kinds, versions

    func testAnEditedDefinitionIsRefused() throws {
        let project = try planned()
        try tamper(project) { c in
            guard c["id"] as? String == "signup-to-slack", var object = c["object"] as? [String: Any],
                  let d = object["definition"] as? String else { return }
            object["definition"] = d.replacingOccurrences(of: "#sales-eu", with: "#pwned")
            c["object"] = object
        }
        try assertRefused(project, "the definition of konnector `signup-to-slack` does not match its hash")
    }

    func testAMalformedDefinitionWithItsTrueHashIsRefused() throws {
        let project = try planned()
        try tamper(project) { c in
            if c["id"] as? String == "extra" { try redefine(&c, "\"steps\":[", "\"steps\":\"oops\",\"steps_was\":[") }
        }
        try assertRefused(project, "the definition of konnector `extra` is malformed: `steps` is not a non-empty list")
    }

    func testALiteralSecretInAConnectionIsRefused() throws {
        let project = try S.copy("basic", for: self)
        assertExit(try konnect(["plan", "--out", "plan.json"], in: project), 0)
        try tamper(project) { c in
            if c["id"] as? String == "slack-ops" { try redefine(&c, "\"env:SLACK_OPS_TOKEN\"", "\"xoxb-1234-literal\"") }
        }
        let apply = try konnect(["apply", "plan.json"], in: project)
        assertExit(apply, 1)
        XCTAssertTrue(apply.err.contains("`secret` is not a reference"), apply.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.appendingPathComponent(".konnect/library.db").path),
                       "a refused first plan creates no library")
    }

    func testFormatVersionKindsAndRepeatsAreChecked() throws {
        let project = try planned()
        let original = try Data(contentsOf: project.appendingPathComponent("plan.json"))
        func reset() throws { try original.write(to: project.appendingPathComponent("plan.json")) }

        try tamper(project, { _ in }, document: { $0["format_version"] = 2 })
        try assertRefused(project, "format_version 2 is not one this konnect reads")

        try reset()
        try tamper(project) { c in if c["id"] as? String == "extra" { c["kind"] = "secret" } }
        try assertRefused(project, "`kind` is not `konnector` or `connection`")

        try reset()
        try tamper(project, { _ in }, document: { doc in
            let changes = doc["changes"] as? [[String: Any]] ?? []
            doc["changes"] = changes + changes.filter { $0["id"] as? String == "extra" }
        })
        try assertRefused(project, "konnector `extra` is changed twice")

        try reset()
        try tamper(project) { c in if c["id"] as? String == "signup-to-slack" { c["before_version"] = 7 } }
        try assertRefused(project, "at a hash and version the library does not hold")
    }

    // MARK: the change list is computed

    func testTheDiffAndSummaryInTheFileAreNotWhatApplyPrints() throws {
        let project = try planned()
        try tamper(project, { c in
            c["diff"] = [["path": "\u{1b}[2Jall good", "before": NSNull(), "after": "forged"]]
            c["activate"] = true
        }, document: { $0["summary"] = ["create": 0, "update": 0, "rename": 0, "delete": 0, "activate": 9, "deactivate": 0, "unchanged": 0] })
        let apply = try konnect(["apply", "plan.json"], in: project)
        assertExit(apply, 0)
        XCTAssertFalse(apply.out.contains("forged") || apply.out.contains("all good") || apply.out.contains("activate)"), apply.out)
        XCTAssertTrue(apply.out.contains("~ steps.notify.with.channel: \"#sales\" -> \"#sales-eu\""), apply.out)
        XCTAssertTrue(apply.out.contains("+ konnector extra (create)"), apply.out)
        XCTAssertTrue(apply.out.hasSuffix("Apply complete: 1 created, 1 updated, 0 renamed, 0 deleted.\nLibrary serial is now 2.\n"), apply.out)
    }
}

/// `--target` that matches nothing (SPEC §8, §11): an error with a "did you
/// mean", exit 1, never "No changes".
final class TargetMatchesNothingTests: XCTestCase {
    typealias S = PlanApplySupport

    func testATargetThatMatchesNothingIsAnError() throws {
        let project = try S.copy("basic", for: self)
        let typo = try KonnectRunner.run(["plan", "--target", "signup-to-slck", "--detailed-exitcode"], in: project)
        assertExit(typo, 1)
        XCTAssertTrue(typo.err.contains("no konnector, connection or tag matches --target signup-to-slck; did you mean `signup-to-slack`?"),
                      typo.err)
        XCTAssertFalse(typo.out.contains("No changes"), typo.out)

        let tag = try KonnectRunner.run(["plan", "--target", "tag:opz"], in: project)
        assertExit(tag, 1)
        XCTAssertTrue(tag.err.contains("no konnector, connection or tag matches --target tag:opz; did you mean `tag:ops`?"), tag.err)

        let escape = try KonnectRunner.run(["plan", "--target", "x\u{1b}[2J"], in: project)
        assertExit(escape, 1)
        XCTAssertTrue(escape.err.contains("--target x\\u{1b}[2J"), escape.err)

        let apply = try KonnectRunner.run(["apply", "--auto-approve", "--target", "nothing"], in: project)
        assertExit(apply, 1)
        XCTAssertTrue(apply.err.contains("no konnector, connection or tag matches --target nothing"), apply.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.appendingPathComponent(".konnect/library.db").path),
                       "a refused apply creates no library")
    }

    func testATargetOnlyTheLibraryHoldsMatches() throws {
        let project = try S.copy("basic", for: self)
        assertExit(try KonnectRunner.run(["apply", "--auto-approve"], in: project), 0)
        try FileManager.default.removeItem(at: project.appendingPathComponent("konnectors/ops/hook-forward.yaml"))
        let delete = try KonnectRunner.run(["plan", "--target", "hook-forward"], in: project)
        assertExit(delete, 0)
        XCTAssertTrue(delete.out.contains("- konnector hook-forward ("), delete.out)
        // Matched, with nothing to change: that is "No changes", not an error.
        let same = try KonnectRunner.run(["plan", "--target", "tag:sales", "--detailed-exitcode"], in: project)
        assertExit(same, 0)
        XCTAssertEqual(same.out, "No changes. The library matches the configuration.\n")
    }
}
