import Foundation
import KonnectCore
import XCTest

/// Saved plans are untrusted (SPEC §8): every kind of tampering is refused
/// whole, and the change list is computed from the definitions and the
/// library, never read from the file.
final class PlanFileTests: XCTestCase {
    typealias P = PlannerTests

    /// A plan with every action (create, update, rename, delete; a
    /// deactivate), its file, and the library it was made against.
    func saved() -> (plan: Plan, text: String, library: LibrarySnapshot) {
        let (plan, snapshot) = P.mixedPlanAndLibrary()
        XCTAssertEqual(plan.changes.map { "\($0.action.word) \($0.id)" },
                       ["create slack-ops", "delete gone", "update hook-forward", "update ops-alert", "rename signup-to-slack"])
        return (plan, PlanFile.encode(plan), snapshot)
    }

    // MARK: editing a plan file's JSON

    static func edit(_ text: String, _ body: (inout JSONValue) -> Void) -> String {
        var json = try! JSONParser.parse(text)
        body(&json)
        return json.serialized()
    }

    /// Edits the change with this id.
    static func change(_ text: String, _ id: String, _ body: @escaping (inout JSONValue) -> Void) -> String {
        edit(text) { doc in
            guard case .array(var changes)? = doc["changes"] else { return XCTFail("no changes") }
            var found = false
            for i in changes.indices where changes[i]["id"] == .string(id) {
                body(&changes[i])
                found = true
            }
            XCTAssertTrue(found, "no change \(id)")
            doc = doc.setting("changes", .array(changes))
        }
    }

    /// Edits the definition of the change with this id, and (with `rehash`)
    /// writes its true hash, as a careful attacker would.
    static func redefine(_ text: String, _ id: String, rehash: Bool = true, canonical: Bool = true,
                         _ body: @escaping (inout JSONValue) -> Void) -> String {
        change(text, id) { c in
            guard case .string(let d)? = c["object"]?["definition"], var definition = try? JSONParser.parse(d) else {
                return XCTFail("no definition for \(id)")
            }
            body(&definition)
            let newText = definition.serialized(sortedKeys: canonical)
            var object = c["object"]!.setting("definition", .string(newText))
            if rehash { object = object.setting("hash", .string(SHA256Hex.digest(newText))) }
            c = c.setting("object", object)
        }
    }

    func assertRefused(_ text: String, _ expected: String..., file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try PlanFile.decode(text), file: file, line: line) { error in
            let message = "\(error)"
            for part in expected { XCTAssertTrue(message.contains(part), "`\(part)` not in: \(message)", file: file, line: line) }
            XCTAssertTrue(message.hasSuffix("nothing was applied"), message, file: file, line: line)
            XCTAssertFalse(message.unicodeScalars.contains { $0.value < 0x20 }, "control characters in: \(message)", file: file, line: line)
        }
    }

    // MARK: what decodes

    func testAnUntouchedPlanDecodesAndVerifiesToThePlannedChanges() throws {
        let (plan, text, library) = saved()
        let decoded = try PlanFile.decode(text, against: library)
        XCTAssertEqual(P.text(decoded), P.text(plan))
        XCTAssertEqual(decoded.summary, plan.summary)
    }

    // MARK: ids

    func testAnIdThatIsNotASlugIsRefused() {
        let (_, text, _) = saved()
        // The id changed everywhere, hash recomputed: only the slug rule catches it.
        let traversal = Self.redefine(Self.change(text, "slack-ops") { $0 = $0.setting("id", .string("../../x")) }, "../../x") {
            $0 = $0.setting("id", .string("../../x"))
        }
        assertRefused(traversal, "../../x", "not a slug")
        for bad in ["Upper", "a/b", "", "-lead", "x\u{1b}[2J", String(repeating: "a", count: 64)] {
            assertRefused(Self.change(text, "slack-ops") { $0 = $0.setting("id", .string(bad)) }, "not a slug")
        }
    }

    func testAnIdThatDiffersFromItsDefinitionIsRefused() {
        let (_, text, _) = saved()
        // The change renamed, the definition not.
        assertRefused(Self.change(text, "slack-ops") { $0 = $0.setting("id", .string("slack-evil")) },
                      "`slack-evil`", "is not the change's id")
        // The definition renamed (and rehashed), the change not.
        assertRefused(Self.redefine(text, "hook-forward") { $0 = $0.setting("id", .string("other")) },
                      "its id `other` is not the change's id `hook-forward`")
    }

    func testARenameNeedsAnotherSlugToRenameFrom() {
        let (_, text, _) = saved()
        assertRefused(Self.change(text, "signup-to-slack") { $0 = $0.setting("renamed_from", nil) }, "no `renamed_from`")
        assertRefused(Self.change(text, "signup-to-slack") { $0 = $0.setting("renamed_from", .string("../old")) }, "not another slug")
        assertRefused(Self.change(text, "signup-to-slack") { $0 = $0.setting("renamed_from", .string("signup-to-slack")) },
                      "not another slug")
        assertRefused(Self.change(text, "hook-forward") { $0 = $0.setting("renamed_from", .string("x")) }, "is not a rename")
    }

    func testTheSameObjectTwiceIsRefused() {
        let (_, text, _) = saved()
        let twice = Self.edit(text) { doc in
            guard case .array(let changes)? = doc["changes"], let ops = changes.first(where: { $0["id"] == .string("ops-alert") }) else {
                return XCTFail("no ops-alert")
            }
            doc = doc.setting("changes", .array(changes + [ops]))
        }
        assertRefused(twice, "konnector `ops-alert` is changed twice")
        // Renamed away and changed too.
        let both = Self.change(text, "hook-forward") { $0 = $0.setting("action", .string("rename")).setting("renamed_from", .string("ops-alert")) }
        assertRefused(both, "`ops-alert` is renamed away and changed too")
    }

    // MARK: format, kinds, actions

    func testTheFormatVersionKindAndActionAreChecked() {
        let (_, text, _) = saved()
        assertRefused(Self.edit(text) { $0 = $0.setting("format_version", .int(2)) }, "format_version 2")
        assertRefused(Self.edit(text) { $0 = $0.setting("format_version", .string("1")) }, "format_version \"1\"")
        assertRefused(Self.change(text, "hook-forward") { $0 = $0.setting("kind", .string("secret")) }, "`kind`")
        assertRefused(Self.change(text, "hook-forward") { $0 = $0.setting("action", .string("explode")) }, "`action`")
        assertRefused(Self.edit(text) { $0 = $0.setting("changes", .object([])) }, "`changes` is not a list")
        assertRefused(Self.edit(text) { $0 = $0.setting("library", .object(["lineage": .string("x"), "serial": .int(-1)])) }, "`library`")
        // A delete carrying an object, a create with a before hash, an update without one.
        assertRefused(Self.change(text, "gone") { $0 = $0.setting("object", .object(["definition": .string("{}")])) }, "carries an object")
        assertRefused(Self.change(text, "slack-ops") { $0 = $0.setting("before_hash", .string(String(repeating: "a", count: 64))) },
                      "`before_hash`")
        assertRefused(Self.change(text, "hook-forward") { $0 = $0.setting("before_hash", .string("abc")) }, "`before_hash`")
        assertRefused(Self.change(text, "hook-forward") { $0 = $0.setting("before_version", .int(0)) }, "`before_version`")
    }

    func testARepeatedKeyIsRefused() {
        let (_, text, _) = saved()
        // Readers disagree about which of two `id`s counts: neither is taken.
        let repeated = text.replacingOccurrences(of: "\"id\":\"hook-forward\"", with: "\"id\":\"hook-forward\",\"id\":\"../x\"")
        XCTAssertNotEqual(repeated, text)
        assertRefused(repeated, "`id` appears twice")
        let inDefinition = Self.redefine(text, "hook-forward", canonical: false) { d in
            guard case .object(let members) = d else { return }
            d = .object(members + [.init("name", .string("Shadow"))])
        }
        assertRefused(inDefinition, "the key `name` twice")
    }

    // MARK: hashes and definitions

    func testADefinitionThatDoesNotMatchItsHashIsRefused() throws {
        let (_, text, _) = saved()
        assertRefused(Self.redefine(text, "ops-alert", rehash: false) { $0 = $0.setting("name", .string("Pwned")) },
                      "modified", "`ops-alert`")
        let hash = try XCTUnwrap(saved().plan.changes.first { $0.id == "ops-alert" }?.after?.hash)
        assertRefused(text.replacingOccurrences(of: hash, with: String(repeating: "0", count: 64)), "modified")
        assertRefused(text.replacingOccurrences(of: hash, with: "short"), "`hash`")
    }

    func testADefinitionNotInCanonicalFormIsRefused() {
        let (_, text, _) = saved()
        let pretty = Self.change(text, "ops-alert") { c in
            guard case .string(let d)? = c["object"]?["definition"], let definition = try? JSONParser.parse(d) else { return XCTFail() }
            let spaced = definition.pretty()
            c = c.setting("object", c["object"]!.setting("definition", .string(spaced)).setting("hash", .string(SHA256Hex.digest(spaced))))
        }
        assertRefused(pretty, "not in canonical form")
    }

    func testMalformedDefinitionsAreRefused() {
        let (_, text, _) = saved()
        let cases: [(String, String, (inout JSONValue) -> Void)] = [
            ("ops-alert", "`steps` is not a non-empty list", { $0 = $0.setting("steps", .string("rm -rf")) }),
            ("ops-alert", "`steps` is not a non-empty list", { $0 = $0.setting("steps", .array([])) }),
            ("ops-alert", "`steps[0]` is not an object", { $0 = $0.setting("steps", .array([.int(1)])) }),
            ("ops-alert", "`steps[0].id` is not a slug", { d in
                d = d.setting("steps", .array([d["steps"]![0]!.setting("id", .string("../s"))]))
            }),
            ("ops-alert", "`steps[0].with` is not an object", { d in
                d = d.setting("steps", .array([d["steps"]![0]!.setting("with", .array([]))]))
            }),
            ("ops-alert", "`steps[0].connection` is not a slug or null", { d in
                d = d.setting("steps", .array([d["steps"]![0]!.setting("connection", .string("a b"))]))
            }),
            ("ops-alert", "`name` is not a string", { $0 = $0.setting("name", .int(3)) }),
            ("ops-alert", "`enabled` is not true or false", { $0 = $0.setting("enabled", .string("yes")) }),
            ("ops-alert", "the tag `../t` is not a slug", { $0 = $0.setting("tags", .array([.string("../t")])) }),
            ("ops-alert", "`trigger` is not an object", { $0 = $0.setting("trigger", .null) }),
            ("ops-alert", "`trigger.event` is not a non-empty string", { d in d = d.setting("trigger", d["trigger"]!.setting("event", nil)) }),
            ("ops-alert", "`when` is not a string or null", { $0 = $0.setting("when", .bool(true)) }),
            ("ops-alert", "it is not an object", { $0 = .array([]) }),
            ("slack-ops", "`app` is not a non-empty string", { $0 = $0.setting("app", nil) }),
            ("slack-ops", "`scopes` is missing", { $0 = $0.setting("scopes", nil) }),
            ("slack-ops", "`scopes` holds a value that is not a string", { $0 = $0.setting("scopes", .array([.null])) }),
            // The library holds references only (SPEC §3, §7).
            ("slack-ops", "`secret` is not a reference", { $0 = $0.setting("secret", .string("xoxb-literal-token")) }),
        ]
        for (id, expected, body) in cases {
            assertRefused(Self.redefine(text, id, body), "malformed", expected)
        }
    }

    func testObjectFieldsAreCheckedAndTakenFromTheDefinition() throws {
        let (plan, text, library) = saved()
        assertRefused(Self.change(text, "ops-alert") { $0 = $0.setting("object", $0["object"]!.setting("enabled", .string("no"))) },
                      "wrong type")
        assertRefused(Self.change(text, "ops-alert") { $0 = $0.setting("object", $0["object"]!.setting("source_file", nil)) },
                      "no `source_file`")
        // A name, flag or tag that disagrees with the (hashed) definition is not what gets stored.
        let lying = Self.change(text, "ops-alert") { c in
            c = c.setting("object", c["object"]!.setting("name", .string("Lies")).setting("enabled", .bool(true))
                .setting("tags", .array([.string("other")])).setting("connections", .array([])))
        }
        let decoded = try XCTUnwrap(try PlanFile.decode(lying, against: library).changes.first { $0.id == "ops-alert" }?.after)
        let planned = try XCTUnwrap(plan.changes.first { $0.id == "ops-alert" }?.after)
        XCTAssertEqual(decoded.name, planned.name)
        XCTAssertEqual(decoded.enabled, false)
        XCTAssertEqual(decoded.tags, planned.tags)
        XCTAssertEqual(decoded.connections, ["slack-ops"])
    }

    // MARK: the change list is computed

    func testTheDiffAndSummaryInTheFileAreNeverRead() throws {
        let (plan, text, library) = saved()
        let forged = Self.edit(text) { doc in
            guard case .array(let changes)? = doc["changes"] else { return }
            doc = doc.setting("changes", .array(changes.map { c in
                c.setting("diff", .array([.object(["path": .string("\u{1b}[2J all good"), "before": .null, "after": .null])]))
                    .setting("activate", .bool(true)).setting("deactivate", .bool(false))
            }))
            doc = doc.setting("summary", .object(["create": .int(0), "update": .int(0), "rename": .int(0), "delete": .int(0),
                                                 "activate": .int(0), "deactivate": .int(0), "unchanged": .int(5)]))
        }
        let decoded = try PlanFile.decode(forged, against: library)
        XCTAssertEqual(P.text(decoded.withUnchanged(plan.unchanged)), P.text(plan))
        XCTAssertEqual(decoded.summary.deactivate, 1)
        XCTAssertEqual(decoded.summary.activate, 0)
        XCTAssertFalse(P.text(decoded).contains("all good"))
        // Without the library, nothing of the file's diff is taken either.
        XCTAssertTrue(try PlanFile.decode(forged).changes.allSatisfy { $0.diff.isEmpty && !$0.activate })
    }

    func testChangesTheLibraryContradictsAreRefused() throws {
        let (plan, text, library) = saved()
        let decoded = try PlanFile.decode(text)
        func refused(_ snapshot: LibrarySnapshot, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertThrowsError(try PlanFile.verified(decoded, against: snapshot), file: file, line: line) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)", file: file, line: line)
            }
        }
        let objects = plan.changes.compactMap(\.after)
        let slackOps = try XCTUnwrap(objects.first { $0.id == "slack-ops" })
        // A create of an object the library holds.
        refused(LibrarySnapshot(lineage: library.lineage, serial: library.serial, owned: library.owned + [P.stored(slackOps)],
                                foreignOwners: [:]), "creates connection `slack-ops`, which the library already holds")
        // An update at another hash or version.
        var moved = library.owned
        let at = try XCTUnwrap(moved.firstIndex { $0.id == "hook-forward" })
        moved[at].version = 9
        refused(LibrarySnapshot(lineage: library.lineage, serial: library.serial, owned: moved, foreignOwners: [:]),
                "updates konnector `hook-forward` at a hash and version the library does not hold")
        // A delete of an object that is gone.
        refused(LibrarySnapshot(lineage: library.lineage, serial: library.serial, owned: library.owned.filter { $0.id != "gone" },
                                foreignOwners: [:]), "deletes konnector `gone`")
        // Another project's object.
        refused(LibrarySnapshot(lineage: library.lineage, serial: library.serial, owned: library.owned,
                                foreignOwners: [.init(.connection, "slack-ops"): "team-b"]), "belongs to project `team-b`")
    }

    // MARK: the definition shape on its own

    func testCompiledDefinitionsHaveTheShape() throws {
        for o in P.objects() {
            let d = try XCTUnwrap(o.definition)
            let summary = try DefinitionShape.check(d, kind: o.kind, id: o.id)
            XCTAssertEqual(summary.name, o.name, o.id)
            XCTAssertEqual(summary.enabled, o.enabled, o.id)
            XCTAssertEqual(summary.tags, o.tags, o.id)
            XCTAssertEqual(summary.connections, o.connections, o.id)
        }
    }
}

extension Plan {
    func withUnchanged(_ n: Int) -> Plan {
        Plan(project: project, lineage: lineage, serial: serial, changes: changes, unchanged: n)
    }
}

extension JSONValue {
    /// This object with member `key` set to `value`, added at the end when
    /// absent, removed when `value` is nil.
    func setting(_ key: String, _ value: JSONValue?) -> JSONValue {
        guard case .object(var members) = self else { return self }
        if let i = members.firstIndex(where: { $0.key == key }) {
            if let value { members[i].value = value } else { members.remove(at: i) }
        } else if let value {
            members.append(.init(key, value))
        }
        return .object(members)
    }

    subscript(index: Int) -> JSONValue? {
        guard case .array(let items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }
}

/// `--target` matching (SPEC §8): what a target may name, and the message
/// for one that names nothing.
final class PlanTargetTests: XCTestCase {
    func testTargetsMatchIdsRenamesAndTagsOfTheProjectOrTheLibrary() {
        var candidates = PlanTarget.Candidates()
        candidates.ids = ["signup-to-slack", "slack-ops"]
        candidates.tags = ["ops"]
        XCTAssertTrue(candidates.matches(PlanTarget("slack-ops")))
        XCTAssertTrue(candidates.matches(PlanTarget("tag:ops")))
        XCTAssertFalse(candidates.matches(PlanTarget("ops")), "a tag is named with tag:")
        XCTAssertFalse(candidates.matches(PlanTarget("tag:slack-ops")))
        let gone = PlannerTests.stored(PlannerTests.objects().first { $0.id == "hook-forward" }!)
        candidates.add([gone])
        XCTAssertTrue(candidates.matches(PlanTarget("hook-forward")), "an object only the library holds (a delete)")
    }

    func testTheMessageSuggestsANearIdOrTagAndEscapes() {
        var candidates = PlanTarget.Candidates()
        candidates.ids = ["signup-to-slack"]
        candidates.tags = ["ops", "sales"]
        XCTAssertEqual(candidates.noMatch(PlanTarget("signup-to-slck")),
                       "no konnector, connection or tag matches --target signup-to-slck; did you mean `signup-to-slack`?")
        XCTAssertEqual(candidates.noMatch(PlanTarget("tag:sale")),
                       "no konnector, connection or tag matches --target tag:sale; did you mean `tag:sales`?")
        XCTAssertEqual(candidates.noMatch(PlanTarget("sales")),
                       "no konnector, connection or tag matches --target sales; did you mean `tag:sales`?")
        XCTAssertEqual(candidates.noMatch(PlanTarget("zzzzzzzz")), "no konnector, connection or tag matches --target zzzzzzzz")
        XCTAssertEqual(candidates.noMatch(PlanTarget("x\u{1b}[2J")), "no konnector, connection or tag matches --target x\\u{1b}[2J")
    }
}
