#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A value computed on a thread of its own while the caller goes on, such
/// as reading the library while the project is checked. The work is always
/// waited for, at the latest when this is released, so none outlives its
/// caller (a process ending early never cuts a read short).
public final class Background<Value: Sendable>: Sendable {
    private let result: Result

    /// `idle`: at the lowest priority, so the work takes only the time the
    /// other threads leave (the nice value is per thread on Linux).
    public init(idle: Bool = false, _ work: @escaping @Sendable () -> Value) {
        let result = Result()
        self.result = result
        Thread.detachNewThread {
            #if canImport(Glibc)
            if idle { setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19) }
            #endif
            result.set(work())
        }
    }

    deinit { result.wait() }

    /// Waits for the work, leaving its value to `take`.
    public func wait() { result.wait() }

    /// Waits for the work and hands its value over, once: it is not kept
    /// here, so the taker holds the only reference (a mutation copies nothing).
    public func take() -> Value {
        result.wait()
        return result.take()
    }

    /// Handed from the working thread once.
    private final class Result: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        // Written once before `done` is signalled; read and cleared only after waiting for it.
        private var value: Value?

        func set(_ value: Value) {
            self.value = value
            done.signal()
        }

        func wait() {
            done.wait()
            done.signal()
        }

        func take() -> Value {
            guard let value else { preconditionFailure("a background value is taken once") }
            self.value = nil
            return value
        }
    }
}
