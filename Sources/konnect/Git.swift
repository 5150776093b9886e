#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import KonnectCore

/// The git commit a project is checked out at, recorded with each apply
/// (SPEC §8): `+dirty` is appended when a file konnect read differs from
/// that commit or is not in it.
enum Git {
    /// The commit of `directory`, `COMMIT+dirty` when anything under `paths`
    /// (relative to `directory`) is modified, staged, untracked or ignored;
    /// "" outside git (or without git).
    static func commit(in directory: String, paths: [String]) -> String {
        guard let (status, head) = run(["rev-parse", "HEAD"], in: directory), status == 0 else { return "" }
        let commit = String(decoding: head, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !commit.isEmpty, !paths.isEmpty else { return commit }
        let changed = run(["status", "--porcelain", "-z", "--untracked-files=all", "--ignored=matching", "--"] + paths, in: directory)
        // A status that cannot be asked is not a clean tree.
        guard let (code, listing) = changed, code == 0 else { return commit + "+dirty" }
        return listing.isEmpty ? commit : commit + "+dirty"
    }

    /// `git -C directory ARGUMENTS…`: its exit status and standard output,
    /// nil when git cannot be started. Spawned with posix_spawn: Foundation's
    /// Process costs tens of milliseconds per launch here.
    private static func run(_ arguments: [String], in directory: String) -> (Int32, [UInt8])? {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        defer { close(fds[0]) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        if fds[1] != 1 { posix_spawn_file_actions_addclose(&actions, fds[1]) }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let argv = (["git", "-C", directory] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "git", &actions, nil, argv, environ)
        close(fds[1])
        guard spawned == 0 else { return nil }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            output += buffer[0..<n]
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // Exited normally: its exit code; killed: not a success.
        return (status & 0x7f == 0 ? (status >> 8) & 0xff : 128, output)
    }
}

/// Who applies (SPEC §8): `--actor`, else `KONNECT_ACTOR`, else
/// `GITHUB_ACTOR`, else the OS user.
enum Actor {
    static func resolve(_ flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        for candidate in [flag, environment["KONNECT_ACTOR"], environment["GITHUB_ACTOR"]] {
            if let c = candidate?.trimmingCharacters(in: .whitespaces), !c.isEmpty { return c }
        }
        return Identity.user
    }
}

extension Project {
    /// What konnect reads of the project, as paths relative to its folder
    /// for `git status`: those inside the folder (a `konnectors: ../shared`
    /// belongs to another tree, maybe another repository).
    var readPaths: [String] {
        [ProjectConfig.fileName, config.konnectors, config.schemas].filter { path in
            !path.hasPrefix("/") && !path.split(separator: "/").contains("..")
        }
    }
}
