#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import XCTest

/// Atomic and locked applies (SPEC §8): SIGKILL at several moments of a
/// large apply leaves the library all-or-nothing; concurrent applies are
/// serialised by the lock; `konnect unlock` clears a dead holder's lock.
final class CrashAndConcurrencyTests: XCTestCase {
    typealias S = PlanApplySupport

    // MARK: helpers

    /// A `konnect` process running in the background; output goes to files.
    final class Background {
        let process = Process()
        let outURL: URL
        let errURL: URL
        private let done = DispatchSemaphore(value: 0)
        private var finished = false

        init(_ arguments: [String], in directory: URL, environment: [String: String] = [:], stdin: FileHandle? = nil) throws {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("konnect-bg-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            outURL = scratch.appendingPathComponent("stdout")
            errURL = scratch.appendingPathComponent("stderr")
            _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            process.executableURL = try KonnectRunner.binary()
            process.arguments = arguments
            process.currentDirectoryURL = directory
            var env = ProcessInfo.processInfo.environment
            for name in ["NO_COLOR", "KONNECT_LIBRARY"] { env.removeValue(forKey: name) }
            for (k, v) in environment { env[k] = v }
            process.environment = env
            process.standardOutput = try FileHandle(forWritingTo: outURL)
            process.standardError = try FileHandle(forWritingTo: errURL)
            process.standardInput = stdin ?? FileHandle.nullDevice
            process.terminationHandler = { [done] _ in done.signal() }
            try process.run()
        }

        deinit {
            if !finished, process.isRunning { kill(process.processIdentifier, SIGKILL) }
            try? FileManager.default.removeItem(at: outURL.deletingLastPathComponent())
        }

        var pid: Int32 { process.processIdentifier }
        var out: String { (try? String(contentsOf: outURL, encoding: .utf8)) ?? "" }
        var err: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }
        var outSize: Int { ((try? FileManager.default.attributesOfItem(atPath: outURL.path))?[.size] as? NSNumber)?.intValue ?? 0 }

        /// Waits for the process to end; false on timeout.
        @discardableResult
        func wait(timeout: TimeInterval = 30) -> Bool {
            if finished { return true }
            finished = done.wait(timeout: .now() + timeout) == .success
            return finished
        }

        var status: Int32 { process.terminationStatus }
        var signaled: Bool { process.terminationReason == .uncaughtSignal }

        /// Polls until `condition` holds or the process ends; true when the condition held.
        func waitUntil(timeout: TimeInterval = 30, _ condition: () -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if condition() { return true }
                if !process.isRunning { return condition() }
                usleep(1_000)
            }
            return false
        }

        func sigkill() {
            kill(pid, SIGKILL)
            wait()
        }
    }

    /// A pseudo-terminal pair: konnect reads its stdin from the slave side, the test types on the master side.
    final class PseudoTerminalPair {
        let master: Int32
        let slave: Int32

        init() throws {
            typealias IntFunction = @convention(c) (Int32) -> Int32
            typealias NameFunction = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
            let handle = dlopen(nil, RTLD_NOW)
            guard let o = dlsym(handle, "posix_openpt"), let g = dlsym(handle, "grantpt"), let u = dlsym(handle, "unlockpt"),
                  let p = dlsym(handle, "ptsname") else { throw XCTSkip("no pseudo-terminal functions") }
            let openpt = unsafeBitCast(o, to: IntFunction.self), grantpt = unsafeBitCast(g, to: IntFunction.self)
            let unlockpt = unsafeBitCast(u, to: IntFunction.self), ptsname = unsafeBitCast(p, to: NameFunction.self)
            master = openpt(O_RDWR | O_NOCTTY)
            guard master >= 0, grantpt(master) == 0, unlockpt(master) == 0, let name = ptsname(master) else {
                throw XCTSkip("no pseudo-terminal available")
            }
            slave = open(String(cString: name), O_RDWR | O_NOCTTY)
            guard slave >= 0 else {
                close(master)
                throw XCTSkip("cannot open the pseudo-terminal's slave side")
            }
        }

        deinit {
            close(slave)
            close(master)
        }

        var slaveHandle: FileHandle { FileHandle(fileDescriptor: slave, closeOnDealloc: false) }

        func type(_ text: String) {
            FileHandle(fileDescriptor: master, closeOnDealloc: false).write(Data(text.utf8))
        }
    }

    static let prompt = "Do you want to apply these changes? Only 'yes' will be accepted: "

    /// Starts `konnect apply` (without --auto-approve) on a terminal and waits for its question:
    /// from then on it holds the library's lock until answered.
    func applyWaitingForAnswer(in project: URL, _ extra: [String] = [], terminal: PseudoTerminalPair,
                               file: StaticString = #filePath, line: UInt = #line) throws -> Background {
        let apply = try Background(["apply"] + extra, in: project, stdin: terminal.slaveHandle)
        XCTAssertTrue(apply.waitUntil { apply.out.hasSuffix(Self.prompt) }, "no question asked:\n\(apply.out)\n\(apply.err)", file: file, line: line)
        return apply
    }

    /// An empty project owning `owner`'s objects: cheap to read the library through.
    func probe(owner: String) throws -> URL {
        try FixtureProject.empty("probe-\(owner)", project: owner, apps: [], for: self)
    }

    /// Serial, number of `owner`'s objects, and number of its revisions, as the CLI sees them.
    func state(_ library: String, owner: String, file: StaticString = #filePath, line: UInt = #line) throws -> (serial: Int, objects: Int, revisions: Int) {
        let probe = try probe(owner: owner)
        // With no konnectors, the probe's plan deletes every object the owner has.
        let plan = try KonnectRunner.run(["plan", "--format", "json", "--library", library], in: probe, timeout: 30, file: file, line: line)
        assertExit(plan, 0, file: file, line: line)
        let json = try plan.json(file: file, line: line)
        let serial = try XCTUnwrap((json["library"] as? [String: Any])?["serial"] as? Int, file: file, line: line)
        let deletes = try XCTUnwrap((json["summary"] as? [String: Any])?["delete"] as? Int, file: file, line: line)
        let history = try KonnectRunner.run(["history", "--library", library], in: probe, timeout: 30, file: file, line: line)
        assertExit(history, 0, file: file, line: line)
        let revisions = history.out.split(separator: "\n").filter { $0.hasPrefix("serial ") }.count
        return (serial, deletes, revisions)
    }

    // MARK: SIGKILL during a large apply

    func testKillingALargeApplyLeavesTheLibraryAllOrNothing() throws {
        let count = 2000
        let project = try FixtureProject.bulk("bulk", count: count, for: self)
        let libraries = try FixtureProject.emptyDirectory(for: self)
        // When to kill: a few ms after start (while compiling, before the lock), then at delays
        // after the plan is printed, which is just before the apply's one transaction begins.
        let moments: [(String, Double)] = [("after start", 0.05), ("at the plan", 0), ("after the plan", 0.03),
                                            ("after the plan", 0.1), ("after the plan", 0.25)]
        var outcomes: [String] = []
        var clearedLocks = 0
        var firstLibrary: String?
        for (round, (when, delay)) in moments.enumerated() {
            let library = "sqlite:" + libraries.appendingPathComponent("library-\(round).db").path
            if firstLibrary == nil { firstLibrary = library }
            let apply = try Background(["apply", "--auto-approve", "--library", library], in: project)
            if when == "after start" {
                usleep(useconds_t(delay * 1_000_000))
            } else {
                XCTAssertTrue(apply.waitUntil { apply.outSize > 0 }, "no plan printed: \(apply.err)")
                if delay > 0 { usleep(useconds_t(delay * 1_000_000)) }
            }
            let wasRunning = apply.process.isRunning
            apply.sigkill()
            // It may finish in the instant between that check and the kill: then it exited cleanly.
            if wasRunning {
                XCTAssertTrue(apply.signaled || apply.status == 0, "round \(round): the apply was neither killed nor done: status \(apply.status)")
            }

            // A lock left by the dead process is cleared by a plain `konnect unlock` (its holder is dead).
            let unlock = try KonnectRunner.run(["unlock", "--library", library], in: project, timeout: 30)
            // Killed before it created the library: `unlock` says it does not exist yet (SPEC §7), and nothing was applied.
            if unlock.status == 1 && unlock.err.contains("does not exist yet") {
                outcomes.append("none")
                XCTAssertTrue(apply.err.isEmpty || apply.err.contains("warning"), "round \(round): \(apply.err)")
                continue
            }
            assertExit(unlock, 0)
            if unlock.out.hasPrefix("Cleared the lock held by") {
                clearedLocks += 1
                XCTAssertTrue(unlock.out.contains("(pid \(apply.pid))"), unlock.out)
            } else {
                XCTAssertEqual(unlock.out, "The library is not locked.\n")
            }

            let (serial, objects, revisions) = try state(library, owner: "bulk")
            switch (serial, objects, revisions) {
            case (0, 0, 0): outcomes.append("none")
            case (1, count, 1): outcomes.append("all")
            default: XCTFail("round \(round) (\(when) +\(delay)s): a partial library: serial \(serial), \(objects) objects, \(revisions) revisions")
            }
            XCTAssertTrue(apply.err.isEmpty || apply.err.contains("warning"), "round \(round): \(apply.err)")
        }
        print("kill outcomes: \(outcomes.joined(separator: ", ")); \(clearedLocks) locks left by killed applies")
        XCTAssertGreaterThanOrEqual(clearedLocks, 1, "at least one kill landed while the apply held the lock")
        XCTAssertEqual(outcomes.first, "none", "killed while compiling: nothing applied")

        // A library that saw a crash is fully usable.
        let library = try XCTUnwrap(firstLibrary)
        let full = try KonnectRunner.run(["apply", "--auto-approve", "--library", library], in: project, timeout: 60)
        assertExit(full, 0)
        XCTAssertTrue(full.out.hasSuffix("Apply complete: \(count) created, 0 updated, 0 renamed, 0 deleted.\nLibrary serial is now 1.\n"),
                      String(full.out.suffix(200)))
        let after = try state(library, owner: "bulk")
        XCTAssertEqual(after.serial, 1)
        XCTAssertEqual(after.objects, count)
        XCTAssertEqual(after.revisions, 1)
    }

    // MARK: the lock

    func testUnlockClearsTheLockOfAKilledApply() throws {
        let project = try S.copy("basic", for: self)
        let terminal = try PseudoTerminalPair()
        let holder = try applyWaitingForAnswer(in: project, terminal: terminal)

        // While it lives, `unlock` refuses and other applies time out naming it.
        let refused = try KonnectRunner.run(["unlock"], in: project)
        assertExit(refused, 1)
        XCTAssertTrue(refused.err.contains("still running") && refused.err.contains("(pid \(holder.pid))"), refused.err)
        let start = Date()
        let blocked = try KonnectRunner.run(["apply", "--auto-approve", "--lock-timeout", "300ms"], in: project)
        assertExit(blocked, 1)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.3)
        XCTAssertTrue(blocked.err.contains("locked by") && blocked.err.contains("(pid \(holder.pid)) since "), blocked.err)
        XCTAssertTrue(blocked.err.contains("konnect unlock"), blocked.err)

        holder.sigkill()
        XCTAssertTrue(holder.signaled)
        // The dead holder's lock stays until cleared.
        let stillBlocked = try KonnectRunner.run(["apply", "--auto-approve", "--lock-timeout", "100ms"], in: project)
        assertExit(stillBlocked, 1)
        XCTAssertTrue(stillBlocked.err.contains("(pid \(holder.pid))"), stillBlocked.err)

        let unlock = try KonnectRunner.run(["unlock"], in: project)
        assertExit(unlock, 0)
        XCTAssertTrue(unlock.out.hasPrefix("Cleared the lock held by ") && unlock.out.contains("(pid \(holder.pid))"), unlock.out)
        XCTAssertEqual(try KonnectRunner.run(["unlock"], in: project).out, "The library is not locked.\n")
        XCTAssertEqual(try S.serial(of: project), 0, "nothing was applied by any of them")

        let apply = try KonnectRunner.run(["apply", "--auto-approve"], in: project)
        assertExit(apply, 0)
        XCTAssertTrue(apply.out.contains("Apply complete: 5 created, 0 updated, 0 renamed, 0 deleted.\n"), apply.out)
    }

    func testUnlockForceClearsALiveHoldersLock() throws {
        let project = try S.copy("basic", for: self)
        let terminal = try PseudoTerminalPair()
        let holder = try applyWaitingForAnswer(in: project, terminal: terminal)
        let forced = try KonnectRunner.run(["unlock", "--force"], in: project)
        assertExit(forced, 0)
        XCTAssertTrue(forced.out.contains("(pid \(holder.pid))"), forced.out)
        XCTAssertEqual(try KonnectRunner.run(["unlock"], in: project).out, "The library is not locked.\n")
        terminal.type("no\n")
        XCTAssertTrue(holder.wait())
        XCTAssertEqual(holder.status, 1)
    }

    func testConfirmationOnATerminal() throws {
        let project = try S.copy("basic", for: self)
        let terminal = try PseudoTerminalPair()

        let declined = try applyWaitingForAnswer(in: project, terminal: terminal)
        terminal.type("no\n")
        XCTAssertTrue(declined.wait())
        XCTAssertEqual(declined.status, 1)
        XCTAssertTrue(declined.err.contains("Apply cancelled; nothing was changed."), declined.err)
        XCTAssertEqual(try S.serial(of: project), 0)
        XCTAssertEqual(try KonnectRunner.run(["unlock"], in: project).out, "The library is not locked.\n", "the lock is released")

        let accepted = try applyWaitingForAnswer(in: project, terminal: terminal)
        terminal.type("yes\n")
        XCTAssertTrue(accepted.wait())
        XCTAssertEqual(accepted.status, 0, accepted.err)
        XCTAssertTrue(accepted.out.hasSuffix("Apply complete: 5 created, 0 updated, 0 renamed, 0 deleted.\nLibrary serial is now 1.\n"), accepted.out)
        XCTAssertEqual(try KonnectRunner.run(["unlock"], in: project).out, "The library is not locked.\n")
    }

    // MARK: concurrent applies

    func testASecondApplyWaitsForTheLockOrTimesOutNamingTheHolder() throws {
        let a = try S.copy("basic", for: self)
        let b = try S.copy("other", for: self)
        let url = "sqlite:" + (try FixtureProject.emptyDirectory(for: self)).appendingPathComponent("shared.db").path
        let terminal = try PseudoTerminalPair()
        let holder = try applyWaitingForAnswer(in: a, ["--library", url], terminal: terminal)

        // A tiny timeout fails, naming the holder; nothing of team-b lands.
        let impatient = try KonnectRunner.run(["apply", "--auto-approve", "--lock-timeout", "1ms", "--library", url], in: b)
        assertExit(impatient, 1)
        XCTAssertTrue(impatient.err.contains("locked by") && impatient.err.contains("(pid \(holder.pid))"), impatient.err)
        XCTAssertFalse(impatient.out.contains("Apply complete"))

        // A patient one waits while the holder is asked, then goes ahead after it.
        let patient = try Background(["apply", "--auto-approve", "--lock-timeout", "20s", "--library", url], in: b)
        usleep(500_000)
        XCTAssertTrue(patient.process.isRunning, "the second apply waits for the lock:\n\(patient.out)\n\(patient.err)")
        XCTAssertEqual(patient.outSize, 0, "it has not planned yet: it plans only once it holds the lock")
        terminal.type("yes\n")
        XCTAssertTrue(holder.wait())
        XCTAssertEqual(holder.status, 0, holder.err)
        XCTAssertTrue(holder.out.contains("Library serial is now 1.\n"), holder.out)
        XCTAssertTrue(patient.wait())
        XCTAssertEqual(patient.status, 0, patient.err)
        XCTAssertTrue(patient.out.hasSuffix("Apply complete: 1 created, 0 updated, 0 renamed, 0 deleted.\nLibrary serial is now 2.\n"), patient.out)
        XCTAssertEqual(try S.serial(library: url), 2)
        XCTAssertEqual(try S.objects(of: a, library: url).count, 5)
        XCTAssertEqual(try S.objects(of: b, library: url).map(\.id), ["b-hook"])
    }

    func testConcurrentAppliesOfDifferentProjectsAreSerialised() throws {
        let url = "sqlite:" + (try FixtureProject.emptyDirectory(for: self)).appendingPathComponent("shared.db").path
        let projects = [("basic", try S.copy("basic", for: self), 5), ("other", try S.copy("other", for: self), 1),
                        ("bulk-c", try FixtureProject.bulk("bulk-c", count: 300, prefix: "c", for: self), 300)]
        let owners = ["basic": "team-a", "other": "team-b", "bulk-c": "bulk-c"]

        // Patient applies: all succeed, one after the other.
        let runs = try projects.map { try Background(["apply", "--auto-approve", "--library", url], in: $0.1) }
        for (run, (name, _, count)) in zip(runs, projects) {
            XCTAssertTrue(run.wait(timeout: 60), "\(name) did not finish")
            XCTAssertEqual(run.status, 0, "\(name): \(run.err)")
            XCTAssertTrue(run.out.contains("Apply complete: \(count) created, 0 updated, 0 renamed, 0 deleted.\n"), "\(name): \(run.out.suffix(200))")
        }
        let serials = runs.compactMap { run -> Int? in
            guard let r = run.out.range(of: #"Library serial is now \d+"#, options: .regularExpression) else { return nil }
            return Int(run.out[r].split(separator: " ").last!)
        }
        XCTAssertEqual(serials.sorted(), [1, 2, 3], "each apply got its own serial")
        for (name, _, count) in projects {
            let s = try state(url, owner: owners[name]!)
            XCTAssertEqual(s.objects, count, name)
            XCTAssertEqual(s.revisions, 1, name)
            XCTAssertEqual(s.serial, 3)
        }

        // Impatient applies of changes: each succeeds or fails naming a holder; the serial moves by the successes.
        for (_, project, _) in projects {
            let folder = project.appendingPathComponent("konnectors")
            for case let path as String in FileManager.default.enumerator(atPath: folder.path)! where path.hasSuffix(".yaml") {
                let url = folder.appendingPathComponent(path)
                let text = try String(contentsOf: url, encoding: .utf8)
                try Data(text.replacingOccurrences(of: "hooks.example/", with: "hooks2.example/")
                    .replacingOccurrences(of: "b.example/ping", with: "b.example/pong").utf8).write(to: url)
            }
        }
        let impatient = try projects.map { try Background(["apply", "--auto-approve", "--lock-timeout", "1ms", "--library", url], in: $0.1) }
        var succeeded = 0
        for (run, (name, project, _)) in zip(impatient, projects) {
            XCTAssertTrue(run.wait(timeout: 60), "\(name) did not finish")
            if run.status == 0 {
                succeeded += 1
                XCTAssertTrue(run.out.contains("Apply complete: 0 created, "), "\(name): \(run.out.suffix(200))")
                let plan = try KonnectRunner.run(["plan", "--detailed-exitcode", "--library", url], in: project, timeout: 30)
                assertExit(plan, 0)
            } else {
                XCTAssertEqual(run.status, 1, "\(name): \(run.err)")
                XCTAssertTrue(run.err.contains("locked by") && run.err.contains("(pid "), "\(name): \(run.err)")
                XCTAssertFalse(run.out.contains("Apply complete"))
                let plan = try KonnectRunner.run(["plan", "--detailed-exitcode", "--library", url], in: project, timeout: 30)
                assertExit(plan, 2)  // its changes are still to do
            }
        }
        print("impatient concurrent applies: \(succeeded) of \(projects.count) succeeded")
        XCTAssertGreaterThanOrEqual(succeeded, 1, "the first to take the lock succeeds")
        XCTAssertEqual(try S.serial(library: url), 3 + succeeded, "the serial moved once per successful apply")
        XCTAssertEqual(try KonnectRunner.run(["unlock", "--library", url], in: projects[0].1).out, "The library is not locked.\n")
    }
}
