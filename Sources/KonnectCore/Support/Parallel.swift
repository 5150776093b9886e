import Dispatch

/// Runs independent work on every core and keeps the results in input order,
/// so output stays deterministic however the work is scheduled.
public enum Parallel {
    public static func map<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
        if items.count < 2 { return items.map(transform) }
        var results = [R?](repeating: nil, count: items.count)
        results.withUnsafeMutableBufferPointer { buffer in
            // Each index is written by exactly one iteration.
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: items.count) { i in
                out[i] = transform(items[i])
            }
        }
        return results.map { $0! }
    }
}
