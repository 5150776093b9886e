import Foundation
import XCTest

/// The CLI's paths and messages (issues 19, 21): paths relative to the
/// current directory in every format (SPEC §6), secrets masked once and
/// never shown, the messages that point at the fix (golden), `plan --out`
/// never writing through a link, and the help and schema commands outside
/// a project.
final class OutputPathsAndMessagesTests: XCTestCase {
    static let messagesFixture = KonnectRunner.packageRoot.appendingPathComponent("Tests/Fixtures/messages")

    /// A temporary folder, removed after the test (links resolved, as the binary sees it).
    func temporaryFolder() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("konnect-paths-\(UUID().uuidString)")
            .resolvingSymlinksInPath()
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        return root
    }

    /// A project at `at`: `files` (path → text) and the bundled schemas of `apps`.
    func project(at dir: URL, _ files: [String: String], apps: [String] = ["slack", "stripe", "webhook"]) throws {
        for (path, text) in files {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let schemas = dir.appendingPathComponent("schemas")
        try FileManager.default.createDirectory(at: schemas, withIntermediateDirectories: true)
        for app in apps {
            try FileManager.default.copyItem(at: KonnectRunner.packageRoot.appendingPathComponent("schemas/\(app).yaml"),
                                             to: schemas.appendingPathComponent("\(app).yaml"))
        }
    }

    static let brokenKonnector = FixtureProject.webhookToSlackTeam("broken", name: "Broken", with: ["channel: \"#general\"", "txet: hello"])

    static let connection = "connection: slack-team\napp: slack\nscopes: [chat:write]\nsecret: env:SLACK_TOKEN\n"

    /// A repository whose konnect project is the sub-folder `infra/konnect`.
    func monorepo() throws -> (repo: URL, project: URL) {
        let repo = try temporaryFolder()
        let project = repo.appendingPathComponent("infra/konnect")
        try self.project(at: project, ["konnect.yaml": "project: infra\n", "konnectors/broken.yaml": Self.brokenKonnector,
                                       "konnectors/connections.yaml": Self.connection])
        return (repo, project)
    }

    // MARK: paths (SPEC §6)

    func testFromTheRepositoryRootEveryFormatNamesTheFileFromThere() throws {
        let (repo, _) = try monorepo()
        let file = "infra/konnect/konnectors/broken.yaml"
        let text = try KonnectRunner.run(["validate", "--project", "infra/konnect"], in: repo)
        XCTAssertEqual(text.status, 1, text.err)
        XCTAssertTrue(text.err.contains("--> \(file):13:7\n"), text.err)

        let github = try KonnectRunner.run(["validate", "--project", "infra/konnect", "--format", "github"], in: repo)
        XCTAssertTrue(github.out.hasPrefix("::error file=\(file),line=13,col=7,"), github.out)

        let json = try KonnectRunner.run(["validate", "--project", "infra/konnect", "--format", "json"], in: repo).json()
        let diagnostics = try XCTUnwrap(json["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(diagnostics.map { $0["file"] as? String }, [file])

        let sarif = try KonnectRunner.run(["validate", "--project", "infra/konnect", "--format", "sarif"], in: repo).json()
        let location = try XCTUnwrap(((((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])?.first?["locations"]
            as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])
        XCTAssertEqual(location["uri"] as? String, file)
        XCTAssertEqual(location["uriBaseId"] as? String, "%SRCROOT%")
    }

    func testFromTheProjectPathsStayProjectRelative() throws {
        let (_, project) = try monorepo()
        let github = try KonnectRunner.run(["validate", "--format", "github"], in: project)
        XCTAssertTrue(github.out.hasPrefix("::error file=konnectors/broken.yaml,line=13,"), github.out)
    }

    func testFromASubFolderFilesUnderItAreRelativeAndOthersAbsolute() throws {
        let (_, project) = try monorepo()
        try Data("project: infra\nkonnectorz: x\n".utf8).write(to: project.appendingPathComponent("konnect.yaml"))
        let inside = project.appendingPathComponent("konnectors")
        let result = try KonnectRunner.run(["validate", "--format", "json"], in: inside)
        let files = Set(try XCTUnwrap(try result.json()["diagnostics"] as? [[String: Any]]).compactMap { $0["file"] as? String })
        XCTAssertEqual(files, ["broken.yaml", project.appendingPathComponent("konnect.yaml").path])

        let sarif = try KonnectRunner.run(["validate", "--format", "sarif"], in: inside)
        XCTAssertTrue(sarif.out.contains("{\"uri\":\"file://\(project.path)/konnect.yaml\"}"), sarif.out)
        XCTAssertTrue(sarif.out.contains("{\"uri\":\"broken.yaml\",\"uriBaseId\":\"%SRCROOT%\"}"), sarif.out)

        let text = try KonnectRunner.run(["validate"], in: inside)
        XCTAssertTrue(text.err.contains("--> broken.yaml:13:7\n"), text.err)
        XCTAssertTrue(text.err.contains("--> \(project.path)/konnect.yaml:2:1\n"), text.err)
    }

    func testTestResultsNameTheirFileFromTheCurrentDirectory() throws {
        let (repo, project) = try monorepo()
        try Data(Self.brokenKonnector.replacingOccurrences(of: "txet", with: "text").utf8)
            .write(to: project.appendingPathComponent("konnectors/broken.yaml"))
        try Data("tests: broken\ncases:\n  - name: posts\n    expect:\n      ran: [nothing]\n".utf8)
            .write(to: project.appendingPathComponent("konnectors/broken.test.yaml"))
        let result = try KonnectRunner.run(["test", "--project", "infra/konnect", "--format", "json"], in: repo)
        let cases = try XCTUnwrap(try result.json()["cases"] as? [[String: Any]])
        XCTAssertEqual(cases.map { $0["file"] as? String }, ["infra/konnect/konnectors/broken.test.yaml"])
    }

    // MARK: secrets (SPEC §3): masked once, where they are found

    func testASecretNeverShowsAndNeverBreaksTheFormatAroundIt() throws {
        let dir = try temporaryFolder()
        // `warning` is a 7-character secret: masked as a word wherever it is in a message, never in
        // the structure of the output (before, a second pass over the whole output made `::warning` `::****`).
        try project(at: dir, [
            "konnect.yaml": "project: secrets\n",
            "konnectors/connections.yaml": Self.connection + "---\nconnection: other\nsecret: &s warning\napp: *s\n",
            "konnectors/k.yaml": Self.brokenKonnector.replacingOccurrences(of: "name: Broken", with: "name: Broken\ndescription: #note"),
        ])
        for format in ["text", "json", "github", "sarif"] {
            let result = try KonnectRunner.run(["validate", "--format", format], in: dir)
            let output = format == "text" ? result.err : result.out
            XCTAssertEqual(result.status, 1, "\(format): \(result.err)")
            XCTAssertTrue(output.contains("unknown app `****`"), "\(format): \(output)")
            switch format {
            case "github": XCTAssertTrue(output.contains("::warning file=konnectors/k.yaml,"), output)
            case "json": XCTAssertTrue(output.contains("\"severity\":\"warning\""), output)
            case "sarif": XCTAssertTrue(output.contains("\"level\":\"warning\""), output)
            default: XCTAssertTrue(output.contains("warning[comment-in-value]") && output.contains(", 1 warning in "), output)
            }
        }
    }

    // MARK: plan --out (SPEC §8, §10)

    func testPlanOutNeverWritesThroughASymbolicLink() throws {
        let dir = try temporaryFolder()
        try project(at: dir, ["konnect.yaml": "project: links\n", "konnectors/connections.yaml": Self.connection])
        let victim = dir.appendingPathComponent("victim.txt")
        try Data("keep me\n".utf8).write(to: victim)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("plan.json").path, withDestinationPath: victim.path)
        let result = try KonnectRunner.run(["plan", "--out", "plan.json"], in: dir)
        XCTAssertEqual(result.status, 1, result.err)
        XCTAssertTrue(result.err.contains("refusing to write plan.json: it is a symbolic link"), result.err)
        XCTAssertEqual(try String(contentsOf: victim, encoding: .utf8), "keep me\n")

        let saved = try KonnectRunner.run(["plan", "--out", "saved.json"], in: dir)
        XCTAssertEqual(saved.status, 0, saved.err)
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("saved.json").path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600, "a plan file is as private as the repository")
    }

    // MARK: messages that point at the fix (issue 19 item 8), golden

    /// `Tests/Fixtures/messages`: one file per mistake; `expected.txt` is
    /// what `konnect validate` prints. `KONNECT_UPDATE_GOLDEN=1` rewrites it.
    func testMessagesPointAtTheFix() throws {
        let dir = try temporaryFolder().appendingPathComponent("messages")
        try FileManager.default.copyItem(at: Self.messagesFixture, to: dir)
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("expected.txt"))
        try project(at: dir, [:])
        let result = try KonnectRunner.run(["validate"], in: dir, environment: ["NO_COLOR": "1"])
        XCTAssertEqual(result.status, 1)
        let golden = Self.messagesFixture.appendingPathComponent("expected.txt")
        if ProcessInfo.processInfo.environment["KONNECT_UPDATE_GOLDEN"] == "1" {
            try Data(result.err.utf8).write(to: golden)
        }
        XCTAssertEqual(result.err, try String(contentsOf: golden, encoding: .utf8))
    }

    func testTheInitExampleValidatesWithoutWarnings() throws {
        let dir = try temporaryFolder()
        XCTAssertEqual(try KonnectRunner.run(["init", "p"], in: dir).status, 0)
        let result = try KonnectRunner.run(["validate", "--strict"], in: dir.appendingPathComponent("p"))
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.err.contains("0 errors, 0 warnings in "), result.err)
    }

    func testLockTimeoutHelpShowsItsDefaultAsWritten() throws {
        let result = try KonnectRunner.run(["apply", "--help"], in: try temporaryFolder())
        XCTAssertTrue(result.out.contains("(default: 10s)"), result.out)
        XCTAssertFalse(result.out.contains("Duration("), result.out)
    }

    func testSchemaListOutsideAProjectListsTheBundledSchemas() throws {
        let result = try KonnectRunner.run(["schema", "list"], in: try temporaryFolder())
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("slack "), result.out)
        XCTAssertEqual(result.out.split(separator: "\n").count, 10, result.out)
        XCTAssertTrue(result.err.contains("bundled with konnect"), result.err)
    }
}
