/// Freeing a whole project's object graph takes a few percent of a run and
/// buys nothing when the process is about to exit (compilers skip it for the
/// same reason). Values handed here are deliberately never released.
enum Teardown {
    private final class Box<T> {
        let value: T
        init(_ value: T) { self.value = value }
    }

    static func skip<T>(_ value: T) {
        _ = Unmanaged.passRetained(Box(value))
    }
}
