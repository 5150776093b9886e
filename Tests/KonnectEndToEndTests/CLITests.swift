import Foundation
import XCTest

/// `konnect validate` on a clean project, the command-line contract
/// (SPEC §1, §6, §11), project discovery and terminal behaviour.
final class CLITests: XCTestCase {
    /// 3 files under konnectors/ and 3 app schemas (schemas are read and checked too).
    static let cleanFiles = 6

    // MARK: clean project

    func testCleanProjectExitsZero() throws {
        let project = try FixtureProject.copy("clean", for: self)
        let result = try runKonnect(["validate"], in: project, exit: 0)
        XCTAssertEqual(result.out, "")
        XCTAssertEqual(result.err, "0 errors, 0 warnings in \(Self.cleanFiles) files\n")
    }

    func testCleanProjectJSON() throws {
        let project = try FixtureProject.copy("clean", for: self)
        let result = try validateJSON(project, exit: 0)
        XCTAssertEqual(result.err, "")
        let json = try result.json()
        XCTAssertEqual((json["diagnostics"] as? [Any])?.count, 0)
        let summary = try XCTUnwrap(json["summary"] as? [String: Any])
        XCTAssertEqual(summary["files"] as? Int, Self.cleanFiles)
        XCTAssertEqual(summary["konnectors"] as? Int, 2)
        XCTAssertEqual(summary["connections"] as? Int, 3)
        XCTAssertEqual(summary["errors"] as? Int, 0)
        XCTAssertEqual(summary["warnings"] as? Int, 0)
    }

    func testCleanProjectGitHubAndSARIF() throws {
        let project = try FixtureProject.copy("clean", for: self)
        let github = try runKonnect(["validate", "--format", "github"], in: project, exit: 0)
        XCTAssertEqual(github.out, "")
        XCTAssertEqual(github.err, "")
        let run = try sarifRun(project, exit: 0)
        XCTAssertEqual((run["results"] as? [Any])?.count, 0)
    }

    func testStrictOnACleanProjectStillSucceeds() throws {
        // Structure-only validate has no warnings yet; `--strict` matters once it does.
        let project = try FixtureProject.copy("clean", for: self)
        assertExit(try KonnectRunner.run(["validate", "--strict"], in: project), 0)
    }

    // MARK: project location

    func testProjectFlagFromElsewhere() throws {
        let project = try FixtureProject.copy("broken", for: self)
        let elsewhere = try FixtureProject.emptyDirectory(for: self)
        let result = try runKonnect(["validate", "--format", "json", "--project", project.path], in: elsewhere, exit: 1)
        let diagnostics = try XCTUnwrap(try result.json()["diagnostics"] as? [[String: Any]])
        XCTAssertFalse(diagnostics.isEmpty)
        for d in diagnostics {
            let file = try XCTUnwrap(d["file"] as? String)
            // Not under the working directory: absolute (SPEC §6).
            XCTAssertTrue(file.hasPrefix(project.path + "/konnectors/"), "absolute when not under the working directory: \(file)")
        }
    }

    func testRelativeProjectFlag() throws {
        let project = try FixtureProject.copy("clean", for: self)
        let parent = project.deletingLastPathComponent()
        let result = try runKonnect(["validate", "--project", "clean"], in: parent, exit: 0)
        XCTAssertEqual(result.err, "0 errors, 0 warnings in \(Self.cleanFiles) files\n")
    }

    func testDiscoveryFromASubdirectory() throws {
        let project = try FixtureProject.copy("broken", for: self)
        // The same diagnostics wherever it runs; their paths are relative to the
        // working directory when the file is under it, else absolute (SPEC §6).
        func diagnostics(in directory: URL) throws -> [String] {
            let result = try runKonnect(["validate", "--format", "json"], in: directory, exit: 1)
            return try XCTUnwrap(try result.json()["diagnostics"] as? [[String: Any]]).map { d in
                let file = d["file"] as? String ?? ""
                let absolute = file.hasPrefix("/") ? file : directory.path + "/" + file
                return "\(absolute):\(d["line"] ?? ""):\(d["column"] ?? ""): \(d["code"] ?? "")"
            }
        }
        let fromRoot = try diagnostics(in: project)
        XCTAssertFalse(fromRoot.isEmpty)
        XCTAssertEqual(try diagnostics(in: project.appendingPathComponent("konnectors")), fromRoot,
                       "the nearest parent holding konnect.yaml is the project")
        XCTAssertEqual(try diagnostics(in: project.appendingPathComponent("konnectors/dups")), fromRoot)
        let inDups = try KonnectRunner.run(["validate", "--format", "json"], in: project.appendingPathComponent("konnectors/dups"))
        let files = try XCTUnwrap(try inDups.json()["diagnostics"] as? [[String: Any]]).compactMap { $0["file"] as? String }
        XCTAssertTrue(files.contains("second.yaml"), "a file under the working directory is relative to it: \(files)")
    }

    func testProjectFileSettingsAreHonoured() throws {
        let project = try FixtureProject.copy("clean", for: self)
        try FileManager.default.moveItem(at: project.appendingPathComponent("konnectors"), to: project.appendingPathComponent("flows"))
        try write("project: acme\nkonnectors: flows\n", to: project.appendingPathComponent("konnect.yaml"))
        try write("konnector: extra\n", to: project.appendingPathComponent("flows/extra.yaml"))
        let result = try validateJSON(project, exit: 1)
        let diagnostics = try XCTUnwrap(try result.json()["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(Set(diagnostics.compactMap { $0["file"] as? String }), ["flows/extra.yaml"])
    }

    func testErrorsInTheProjectFileAreReported() throws {
        let project = try FixtureProject.copy("clean", for: self)
        try write("projcet: acme\n", to: project.appendingPathComponent("konnect.yaml"))
        let result = try validateJSON(project, exit: 1)
        let diagnostics = try XCTUnwrap(try result.json()["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(diagnostics.count, 1)
        XCTAssertEqual(diagnostics.first?["file"] as? String, "konnect.yaml")
        XCTAssertEqual(diagnostics.first?["code"] as? String, "unknown-field")
        XCTAssertEqual(diagnostics.first?["line"] as? Int, 1)
        XCTAssertEqual(diagnostics.first?["column"] as? Int, 1)
        XCTAssertEqual(diagnostics.first?["hint"] as? String, "did you mean `project`?")
    }

    func testOnlyYAMLFilesAreReadAtAnyDepth() throws {
        let project = try FixtureProject.copy("clean", for: self)
        try write("not: yaml at all: [\n", to: project.appendingPathComponent("konnectors/notes.txt"))
        try write("konnector: [\n", to: project.appendingPathComponent("konnectors/.drafts/hidden.yaml"))
        try write("bogus: 1\n", to: project.appendingPathComponent("konnectors/a/b/c/deep.yml"))
        let result = try validateJSON(project, exit: 1)
        let json = try result.json()
        let diagnostics = try XCTUnwrap(json["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(diagnostics.map { $0["file"] as? String }, ["konnectors/a/b/c/deep.yml"])
        XCTAssertEqual(diagnostics.first?["code"] as? String, "unknown-document")
        XCTAssertEqual((json["summary"] as? [String: Any])?["files"] as? Int, Self.cleanFiles + 1)
    }

    /// Files are taken in byte order of their paths: `x.yaml` before
    /// `x/k.yaml` ('.' sorts before '/'), though the folder `x` sorts before
    /// the file `x.yaml` by name. The first definition of an id wins.
    func testFilesAreReadInByteOrderOfTheirPaths() throws {
        let project = try FixtureProject.copy("clean", for: self)
        let konnectors = project.appendingPathComponent("konnectors")
        for (path, id) in [("x/k.yaml", "one"), ("x.yaml", "one"), ("y/a/k.yaml", "two"), ("y.yaml", "two"), ("y-z.yaml", "two")] {
            try write("konnector: \(id)\n", to: konnectors.appendingPathComponent(path))
        }
        let result = try validateJSON(project, exit: 1)
        let duplicates = try XCTUnwrap(try result.json()["diagnostics"] as? [[String: Any]])
            .filter { $0["code"] as? String == "duplicate-id" }
            .map { "\($0["file"] as? String ?? "?"): \($0["message"] as? String ?? "?")" }
        XCTAssertEqual(duplicates, [
            "konnectors/x/k.yaml: duplicate konnector id `one` (first defined at konnectors/x.yaml:1)",
            "konnectors/y.yaml: duplicate konnector id `two` (first defined at konnectors/y-z.yaml:1)",
            "konnectors/y/a/k.yaml: duplicate konnector id `two` (first defined at konnectors/y-z.yaml:1)",
        ])
    }

    /// `konnectors:` may name a folder outside the project; its files are read
    /// from there and shown by their absolute paths.
    func testAKonnectorsFolderOutsideTheProject() throws {
        let project = try FixtureProject.copy("clean", for: self)
        let shared = project.deletingLastPathComponent().appendingPathComponent("shared")
        try FileManager.default.moveItem(at: project.appendingPathComponent("konnectors"), to: shared)
        try write("konnectors: ../shared\n", to: project.appendingPathComponent("konnect.yaml"))
        let clean = try runKonnect(["validate"], in: project, exit: 0)
        XCTAssertTrue(clean.err.hasPrefix("0 errors, 0 warnings in \(Self.cleanFiles) files"), clean.out + clean.err)
        try write("konnector: [\n", to: shared.appendingPathComponent("broken.yaml"))
        let broken = try runKonnect(["validate", "--format", "json"], in: project, exit: 1)
        let files = try XCTUnwrap(try broken.json()["diagnostics"] as? [[String: Any]]).map { $0["file"] as? String }
        XCTAssertEqual(files, [shared.appendingPathComponent("broken.yaml").path])
    }

    func testSymlinkLoopsDanglingLinksAndFoldersNamedYAML() throws {
        let project = try FixtureProject.copy("clean", for: self)
        let konnectors = project.appendingPathComponent("konnectors")
        try write("bogus: 1\n", to: konnectors.appendingPathComponent("sub/a.yaml"))
        try FileManager.default.createSymbolicLink(atPath: konnectors.appendingPathComponent("sub/loop").path, withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: konnectors.appendingPathComponent("dangling.yaml").path,
                                                   withDestinationPath: "/nonexistent/konnect/file.yaml")
        try FileManager.default.createDirectory(at: konnectors.appendingPathComponent("folder.yaml"), withIntermediateDirectories: true)
        let result = try KonnectRunner.run(["validate", "--format", "json"], in: project, timeout: 10)
        assertExit(result, 1)
        let files = try XCTUnwrap(try result.json()["diagnostics"] as? [[String: Any]]).compactMap { $0["file"] as? String }
        XCTAssertTrue(files.contains("konnectors/sub/a.yaml"), "\(files)")
    }

    func testGitHubFormatEscapesCRLFInMessages() throws {
        // A key written `"sec\r\nret"` puts CR LF into the message; the command must stay on one line.
        let project = try FixtureProject.copy("clean", for: self)
        try write("connection: c\napp: slack\n\"sec\\r\\nret\": x\n", to: project.appendingPathComponent("konnectors/crlf-key.yaml"))
        let result = try runKonnect(["validate", "--format", "github"], in: project, exit: 1)
        XCTAssertFalse(result.out.contains("\r"), result.out.debugDescription)
        let lines = result.out.split(separator: "\n")
        XCTAssertTrue(lines.allSatisfy { $0.hasPrefix("::error ") || $0.hasPrefix("::warning ") }, result.out)
        XCTAssertTrue(result.out.contains("sec%0D%0Aret"), result.out)
    }

    func testMissingProjectDirectoryIsAnErrorNotACrash() throws {
        let elsewhere = try FixtureProject.emptyDirectory(for: self)
        let result = try KonnectRunner.run(["validate", "--project", "does-not-exist"], in: elsewhere)
        XCTAssertFalse(result.signaled)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue([1, 64].contains(result.status), "status \(result.status)")
        XCTAssertTrue(result.err.contains("does-not-exist"), result.err)
    }

    func testMissingKonnectorsFolderIsAnErrorNotACrash() throws {
        let empty = try FixtureProject.emptyDirectory(for: self)
        let result = try runKonnect(["validate"], in: empty, exit: 1)
        XCTAssertTrue(result.err.contains("konnectors"), result.err)
    }

    // MARK: usage errors

    func testBadUsageExits64() throws {
        let project = try FixtureProject.copy("clean", for: self)
        for arguments in [["validate", "--format", "bogus"], ["bogus"], ["validate", "--no-such-flag"],
                          ["validate", "--format"], ["validate", "extra-argument"]] {
            let result = try KonnectRunner.run(arguments, in: project)
            assertExit(result, 64)
            XCTAssertEqual(result.out, "", arguments.joined(separator: " "))
            XCTAssertFalse(result.err.isEmpty, arguments.joined(separator: " "))
        }
    }

    func testHelpAndVersionSucceed() throws {
        let project = try FixtureProject.copy("clean", for: self)
        let help = try runKonnect(["validate", "--help"], in: project, exit: 0)
        XCTAssertTrue((help.out + help.err).contains("--format"))
        let version = try runKonnect(["--version"], in: project, exit: 0)
        XCTAssertFalse(version.out.isEmpty)
    }

    // MARK: colour

    func testNoColourWhenNotATerminal() throws {
        let project = try FixtureProject.copy("broken", for: self)
        let result = try runKonnect(["validate"], in: project, exit: 1)
        XCTAssertFalse(result.err.contains("\u{1B}["))
        XCTAssertFalse(result.out.contains("\u{1B}["))
    }

    func testNoColourWithNO_COLOR() throws {
        let project = try FixtureProject.copy("broken", for: self)
        let result = try KonnectRunner.run(["validate"], in: project, environment: ["NO_COLOR": "1"])
        assertExit(result, 1)
        XCTAssertFalse(result.err.contains("\u{1B}["))
        let onTerminal = try KonnectRunner.runOnTerminal(["validate"], in: project, environment: ["NO_COLOR": "1"])
        XCTAssertEqual(onTerminal.status, 1)
        XCTAssertTrue(onTerminal.output.contains("error[yaml-syntax]"), onTerminal.output)
        XCTAssertFalse(onTerminal.output.contains("\u{1B}["), "NO_COLOR wins even on a terminal")
    }

    func testColourOnATerminal() throws {
        let project = try FixtureProject.copy("broken", for: self)
        let onTerminal = try KonnectRunner.runOnTerminal(["validate"], in: project)
        XCTAssertEqual(onTerminal.status, 1)
        XCTAssertTrue(onTerminal.output.contains("\u{1B}["), "colour on a terminal")
        XCTAssertTrue(onTerminal.output.contains("errors, 0 warnings in"))
    }
}

final class RunnerTests: XCTestCase {
    func testBinaryIsFoundAndRuns() throws {
        let binary = try KonnectRunner.binary()
        print("konnect binary under test: \(binary.path)")
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: binary.path))
        let result = try KonnectRunner.run(["--help"], in: FileManager.default.temporaryDirectory)
        assertExit(result, 0)
        XCTAssertTrue(result.out.contains("validate"))
    }

    func testStdinAndEnvironmentArePassed() throws {
        // konnect ignores stdin for validate; the run must not hang waiting on it.
        let project = try FixtureProject.copy("clean", for: self)
        let result = try KonnectRunner.run(["validate"], in: project, environment: ["KONNECT_LIBRARY": "sqlite:elsewhere.db"],
                                           stdin: Data("yes\n".utf8))
        assertExit(result, 0)
    }
}
