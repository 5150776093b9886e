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

        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        for name in ["NO_COLOR", "KONNECT_LIBRARY"] + removing { env.removeValue(forKey: name) }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = outHandle
        process.standardError = errHandle
        if let stdin {
            let inURL = scratch.appendingPathComponent("stdin")
            try stdin.write(to: inURL)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }

        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        if done.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            _ = done.wait(timeout: .now() + 5)
            XCTFail("konnect \(arguments.joined(separator: " ")) did not finish within \(timeout)s", file: file, line: line)
        }
        return KonnectResult(stdout: (try? Data(contentsOf: outURL)) ?? Data(),
                             stderr: (try? Data(contentsOf: errURL)) ?? Data(),
                             status: process.terminationStatus,
                             signaled: process.terminationReason == .uncaughtSignal)
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
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        env.removeValue(forKey: "KONNECT_LIBRARY")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = slaveHandle
        process.standardError = slaveHandle
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        close(slave)  // the child holds its own copy; EOF (EIO) comes when it exits
        if done.wait(timeout: .now() + 20) == .timedOut {
            process.terminate()
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
