#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import XCTest

/// What is read, and what is refused (SPEC §1): a file, folder or link that
/// cannot or may not be read is an `unreadable` error at its path, in every
/// format; it blocks plan and apply; a link's target outside the project is
/// never opened; a file's size is checked before it is read.
final class FilesystemSafetyTests: XCTestCase {
    static let secret = "AKIA-OUTSIDE-SECRET-4242"
    static let canary = "konnect-canary-environ-7f3a"

    // MARK: helpers

    /// The diagnostics of a `--format json` run, as "file code line:column".
    private func diagnostics(_ result: KonnectResult, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let list = try XCTUnwrap(try result.json(file: file, line: line)["diagnostics"] as? [[String: Any]], file: file, line: line)
        return list.map { d in
            "\(d["file"] as? String ?? "?") \(d["code"] as? String ?? "?") \(d["line"] as? Int ?? 0):\(d["column"] as? Int ?? 0)"
        }
    }

    /// Renames `from` to a name given as bytes (which need not be UTF-8), in the same folder.
    private func rename(_ from: URL, toBytes name: [UInt8]) {
        let folder = Array(from.deletingLastPathComponent().path.utf8)
        let target = (folder + [0x2F] + name + [0]).map { CChar(bitPattern: $0) }
        XCTAssertEqual(systemRename(from.path, target), 0, String(cString: strerror(errno)))
    }

    private func link(_ path: URL, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path.path, withDestinationPath: destination)
    }

    /// Every output of a run, to search for what must never be printed.
    private func everything(_ results: [KonnectResult]) -> Data {
        results.reduce(into: Data()) { $0 += $1.stdout + $1.stderr }
    }

    /// Ids of the library's objects.
    private func libraryIDs(_ project: URL) throws -> Set<String> {
        let list = try runKonnect(["list", "--format", "json"], in: project, exit: 0)
        let objects = try XCTUnwrap(try list.json()["objects"] as? [[String: Any]])
        return Set(objects.compactMap { $0["id"] as? String })
    }

    // MARK: names that are not UTF-8

    /// A folder whose name is not UTF-8 once vanished in silence: validate
    /// said 0 errors and apply deleted its konnectors from the library.
    func testAFolderNamedInBytesThatAreNotUTF8BlocksApplyAndDeletesNothing() throws {
        let project = try FixtureProject.copy("clean", for: self)
        let konnectors = project.appendingPathComponent("konnectors")
        assertExit(try KonnectRunner.run(["apply", "--auto-approve"], in: project), 0)
        let before = try libraryIDs(project)
        XCTAssertTrue(before.contains("new-customer-to-slack"), "\(before)")
        XCTAssertTrue(before.contains("slack-sales"), "\(before)")

        // The connections go into that folder too: no konnector is then told its connection is unknown.
        try FileManager.default.moveItem(at: konnectors.appendingPathComponent("connections.yaml"),
                                         to: konnectors.appendingPathComponent("support/connections.yaml"))
        rename(konnectors.appendingPathComponent("support"), toBytes: [0xFF] + Array("-team".utf8))
        let shown = "konnectors/\\x{ff}-team"

        let json = try runKonnect(["validate", "--format", "json"], in: project, exit: 1)
        XCTAssertEqual(try diagnostics(json), ["\(shown) unreadable 1:1"])

        let text = try runKonnect(["validate"], in: project, exit: 1)
        XCTAssertNotNil(String(data: text.stderr, encoding: .utf8), "no raw byte 0xFF on the terminal")
        XCTAssertTrue(text.err.contains("error[unreadable]: the name is not valid UTF-8\n --> \(shown):1:1\n"), text.err)

        let plan = try runKonnect(["plan"], in: project, exit: 1)
        XCTAssertTrue(plan.err.contains("error[unreadable]"), plan.err)
        XCTAssertFalse(plan.out.contains("DELETE"), plan.out)

        let apply = try runKonnect(["apply", "--auto-approve"], in: project, exit: 1)
        XCTAssertTrue(apply.err.contains("error[unreadable]"), apply.err)
        XCTAssertEqual(try libraryIDs(project), before, "nothing was deleted")
    }

    /// A YAML file named in bytes that are not UTF-8, in every format.
    func testAFileNamedInBytesThatAreNotUTF8IsUnreadableInEveryFormat() throws {
        let project = try FixtureProject.copy("clean", for: self)
        let konnectors = project.appendingPathComponent("konnectors")
        try write("konnector: hidden-by-its-name\n", to: konnectors.appendingPathComponent("tmp.yaml"))
        rename(konnectors.appendingPathComponent("tmp.yaml"), toBytes: Array("bad-".utf8) + [0xFE, 0x1B] + Array(".yaml".utf8))
        // Not a YAML file: not read, and not reported.
        try write("notes\n", to: konnectors.appendingPathComponent("tmp.txt"))
        rename(konnectors.appendingPathComponent("tmp.txt"), toBytes: Array("notes-".utf8) + [0xFE] + Array(".txt".utf8))
        let shown = "konnectors/bad-\\x{fe}\\u{1b}.yaml"

        let json = try runKonnect(["validate", "--format", "json"], in: project, exit: 1)
        XCTAssertEqual(try diagnostics(json), ["\(shown) unreadable 1:1"])
        let text = try runKonnect(["validate"], in: project, exit: 1)
        XCTAssertTrue(text.err.contains("--> \(shown):1:1\n"), text.err)
        let github = try runKonnect(["validate", "--format", "github"], in: project, exit: 1)
        XCTAssertTrue(github.out.contains("::error file=\(shown),line=1,col=1,"), github.out)
        XCTAssertTrue(github.out.contains("title=unreadable::"), github.out)
        let sarif = try runKonnect(["validate", "--format", "sarif"], in: project, exit: 1)
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: sarif.stdout))
        XCTAssertTrue(sarif.out.contains("\"ruleId\":\"unreadable\""), sarif.out)
        for result in [json, text, github, sarif] {
            XCTAssertNotNil(String(data: result.stdout + result.stderr, encoding: .utf8), "only UTF-8 is printed")
            XCTAssertFalse((result.stdout + result.stderr).contains(0x1B), "no raw escape byte")
        }
    }

    // MARK: links

    /// Links out of the project (a credentials file, the process environment,
    /// a device, a folder) and links to what is no file (a FIFO, nothing, a
    /// loop) are refused; their targets are never opened or printed.
    func testLinksThatLeadOutOfTheProjectOrToNoFileAreRefusedUnopened() throws {
        let project = try FixtureProject.copy("clean", for: self)
        let konnectors = project.appendingPathComponent("konnectors")
        let outside = project.deletingLastPathComponent().appendingPathComponent("outside")
        // Were these read, their unknown fields would print the secret in a snippet.
        let leaky = "konnector: leak\nname: x\n\(Self.secret): \(Self.secret)\n"
        try write(leaky, to: outside.appendingPathComponent("creds.yaml"))
        try write(leaky, to: outside.appendingPathComponent("folder/inner.yaml"))
        try link(konnectors.appendingPathComponent("creds.yaml"), to: outside.appendingPathComponent("creds.yaml").path)
        try link(konnectors.appendingPathComponent("relative.yaml"), to: "../../outside/creds.yaml")
        try link(konnectors.appendingPathComponent("env.yaml"), to: "/proc/self/environ")
        try link(konnectors.appendingPathComponent("zero.yaml"), to: "/dev/zero")
        try link(konnectors.appendingPathComponent("elsewhere"), to: outside.appendingPathComponent("folder").path)
        // A link with any name is judged: it might have been a folder.
        try link(konnectors.appendingPathComponent("notes.txt"), to: outside.appendingPathComponent("creds.yaml").path)
        XCTAssertEqual(mkfifo(project.appendingPathComponent("pipe").path, 0o600), 0)
        try link(konnectors.appendingPathComponent("fifo.yaml"), to: "../pipe")
        XCTAssertEqual(mkfifo(konnectors.appendingPathComponent("pipe.yaml").path, 0o600), 0)
        try link(konnectors.appendingPathComponent("dangling.yaml"), to: "no-such-file.yaml")
        try link(konnectors.appendingPathComponent("self.yaml"), to: "self.yaml")
        try link(konnectors.appendingPathComponent("up"), to: "..")

        let expected = [
            "konnectors/creds.yaml unreadable 1:1",
            "konnectors/dangling.yaml unreadable 1:1",
            "konnectors/elsewhere unreadable 1:1",
            "konnectors/env.yaml unreadable 1:1",
            "konnectors/fifo.yaml unreadable 1:1",
            "konnectors/notes.txt unreadable 1:1",
            "konnectors/pipe.yaml unreadable 1:1",
            "konnectors/relative.yaml unreadable 1:1",
            "konnectors/self.yaml unreadable 1:1",
            "konnectors/up unreadable 1:1",
            "konnectors/zero.yaml unreadable 1:1",
        ]
        let environment = ["KONNECT_TEST_CANARY": Self.canary]
        var runs: [KonnectResult] = []
        for format in ["text", "json", "github", "sarif"] {
            let result = try KonnectRunner.run(["validate", "--format", format], in: project, environment: environment, timeout: 15)
            assertExit(result, 1)
            runs.append(result)
            if format == "json" { XCTAssertEqual(try diagnostics(result), expected) }
            for path in expected.map({ String($0.prefix { $0 != " " }) }) {
                XCTAssertTrue((result.out + result.err).contains(path), "\(format): \(path)")
            }
        }
        let text = runs[0].err
        XCTAssertTrue(text.contains("error[unreadable]: a symbolic link to a target outside the project; it is not followed\n --> konnectors/creds.yaml:1:1\n"), text)
        XCTAssertTrue(text.contains("error[unreadable]: a symbolic link that leads back into itself (a loop); it is not followed\n --> konnectors/up:1:1\n"), text)
        XCTAssertTrue(text.contains("error[unreadable]: not a regular file (a FIFO, a device or a socket)\n --> konnectors/pipe.yaml:1:1\n"), text)
        for command in [["plan"], ["apply", "--auto-approve"]] {
            let result = try KonnectRunner.run(command, in: project, environment: environment, timeout: 15)
            assertExit(result, 1)
            XCTAssertTrue(result.err.contains("error[unreadable]"), result.err)
            runs.append(result)
        }
        let printed = everything(runs)
        XCTAssertNil(printed.range(of: Data(Self.secret.utf8)), "a file outside the project was printed")
        XCTAssertNil(printed.range(of: Data(Self.canary.utf8)), "the environment was printed")
    }

    /// Links to files and folders inside the project are followed, and shown
    /// by the path through the link; each folder is read once.
    func testLinksInsideTheProjectAreFollowed() throws {
        let project = try FixtureProject.copy("clean", for: self)
        let konnectors = project.appendingPathComponent("konnectors")
        let connection = "app: slack\nscopes: [\"chat:write\"]\nsecret: env:SLACK_TOKEN\nbogus: 1\n"
        try write("connection: linked-one\n" + connection, to: project.appendingPathComponent("shared/one.yaml"))
        try write("connection: linked-two\n" + connection, to: project.appendingPathComponent("team-src/deep/two.yaml"))
        try link(konnectors.appendingPathComponent("linked.yaml"), to: "../shared/one.yaml")
        try link(konnectors.appendingPathComponent("team"), to: "../team-src")
        // A second link to a folder read already would read its files twice.
        try link(konnectors.appendingPathComponent("team-again"), to: project.appendingPathComponent("team-src/deep").path)
        // A link inside the linked folder, to a file inside the project, is followed too.
        try link(project.appendingPathComponent("team-src/three.yaml"), to: "../shared/one.yaml")
        let result = try validateJSON(project, exit: 1)
        XCTAssertEqual(try diagnostics(result), [
            "konnectors/linked.yaml unknown-field 5:1",
            "konnectors/team-again unreadable 1:1",
            "konnectors/team/deep/two.yaml unknown-field 5:1",
            "konnectors/team/three.yaml duplicate-id 1:13",
            "konnectors/team/three.yaml unknown-field 5:1",
        ])
    }

    /// The konnectors and schemas folders may themselves be links, to
    /// anywhere; links under them may lead anywhere inside them.
    func testTheProjectFoldersMayBeLinks() throws {
        let project = try FixtureProject.copy("clean", for: self)
        let elsewhere = project.deletingLastPathComponent().appendingPathComponent("elsewhere")
        try FileManager.default.moveItem(at: project.appendingPathComponent("schemas"), to: elsewhere.appendingPathComponent("schemas"), creating: true)
        try link(project.appendingPathComponent("schemas"), to: elsewhere.appendingPathComponent("schemas").path)
        try FileManager.default.moveItem(at: project.appendingPathComponent("konnectors"), to: project.appendingPathComponent("src"))
        try link(project.appendingPathComponent("konnectors"), to: "src")
        // Outside the project, but inside the schemas folder's real place: followed.
        try FileManager.default.moveItem(at: elsewhere.appendingPathComponent("schemas/slack.yaml"),
                                         to: elsewhere.appendingPathComponent("schemas/real/slack.yaml"), creating: true)
        try link(elsewhere.appendingPathComponent("schemas/slack.yaml"), to: "real/slack.yaml")
        let result = try validateJSON(project, exit: 0)
        XCTAssertEqual(try diagnostics(result), [])
    }

    // MARK: size

    /// A file's size is checked before it is read: a sparse 1 GiB file is
    /// refused without reading it (the process never grows to its size), and
    /// a larger one is the same diagnostic, not a failure of the command.
    func testAFileOverTheLimitIsRefusedUnread() throws {
        let project = try FixtureProject.copy("clean", for: self)
        for (name, size) in [("huge.yaml", 1 << 30), ("larger.yaml", 3 << 30)] {
            let path = project.appendingPathComponent("konnectors/\(name)").path
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("konnector: huge\n".utf8)))
            XCTAssertEqual(truncate(path, off_t(size)), 0, String(cString: strerror(errno)))
        }
        let before = Self.childrenMaxRSS()
        let result = try KonnectRunner.run(["validate", "--format", "json"], in: project)
        let after = Self.childrenMaxRSS()
        assertExit(result, 1)
        let list = try XCTUnwrap(try result.json()["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(list.map { "\($0["file"] as? String ?? "?") \($0["code"] as? String ?? "?")" },
                       ["konnectors/huge.yaml limit-exceeded", "konnectors/larger.yaml limit-exceeded"])
        XCTAssertEqual(list.map { $0["message"] as? String ?? "?" }, [
            "file is 1073741824 bytes, over the limit of 1048576 bytes (1 MiB)",
            "file is 3221225472 bytes, over the limit of 1048576 bytes (1 MiB)",
        ])
        let summary = try XCTUnwrap(try result.json()["summary"] as? [String: Any])
        XCTAssertEqual(summary["files"] as? Int, 8, "found files count, read or not")
        // The largest child so far grew only if this one outgrew every earlier one.
        XCTAssertTrue(after == before || after < 256 << 20, "konnect grew to \(after >> 20) MiB")
    }

    /// The largest resident size of any finished child process, in bytes.
    private static func childrenMaxRSS() -> Int {
        var usage = rusage()
        #if canImport(Darwin)
        getrusage(RUSAGE_CHILDREN, &usage)
        return Int(usage.ru_maxrss)
        #else
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        return Int(usage.ru_maxrss) * 1024
        #endif
    }

    // MARK: folders named in konnect.yaml

    /// A schemas folder that does not exist is one error at `konnect.yaml`,
    /// not an unknown app for each konnector.
    func testASchemasFolderThatDoesNotExistIsOneErrorAtKonnectYAML() throws {
        let project = try FixtureProject.copy("clean", for: self)
        try write("project: acme-integrations\nschemas: schemaz\n", to: project.appendingPathComponent("konnect.yaml"))
        let result = try validateJSON(project, exit: 1)
        let list = try XCTUnwrap(try result.json()["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(try diagnostics(result), ["konnect.yaml invalid-value 2:10"])
        XCTAssertEqual(list.first?["message"] as? String, "the schemas folder `schemaz` does not exist")
        XCTAssertEqual(list.first?["hint"] as? String, "did you mean `schemas`?")
        let plan = try runKonnect(["plan"], in: project, exit: 1)
        XCTAssertTrue(plan.err.contains("--> konnect.yaml:2:10"), plan.err)
        XCTAssertFalse(plan.err.contains("unknown-app"), plan.err)
    }

    /// So is a konnectors folder named in `konnect.yaml` that does not exist.
    func testAKonnectorsFolderThatDoesNotExistIsOneErrorAtKonnectYAML() throws {
        let project = try FixtureProject.copy("clean", for: self)
        try write("konnectors: konnectorz\n", to: project.appendingPathComponent("konnect.yaml"))
        let result = try validateJSON(project, exit: 1)
        XCTAssertEqual(try diagnostics(result), ["konnect.yaml invalid-value 1:13"])
        let text = try runKonnect(["validate"], in: project, exit: 1)
        XCTAssertTrue(text.err.contains("error[invalid-value]: the konnectors folder `konnectorz` does not exist"), text.err)
        XCTAssertTrue(text.err.contains("did you mean `konnectors`?"), text.err)
    }

    // MARK: permissions

    /// A folder and a file that may not be read are errors, not skipped.
    /// root reads everything, so as root the binary runs as `nobody`.
    func testAFolderOrFileWithoutPermissionIsUnreadable() throws {
        let project = try FixtureProject.copy("clean", for: self)
        let konnectors = project.appendingPathComponent("konnectors")
        try write("konnector: locked\n", to: konnectors.appendingPathComponent("locked.yaml"))
        XCTAssertEqual(chmod(konnectors.appendingPathComponent("support").path, 0), 0)
        XCTAssertEqual(chmod(konnectors.appendingPathComponent("locked.yaml").path, 0), 0)
        addTeardownBlock { _ = chmod(konnectors.appendingPathComponent("support").path, 0o755) }
        for command in [["validate", "--format", "json"], ["plan"]] {
            let result = try runUnprivileged(command, in: project)
            assertExit(result, 1)
            if command[0] == "validate" {
                XCTAssertEqual(try diagnostics(result), ["konnectors/locked.yaml unreadable 1:1", "konnectors/support unreadable 1:1"])
                let messages = try XCTUnwrap(try result.json()["diagnostics"] as? [[String: Any]]).compactMap { $0["message"] as? String }
                XCTAssertEqual(messages, ["cannot read this file (Permission denied)", "cannot read this folder (Permission denied)"])
            } else {
                XCTAssertTrue(result.err.contains("error[unreadable]: cannot read this folder (Permission denied)\n --> konnectors/support:1:1"), result.err)
            }
        }
    }

    /// Runs konnect as itself, or as `nobody` when this process is root (for whom permissions do not apply).
    private func runUnprivileged(_ arguments: [String], in directory: URL) throws -> KonnectResult {
        if getuid() != 0 { return try KonnectRunner.run(arguments, in: directory) }
        let setpriv = "/usr/bin/setpriv"
        guard FileManager.default.isExecutableFile(atPath: setpriv) else { throw XCTSkip("running as root without setpriv") }
        let binary = try KonnectRunner.binary()
        let scratch = try FixtureProject.emptyDirectory(for: self)
        let out = scratch.appendingPathComponent("stdout"), err = scratch.appendingPathComponent("stderr")
        XCTAssertTrue(FileManager.default.createFile(atPath: out.path, contents: nil))
        XCTAssertTrue(FileManager.default.createFile(atPath: err.path, contents: nil))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: setpriv)
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", binary.path] + arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        for name in ["NO_COLOR", "KONNECT_LIBRARY"] { environment.removeValue(forKey: name) }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        let result = KonnectResult(stdout: try Data(contentsOf: out), stderr: try Data(contentsOf: err),
                                   status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal)
        if result.err.contains("Permission denied") && result.err.contains(binary.path) {
            throw XCTSkip("nobody cannot run \(binary.path)")
        }
        return result
    }
}

/// `rename(2)`, named apart from the test's helper.
private func systemRename(_ from: String, _ to: [CChar]) -> Int32 {
    #if canImport(Glibc)
    return Glibc.rename(from, to)
    #elseif canImport(Darwin)
    return Darwin.rename(from, to)
    #endif
}

private extension FileManager {
    func moveItem(at source: URL, to destination: URL, creating: Bool) throws {
        if creating { try createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true) }
        try moveItem(at: source, to: destination)
    }
}
