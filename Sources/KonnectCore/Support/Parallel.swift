import Dispatch

/// Runs independent work on every core and keeps the results in input order,
/// so output stays deterministic however the work is scheduled.
public enum Parallel {
    public static func map<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
        if items.count < 2 { return items.map(transform) }
        // Results are written in place (no optional staging array, no second copy).
        return [R](unsafeUninitializedCapacity: items.count) { buffer, initialized in
            // Each index is initialized by exactly one iteration.
            nonisolated(unsafe) let out = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: items.count) { i in
                (out + i).initialize(to: transform(items[i]))
            }
            initialized = items.count
        }
    }
}
