#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What the CLI knows about its terminal.
enum Terminal {
    /// Colour only on a terminal, and never when NO_COLOR is set (SPEC §6).
    static var colorOnStandardError: Bool {
        isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    static var colorOnStandardOutput: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    static var standardInputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
}
