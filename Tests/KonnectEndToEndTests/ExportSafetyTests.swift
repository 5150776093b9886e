#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import XCTest

/// `konnect export --out DIR` writes only inside DIR, every file parses and
/// plans to no changes (SPEC §10); `list`, `show` and `history` escape what
/// the library holds (SPEC §6).
final class ExportSafetyTests: XCTestCase {
    typealias S = PlanApplySupport

    /// Scalars that may not reach a terminal, or stand in a YAML file, as themselves.
    static func hasUnsafe(_ text: String) -> Bool {
        text.unicodeScalars.contains { s in
            (s.value < 0x20 && s != "\n") || (0x7F..<0xA0).contains(s.value) || s.value == 0x2028 || s.value == 0x2029
        }
    }

    /// The `basic` fixture with a name, description and value full of
    /// escapes (written as YAML escapes), applied by a user whose name holds ESC.
    func hostile() throws -> URL {
        let project = try S.copy("basic", for: self)
        try S.edit(project, "konnectors/signup-to-slack.yaml", "name: Signup → Slack",
                   #"name: "Signup \e[31m red\N next\L line\P para\nnew \x7f\x9b \"q\" \\ 😀""#)
        try S.edit(project, "konnectors/signup-to-slack.yaml", "description: Announces website signups.",
                   #"description: "desc\e[2J\r\n\t end""#)
        try S.edit(project, "konnectors/signup-to-slack.yaml", #"text: "New signup: {{ trigger.body.email }}""#,
                   #"text: "New\L signup\e[1m: {{ trigger.body.email }}\N""#)
        let user = "x\u{1b}[31m\u{85}evil"
        let env = ["USER": user, "LOGNAME": user, "KONNECT_ACTOR": user, "GITHUB_ACTOR": user]
        assertExit(try konnect(["apply", "--auto-approve"], in: project, environment: env), 0)
        return project
    }

    func testHostileNamesExportToFilesThatValidateAndPlanToNoChanges() throws {
        let project = try hostile()
        let (copy, out, _) = try exportToSibling(of: project, owner: "team-a")
        let text = try String(contentsOf: out.appendingPathComponent("konnectors/signup-to-slack.yaml"), encoding: .utf8)
        XCTAssertFalse(Self.hasUnsafe(text), text)
        XCTAssertTrue(text.contains(#"\x1b[31m red\x85 next\u2028 line\u2029 para\nnew \x7f\x9b"#), text)

        let validate = try konnect(["validate"], in: copy)
        assertExit(validate, 0)
        let plan = try konnect(["plan", "--detailed-exitcode", "--library", S.defaultLibrary(project)], in: copy)
        assertExit(plan, 0)
        XCTAssertEqual(plan.out, "No changes. The library matches the configuration.\n")
    }

    func testListShowAndHistoryEscapeWhatTheLibraryHolds() throws {
        let project = try hostile()
        let history = try konnect(["history"], in: project)
        assertExit(history, 0)
        XCTAssertTrue(history.out.contains("x\\u{1b}[31m\\u{85}evil"), history.out)
        XCTAssertFalse(Self.hasUnsafe(history.out), history.out)

        let show = try konnect(["show", "signup-to-slack"], in: project)
        assertExit(show, 0)
        XCTAssertFalse(Self.hasUnsafe(show.out), show.out)
        XCTAssertTrue(show.out.contains("red\\u{85} next\\u{2028} line"), show.out)

        let list = try konnect(["list"], in: project)
        assertExit(list, 0)
        XCTAssertFalse(Self.hasUnsafe(list.out), list.out)
    }

    // MARK: only inside --out

    /// A project applied, and a folder outside --out holding a file to protect.
    func applied() throws -> (project: URL, out: URL, outside: URL) {
        let project = try S.copy("basic", for: self)
        assertExit(try konnect(["apply", "--auto-approve"], in: project), 0)
        let root = try FixtureProject.emptyDirectory(for: self)
        let outside = root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try write("precious\n", to: outside.appendingPathComponent("precious.txt"))
        return (project, root.appendingPathComponent("out"), outside)
    }

    func assertUntouched(_ outside: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try String(contentsOf: outside.appendingPathComponent("precious.txt"), encoding: .utf8), "precious\n",
                       file: file, line: line)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside.path), ["precious.txt"], file: file, line: line)
    }

    func testASymbolicLinkAtAFileNameIsNotFollowed() throws {
        let (project, out, outside) = try applied()
        try FileManager.default.createDirectory(at: out.appendingPathComponent("konnectors"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: out.appendingPathComponent("konnectors/signup-to-slack.yaml"),
                                                   withDestinationURL: outside.appendingPathComponent("precious.txt"))
        // A dangling one, which an O_CREAT that follows links would create outside.
        try FileManager.default.createSymbolicLink(at: out.appendingPathComponent("konnectors/ops-alert.yaml"),
                                                   withDestinationURL: outside.appendingPathComponent("created.txt"))
        for ids in [["signup-to-slack"], ["ops-alert"]] {
            let export = try konnect(["export"] + ids + ["--out", out.path], in: project)
            assertExit(export, 1)
            XCTAssertTrue(export.err.contains("refusing to write through"), export.err)
            XCTAssertTrue(export.err.contains("konnectors/\(ids[0]).yaml"), export.err)
            try assertUntouched(outside)
        }
    }

    func testASymbolicLinkAtASubfolderOrAtOutIsNotFollowed() throws {
        let (project, out, outside) = try applied()
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: out.appendingPathComponent("konnectors"), withDestinationURL: outside)
        let export = try konnect(["export", "--out", out.path], in: project)
        assertExit(export, 1)
        XCTAssertTrue(export.err.contains("refusing to write through"), export.err)
        try assertUntouched(outside)

        let linked = out.deletingLastPathComponent().appendingPathComponent("linked-out")
        try FileManager.default.createSymbolicLink(at: linked, withDestinationURL: outside)
        let viaLink = try konnect(["export", "--out", linked.path], in: project)
        assertExit(viaLink, 1)
        try assertUntouched(outside)
    }

    func testAHardLinkToAFileOutsideIsNotWrittenThrough() throws {
        let (project, out, outside) = try applied()
        try FileManager.default.createDirectory(at: out.appendingPathComponent("connections"), withIntermediateDirectories: true)
        guard link(outside.appendingPathComponent("precious.txt").path, out.appendingPathComponent("connections/slack-ops.yaml").path) == 0 else {
            throw XCTSkip("hard links are not available here")
        }
        let export = try konnect(["export", "slack-ops", "--out", out.path], in: project)
        assertExit(export, 1)
        XCTAssertTrue(export.err.contains("hard links"), export.err)
        XCTAssertEqual(try String(contentsOf: outside.appendingPathComponent("precious.txt"), encoding: .utf8), "precious\n")
    }

    func testAnIdThatIsNotASlugIsNeverAFileName() throws {
        let (project, out, outside) = try applied()
        let database = project.appendingPathComponent(".konnect/library.db").path
        // Rewritten behind konnect's back (the old build also stored such ids from edited plan files).
        let sql = Process()
        sql.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sql.arguments = ["sqlite3", database, "UPDATE objects SET id = '../../outside/evil' WHERE id = 'ops-alert'"]
        do { try sql.run() } catch { throw XCTSkip("sqlite3 is not available") }
        sql.waitUntilExit()
        guard sql.terminationStatus == 0 else { throw XCTSkip("sqlite3 could not edit the library") }
        let export = try konnect(["export", "--out", out.path], in: project)
        assertExit(export, 1)
        XCTAssertTrue(export.err.contains("../../outside/evil"), export.err)
        try assertUntouched(outside)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("konnectors/ops-alert.yaml").path))
    }
}
