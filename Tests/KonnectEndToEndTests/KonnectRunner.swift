#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import XCTest

/// What one run of the `konnect` binary produced.
struct KonnectResult {
    var stdout: Data
    var stderr: Data
    /// The exit status, or the signal number when `signaled` is true.
    var status: Int32
    var signaled: Bool

    var out: String { String(decoding: stdout, as: UTF8.self) }
    var err: String { String(decoding: stderr, as: UTF8.self) }

    /// Parses stdout as one JSON object.
    func json(file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: stdout)
        return try XCTUnwrap(object as? [String: Any], "stdout is not a JSON object: \(out)", file: file, line: line)
    }
}

/// Runs the built `konnect` executable.
///
/// The binary is, in order: `$KONNECT_BIN`; the `konnect` next to this test
/// bundle (the one built together with these tests, whatever the scratch
/// path); `<package root>/.build/debug/konnect`; `<package root>/.build-tests/debug/konnect`.
enum KonnectRunner {
    /// The package root, three levels above this file.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // KonnectEndToEndTests
        .deletingLastPathComponent()   // Tests
        .deletingLastPathComponent()

    private final class BundleMarker {}

    static var candidates: [URL] {
        var list: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["KONNECT_BIN"], !explicit.isEmpty {
            list.append(URL(fileURLWithPath: explicit))
        }
        list.append(Bundle(for: BundleMarker.self).bundleURL.deletingLastPathComponent().appendingPathComponent("konnect"))
        if let executable = Bundle.main.executableURL {
            list.append(executable.deletingLastPathComponent().appendingPathComponent("konnect"))
        }
        list.append(packageRoot.appendingPathComponent(".build/debug/konnect"))
        list.append(packageRoot.appendingPathComponent(".build-tests/debug/konnect"))
        return list
    }

    static func binary(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        if let explicit = ProcessInfo.processInfo.environment["KONNECT_BIN"], !explicit.isEmpty {
            // An explicit choice is never silently replaced.
            return try XCTUnwrap(FileManager.default.isExecutableFile(atPath: explicit) ? URL(fileURLWithPath: explicit) : nil,
                                 "KONNECT_BIN=\(explicit) is not an executable", file: file, line: line)
        }
        for url in candidates where FileManager.default.isExecutableFile(atPath: url.path) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return url
            }
        }
        throw XCTSkip("no konnect binary found (build it first, or set KONNECT_BIN); looked at "
                      + candidates.map(\.path).joined(separator: ", "))
    }

    /// Runs `konnect` with `arguments` in `directory`. The environment is the
    /// test's own, minus variables that change konnect's behaviour
    /// (`NO_COLOR`, `KONNECT_LIBRARY`), plus `environment`.
    /// Output goes to files, never pipes, so a large output cannot block.
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:],
                    removing: [String] = [], stdin: Data? = nil, timeout: TimeInterval = 20,
                    file: StaticString = #filePath, line: UInt = #line) throws -> KonnectResult {
        let binary = try binary(file: file, line: line)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("konnect-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }

        let input: FileHandle
        if let stdin {
            let inURL = scratch.appendingPathComponent("stdin")
            try stdin.write(to: inURL)
            input = try FileHandle(forReadingFrom: inURL)
        } else {
            input = FileHandle.nullDevice
        }

        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let env = Self.environment(removing: ["NO_COLOR", "KONNECT_LIBRARY"] + removing, adding: environment)
        if try !Self.runToEnd(process, environment: env, stdin: input, stdout: outHandle, stderr: errHandle, timeout: timeout) {
            XCTFail("konnect \(arguments.joined(separator: " ")) did not finish within \(timeout)s", file: file, line: line)
        }
        return KonnectResult(stdout: (try? Data(contentsOf: outURL)) ?? Data(),
                             stderr: (try? Data(contentsOf: errURL)) ?? Data(),
                             status: process.terminationStatus,
                             signaled: process.terminationReason == .uncaughtSignal)
    }

    /// The test's own environment without the variables `removing`, plus `adding`.
    static func environment(removing: [String], adding: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for name in removing { env.removeValue(forKey: name) }
        for (k, v) in adding { env[k] = v }
        return env
    }

    /// Runs `process` (its executable, arguments and folder already set) with
    /// `environment` and the given standard files, calling `started` once it
    /// has started, and waits up to `timeout` seconds for it to exit. False
    /// when it did not: it is then terminated (and given 5 s to go).
    static func runToEnd(_ process: Process, environment: [String: String], stdin: FileHandle, stdout: FileHandle, stderr: FileHandle,
                         timeout: TimeInterval, started: () -> Void = {}) throws -> Bool {
        process.environment = environment
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        started()
        guard done.wait(timeout: .now() + timeout) == .timedOut else { return true }
        process.terminate()
        _ = done.wait(timeout: .now() + 5)
        return false
    }

    /// Runs git in `directory` as a throwaway committer and returns its
    /// trimmed stdout; a failing git skips the test (git is not usable here).
    @discardableResult
    static func git(_ arguments: [String], in directory: URL) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-C", directory.path, "-c", "user.name=t", "-c", "user.email=t@example.com",
                       "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"] + arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw XCTSkip("git \(arguments.joined(separator: " ")) failed: git is not usable here") }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `konnect` with its stderr (and stdout) on a pseudo-terminal, so
    /// that it believes it talks to a user. Returns what it wrote there.
    static func runOnTerminal(_ arguments: [String], in directory: URL, environment: [String: String] = [:],
                              file: StaticString = #filePath, line: UInt = #line) throws -> (output: String, status: Int32) {
        let binary = try binary(file: file, line: line)
        guard let pty = PseudoTerminal.functions else { throw XCTSkip("no pseudo-terminal functions") }
        let master = pty.openpt(O_RDWR | O_NOCTTY)
        guard master >= 0, pty.grantpt(master) == 0, pty.unlockpt(master) == 0, let name = pty.ptsname(master) else {
            throw XCTSkip("no pseudo-terminal available")
        }
        let slave = open(String(cString: name), O_RDWR | O_NOCTTY)
        guard slave >= 0 else {
            close(master)
            throw XCTSkip("cannot open the pseudo-terminal's slave side")
        }
        let masterHandle = FileHandle(fileDescriptor: master, closeOnDealloc: true)
        let slaveHandle = FileHandle(fileDescriptor: slave, closeOnDealloc: false)

        // Drain the terminal while the child runs, so it can never block on a full buffer.
        let collected = Collected()
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(master, &buffer, buffer.count)
                if n <= 0 { break }
                collected.append(buffer[0..<n])
            }
            collected.finish()
        }
        reader.start()

        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let env = Self.environment(removing: ["NO_COLOR", "KONNECT_LIBRARY"], adding: environment)
        let finished = try Self.runToEnd(process, environment: env, stdin: FileHandle.nullDevice, stdout: slaveHandle, stderr: slaveHandle,
                                         timeout: 20, started: { close(slave) })  // the child holds its own copy; EOF (EIO) comes when it exits
        if !finished {
            XCTFail("konnect on a terminal did not finish", file: file, line: line)
        }
        _ = collected.wait(timeout: 5)
        _ = masterHandle
        return (String(decoding: collected.bytes, as: UTF8.self), process.terminationStatus)
    }
}

/// posix_openpt & co. are hidden from Swift by Glibc's feature macros, so
/// they are looked up at run time.
private struct PseudoTerminal {
    typealias IntFunction = @convention(c) (Int32) -> Int32
    typealias NameFunction = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?

    var openpt: IntFunction
    var grantpt: IntFunction
    var unlockpt: IntFunction
    var ptsname: NameFunction

    static var functions: PseudoTerminal? {
        let handle = dlopen(nil, RTLD_NOW)
        func symbol(_ name: String) -> UnsafeMutableRawPointer? { dlsym(handle, name) }
        guard let o = symbol("posix_openpt"), let g = symbol("grantpt"), let u = symbol("unlockpt"),
              let p = symbol("ptsname") else { return nil }
        return PseudoTerminal(openpt: unsafeBitCast(o, to: IntFunction.self), grantpt: unsafeBitCast(g, to: IntFunction.self),
                              unlockpt: unsafeBitCast(u, to: IntFunction.self), ptsname: unsafeBitCast(p, to: NameFunction.self))
    }
}

/// Bytes gathered by a reader thread.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var data: [UInt8] = []
    private let finished = DispatchSemaphore(value: 0)

    func append(_ chunk: ArraySlice<UInt8>) {
        lock.lock(); data += chunk; lock.unlock()
    }

    func finish() { finished.signal() }

    func wait(timeout: TimeInterval) -> Bool {
        finished.wait(timeout: .now() + timeout) == .success
    }

    var bytes: [UInt8] {
        lock.lock(); defer { lock.unlock() }
        return data
    }
}

extension XCTestCase {
    /// `konnect` in `project`, with the time a library command may take on a busy machine.
    func konnect(_ arguments: [String], in project: URL, environment: [String: String] = [:], stdin: Data? = nil,
                 file: StaticString = #filePath, line: UInt = #line) throws -> KonnectResult {
        try KonnectRunner.run(arguments, in: project, environment: environment, stdin: stdin, timeout: 60, file: file, line: line)
    }

    /// `KonnectRunner.run` of `arguments` in `project`, which must exit with `status`.
    func runKonnect(_ arguments: [String], in project: URL, exit status: Int32,
                    file: StaticString = #filePath, line: UInt = #line) throws -> KonnectResult {
        let result = try KonnectRunner.run(arguments, in: project, file: file, line: line)
        assertExit(result, status, file: file, line: line)
        return result
    }

    /// `konnect validate --format json` in `project`, which must exit with `status`.
    func validateJSON(_ project: URL, exit status: Int32, file: StaticString = #filePath, line: UInt = #line) throws -> KonnectResult {
        let result = try KonnectRunner.run(["validate", "--format", "json"], in: project, file: file, line: line)
        assertExit(result, status, file: file, line: line)
        return result
    }

    /// The one run of `konnect validate --format sarif` in `project`, which
    /// must exit with `status`, write nothing to stderr and a SARIF 2.1.0 log.
    func sarifRun(_ project: URL, exit status: Int32, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let result = try KonnectRunner.run(["validate", "--format", "sarif"], in: project, file: file, line: line)
        assertExit(result, status, file: file, line: line)
        XCTAssertEqual(result.err, "", file: file, line: line)
        let log = try result.json(file: file, line: line)
        XCTAssertEqual(log["version"] as? String, "2.1.0", file: file, line: line)
        return try XCTUnwrap((log["runs"] as? [[String: Any]])?.first, file: file, line: line)
    }

    /// Exports `project`'s library (`konnect export`, which must exit 0) into
    /// `konnectors/` of a new sibling project `exported` owned by `owner`.
    func exportToSibling(of project: URL, owner: String,
                         file: StaticString = #filePath, line: UInt = #line) throws -> (copy: URL, out: URL, export: KonnectResult) {
        let copy = try FixtureProject.sibling(of: project, named: "exported", owner: owner, for: self)
        let out = copy.appendingPathComponent("konnectors")
        let export = try konnect(["export", "--out", out.path], in: project, file: file, line: line)
        assertExit(export, 0, file: file, line: line)
        return (copy, out, export)
    }

    /// Asserts that `text` contains each of `fragments` (showing `text` when one is missing).
    func assertContains(_ text: String, _ fragments: [String], file: StaticString = #filePath, line: UInt = #line) {
        for fragment in fragments {
            XCTAssertTrue(text.contains(fragment), text, file: file, line: line)
        }
    }

    /// Fails unless the run ended by exiting (never by a signal) with `status`.
    func assertExit(_ result: KonnectResult, _ status: Int32, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(result.signaled, "konnect was killed by signal \(result.status)\nstderr: \(result.err)", file: file, line: line)
        XCTAssertEqual(result.status, status, "exit status\nstdout: \(result.out)\nstderr: \(result.err)", file: file, line: line)
    }

    func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
}
