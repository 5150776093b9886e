import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One measured child process: wall and CPU time, peak memory.
struct Measurement {
    var label: String
    var wall: Double
    var cpu: Double
    var peakMiB: Double
    var status: Int32
}

enum Measure {
    /// Runs `arguments` as a child process (output discarded) and measures it.
    static func run(_ label: String, _ arguments: [String], in directory: String) -> Measurement {
        let start = Date()
        var pid: pid_t = 0
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(directory)
        let argv = arguments.map { strdup($0) } + [nil]
        let rc = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        _ = FileManager.default.changeCurrentDirectoryPath(previous)
        argv.forEach { free($0) }
        posix_spawn_file_actions_destroy(&actions)
        guard rc == 0 else { return Measurement(label: label, wall: 0, cpu: 0, peakMiB: 0, status: -1) }
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        let wall = Date().timeIntervalSince(start)
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return Measurement(label: label, wall: wall, cpu: cpu, peakMiB: Double(usage.ru_maxrss) / 1024,
                           status: (status & 0x7f) == 0 ? (status >> 8) & 0xff : -(status & 0x7f))
    }
}
