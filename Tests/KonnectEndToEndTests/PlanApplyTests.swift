import Foundation
import XCTest

/// `konnect plan` and `konnect apply` end to end (SPEC §7, §8, §10, §11) on
/// temporary copies of the projects in Tests/Fixtures/plan.
final class PlanApplyTests: XCTestCase {
    typealias S = PlanApplySupport

    static let firstApply = "Apply complete: 5 created, 0 updated, 0 renamed, 0 deleted.\n"
    static let noChanges = "No changes. The library matches the configuration.\n"

    /// A copy of the `basic` fixture (project team-a: 2 connections, 3 konnectors), applied when `applied`.
    func basic(applied: Bool = false, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let project = try S.copy("basic", for: self)
        if applied {
            let result = try KonnectRunner.run(["apply", "--auto-approve"], in: project)
            assertExit(result, 0, file: file, line: line)
            XCTAssertTrue(result.out.hasSuffix(Self.firstApply + "Library serial is now 1.\n"), result.out, file: file, line: line)
        }
        return project
    }

    /// The basic fixture's hook-forward.yaml holds literals in sensitive fields on
    /// purpose (so plans show `(sensitive)`): SPEC §3 warns about each of them, and
    /// nothing else is said; a first plan also says the library does not exist yet (SPEC §7).
    func assertOnlyLiteralSecretWarnings(_ err: String, libraryIsNew: Bool = false, file: StaticString = #filePath, line: UInt = #line) {
        let headlines = err.split(separator: "\n").filter { $0.hasPrefix("warning") || $0.hasPrefix("error") }
        XCTAssertEqual(headlines, ["warning[literal-secret]: `secret` of webhook.catch_hook is sensitive and holds a literal value",
                                   "warning[literal-secret]: `url` of webhook.post is sensitive and holds a literal value"], err, file: file, line: line)
        XCTAssertTrue(err.contains("\n0 errors, 2 warnings in "), err, file: file, line: line)
        XCTAssertEqual(err.contains("does not exist yet; apply will create it"), libraryIsNew, err, file: file, line: line)
    }

    /// `konnect plan` once `project`'s file `path` is edited (`old` becomes `new`); it must exit 0.
    func planAfterEditing(_ project: URL, _ path: String, _ old: String, _ new: String,
                          file: StaticString = #filePath, line: UInt = #line) throws -> KonnectResult {
        try S.edit(project, path, old, new, file: file, line: line)
        let plan = try konnect(["plan"], in: project, file: file, line: line)
        assertExit(plan, 0, file: file, line: line)
        return plan
    }

    func assertNoChanges(_ project: URL, _ extra: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws {
        let plan = try konnect(["plan", "--detailed-exitcode"] + extra, in: project, file: file, line: line)
        assertExit(plan, 0, file: file, line: line)
        XCTAssertEqual(plan.out, Self.noChanges, file: file, line: line)
    }

    // MARK: first apply, no changes

    func testFirstApplyThenNoChanges() throws {
        let project = try basic()
        let plan = try konnect(["plan"], in: project)
        assertExit(plan, 0)
        XCTAssertTrue(plan.out.hasPrefix("konnect will perform these actions on the library:\n"), plan.out)
        XCTAssertTrue(plan.out.contains("  + connection slack-sales (create)\n"), plan.out)
        XCTAssertTrue(plan.out.contains("  + konnector signup-to-slack (create)\n"), plan.out)
        XCTAssertTrue(plan.out.hasSuffix("Plan: 5 to create, 0 to update, 0 to rename, 0 to delete (0 to activate, 0 to deactivate).\n"), plan.out)
        assertOnlyLiteralSecretWarnings(plan.err, libraryIsNew: true)
        assertExit(try konnect(["plan", "--detailed-exitcode"], in: project), 2)
        XCTAssertEqual(try S.serial(of: project), 0, "plan changes nothing")

        let apply = try konnect(["apply", "--auto-approve"], in: project)
        assertExit(apply, 0)
        XCTAssertTrue(apply.out.contains("Plan: 5 to create, 0 to update, 0 to rename, 0 to delete (0 to activate, 0 to deactivate).\n"),
                      "apply shows the plan first:\n\(apply.out)")
        XCTAssertTrue(apply.out.hasSuffix(Self.firstApply + "Library serial is now 1.\n"), apply.out)
        assertOnlyLiteralSecretWarnings(apply.err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: project.appendingPathComponent(".konnect/library.db").path),
                      "the default library is sqlite:.konnect/library.db")

        try assertNoChanges(project)
        let again = try konnect(["apply", "--auto-approve"], in: project)
        assertExit(again, 0)
        XCTAssertTrue(again.out.hasPrefix(Self.noChanges), again.out)
        XCTAssertEqual(try S.serial(of: project), 1, "an apply without changes does not move the serial")
        XCTAssertEqual(try S.objects(of: project).map { "\($0.kind) \($0.id) v\($0.version)" }, [
            "connection slack-ops v1", "connection slack-sales v1",
            "konnector hook-forward v1", "konnector ops-alert v1", "konnector signup-to-slack v1",
        ])
    }

    // MARK: edits

    func testCosmeticEditsPlanNoChanges() throws {
        let project = try basic(applied: true)
        try write("""
        # Reformatted: comments, key order, quoting, flow style, indentation, spacing inside {{ }}.
        konnector: 'signup-to-slack'
        tags: [ "web", sales ]        # tags are a set
        description: "Announces website signups."
        name:   Signup → Slack
        trigger: { event: catch_hook, app: webhook }   # method: POST is the default
        when: "trigger.body.email!=null"
        steps:
            -   with: { text: 'New signup: {{trigger.body.email}}', channel: '#sales', mrkdwn: true }
                connection: slack-sales
                action: send_message
                app: slack
                id: notify
                on_error: stop

        """, to: project.appendingPathComponent("konnectors/signup-to-slack.yaml"))
        try assertNoChanges(project)
    }

    func testAFieldEditShowsItsDiffAndApplies() throws {
        let project = try basic(applied: true)
        let plan = try planAfterEditing(project, "konnectors/signup-to-slack.yaml", "channel: \"#sales\"", "channel: \"#sales-eu\"")
        XCTAssertEqual(plan.out, """
        konnect will perform these actions on the library:

          ~ konnector signup-to-slack (update)
              ~ steps.notify.with.channel: "#sales" -> "#sales-eu"

        Plan: 0 to create, 1 to update, 0 to rename, 0 to delete (0 to activate, 0 to deactivate).

        """)
        assertExit(try konnect(["plan", "--detailed-exitcode"], in: project), 2)

        let apply = try konnect(["apply", "--auto-approve"], in: project)
        assertExit(apply, 0)
        XCTAssertTrue(apply.out.contains("      ~ steps.notify.with.channel: \"#sales\" -> \"#sales-eu\"\n"), apply.out)
        XCTAssertTrue(apply.out.hasSuffix("Apply complete: 0 created, 1 updated, 0 renamed, 0 deleted.\nLibrary serial is now 2.\n"), apply.out)
        XCTAssertEqual(try S.objects(of: project).first { $0.id == "signup-to-slack" }?.version, 2)
        XCTAssertEqual(try S.objects(of: project).first { $0.id == "ops-alert" }?.version, 1)
        try assertNoChanges(project)
    }

    /// Plan reuses the library's hash of a konnector compiled from the same inputs;
    /// a schema edit that changes compiled definitions must still show.
    func testASchemaDefaultEditShowsThoughTheKonnectorFileIsUnchanged() throws {
        let project = try basic(applied: true)
        try S.edit(project, "schemas/webhook.yaml", "      timeout_seconds: { type: integer, default: 30 }\n    output:\n      status: integer\n      headers: any\n      body: any\n    sample:\n      status: 200",
                   "      timeout_seconds: { type: integer, default: 45 }\n    output:\n      status: integer\n      headers: any\n      body: any\n    sample:\n      status: 200")
        let plan = try konnect(["plan"], in: project)
        assertExit(plan, 0)
        XCTAssertEqual(plan.out, """
        konnect will perform these actions on the library:

          ~ konnector hook-forward (update)
              ~ steps.forward.with.timeout_seconds: 30 -> 45

        Plan: 0 to create, 1 to update, 0 to rename, 0 to delete (0 to activate, 0 to deactivate).

        """)
        assertExit(try konnect(["apply", "--auto-approve"], in: project), 0)
        try assertNoChanges(project)
        // A connection file edit (a comment) changes every key; nothing changes in the library.
        try S.edit(project, "konnectors/connections.yaml", "connection: slack-sales", "# edited\nconnection: slack-sales")
        try assertNoChanges(project)
        try S.edit(project, "konnectors/ops/hook-forward.yaml", "source: konnect", "source: konnect-2")
        let edit = try konnect(["plan"], in: project)
        XCTAssertTrue(edit.out.contains("~ steps.forward.with.body.source: \"konnect\" -> \"konnect-2\"\n"), edit.out)
    }

    func testSensitiveEditsAreMasked() throws {
        let project = try basic(applied: true)
        try S.edit(project, "konnectors/ops/hook-forward.yaml", "tok-123456", "tok-999999")
        try S.edit(project, "konnectors/ops/hook-forward.yaml", "hunter2-trigger-secret", "hunter3-trigger-secret")
        for arguments in [["plan"], ["plan", "--format", "json"], ["apply", "--auto-approve"]] {
            let result = try konnect(arguments, in: project)
            assertExit(result, 0)
            for secret in ["tok-123456", "tok-999999", "hunter2", "hunter3"] {
                XCTAssertFalse(result.out.contains(secret) || result.err.contains(secret), "\(arguments): `\(secret)` leaked:\n\(result.out)")
            }
            if arguments == ["plan"] {
                XCTAssertTrue(result.out.contains("      ~ steps.forward.with.url: (sensitive) -> (sensitive)\n"), result.out)
                XCTAssertTrue(result.out.contains("      ~ trigger.with.secret: (sensitive) -> (sensitive)\n"), result.out)
            }
        }
        let show = try konnect(["show", "hook-forward"], in: project)
        assertExit(show, 0)
        XCTAssertTrue(show.out.contains("\"url\": \"(sensitive)\""), show.out)
        XCTAssertTrue(show.out.contains("\"secret\": \"(sensitive)\""), show.out)
        XCTAssertFalse(show.out.contains("tok-") || show.out.contains("hunter"), show.out)
    }

    func testRenameKeepsTheObjectAndItsHistory() throws {
        let project = try basic(applied: true)
        let plan = try planAfterEditing(project, "konnectors/ops/ops-alert.yaml", "konnector: ops-alert\n", "konnector: ops-alarm\nrenamed_from: ops-alert\n")
        XCTAssertTrue(plan.out.contains("  → konnector ops-alarm (rename from ops-alert)\n      ~ id: \"ops-alert\" -> \"ops-alarm\"\n"), plan.out)
        XCTAssertFalse(plan.out.contains("DELETE"), "a rename is not a delete and a create:\n\(plan.out)")
        XCTAssertTrue(plan.out.hasSuffix("Plan: 0 to create, 0 to update, 1 to rename, 0 to delete (0 to activate, 0 to deactivate).\n"), plan.out)

        let apply = try konnect(["apply", "--auto-approve"], in: project)
        assertExit(apply, 0)
        XCTAssertTrue(apply.out.contains("Apply complete: 0 created, 0 updated, 1 renamed, 0 deleted.\n"), apply.out)
        let objects = try S.objects(of: project)
        XCTAssertFalse(objects.contains { $0.id == "ops-alert" })
        XCTAssertEqual(objects.first { $0.id == "ops-alarm" }?.version, 2, "the renamed object keeps its version line")
        try assertNoChanges(project)  // the leftover renamed_from: changes nothing

        let history = try konnect(["history", "ops-alert"], in: project)
        assertExit(history, 0)
        XCTAssertTrue(history.out.hasPrefix("serial 2  "), history.out)
        XCTAssertTrue(history.out.contains("    → konnector ops-alarm (from ops-alert)  v2\n"), history.out)
        XCTAssertTrue(history.out.contains("serial 1  "), "the old id's first revision:\n\(history.out)")
        XCTAssertTrue(history.out.contains("    + konnector ops-alert  v1\n"), history.out)
        let newHistory = try konnect(["history", "ops-alarm"], in: project)
        XCTAssertTrue(newHistory.out.hasPrefix("serial 2  "), newHistory.out)
    }

    func testDeleteKonnectorsBeforeTheirConnections() throws {
        let project = try basic(applied: true)
        try FileManager.default.removeItem(at: project.appendingPathComponent("konnectors/ops/ops-alert.yaml"))
        try write("""
        connection: slack-sales
        app: slack
        scopes: [chat:write]
        secret: env:SLACK_SALES_TOKEN

        """, to: project.appendingPathComponent("konnectors/connections.yaml"))
        let plan = try konnect(["plan"], in: project)
        assertExit(plan, 0)
        let konnectorLine = try XCTUnwrap(plan.out.range(of: "  - konnector ops-alert (DELETE: removed from the library)\n"), plan.out)
        let connectionLine = try XCTUnwrap(plan.out.range(of: "  - connection slack-ops (DELETE: removed from the library)\n"), plan.out)
        XCTAssertLessThan(konnectorLine.lowerBound, connectionLine.lowerBound, "connection deletions come last")
        XCTAssertTrue(plan.out.hasSuffix("Plan: 0 to create, 0 to update, 0 to rename, 2 to delete (0 to activate, 0 to deactivate).\n"), plan.out)

        let apply = try konnect(["apply", "--auto-approve"], in: project)
        assertExit(apply, 0)
        XCTAssertTrue(apply.out.contains("Apply complete: 0 created, 0 updated, 0 renamed, 2 deleted.\n"), apply.out)
        XCTAssertEqual(try S.objects(of: project).map(\.id), ["slack-sales", "hook-forward", "signup-to-slack"])
        try assertNoChanges(project)
    }

    func testDeactivateThenActivate() throws {
        let project = try basic(applied: true)
        let off = try planAfterEditing(project, "konnectors/ops/ops-alert.yaml", "tags: [ops]\n", "tags: [ops]\nenabled: false\n")
        XCTAssertTrue(off.out.contains("  ~ konnector ops-alert (update, deactivate)\n      ~ enabled: true -> false\n"), off.out)
        XCTAssertTrue(off.out.hasSuffix("Plan: 0 to create, 1 to update, 0 to rename, 0 to delete (0 to activate, 1 to deactivate).\n"), off.out)
        assertExit(try konnect(["apply", "--auto-approve"], in: project), 0)
        XCTAssertEqual(try S.objects(of: project).first { $0.id == "ops-alert" }?.enabled, false)

        let on = try planAfterEditing(project, "konnectors/ops/ops-alert.yaml", "tags: [ops]\nenabled: false\n", "tags: [ops]\n")
        XCTAssertTrue(on.out.contains("  ~ konnector ops-alert (update, activate)\n"), on.out)
        XCTAssertTrue(on.out.hasSuffix("Plan: 0 to create, 1 to update, 0 to rename, 0 to delete (1 to activate, 0 to deactivate).\n"), on.out)
        assertExit(try konnect(["apply", "--auto-approve"], in: project), 0)
        let alert = try XCTUnwrap(try S.objects(of: project).first { $0.id == "ops-alert" })
        XCTAssertTrue(alert.enabled)
        XCTAssertEqual(alert.version, 3)
    }

    // MARK: saved plans

    func testASavedPlanAppliesExactlyOrIsStale() throws {
        let project = try basic(applied: true)
        try S.edit(project, "konnectors/signup-to-slack.yaml", "channel: \"#sales\"", "channel: \"#sales-eu\"")
        let saved = try konnect(["plan", "--out", "planned.json"], in: project)
        assertExit(saved, 0)
        XCTAssertTrue(saved.out.hasSuffix("\nSaved the plan to planned.json. Apply it exactly with: konnect apply planned.json\n"), saved.out)
        let planFile = project.appendingPathComponent("planned.json")
        XCTAssertTrue(FileManager.default.fileExists(atPath: planFile.path))

        // Another apply moves the library on.
        try S.edit(project, "konnectors/ops/ops-alert.yaml", "channel: \"#ops\"", "channel: \"#ops-2\"")
        assertExit(try konnect(["apply", "--auto-approve"], in: project), 0)
        let before = try S.objects(of: project)
        XCTAssertEqual(try S.serial(of: project), 2)

        let stale = try konnect(["apply", "planned.json"], in: project)
        assertExit(stale, 1)
        XCTAssertTrue(stale.err.contains("plan is stale"), stale.err)
        XCTAssertFalse(stale.out.contains("Apply complete"), stale.out)
        XCTAssertEqual(try S.serial(of: project), 2, "a stale plan changes nothing")
        XCTAssertEqual(try S.objects(of: project), before)
        XCTAssertNil(try S.currentLockHolderPID(project), "the lock is released after a refused plan")
    }

    /// A plan made against a library that is gone when it is applied is stale, and no
    /// library is created in its place (SPEC §8; found by an attack review: apply created
    /// an empty library, then refused the plan).
    func testASavedPlanForALibraryThatIsGoneCreatesNone() throws {
        let project = try basic(applied: true)
        try S.edit(project, "konnectors/signup-to-slack.yaml", "channel: \"#sales\"", "channel: \"#planned\"")
        assertExit(try konnect(["plan", "--out", "p.json"], in: project), 0)
        let folder = project.appendingPathComponent(".konnect")
        try FileManager.default.removeItem(at: folder)
        let stale = try konnect(["apply", "p.json"], in: project)
        assertExit(stale, 1)
        XCTAssertTrue(stale.err.contains("plan is stale") && stale.err.contains("no library (none exists at this URL)"), stale.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("library.db").path), "no library is created")
    }

    func testASavedPlanIsAppliedAsPlannedNotAsTheRepositoryIsNow() throws {
        let project = try basic(applied: true)
        try S.edit(project, "konnectors/signup-to-slack.yaml", "channel: \"#sales\"", "channel: \"#planned\"")
        assertExit(try konnect(["plan", "--out", "p.json"], in: project), 0)
        try S.edit(project, "konnectors/signup-to-slack.yaml", "channel: \"#planned\"", "channel: \"#later\"")

        let apply = try konnect(["apply", "p.json"], in: project)  // no terminal needed: the plan was reviewed
        assertExit(apply, 0)
        XCTAssertTrue(apply.out.contains("  ~ konnector signup-to-slack (update)\n"), apply.out)
        XCTAssertTrue(apply.out.contains("~ steps.notify.with.channel: \"#sales\" -> \"#planned\"\n"), apply.out)
        XCTAssertTrue(apply.out.hasSuffix("Apply complete: 0 created, 1 updated, 0 renamed, 0 deleted.\nLibrary serial is now 2.\n"), apply.out)
        let show = try konnect(["show", "signup-to-slack"], in: project)
        XCTAssertTrue(show.out.contains("\"channel\": \"#planned\""), show.out)

        // Applying it twice is stale; --target cannot be combined with a plan file; a modified file is refused.
        assertExit(try konnect(["apply", "p.json"], in: project), 1)
        assertExit(try konnect(["apply", "p.json", "--target", "ops-alert"], in: project), 64)
        assertExit(try konnect(["plan", "--out", "q.json"], in: project), 0)
        let q = project.appendingPathComponent("q.json")
        let text = try String(contentsOf: q, encoding: .utf8)
        XCTAssertTrue(text.contains("#later"))
        try Data(text.replacingOccurrences(of: "#later", with: "#evil").utf8).write(to: q)
        let tampered = try konnect(["apply", "q.json"], in: project)
        assertExit(tampered, 1)
        XCTAssertTrue(tampered.err.contains("modified"), tampered.err)
        XCTAssertEqual(try S.serial(of: project), 2)
    }

    func testASavedFirstPlanAppliesOnAFreshLibrary() throws {
        let project = try basic()
        assertExit(try konnect(["plan", "--out", "first.json"], in: project), 0)
        let apply = try konnect(["apply", "first.json"], in: project)
        assertExit(apply, 0)
        XCTAssertTrue(apply.out.hasSuffix(Self.firstApply + "Library serial is now 1.\n"), apply.out)
        try assertNoChanges(project)
        // Created fields show as added, as in `plan`, not as `~ app: null -> "slack"`.
        XCTAssertTrue(apply.out.contains("      + app: \"slack\"\n"), apply.out)
        // A create lists only the fields it sets (issue 19 item 7): no `+ description: null`.
        XCTAssertFalse(apply.out.contains(": null\n"), apply.out)
        XCTAssertFalse(apply.out.contains(": null -> "), apply.out)
    }

    // MARK: --target

    func testTargetByIDAndByTag() throws {
        let project = try basic()
        let one = try konnect(["plan", "--target", "signup-to-slack"], in: project)
        assertExit(one, 0)
        XCTAssertTrue(one.out.contains("  + connection slack-sales (create)\n"), "the connection it uses comes along:\n\(one.out)")
        XCTAssertFalse(one.out.contains("slack-ops") || one.out.contains("hook-forward"), one.out)
        XCTAssertTrue(one.out.hasSuffix("Plan: 2 to create, 0 to update, 0 to rename, 0 to delete (0 to activate, 0 to deactivate).\n"), one.out)

        let apply = try konnect(["apply", "--auto-approve", "--target", "signup-to-slack"], in: project)
        assertExit(apply, 0)
        XCTAssertTrue(apply.out.contains("Apply complete: 2 created, 0 updated, 0 renamed, 0 deleted.\n"), apply.out)
        XCTAssertEqual(try S.objects(of: project).map(\.id), ["slack-sales", "signup-to-slack"])

        let tag = try konnect(["plan", "--target", "tag:ops"], in: project)
        assertExit(tag, 0)
        for id in ["connection slack-ops", "konnector hook-forward", "konnector ops-alert"] {
            XCTAssertTrue(tag.out.contains("  + \(id) (create)\n"), tag.out)
        }
        XCTAssertTrue(tag.out.hasSuffix("Plan: 3 to create, 0 to update, 0 to rename, 0 to delete (0 to activate, 0 to deactivate).\n"), tag.out)
        // A target that matches nothing is an error, never an empty plan (SPEC §8).
        let none = try konnect(["plan", "--target", "tag:nothing", "--detailed-exitcode"], in: project)
        assertExit(none, 1)
        XCTAssertTrue(none.err.contains("no konnector, connection or tag matches --target tag:nothing"), none.err)

        assertExit(try konnect(["apply", "--auto-approve", "--target", "tag:ops", "--target", "nothing"], in: project), 1)
        assertExit(try konnect(["apply", "--auto-approve", "--target", "tag:ops"], in: project), 0)
        try assertNoChanges(project)
        XCTAssertEqual(try S.serial(of: project), 2)
    }

    // MARK: two projects, one library

    func testTwoProjectsShareALibraryWithoutCrossDeletion() throws {
        let a = try basic()
        let b = try S.copy("other", for: self)
        let shared = try FixtureProject.emptyDirectory(for: self).appendingPathComponent("shared/library.db").path
        let url = "sqlite:\(shared)"

        assertExit(try konnect(["apply", "--auto-approve", "--library", url], in: a), 0)
        let applyB = try konnect(["apply", "--auto-approve"], in: b, environment: ["KONNECT_LIBRARY": url])
        assertExit(applyB, 0)
        XCTAssertTrue(applyB.out.hasSuffix("Apply complete: 1 created, 0 updated, 0 renamed, 0 deleted.\nLibrary serial is now 2.\n"),
                      "team-b never deletes team-a's objects:\n\(applyB.out)")
        try assertNoChanges(a, ["--library", url])
        try assertNoChanges(b, ["--library", url])
        // The flag overrides KONNECT_LIBRARY.
        let flag = try konnect(["plan", "--library", url], in: b, environment: ["KONNECT_LIBRARY": "sqlite:elsewhere.db"])
        XCTAssertEqual(flag.out, Self.noChanges)
        XCTAssertEqual(try S.objects(of: a, library: url).count, 5)
        XCTAssertEqual(try S.objects(of: b, library: url).map(\.id), ["b-hook"])

        // The same id in team-b: owned-elsewhere, for plan and apply, and nothing changes.
        try write("""
        konnector: hook-forward
        name: Team B's own hook-forward
        trigger: { app: webhook, event: catch_hook }
        steps:
          - { id: ping, app: webhook, action: get, with: { url: "https://b.example/x" } }

        """, to: b.appendingPathComponent("konnectors/hook-forward.yaml"))
        let before = try S.objects(of: a, library: url)
        for arguments in [["plan"], ["apply", "--auto-approve"]] {
            let result = try konnect(arguments + ["--library", url], in: b)
            assertExit(result, 1)
            XCTAssertTrue(result.err.contains("error[owned-elsewhere]"), result.err)
            XCTAssertTrue(result.err.contains("team-a"), "names the owner: \(result.err)")
            XCTAssertTrue(result.err.contains("konnectors/hook-forward.yaml:1:"), result.err)
            XCTAssertFalse(result.out.contains("Apply complete"), result.out)
        }
        XCTAssertEqual(try S.objects(of: a, library: url), before)
        XCTAssertEqual(try S.objects(of: b, library: url).map(\.id), ["b-hook"])
        XCTAssertEqual(try S.serial(library: url), 2)
    }

    // MARK: refusal and configuration errors

    func testApplyRefusesWithoutATerminal() throws {
        let project = try basic()
        for stdin in [nil, Data("yes\n".utf8)] {
            let result = try konnect(["apply"], in: project, stdin: stdin)
            assertExit(result, 1)
            XCTAssertTrue(result.err.contains("refusing to apply"), result.err)
            XCTAssertTrue(result.err.contains("--auto-approve"), result.err)
            XCTAssertTrue(result.out.contains("Plan: 5 to create"), "the plan is still shown:\n\(result.out)")
            XCTAssertFalse(result.out.contains("Apply complete"))
        }
        XCTAssertEqual(try S.serial(of: project), 0)
        XCTAssertEqual(try S.objects(of: project).count, 0)
        XCTAssertNil(try S.currentLockHolderPID(project))
    }

    func testConfigurationErrorsStopBeforeTheLibraryIsTouched() throws {
        // A fresh project with an error.
        let fresh = try basic()
        try write("konnector: broken\nname: Broken\ntrigger: { app: nope, event: x }\nsteps: []\n",
                  to: fresh.appendingPathComponent("konnectors/broken.yaml"))
        let libraryFile = fresh.appendingPathComponent(".konnect/library.db")
        for arguments in [["plan"], ["apply", "--auto-approve"], ["plan", "--out", "p.json"]] {
            let result = try konnect(arguments, in: fresh)
            assertExit(result, 1)
            XCTAssertTrue(result.err.contains("error["), result.err)
            XCTAssertEqual(result.out, "", "\(arguments): no plan is shown")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: fresh.appendingPathComponent("p.json").path), "no plan file is written")
        XCTAssertFalse(FileManager.default.fileExists(atPath: libraryFile.path), "the library is not even created")
        XCTAssertFalse(FileManager.default.fileExists(atPath: fresh.appendingPathComponent(".konnect").path))

        // An applied project: every error kind leaves the library as it was,
        // byte for byte, with no WAL files left by the snapshot read while checking.
        let project = try basic(applied: true)
        let before = try S.objects(of: project)
        let folder = project.appendingPathComponent(".konnect")
        func files() throws -> [String: Data] {
            var out: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                out[name] = try Data(contentsOf: folder.appendingPathComponent(name))
            }
            return out
        }
        let bytes = try files()
        XCTAssertEqual(bytes.keys.sorted(), ["library.db"])
        let broken: [(String, String)] = [
            ("konnectors/syntax.yaml", "konnector: [\n"),
            ("konnectors/ops/ops-alert.yaml", (try String(contentsOf: project.appendingPathComponent("konnectors/ops/ops-alert.yaml"), encoding: .utf8))
                .replacingOccurrences(of: "channel: \"#ops\"", with: "channnel: \"#ops\"")),
        ]
        for (path, text) in broken {
            let url = project.appendingPathComponent(path)
            let original = try? Data(contentsOf: url)
            try write(text, to: url)
            // Also a real change elsewhere, which must not be applied either.
            try S.edit(project, "konnectors/signup-to-slack.yaml", "channel: \"#sales\"", "channel: \"#sales-eu\"")
            for arguments in [["plan"], ["apply", "--auto-approve"]] {
                let result = try konnect(arguments, in: project)
                assertExit(result, 1)
                XCTAssertTrue(result.err.contains("error["), result.err)
                XCTAssertTrue(result.err.contains(path), result.err)
                XCTAssertEqual(try files(), bytes, "\(arguments) with \(path)")
            }
            try S.edit(project, "konnectors/signup-to-slack.yaml", "channel: \"#sales-eu\"", "channel: \"#sales\"")
            if let original { try original.write(to: url) } else { try FileManager.default.removeItem(at: url) }
        }
        XCTAssertEqual(try S.objects(of: project), before)
        XCTAssertEqual(try S.serial(of: project), 1)
        XCTAssertEqual(try konnect(["history"], in: project).out.components(separatedBy: "serial ").count - 1, 1)
        try assertNoChanges(project)
    }

    // MARK: JSON

    func testPlanJSONHasTheSpecShape() throws {
        let project = try basic(applied: true)
        let lineage = try S.lineage(of: project)
        try S.edit(project, "konnectors/signup-to-slack.yaml", "channel: \"#sales\"", "channel: \"#sales-eu\"")
        try S.edit(project, "konnectors/ops/ops-alert.yaml", "tags: [ops]\n", "tags: [ops]\nenabled: false\n")
        let result = try konnect(["plan", "--format", "json"], in: project)
        assertExit(result, 0)
        assertOnlyLiteralSecretWarnings(result.err)
        let json = try result.json()
        XCTAssertEqual(Set(json.keys), ["format_version", "project", "library", "changes", "summary"])
        XCTAssertEqual(json["format_version"] as? Int, 1)
        XCTAssertEqual(json["project"] as? String, "team-a")
        let library = try XCTUnwrap(json["library"] as? [String: Any])
        XCTAssertEqual(Set(library.keys), ["lineage", "serial"])
        XCTAssertEqual(library["lineage"] as? String, lineage)
        XCTAssertNotNil(UUID(uuidString: lineage))
        XCTAssertEqual(library["serial"] as? Int, 1)
        let changes = try XCTUnwrap(json["changes"] as? [[String: Any]])
        XCTAssertEqual(changes.map { $0["id"] as? String }, ["ops-alert", "signup-to-slack"])
        for change in changes {
            XCTAssertEqual(Set(change.keys), ["kind", "id", "action", "activate", "deactivate", "diff"])
            XCTAssertEqual(change["kind"] as? String, "konnector")
            XCTAssertEqual(change["action"] as? String, "update")
            XCTAssertEqual(change["activate"] as? Bool, false)
        }
        XCTAssertEqual(changes[0]["deactivate"] as? Bool, true)
        XCTAssertEqual(changes[1]["deactivate"] as? Bool, false)
        let diff = try XCTUnwrap(changes[1]["diff"] as? [[String: Any]])
        XCTAssertEqual(diff.count, 1)
        XCTAssertEqual(diff[0]["path"] as? String, "steps.notify.with.channel")
        XCTAssertEqual(diff[0]["before"] as? String, "#sales")
        XCTAssertEqual(diff[0]["after"] as? String, "#sales-eu")
        let summary = try XCTUnwrap(json["summary"] as? [String: Int])
        XCTAssertEqual(summary, ["create": 0, "update": 2, "rename": 0, "delete": 0, "activate": 0, "deactivate": 1, "unchanged": 3])

        // --format json with --detailed-exitcode and --out: still only JSON on stdout.
        let both = try konnect(["plan", "--format", "json", "--detailed-exitcode", "--out", "p.json"], in: project)
        assertExit(both, 2)
        XCTAssertNoThrow(try both.json())
        XCTAssertTrue(FileManager.default.fileExists(atPath: project.appendingPathComponent("p.json").path))
    }

    // MARK: list, show, history

    func testListShowAndHistory() throws {
        let project = try basic()
        // Before the first apply the library does not exist: read-only commands say so (SPEC §7).
        let empty = try konnect(["list"], in: project)
        assertExit(empty, 1)
        XCTAssertTrue(empty.err.contains("does not exist yet"), empty.err)
        let noHistory = try konnect(["history"], in: project)
        assertExit(noHistory, 1)
        XCTAssertTrue(noHistory.err.contains("does not exist yet"), noHistory.err)
        assertExit(try konnect(["apply", "--auto-approve"], in: project), 0)

        let list = try konnect(["list"], in: project)
        assertExit(list, 0)
        let lines = list.out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 6, list.out)
        XCTAssertTrue(lines[0].hasPrefix("ID "), list.out)
        for header in ["KIND", "ENABLED", "VERSION", "UPDATED", "REPOSITORY"] { XCTAssertTrue(lines[0].contains(header), lines[0]) }
        XCTAssertTrue(lines[1].hasPrefix("slack-ops "), list.out)
        XCTAssertTrue(lines.dropFirst().allSatisfy { $0.hasSuffix("in sync") && $0.contains(" yes ") }, list.out)

        // Drift: edited in the repository, removed from it.
        try S.edit(project, "konnectors/signup-to-slack.yaml", "channel: \"#sales\"", "channel: \"#sales-eu\"")
        try FileManager.default.removeItem(at: project.appendingPathComponent("konnectors/ops/hook-forward.yaml"))
        let drift = try S.objects(of: project)
        XCTAssertEqual(drift.first { $0.id == "signup-to-slack" }?.drift, "differs")
        XCTAssertEqual(drift.first { $0.id == "hook-forward" }?.drift, "not in repo")
        XCTAssertEqual(drift.first { $0.id == "ops-alert" }?.drift, "in sync")
        let listed = try konnect(["list", "--format", "json"], in: project).json()
        let first = try XCTUnwrap((listed["objects"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(first.keys), ["id", "kind", "enabled", "version", "updated", "drift"])
        assertExit(try konnect(["apply", "--auto-approve"], in: project), 0)

        let show = try konnect(["show", "signup-to-slack"], in: project)
        assertExit(show, 0)
        XCTAssertTrue(show.out.hasPrefix("konnector signup-to-slack  version 2  enabled\nhash     "), show.out)
        XCTAssertTrue(show.out.contains("source   konnectors/signup-to-slack.yaml"), show.out)
        XCTAssertTrue(show.out.contains("\"channel\": \"#sales-eu\""), show.out)
        let connection = try konnect(["show", "slack-sales"], in: project)
        assertExit(connection, 0)
        XCTAssertTrue(connection.out.hasPrefix("connection slack-sales  version 1"), connection.out)
        let missing = try konnect(["show", "signup-to-slak"], in: project)
        assertExit(missing, 1)
        XCTAssertTrue(missing.err.contains("signup-to-slack"), "a did-you-mean hint: \(missing.err)")
        let deleted = try konnect(["show", "hook-forward"], in: project)
        assertExit(deleted, 1)

        let history = try konnect(["history"], in: project)
        assertExit(history, 0)
        let serials = history.out.split(separator: "\n").filter { $0.hasPrefix("serial ") }.map { $0.split(separator: " ")[1] }
        XCTAssertEqual(serials, ["2", "1"], "newest first:\n\(history.out)")
        XCTAssertTrue(history.out.contains("    ~ konnector signup-to-slack  v2\n"), history.out)
        XCTAssertTrue(history.out.contains("    - konnector hook-forward\n"), history.out)
        let one = try konnect(["history", "hook-forward"], in: project)
        XCTAssertEqual(one.out.split(separator: "\n").filter { $0.hasPrefix("    ") }, ["    - konnector hook-forward", "    + konnector hook-forward  v1"],
                       one.out)
        XCTAssertEqual(try konnect(["history", "nothing"], in: project).out, "No revisions changed `nothing`.\n")
    }

    func testApplyRecordsTheGitCommitOfTheCheckout() throws {
        let project = try basic()
        func git(_ arguments: [String]) throws -> String { try KonnectRunner.git(arguments, in: project) }
        _ = try git(["init", "-q"])
        _ = try git(["add", "konnectors", "schemas", "konnect.yaml"])
        _ = try git(["commit", "-q", "-m", "konnectors"])
        let head = try git(["rev-parse", "HEAD"])
        guard head.count == 40 else { throw XCTSkip("git is not usable here") }
        assertExit(try konnect(["apply", "--auto-approve"], in: project), 0)
        let history = try konnect(["history"], in: project)
        XCTAssertTrue(history.out.contains("commit \(head.prefix(12))"), history.out)
    }

    // MARK: export

    func testExportRoundTrip() throws {
        let project = try basic(applied: true)
        let library = "sqlite:" + project.appendingPathComponent(".konnect/library.db").path
        // A second project, same owner, whose konnectors are only what export writes.
        let (copy, out, export) = try exportToSibling(of: project, owner: "team-a")
        XCTAssertEqual(export.out, "Exported 5 objects to \(out.path)\n")
        let validate = try konnect(["validate"], in: copy)
        assertExit(validate, 0)
        assertOnlyLiteralSecretWarnings(validate.err)
        try assertNoChanges(copy, ["--library", library])

        // Some ids only; unknown ids are an error.
        let some = try FixtureProject.emptyDirectory(for: self).appendingPathComponent("some")
        let subset = try konnect(["export", "hook-forward", "slack-ops", "--out", some.path], in: project)
        assertExit(subset, 0)
        XCTAssertEqual(subset.out, "Exported 2 objects to \(some.path)\n")
        let unknown = try konnect(["export", "nope", "--out", some.path], in: project)
        assertExit(unknown, 1)
        XCTAssertTrue(unknown.err.contains("nope"), unknown.err)
    }
}

// MARK: - support shared with CrashAndConcurrencyTests

/// Fixture projects under Tests/Fixtures/plan, and the library as the CLI shows it.
enum PlanApplySupport {
    static func copy(_ name: String, for test: XCTestCase, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        try FixtureProject.copy(name, in: "plan", for: test, file: file, line: line)
    }

    static func edit(_ project: URL, _ path: String, _ old: String, _ new: String,
                     file: StaticString = #filePath, line: UInt = #line) throws {
        let url = project.appendingPathComponent(path)
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.contains(old), "`\(old)` is not in \(path)", file: file, line: line)
        try Data(text.replacingOccurrences(of: old, with: new).utf8).write(to: url)
    }

    struct Object: Equatable {
        var id: String
        var kind: String
        var enabled: Bool
        var version: Int
        var updated: String
        var drift: String
    }

    /// `konnect list --format json` for `project`.
    static func objects(of project: URL, library: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> [Object] {
        let result = try KonnectRunner.run(["list", "--format", "json"] + (library.map { ["--library", $0] } ?? []), in: project,
                                           timeout: 30, file: file, line: line)
        XCTAssertEqual(result.status, 0, result.err, file: file, line: line)
        let json = try result.json(file: file, line: line)
        let objects = try XCTUnwrap(json["objects"] as? [[String: Any]], file: file, line: line)
        return objects.map {
            Object(id: $0["id"] as? String ?? "", kind: $0["kind"] as? String ?? "", enabled: $0["enabled"] as? Bool ?? false,
                   version: $0["version"] as? Int ?? 0, updated: $0["updated"] as? String ?? "", drift: $0["drift"] as? String ?? "")
        }
    }

    /// The library's serial and lineage, read through a throwaway empty project
    /// (so that reading is cheap and never depends on the project's files).
    static func meta(library: String, file: StaticString = #filePath, line: UInt = #line) throws -> (serial: Int, lineage: String) {
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("konnect-probe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: probe.appendingPathComponent("konnectors"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: probe) }
        try Data("project: konnect-probe\n".utf8).write(to: probe.appendingPathComponent("konnect.yaml"))
        let result = try KonnectRunner.run(["plan", "--format", "json", "--library", library], in: probe, timeout: 30, file: file, line: line)
        XCTAssertEqual(result.status, 0, result.err, file: file, line: line)
        let json = try result.json(file: file, line: line)
        let meta = try XCTUnwrap(json["library"] as? [String: Any], file: file, line: line)
        return (try XCTUnwrap(meta["serial"] as? Int, file: file, line: line), try XCTUnwrap(meta["lineage"] as? String, file: file, line: line))
    }

    static func defaultLibrary(_ project: URL) -> String { "sqlite:" + project.appendingPathComponent(".konnect/library.db").path }

    static func serial(of project: URL, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        try meta(library: defaultLibrary(project), file: file, line: line).serial
    }

    static func serial(library: String, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        try meta(library: library, file: file, line: line).serial
    }

    static func lineage(of project: URL, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try meta(library: defaultLibrary(project), file: file, line: line).lineage
    }

    /// The pid `konnect unlock` reports as holding the lock (it refuses to clear a live
    /// holder); nil when the library is not locked.
    static func currentLockHolderPID(_ project: URL, library: String? = nil) throws -> Int? {
        let result = try KonnectRunner.run(["unlock"] + (library.map { ["--library", $0] } ?? []), in: project, timeout: 30)
        if result.out == "The library is not locked.\n" { return nil }
        guard let range = (result.err + result.out).range(of: #"\(pid (\d+)\)"#, options: .regularExpression) else { return -1 }
        return Int((result.err + result.out)[range].dropFirst(5).dropLast())
    }
}
