import Foundation
import KonnectCore
import KonnectYAML
import XCTest

/// The plan stage (SPEC §8) on compiled objects against hand-made library
/// snapshots, and the text, JSON and saved-file views of plans.
final class PlannerTests: XCTestCase {
    // MARK: a small project

    /// signup-to-slack's two steps, as its text spells them (a test swaps them).
    static let signupNotify = """
    \(KonnectorYAML.notifySales)
          text: "New signup: {{ trigger.body.email }}"

    """
    static let signupArchive = """
      - id: archive
        app: webhook
        action: post
        with:
          url: https://archive.example/in
          body: { email: "{{ trigger.body.email }}" }

    """

    static let files: [String: String] = [
        "konnectors/connections.yaml": """
        connection: slack-sales
        app: slack
        scopes: [chat:write]
        secret: env:SLACK_SALES_TOKEN
        ---
        connection: slack-ops
        app: slack
        scopes: [chat:write]
        secret: env:SLACK_OPS_TOKEN

        """,
        "konnectors/signup-to-slack.yaml": """
        konnector: signup-to-slack
        name: Signup → Slack
        tags: [sales, web]
        trigger:
          app: webhook
          event: catch_hook
        when: trigger.body.email != null
        steps:

        """ + PlannerTests.signupNotify + PlannerTests.signupArchive,
        "konnectors/hook-forward.yaml": """
        konnector: hook-forward
        name: Forward hooks
        tags: [ops]
        \(KonnectorYAML.hookForward)
              headers: { Authorization: "Bearer bearer-999" }

        """,
        "konnectors/ops-alert.yaml": """
        konnector: ops-alert
        name: Ops alert
        tags: [ops]
        trigger:
          app: webhook
          event: catch_hook
        steps:
          - id: alert
            app: slack
            action: send_message
            connection: slack-ops
            with:
              channel: "#ops"
              text: "Alert: {{ trigger.path }}"

        """,
    ]

    /// The project's compiled objects, with files replaced (a nil value removes the file).
    static func objects(_ changes: [String: String?] = [:], file: StaticString = #filePath, line: UInt = #line) -> [CompiledObject] {
        var sources = files
        for (path, text) in changes { sources[path] = text }
        return CompilerTests.compile(sources, includeConnections: false, file: file, line: line)
    }

    /// `files[path]` with `old` replaced by `new` (which must occur).
    static func edit(_ path: String, _ old: String, _ new: String, file: StaticString = #filePath, line: UInt = #line) -> [String: String?] {
        let text = files[path] ?? ""
        XCTAssertTrue(text.contains(old), "`\(old)` is not in \(path)", file: file, line: line)
        return [path: text.replacingOccurrences(of: old, with: new)]
    }

    static func stored(_ o: CompiledObject, owner: String = "team-a", version: Int = 1) -> StoredObject {
        StoredObject(kind: o.kind, id: o.id, owner: owner, name: o.name, enabled: o.enabled, definitionJSON: o.canonicalJSON,
                     hash: o.hash, version: version, createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-02T00:00:00Z",
                     sourceFile: o.sourceFile, sourceCommit: "", sensitivePaths: o.sensitivePaths)
    }

    static func snapshot(_ owned: [CompiledObject], serial: Int = 7,
                         foreign: [LibrarySnapshot.Key: String] = [:]) -> LibrarySnapshot {
        LibrarySnapshot(lineage: "0f0e0d0c-lineage", serial: serial, owned: owned.map { stored($0, version: 3) }, foreignOwners: foreign)
    }

    static func plan(_ objects: [CompiledObject], against snapshot: LibrarySnapshot, targets: [PlanTarget] = [],
                     file: StaticString = #filePath, line: UInt = #line) -> Plan {
        let (plan, diagnostics) = Planner(project: "team-a", targets: targets).plan(objects, against: snapshot)
        XCTAssertEqual(diagnostics.map(\.message), [], file: file, line: line)
        return plan
    }

    static func text(_ plan: Plan) -> String { PlanTextView(color: false).render(plan) }

    static func summary(_ plan: Plan) -> String { PlanTextView(color: false).summaryLine(plan.summary) }

    /// The plan of `repo` against a library of `library`, which must be the
    /// one change `id` (as `ids` reads it), and that change.
    func soleChange(_ repo: [CompiledObject], against library: [CompiledObject], is id: String, _ message: String = "",
                    file: StaticString = #filePath, line: UInt = #line) throws -> (plan: Plan, change: PlanChange) {
        let plan = Self.plan(repo, against: Self.snapshot(library))
        XCTAssertEqual(ids(plan), [id], message, file: file, line: line)
        return (plan, try XCTUnwrap(plan.changes.first, file: file, line: line))
    }

    func ids(_ plan: Plan) -> [String] { plan.changes.map { "\($0.action.word) \($0.kind.rawValue) \($0.id)" } }

    // MARK: create, no changes

    func testAnEmptyLibraryCreatesEverythingConnectionsFirst() {
        let plan = Self.plan(Self.objects(), against: Self.snapshot([], serial: 0))
        XCTAssertEqual(ids(plan), [
            "create connection slack-ops", "create connection slack-sales",
            "create konnector hook-forward", "create konnector ops-alert", "create konnector signup-to-slack",
        ])
        XCTAssertEqual(plan.project, "team-a")
        XCTAssertEqual(plan.lineage, "0f0e0d0c-lineage")
        XCTAssertEqual(plan.serial, 0)
        XCTAssertEqual(plan.unchanged, 0)
        XCTAssertEqual(Self.summary(plan), "Plan: 5 to create, 0 to update, 0 to rename, 0 to delete (0 to activate, 0 to deactivate).")
        for change in plan.changes {
            XCTAssertNotNil(change.after)
            XCTAssertNil(change.beforeHash)
            XCTAssertNil(change.beforeVersion)
            XCTAssertFalse(change.activate || change.deactivate, "a create is neither an activation nor a deactivation")
            XCTAssertTrue(change.diff.allSatisfy { $0.before == nil && $0.after != nil }, "a create only adds fields")
        }
        let text = Self.text(plan)
        XCTAssertTrue(text.contains("  + konnector signup-to-slack (create)\n"), text)
        XCTAssertTrue(text.contains("      + steps.notify.with.channel: \"#sales\"\n"), text)
        XCTAssertTrue(text.hasSuffix("Plan: 5 to create, 0 to update, 0 to rename, 0 to delete (0 to activate, 0 to deactivate).\n"), text)
    }

    func testNoChangesWhenTheLibraryMatches() {
        let objects = Self.objects()
        let plan = Self.plan(objects, against: Self.snapshot(objects))
        XCTAssertTrue(plan.isEmpty)
        XCTAssertEqual(plan.unchanged, 5)
        XCTAssertEqual(plan.summary.unchanged, 5)
        XCTAssertEqual(Self.text(plan), "No changes. The library matches the configuration.\n")
    }

    func testASnapshotFindsTheFirstOfARepeatedKey() {
        let objects = Self.objects()
        let first = Self.stored(objects[1], version: 1), second = Self.stored(objects[1], version: 2)
        let snapshot = LibrarySnapshot(lineage: "l", serial: 1, owned: [Self.stored(objects[0]), first, second], foreignOwners: [:])
        let key = LibrarySnapshot.Key(objects[1].kind, objects[1].id)
        XCTAssertEqual(snapshot.position(of: key), 1)
        XCTAssertEqual(snapshot[key]?.version, 1)
        XCTAssertEqual(snapshot.position(of: LibrarySnapshot.Key(objects[0].kind, objects[0].id)), 0)
        XCTAssertNil(snapshot.position(of: LibrarySnapshot.Key(.konnector, "no-such-id")))
        XCTAssertEqual(Planner.positions(of: [objects[1], objects[2], objects[0]], in: snapshot), [1, nil, 0])
    }

    func testAPlanFromGivenPositionsIsThePlanFromLookedUpOnes() throws {
        let before = Self.objects()
        let after = Self.objects(Self.edit("konnectors/signup-to-slack.yaml", "channel: \"#sales\"", "channel: \"#sales-eu\""))
        let library = Self.snapshot(Array(before.dropFirst()))
        let positions = Planner.positions(of: after, in: library)
        XCTAssertEqual(positions.filter { $0 == nil }.count, 1)
        let needed = Planner.definitionsNeeded(after, in: library, positions: positions)
        XCTAssertEqual(needed, Planner.definitionsNeeded(after, in: library))
        let given = Planner(project: "team-a").plan(after, against: library, positions: positions).0
        XCTAssertEqual(Self.text(given), Self.text(Self.plan(after, against: library)))
        XCTAssertEqual(ids(given).sorted(), ["create \(before[0].kind.rawValue) \(before[0].id)", "update konnector signup-to-slack"])
    }

    func testCosmeticEditsPlanNothing() {
        let library = Self.snapshot(Self.objects())
        let cosmetic = Self.objects([
            "konnectors/signup-to-slack.yaml": """
            # reformatted
            konnector: signup-to-slack
            tags: [web, sales]
            name: "Signup → Slack"
            trigger: { app: webhook, event: catch_hook, with: { method: POST } }
            when: "trigger.body.email!=null"
            steps:
            - id: notify
              app: slack
              action: send_message
              connection: slack-sales
              on_error: stop
              with: { channel: '#sales', text: 'New signup: {{trigger.body.email}}' }
            - id: archive
              app: webhook
              action: post
              with:
                body:
                  email: "{{  trigger.body.email  }}"
                url: https://archive.example/in

            """,
        ])
        XCTAssertTrue(Self.plan(cosmetic, against: library).isEmpty)
    }

    // MARK: update

    func testAFieldEditIsOneDiffKeyedByStepID() throws {
        let before = Self.objects()
        let after = Self.objects(Self.edit("konnectors/signup-to-slack.yaml", "channel: \"#sales\"", "channel: \"#sales-eu\""))
        let (plan, change) = try soleChange(after, against: before, is: "update konnector signup-to-slack")
        XCTAssertEqual(change.diff, [FieldDiff(path: "steps.notify.with.channel", before: .string("#sales"), after: .string("#sales-eu"), sensitive: false)])
        XCTAssertEqual(change.beforeHash, before.first { $0.id == "signup-to-slack" }?.hash)
        XCTAssertEqual(change.beforeVersion, 3)
        XCTAssertEqual(change.after?.hash, after.first { $0.id == "signup-to-slack" }?.hash)
        XCTAssertFalse(change.activate)
        XCTAssertFalse(change.deactivate)
        XCTAssertEqual(plan.unchanged, 4)
        let text = Self.text(plan)
        XCTAssertEqual(text, """
        konnect will perform these actions on the library:

          ~ konnector signup-to-slack (update)
              ~ steps.notify.with.channel: "#sales" -> "#sales-eu"

        Plan: 0 to create, 1 to update, 0 to rename, 0 to delete (0 to activate, 0 to deactivate).

        """)
    }

    func testAddedAndRemovedFieldsAndExpressions() throws {
        let before = Self.objects()
        let after = Self.objects(Self.edit("konnectors/signup-to-slack.yaml", "      text: \"New signup: {{ trigger.body.email }}\"\n",
                                           "      text: \"New signup: {{ trigger.body.email | upper }}\"\n      username: bot\n"))
        let change = try XCTUnwrap(Self.plan(after, against: Self.snapshot(before)).changes.first)
        XCTAssertEqual(change.diff.map(\.path), ["steps.notify.with.text", "steps.notify.with.username"])
        XCTAssertEqual(change.diff[0].before, .string("New signup: {{ trigger.body.email }}"))
        XCTAssertEqual(change.diff[0].after, .string("New signup: {{ trigger.body.email | upper }}"))
        XCTAssertNil(change.diff[1].before)
        XCTAssertEqual(change.diff[1].after, .string("bot"))
        // And back: the field is removed.
        let back = try XCTUnwrap(Self.plan(before, against: Self.snapshot(after)).changes.first)
        XCTAssertEqual(back.diff.map(\.path), ["steps.notify.with.text", "steps.notify.with.username"])
        XCTAssertEqual(back.diff[1].before, .string("bot"))
        XCTAssertNil(back.diff[1].after)
        let text = PlanTextView(color: false).render(back)
        XCTAssertTrue(text.contains("      - steps.notify.with.username: \"bot\"\n"), text)
    }

    func testAnInsertedStepIsMatchedByIDNotByPosition() throws {
        let before = Self.objects()
        let first = """
          - id: first
            app: webhook
            action: get
            with:
              url: https://example.com/lookup

        """
        let after = Self.objects(Self.edit("konnectors/signup-to-slack.yaml", "steps:\n", "steps:\n" + first))
        let change = try XCTUnwrap(Self.plan(after, against: Self.snapshot(before)).changes.first)
        XCTAssertEqual(change.action, .update)
        XCTAssertFalse(change.diff.isEmpty)
        XCTAssertTrue(change.diff.allSatisfy { $0.path.hasPrefix("steps.first.") && $0.before == nil },
                      "only the new step shows: \(change.diff.map(\.path))")
    }

    func testAStepReorderIsOneEntryWithBothOrders() throws {
        let notify = Self.signupNotify, archive = Self.signupArchive
        let original = Self.files["konnectors/signup-to-slack.yaml"]!
        let head = original.components(separatedBy: "steps:\n")[0] + "steps:\n"
        XCTAssertEqual(head + notify + archive, original, "the test rebuilds the fixture")
        let before = Self.objects()
        let after = Self.objects(["konnectors/signup-to-slack.yaml": head + archive + notify])
        let (plan, change) = try soleChange(after, against: before, is: "update konnector signup-to-slack")
        XCTAssertEqual(change.diff, [FieldDiff(path: "steps", before: .array([.string("notify"), .string("archive")]),
                                               after: .array([.string("archive"), .string("notify")]), sensitive: false)])
        XCTAssertTrue(Self.text(plan).contains("      ~ steps: [\"notify\",\"archive\"] -> [\"archive\",\"notify\"]\n"), Self.text(plan))
    }

    // MARK: activate, deactivate

    func testDisablingIsAnUpdateMarkedDeactivate() throws {
        let enabled = Self.objects()
        let disabled = Self.objects(Self.edit("konnectors/ops-alert.yaml", "tags: [ops]\n", "tags: [ops]\nenabled: false\n"))
        let off = Self.plan(disabled, against: Self.snapshot(enabled))
        XCTAssertEqual(ids(off), ["update konnector ops-alert"])
        let change = try XCTUnwrap(off.changes.first)
        XCTAssertTrue(change.deactivate)
        XCTAssertFalse(change.activate)
        XCTAssertEqual(change.diff, [FieldDiff(path: "enabled", before: .bool(true), after: .bool(false), sensitive: false)])
        XCTAssertEqual(Self.summary(off), "Plan: 0 to create, 1 to update, 0 to rename, 0 to delete (0 to activate, 1 to deactivate).")
        XCTAssertTrue(Self.text(off).contains("  ~ konnector ops-alert (update, deactivate)\n"), Self.text(off))

        let on = Self.plan(enabled, against: Self.snapshot(disabled))
        XCTAssertTrue(try XCTUnwrap(on.changes.first).activate)
        XCTAssertFalse(try XCTUnwrap(on.changes.first).deactivate)
        XCTAssertEqual(Self.summary(on), "Plan: 0 to create, 1 to update, 0 to rename, 0 to delete (1 to activate, 0 to deactivate).")
        XCTAssertTrue(Self.text(on).contains("  ~ konnector ops-alert (update, activate)\n"), Self.text(on))
    }

    func testCreatingADisabledKonnectorIsNotADeactivation() {
        let plan = Self.plan(Self.objects(Self.edit("konnectors/ops-alert.yaml", "tags: [ops]\n", "tags: [ops]\nenabled: false\n")),
                             against: Self.snapshot([]))
        XCTAssertEqual(plan.summary.activate, 0)
        XCTAssertEqual(plan.summary.deactivate, 0)
        XCTAssertEqual(plan.changes.first { $0.id == "ops-alert" }?.after?.enabled, false)
    }

    // MARK: rename, delete

    func testRenamedFromKeepsTheObject() throws {
        let old = Self.objects(Self.edit("konnectors/signup-to-slack.yaml", "konnector: signup-to-slack", "konnector: signup-old"))
        XCTAssertTrue(old.contains { $0.id == "signup-old" })
        let renamed = Self.objects(Self.edit("konnectors/signup-to-slack.yaml", "konnector: signup-to-slack\n",
                                             "konnector: signup-to-slack\nrenamed_from: signup-old\n"))
        let (plan, change) = try soleChange(renamed, against: old, is: "rename konnector signup-to-slack", "a rename, never a delete and a create")
        XCTAssertEqual(change.renamedFrom, "signup-old")
        XCTAssertEqual(change.beforeHash, old.first { $0.id == "signup-old" }?.hash)
        XCTAssertEqual(change.beforeVersion, 3)
        XCTAssertEqual(change.diff, [FieldDiff(path: "id", before: .string("signup-old"), after: .string("signup-to-slack"), sensitive: false)])
        XCTAssertEqual(Self.summary(plan), "Plan: 0 to create, 0 to update, 1 to rename, 0 to delete (0 to activate, 0 to deactivate).")
        XCTAssertTrue(Self.text(plan).contains("  → konnector signup-to-slack (rename from signup-old)\n"), Self.text(plan))

        // Once applied, the leftover `renamed_from:` changes nothing.
        XCTAssertTrue(Self.plan(renamed, against: Self.snapshot(renamed)).isEmpty)
    }

    func testRenamedFromAnUnknownOrStillPresentIDCreates() {
        let unknown = Self.objects(Self.edit("konnectors/ops-alert.yaml", "konnector: ops-alert\n", "konnector: ops-alert\nrenamed_from: never-was\n"))
        let library = Self.objects().filter { $0.id != "ops-alert" }
        XCTAssertEqual(ids(Self.plan(unknown, against: Self.snapshot(library))), ["create konnector ops-alert"])

        // `renamed_from:` naming an id that is still in the repository is not a rename.
        let both = Self.objects([
            "konnectors/ops-alert.yaml": Self.files["konnectors/ops-alert.yaml"]!,
            "konnectors/ops-alert-2.yaml": Self.files["konnectors/ops-alert.yaml"]!
                .replacingOccurrences(of: "konnector: ops-alert\n", with: "konnector: ops-alert-2\nrenamed_from: ops-alert\n"),
        ])
        XCTAssertEqual(ids(Self.plan(both, against: Self.snapshot(Self.objects()))), ["create konnector ops-alert-2"])
    }

    func testObjectsMissingFromTheRepositoryAreDeleted() throws {
        let library = Self.objects()
        let repo = Self.objects(["konnectors/ops-alert.yaml": nil])
        let (plan, change) = try soleChange(repo, against: library, is: "delete konnector ops-alert")
        XCTAssertNil(change.after)
        XCTAssertEqual(change.beforeHash, library.first { $0.id == "ops-alert" }?.hash)
        XCTAssertEqual(change.beforeVersion, 3)
        XCTAssertEqual(Self.summary(plan), "Plan: 0 to create, 0 to update, 0 to rename, 1 to delete (0 to activate, 0 to deactivate).")
        XCTAssertTrue(Self.text(plan).contains("  - konnector ops-alert (DELETE: removed from the library)\n"), Self.text(plan))
        XCTAssertTrue(PlanTextView(color: true).render(plan).contains("\u{1B}[1;31m- konnector ops-alert"), "deletions are bold red on a terminal")
    }

    // MARK: owned elsewhere

    func testAnIDOwnedByAnotherProjectIsAnErrorNeverAChange() throws {
        let objects = Self.objects()
        let snapshot = Self.snapshot([], foreign: [LibrarySnapshot.Key(.konnector, "ops-alert"): "team-b"])
        let (plan, diagnostics) = Planner(project: "team-a").plan(objects, against: snapshot)
        XCTAssertEqual(diagnostics.count, 1)
        let d = try XCTUnwrap(diagnostics.first)
        XCTAssertEqual(d.code, .ownedElsewhere)
        XCTAssertEqual(d.severity, .error)
        XCTAssertEqual(d.file, "konnectors/ops-alert.yaml")
        XCTAssertEqual(d.range.start.line, 1, "points at the id")
        XCTAssertTrue(d.message.contains("ops-alert") && d.message.contains("team-b"), d.message)
        XCTAssertFalse(plan.changes.contains { $0.id == "ops-alert" })
        // Another kind with the same id is a different object.
        let other = Self.snapshot([], foreign: [LibrarySnapshot.Key(.connection, "ops-alert"): "team-b"])
        XCTAssertTrue(Planner(project: "team-a").plan(objects, against: other).1.isEmpty)
    }

    // MARK: ordering

    func testConnectionsFirstKonnectorsNextConnectionDeletionsLast() {
        let extraConnection = """
        connection: slack-legacy
        app: slack
        scopes: [chat:write]
        secret: env:SLACK_LEGACY

        """
        var library = Self.objects(["konnectors/legacy.yaml": extraConnection + """
        ---
        konnector: a-legacy
        name: Legacy
        trigger: { app: webhook, event: catch_hook }
        steps:
          - { id: s, app: slack, action: send_message, connection: slack-legacy, with: { channel: "#x", text: hi } }

        """])
        library.removeAll { $0.id == "slack-ops" || $0.id == "ops-alert" }
        let repo = Self.objects(Self.edit("konnectors/connections.yaml", "scopes: [chat:write]\nsecret: env:SLACK_SALES_TOKEN",
                                          "scopes: [chat:write, channels:read]\nsecret: env:SLACK_SALES_TOKEN"))
        let plan = Self.plan(repo, against: Self.snapshot(library))
        XCTAssertEqual(ids(plan), [
            "create connection slack-ops", "update connection slack-sales",
            "delete konnector a-legacy", "create konnector ops-alert",
            "delete connection slack-legacy",
        ])
    }

    // MARK: --target

    func testTargetByIDIncludesTheConnectionsItUses() {
        let plan = Self.plan(Self.objects(), against: Self.snapshot([]), targets: [.id("signup-to-slack")])
        XCTAssertEqual(ids(plan), ["create connection slack-sales", "create konnector signup-to-slack"])
        let both = Self.plan(Self.objects(), against: Self.snapshot([]), targets: [PlanTarget("signup-to-slack"), PlanTarget("hook-forward")])
        XCTAssertEqual(ids(both), ["create connection slack-sales", "create konnector hook-forward", "create konnector signup-to-slack"])
        let connection = Self.plan(Self.objects(), against: Self.snapshot([]), targets: [.id("slack-ops")])
        XCTAssertEqual(ids(connection), ["create connection slack-ops"])
    }

    func testTargetByTag() {
        XCTAssertEqual(PlanTarget("tag:ops"), .tag("ops"))
        XCTAssertEqual(PlanTarget("ops"), .id("ops"))
        let plan = Self.plan(Self.objects(), against: Self.snapshot([]), targets: [PlanTarget("tag:ops")])
        XCTAssertEqual(ids(plan), ["create connection slack-ops", "create konnector hook-forward", "create konnector ops-alert"])
        // A deleted object is matched by the tags it has in the library.
        let library = Self.objects()
        let withoutHook = Self.objects(["konnectors/hook-forward.yaml": nil])
        XCTAssertEqual(ids(Self.plan(withoutHook, against: Self.snapshot(library), targets: [.tag("ops")])), ["delete konnector hook-forward"])
        XCTAssertTrue(Self.plan(withoutHook, against: Self.snapshot(library), targets: [.tag("sales")]).isEmpty)
    }

    func testTargetLeavesOtherChangesOutAndUnchangedConnectionsAlone() {
        var library = Self.objects()
        library.removeAll { $0.id == "ops-alert" }
        let repo = Self.objects(Self.edit("konnectors/signup-to-slack.yaml", "channel: \"#sales\"", "channel: \"#sales-eu\""))
        let plan = Self.plan(repo, against: Self.snapshot(library), targets: [.id("signup-to-slack")])
        XCTAssertEqual(ids(plan), ["update konnector signup-to-slack"], "the unchanged slack-sales is not in the plan, nor is ops-alert")
        let none = Self.plan(repo, against: Self.snapshot(library), targets: [.id("nothing-like-this")])
        XCTAssertTrue(none.isEmpty)
    }

    func testTargetByTheOldIDOfARename() {
        let old = Self.objects(Self.edit("konnectors/ops-alert.yaml", "konnector: ops-alert", "konnector: ops-old"))
        let renamed = Self.objects(Self.edit("konnectors/ops-alert.yaml", "konnector: ops-alert\n", "konnector: ops-alert\nrenamed_from: ops-old\n"))
        XCTAssertEqual(ids(Self.plan(renamed, against: Self.snapshot(old), targets: [.id("ops-old")])), ["rename konnector ops-alert"])
    }

    // MARK: sensitive values

    func testSensitiveValuesAreMaskedInTextAndJSON() throws {
        let before = Self.objects()
        let after = Self.objects(Self.edit("konnectors/hook-forward.yaml", "tok-123456", "tok-654321"))
        let afterBoth = Self.objects(["konnectors/hook-forward.yaml": Self.files["konnectors/hook-forward.yaml"]!
            .replacingOccurrences(of: "tok-123456", with: "tok-654321")
            .replacingOccurrences(of: "hunter2-trigger-secret", with: "hunter3-trigger-secret")])
        XCTAssertNotEqual(after.first { $0.id == "hook-forward" }?.hash, before.first { $0.id == "hook-forward" }?.hash)
        let plan = Self.plan(afterBoth, against: Self.snapshot(before))
        let change = try XCTUnwrap(plan.changes.first)
        XCTAssertEqual(change.diff.map(\.path), ["steps.forward.with.url", "trigger.with.secret"])
        XCTAssertTrue(change.diff.allSatisfy(\.sensitive))

        let text = Self.text(plan)
        XCTAssertTrue(text.contains("      ~ steps.forward.with.url: (sensitive) -> (sensitive)\n"), text)
        XCTAssertTrue(text.contains("      ~ trigger.with.secret: (sensitive) -> (sensitive)\n"), text)
        let json = PlanJSONView().render(plan)
        XCTAssertTrue(json.contains("{\"path\":\"steps.forward.with.url\",\"before\":\"(sensitive)\",\"after\":\"(sensitive)\",\"sensitive\":true}"), json)
        for output in [text, json] {
            for secret in ["tok-123456", "tok-654321", "hunter2", "hunter3", "bearer-999"] {
                XCTAssertFalse(output.contains(secret), "`\(secret)` leaked into:\n\(output)")
            }
        }
    }

    func testSensitiveValuesAreMaskedOnCreateAndOnRemoval() {
        let create = Self.plan(Self.objects(), against: Self.snapshot([]))
        let removal = Self.plan(Self.objects(Self.edit("konnectors/hook-forward.yaml",
                                                       "      headers: { Authorization: \"Bearer bearer-999\" }\n", "")),
                                against: Self.snapshot(Self.objects()))
        XCTAssertEqual(removal.changes.first?.diff.map(\.path), ["steps.forward.with.headers.Authorization"], "map leaves are diffed")
        XCTAssertEqual(removal.changes.first?.diff.first?.sensitive, true, "the library's sensitive paths count too")
        for plan in [create, removal] {
            let text = Self.text(plan)
            let json = PlanJSONView().render(plan)
            for output in [text, json] {
                for secret in ["tok-123456", "hunter2", "bearer-999"] {
                    XCTAssertFalse(output.contains(secret), "`\(secret)` leaked into:\n\(output)")
                }
            }
        }
        XCTAssertTrue(Self.text(create).contains("      + steps.forward.with.url: (sensitive)\n"))
        XCTAssertTrue(Self.text(create).contains("      + trigger.with.secret: (sensitive)\n"))
        XCTAssertTrue(Self.text(removal).contains("      - steps.forward.with.headers.Authorization: (sensitive)\n"), Self.text(removal))
    }

    // MARK: JSON view

    func testJSONViewHasTheSpecShape() throws {
        let before = Self.objects()
        let after = Self.objects(Self.edit("konnectors/signup-to-slack.yaml", "channel: \"#sales\"", "channel: \"#sales-eu\""))
        let plan = Self.plan(after, against: Self.snapshot(before, serial: 12))
        let rendered = PlanJSONView().render(plan)
        XCTAssertTrue(rendered.hasSuffix("}\n"))
        XCTAssertEqual(rendered, """
        {"format_version":1,"project":"team-a","library":{"lineage":"0f0e0d0c-lineage","serial":12},\
        "changes":[{"kind":"konnector","id":"signup-to-slack","action":"update","activate":false,"deactivate":false,\
        "diff":[{"path":"steps.notify.with.channel","before":"#sales","after":"#sales-eu"}]}],\
        "summary":{"create":0,"update":1,"rename":0,"delete":0,"activate":0,"deactivate":0,"unchanged":4}}

        """)
        let empty = try JSONParser.parse(PlanJSONView().render(Self.plan(before, against: Self.snapshot(before))))
        XCTAssertEqual(empty["changes"], .array([]))
        XCTAssertEqual(empty["summary"]?["unchanged"], .int(5))
    }

    // MARK: saved plans

    func mixedPlan() -> Plan { Self.mixedPlanAndLibrary().plan }

    /// A plan with every action (create, update, rename, delete; a
    /// deactivate), and the library it was made against.
    static func mixedPlanAndLibrary() -> (plan: Plan, library: LibrarySnapshot) {
        var library = Self.objects(Self.edit("konnectors/signup-to-slack.yaml", "konnector: signup-to-slack", "konnector: signup-old"))
        library.removeAll { $0.id == "slack-ops" }
        library += Self.objects(["konnectors/gone.yaml": """
        konnector: gone
        name: Gone
        trigger: { app: webhook, event: catch_hook }
        steps: [{ id: s, app: webhook, action: get, with: { url: "https://example.com" } }]

        """]).filter { $0.id == "gone" }
        let repo = Self.objects([
            "konnectors/signup-to-slack.yaml": Self.files["konnectors/signup-to-slack.yaml"]!
                .replacingOccurrences(of: "konnector: signup-to-slack\n", with: "konnector: signup-to-slack\nrenamed_from: signup-old\n"),
            "konnectors/hook-forward.yaml": Self.files["konnectors/hook-forward.yaml"]!
                .replacingOccurrences(of: "tok-123456", with: "tok-7"),
            "konnectors/ops-alert.yaml": Self.files["konnectors/ops-alert.yaml"]!
                .replacingOccurrences(of: "tags: [ops]\n", with: "tags: [ops]\nenabled: false\n"),
        ])
        let snapshot = Self.snapshot(library, serial: 41)
        return (Self.plan(repo, against: snapshot), snapshot)
    }

    func testPlanFileRoundTrip() throws {
        let (plan, library) = Self.mixedPlanAndLibrary()
        XCTAssertEqual(ids(plan), ["create connection slack-ops", "delete konnector gone", "update konnector hook-forward",
                                   "update konnector ops-alert", "rename konnector signup-to-slack"])
        let text = PlanFile.encode(plan)
        // The change list is computed against the library, never read from the file (SPEC §8).
        let decoded = try PlanFile.decode(text, against: library)
        XCTAssertEqual(decoded.project, plan.project)
        XCTAssertEqual(decoded.lineage, plan.lineage)
        XCTAssertEqual(decoded.serial, 41)
        XCTAssertEqual(decoded.unchanged, plan.unchanged)
        XCTAssertEqual(decoded.summary, plan.summary)
        XCTAssertEqual(decoded.changes.count, plan.changes.count)
        for (a, b) in zip(plan.changes, decoded.changes) {
            XCTAssertEqual(a.kind, b.kind)
            XCTAssertEqual(a.id, b.id)
            XCTAssertEqual(a.action, b.action)
            XCTAssertEqual(a.renamedFrom, b.renamedFrom)
            XCTAssertEqual(a.activate, b.activate)
            XCTAssertEqual(a.deactivate, b.deactivate)
            XCTAssertEqual(a.beforeHash, b.beforeHash)
            XCTAssertEqual(a.beforeVersion, b.beforeVersion)
            XCTAssertEqual(a.diff.map(\.path), b.diff.map(\.path))
            XCTAssertEqual(a.diff.map(\.sensitive), b.diff.map(\.sensitive))
            if a.action != .create {
                // Sensitive values are masked in the file too; the rest round-trips.
                XCTAssertEqual(a.diff.map { $0.sensitive ? nil : $0.before }, b.diff.map { $0.sensitive ? nil : $0.before }, a.id)
                XCTAssertEqual(a.diff.map { $0.sensitive ? nil : $0.after }, b.diff.map { $0.sensitive ? nil : $0.after }, a.id)
            }
            XCTAssertEqual(a.after?.hash, b.after?.hash, a.id)
            XCTAssertEqual(a.after?.canonicalJSON, b.after?.canonicalJSON, a.id)
            XCTAssertEqual(a.after?.name, b.after?.name)
            XCTAssertEqual(a.after?.enabled, b.after?.enabled)
            XCTAssertEqual(a.after?.tags, b.after?.tags)
            XCTAssertEqual(a.after.map { Set($0.sensitivePaths) }, b.after.map { Set($0.sensitivePaths) })
            XCTAssertEqual(a.after?.connections, b.after?.connections)
            XCTAssertEqual(a.after?.sourceFile, b.after?.sourceFile)
        }
        // The same plan encodes to the same text.
        XCTAssertEqual(PlanFile.encode(decoded), text)
        XCTAssertFalse(text.contains("tok-7\",\"after"), "diff values are masked in the file")
        // The changes other than creates show the same after a round trip.
        let notCreated = { (p: Plan) in Plan(project: p.project, lineage: p.lineage, serial: p.serial,
                                             changes: p.changes.filter { $0.action != .create }, unchanged: p.unchanged) }
        XCTAssertEqual(Self.text(notCreated(decoded)), Self.text(notCreated(plan)))
        // Fields a create adds are absent before, not null: `+ app: "slack"`, never `~ app: null -> "slack"`.
        XCTAssertEqual(Self.text(decoded), Self.text(plan))
        let created = try XCTUnwrap(decoded.changes.first { $0.action == .create })
        XCTAssertTrue(created.diff.allSatisfy { $0.before == nil }, "\(created.diff)")
    }

    func testATamperedPlanFileIsRefused() throws {
        let text = PlanFile.encode(mixedPlan())
        XCTAssertTrue(text.contains("#ops"))
        // Edit a definition (inside its JSON string) without fixing its hash.
        let tampered = text.replacingOccurrences(of: "#ops", with: "#pwned")
        XCTAssertThrowsError(try PlanFile.decode(tampered)) { error in
            XCTAssertTrue("\(error)".contains("modified"), "\(error)")
            XCTAssertTrue("\(error)".contains("ops-alert"), "names the object: \(error)")
        }
        // A hash swapped for another.
        let hash = try XCTUnwrap(mixedPlan().changes.first { $0.id == "ops-alert" }?.after?.hash)
        XCTAssertThrowsError(try PlanFile.decode(text.replacingOccurrences(of: hash, with: String(repeating: "0", count: 64))))
    }

    func testMalformedPlanFilesAreRefused() {
        let text = PlanFile.encode(mixedPlan())
        for bad in ["", "{", "[]", "{\"format_version\":1}",
                    text.replacingOccurrences(of: "\"format_version\":1", with: "\"format_version\":2"),
                    text.replacingOccurrences(of: "\"action\":\"update\"", with: "\"action\":\"explode\"")] {
            XCTAssertThrowsError(try PlanFile.decode(bad), "accepted: \(bad.prefix(80))")
        }
    }
}
