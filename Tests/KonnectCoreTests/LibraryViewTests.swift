import XCTest
@testable import KonnectCore

/// The views of the library commands (list, show, history, apply, unlock):
/// golden text and JSON, escaping, masking, and rename-following history.
final class LibraryViewTests: XCTestCase {
    private func object(_ id: String = "order-alert", commit: String = "0123456789abcdef0123456789abcdef01234567+dirty") -> StoredObject {
        let definition: JSONValue = .object([
            "enabled": .bool(true), "id": .string(id), "name": .string("Order alert"),
            "steps": .array([.object(["id": .string("notify"), "with": .object([
                "channel": .string("#sales"), "url": .string("https://hooks.example/T0KEN"),
            ])])]),
        ])
        return StoredObject(kind: .konnector, id: id, owner: "acme", name: "Order alert", enabled: true,
                            definitionJSON: definition.serialized(sortedKeys: true), hash: "ab12", version: 3,
                            createdAt: "2026-03-01T10:00:00Z", updatedAt: "2026-03-02T12:00:00Z",
                            sourceFile: "konnectors/order-alert.yaml", sourceCommit: commit,
                            sensitivePaths: ["steps.notify.with.url"])
    }

    /// Newest first: a rename of `old-alert` to `order-alert`, with a
    /// sensitive change, and before it `old-alert`'s own history.
    private var revisions: [Revision] {
        [
            Revision(serial: 3, time: "2026-03-03T09:00:00Z", project: "acme", user: "bob",
                            commit: "fedcba9876543210fedcba9876543210fedcba98+dirty", changes: [
                .init(kind: "konnector", id: "order-alert", action: "rename", renamedFrom: "old-alert", version: 3, diff: [
                    FieldDiff(path: "id", before: .string("old-alert"), after: .string("order-alert"), sensitive: false),
                    FieldDiff(path: "steps.notify.with.url", before: .string("(sensitive)"), after: .string("(sensitive)"), sensitive: true),
                ]),
                .init(kind: "konnector", id: "unrelated", action: "delete"),
            ]),
            Revision(serial: 2, time: "2026-03-02T12:00:00Z", project: "acme", user: "alice",
                            commit: "0123456789abcdef0123456789abcdef01234567", changes: [
                .init(kind: "konnector", id: "old-alert", action: "update", version: 2, diff: [
                    FieldDiff(path: "steps.notify.with.channel", before: .string("#sales"), after: .string("#sales-eu"), sensitive: false),
                ]),
            ]),
            Revision(serial: 1, time: "2026-03-01T10:00:00Z", project: "acme", user: "alice", commit: "", changes: [
                .init(kind: "konnector", id: "old-alert", action: "create", version: 1, diff: [
                    FieldDiff(path: "name", before: nil, after: .string("Order alert"), sensitive: false),
                ]),
                .init(kind: "konnector", id: "unrelated", action: "create", version: 1),
            ]),
        ]
    }

    // MARK: history

    func testHistoryGolden() {
        Golden.assertMatches(HistoryView().text(revisions, id: nil, diff: false), "history.txt")
        Golden.assertMatches(HistoryView().text(revisions, id: nil, diff: true), "history-diff.txt")
        Golden.assertMatches(HistoryView().json(revisions), "history.json")
    }

    func testTheCommitKeepsItsDirtyMarker() {
        let out = HistoryView().text(revisions, id: nil, diff: false)
        XCTAssertTrue(out.hasPrefix("serial 3  2026-03-03T09:00:00Z  bob  commit fedcba987654+dirty\n"), out)
        XCTAssertTrue(out.contains("  alice  commit 0123456789ab\n"), out)
        XCTAssertEqual(HistoryView.shortCommit("abc+dirty"), "abc+dirty")
        XCTAssertTrue(HistoryView().json(revisions).contains("\"commit\":\"fedcba9876543210fedcba9876543210fedcba98+dirty\""))
    }

    func testHistoryFollowsRenamesTransitively() {
        // c was b, which was a.
        let chain = [
            Revision(serial: 4, time: "t4", project: "p", user: "u", commit: "", changes: [.init(kind: "konnector", id: "a", action: "create")]),
            Revision(serial: 3, time: "t3", project: "p", user: "u", commit: "", changes: [
                .init(kind: "konnector", id: "c", action: "rename", renamedFrom: "b"),
            ]),
            Revision(serial: 2, time: "t2", project: "p", user: "u", commit: "", changes: [
                .init(kind: "konnector", id: "b", action: "rename", renamedFrom: "a"),
                .init(kind: "konnector", id: "x", action: "create"),
            ]),
            Revision(serial: 1, time: "t1", project: "p", user: "u", commit: "", changes: [.init(kind: "konnector", id: "a", action: "create")]),
        ]
        // The later `a` (serial 4) is another object: c's history starts at its rename.
        XCTAssertEqual(Revision.following("c", in: chain).map(\.serial), [3, 2, 1])
        XCTAssertEqual(Revision.following("c", in: chain)[1].changes.map(\.id), ["b"], "only the followed ids' changes")
        XCTAssertEqual(Revision.following("b", in: chain).map(\.serial), [3, 2, 1])
        XCTAssertEqual(Revision.following("a", in: chain).map(\.serial), [4, 2, 1])
        XCTAssertEqual(Revision.following("x", in: chain).map(\.serial), [2])
        XCTAssertEqual(Revision.following("nothing", in: chain), [])
    }

    func testHistoryOfAnIdAndEmptyHistories() {
        let out = HistoryView().text(Revision.following("order-alert", in: revisions), id: "order-alert", diff: true)
        XCTAssertTrue(out.contains("    + konnector old-alert  v1\n"), out)
        XCTAssertFalse(out.contains("unrelated"), out)
        XCTAssertEqual(HistoryView().text([], id: nil, diff: false), "No revisions yet.\n")
        XCTAssertEqual(HistoryView().text([], id: "x\u{1B}[2J", diff: false), "No revisions changed `x\\u{1b}[2J`.\n")
        XCTAssertEqual(HistoryView().json([]), "{\"revisions\":[]}\n")
    }

    func testHistoryEscapesWhatTheLibraryHolds() {
        let hostile = [Revision(serial: 1, time: "t\u{1B}[2K", project: "p", user: "ev\u{85}il\nserial 9", commit: "c\u{7}", changes: [
            .init(kind: "konnector", id: "x\u{1B}[31m", action: "update", renamedFrom: "y\r", version: 2, diff: [
                FieldDiff(path: "name\u{1B}", before: .string("a\u{9B}b"), after: .string("c\u{2028}d"), sensitive: false),
            ]),
        ])]
        for out in [HistoryView().text(hostile, id: nil, diff: true), HistoryView().json(hostile)] {
            XCTAssertFalse(out.unicodeScalars.contains { TerminalText.isUnsafe($0) && $0 != "\n" }, out)
            XCTAssertEqual(out.filter { $0 == "\n" }.count, out.hasPrefix("{") ? 1 : 3, out)
        }
    }

    func testSensitiveValuesAreMaskedInTheJSONEvenIfGivenInClear() {
        let r = [Revision(serial: 1, time: "t", project: "p", user: "u", commit: "", changes: [
            .init(kind: "konnector", id: "k", action: "update", diff: [
                FieldDiff(path: "steps.s.with.url", before: .string("https://x/OLD"), after: .string("https://x/NEW"), sensitive: true),
            ]),
        ])]
        for out in [HistoryView().json(r), HistoryView().text(r, id: nil, diff: true)] {
            XCTAssertFalse(out.contains("OLD") || out.contains("NEW"), out)
            XCTAssertTrue(out.contains("(sensitive)"), out)
        }
    }

    // MARK: show

    func testShowGolden() {
        Golden.assertMatches(ShowView().text(object()), "show.txt")
        Golden.assertMatches(ShowView().json(object()), "show.json")
    }

    func testShowMasksSensitiveValues() throws {
        for out in [ShowView().text(object()), ShowView().json(object())] {
            XCTAssertFalse(out.contains("T0KEN"), out)
            XCTAssertTrue(out.contains("(sensitive)"), out)
        }
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(ShowView().json(object()).utf8)) as? [String: Any])
        XCTAssertEqual(Set(json.keys), ["kind", "id", "owner", "name", "enabled", "version", "hash", "created", "updated", "source", "definition"])
        XCTAssertEqual((json["source"] as? [String: String])?["commit"], "0123456789abcdef0123456789abcdef01234567+dirty")
        XCTAssertTrue(ShowView().text(object()).contains("source   konnectors/order-alert.yaml @ 0123456789ab+dirty\n"))
        XCTAssertTrue(ShowView().text(object(commit: "")).contains("source   konnectors/order-alert.yaml\n\n"))
    }

    func testShowEscapesEveryLine() {
        var o = object("x\u{1B}[2J")
        o.updatedAt = "now\nforged line"
        let out = ShowView().text(o)
        XCTAssertTrue(out.hasPrefix("konnector x\\u{1b}[2J  version 3"), out)
        XCTAssertTrue(out.contains("updated  now\nforged line"), "a newline in stored text is its own line, escaped line by line")
        XCTAssertFalse(out.unicodeScalars.contains { TerminalText.isUnsafe($0) && $0 != "\n" }, out)
        XCTAssertFalse(ShowView().json(o).unicodeScalars.contains { TerminalText.isUnsafe($0) && $0 != "\n" })
    }

    /// A konnector on `cron` in `zone`, as the compiler writes a scheduled trigger.
    private func scheduled(cron: String = "0 9 * * MON-FRI", zone: String = "Europe/Berlin") -> StoredObject {
        var o = object("digest")
        var definition = o.definition
        if case .object(var members) = definition {
            members.append(.init("trigger", .object(["schedule": .object(["cron": .string(cron), "timezone": .string(zone)])])))
            definition = .object(members)
        }
        o.definitionJSON = definition.serialized(sortedKeys: true)
        return o
    }

    /// SPEC §10: a scheduled konnector's next 5 runs, in its zone, each with
    /// the offset of its own instant (Berlin moves to summer time on 29 March 2026).
    func testShowListsAScheduledKonnectorsNextFiveRuns() throws {
        let now = try XCTUnwrap(Formats.dateTimeParts("2026-03-26T09:00:00Z"))
        let text = ShowView().text(scheduled(), now: now)
        XCTAssertTrue(text.contains("""
            source   konnectors/order-alert.yaml @ 0123456789ab+dirty
            next     2026-03-27 09:00 +01:00 (Europe/Berlin)
                     2026-03-30 09:00 +02:00 (Europe/Berlin)
                     2026-03-31 09:00 +02:00 (Europe/Berlin)
                     2026-04-01 09:00 +02:00 (Europe/Berlin)
                     2026-04-02 09:00 +02:00 (Europe/Berlin)

            {
            """), text)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(ShowView().json(scheduled(), now: now).utf8)) as? [String: Any])
        XCTAssertEqual(json["next_runs"] as? [String], ["2026-03-27T09:00:00+01:00", "2026-03-30T09:00:00+02:00", "2026-03-31T09:00:00+02:00",
                                                        "2026-04-01T09:00:00+02:00", "2026-04-02T09:00:00+02:00"])
        let utc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(ShowView().json(scheduled(cron: "*/20 * * * *", zone: "UTC"), now: now).utf8)) as? [String: Any])
        // A run at the clock itself is the first (at or after, as a run's default event is).
        XCTAssertEqual(utc["next_runs"] as? [String], ["2026-03-26T09:00:00+00:00", "2026-03-26T09:20:00+00:00", "2026-03-26T09:40:00+00:00",
                                                       "2026-03-26T10:00:00+00:00", "2026-03-26T10:20:00+00:00"])
    }

    /// A konnector that is not scheduled, a connection, and a show without a clock list no runs.
    func testShowListsNoRunsForAnythingElse() throws {
        let now = try XCTUnwrap(Formats.dateTimeParts("2026-03-26T09:00:00Z"))
        XCTAssertEqual(ShowView().text(object(), now: now), ShowView().text(object()))
        XCTAssertEqual(ShowView().json(object(), now: now), ShowView().json(object()))
        XCTAssertFalse(ShowView().text(scheduled()).contains("next "))
        var connection = scheduled()
        connection.kind = .connection
        XCTAssertFalse(ShowView().json(connection, now: now).contains("next_runs"))
        // A stored schedule that no longer parses (a damaged row) is shown as it is, without runs.
        XCTAssertFalse(ShowView().text(scheduled(cron: "0 0 30 2 *"), now: now).contains("next "))
        XCTAssertFalse(ShowView().json(scheduled(zone: "Mars/Olympus"), now: now).contains("next_runs"))
    }

    // MARK: list

    func testListGolden() {
        var disabled = object("zz-off", commit: "")
        disabled.enabled = false
        disabled.kind = .connection
        let rows = [ListView.Row(object: object(), drift: "in sync"), ListView.Row(object: disabled, drift: "not in repo")]
        Golden.assertMatches(ListView().text(rows, project: "acme"), "list.txt")
        Golden.assertMatches(ListView().json(rows), "list.json")
        XCTAssertEqual(ListView().text([], project: "a\u{1B}b"), "The library holds nothing for project `a\\u{1b}b` yet. Run `konnect apply`.\n")
        XCTAssertEqual(ListView().json([]), "{\"objects\":[]}\n")
    }

    // MARK: apply, unlock

    func testApplyReport() {
        let change = PlanChange(kind: .konnector, id: "k", action: .update,
                                diff: [FieldDiff(path: "name", before: .string("a"), after: .string("b"), sensitive: false)],
                                after: nil, beforeHash: "h", beforeVersion: 1)
        let plan = Plan(project: "p", lineage: "L", serial: 1, changes: [change], unchanged: 2)
        let view = ApplyTextView(color: false)
        XCTAssertEqual(view.report(plan, serial: 2, showChanges: true),
                       "  ~ konnector k (update)\n      ~ name: \"a\" -> \"b\"\n\nApply complete: 0 created, 1 updated, 0 renamed, 0 deleted.\nLibrary serial is now 2.\n")
        XCTAssertEqual(view.report(plan, serial: 2, showChanges: false),
                       "\nApply complete: 0 created, 1 updated, 0 renamed, 0 deleted.\nLibrary serial is now 2.\n")
        let empty = Plan(project: "p", lineage: "L", serial: 1, changes: [], unchanged: 2)
        XCTAssertEqual(view.report(empty, serial: nil, showChanges: true),
                       "No changes. The library matches the configuration.\nApply complete: 0 created, 0 updated, 0 renamed, 0 deleted.\n")
    }

    func testUnlockMessagesAreEscaped() {
        XCTAssertEqual(UnlockView.cleared(holder: "ada@h\u{1B}", expiredAt: nil), "Cleared the lock held by ada@h\\u{1b}.\n")
        XCTAssertEqual(UnlockView.cleared(holder: "ada@h", expiredAt: "2026-03-02T12:00:00Z"),
                       "Cleared the lock held by ada@h (lease expired at 2026-03-02T12:00:00Z).\n")
        XCTAssertTrue(UnlockView.refusal(holder: "ada@h", leaseUntil: "T", runningHere: true).hasSuffix("wait for it, or pass --force"))
        XCTAssertTrue(UnlockView.refusal(holder: "ada@h\n", leaseUntil: "T", runningHere: false).contains("ada@h\\u{a} on another host"))
    }
}
