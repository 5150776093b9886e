/// Values a command hands over at its end, when the process is about to
/// exit: they are deliberately never released, as freeing a whole project's
/// object graph buys nothing then (compilers skip it for the same reason;
/// the cost is in docs/performance.md). Each command calls `skip` once.
enum Teardown {
    private final class Box<T> {
        let value: T
        init(_ value: T) { self.value = value }
    }

    static func skip<T>(_ value: T) {
        _ = Unmanaged.passRetained(Box(value))
    }
}
