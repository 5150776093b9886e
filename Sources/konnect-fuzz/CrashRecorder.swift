#if !KONNECT_LIBFUZZER
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import KonnectCore

/// Keeps the input being run where a signal handler can reach it, so that a
/// crash (a trap, a stack overflow) or a hang writes the input to a file
/// before the process dies: every crash found leaves its reproducer.
enum CrashRecorder {
    /// An execution taking longer than this is a hang.
    static let timeoutSeconds: UInt32 = 20

    nonisolated(unsafe) static var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: FuzzPipeline.maxInputBytes)
    nonisolated(unsafe) static var length = 0
    /// `<dir>/crash-<pid>` and `<dir>/timeout-<pid>`, made before any crash.
    nonisolated(unsafe) static var crashPath: UnsafeMutablePointer<CChar>? = nil
    nonisolated(unsafe) static var timeoutPath: UnsafeMutablePointer<CChar>? = nil

    static func install(directory: String) {
        crashPath = strdup("\(directory)/crash-\(getpid())")
        timeoutPath = strdup("\(directory)/timeout-\(getpid())")
        // A stack overflow is reported on a stack of its own.
        let size = 1 << 16
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        stack.ss_size = size
        stack.ss_flags = 0
        sigaltstack(&stack, nil)
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGALRM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in CrashRecorder.handle(sig) }
            action.sa_flags = Int32(SA_ONSTACK) | Int32(bitPattern: UInt32(SA_RESETHAND))
            sigaction(sig, &action, nil)
        }
    }

    static func arm(_ input: [UInt8]) {
        let n = min(input.count, FuzzPipeline.maxInputBytes)
        input.withUnsafeBufferPointer { if n > 0 { buffer.update(from: $0.baseAddress!, count: n) } }
        length = n
        if crashPath != nil { alarm(timeoutSeconds) }
    }

    /// Only async-signal-safe calls: open, write, close, then the default action.
    static func handle(_ sig: Int32) {
        guard let path = sig == SIGALRM ? timeoutPath : crashPath else { return }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd >= 0 {
            _ = write(fd, buffer, length)
            close(fd)
        }
        let message: StaticString = sig == SIGALRM ? "konnect-fuzz: an input ran too long; it is written to "
            : "konnect-fuzz: crashed; the input is written to "
        _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
        _ = write(2, path, strlen(path))
        let newline: StaticString = "\n"
        _ = write(2, newline.utf8Start, 1)
        signal(sig, SIG_DFL)
        raise(sig)
    }
}
#endif
