import Dispatch

/// The evaluation time one run may spend in all (SPEC §9): its filter,
/// every step's condition and inputs, and every regular-expression match.
/// One budget is made per run and shared by each step's evaluator; the
/// clock is read at cheap points (a function call, an operator, a list,
/// a regular expression's progress), so a run stops soon after its time.
public struct EvaluationBudget: Sendable {
    /// Monotonic nanoseconds; injectable so that tests need no real time.
    public typealias Clock = @Sendable () -> UInt64

    public static let monotonic: Clock = { DispatchTime.now().uptimeNanoseconds }

    /// SPEC §9: a run at most 10 seconds of evaluation.
    public static let defaultSeconds = 10.0

    public let seconds: Double
    private let clock: Clock
    private let deadline: UInt64

    /// Starts now.
    public init(seconds: Double = EvaluationBudget.defaultSeconds, clock: @escaping Clock = EvaluationBudget.monotonic) {
        self.seconds = seconds
        self.clock = clock
        let start = clock()
        let (end, overflow) = start.addingReportingOverflow(UInt64(max(0, min(seconds, 1e9)) * 1e9))
        deadline = overflow ? .max : end
    }

    public var isExhausted: Bool { clock() > deadline }

    /// Throws `limit-exceeded` once the run's time is spent.
    public func check() throws(RuntimeError) {
        if isExhausted { throw exhausted() }
    }

    func exhausted(_ detail: String? = nil) -> RuntimeError {
        .limit("the run took more than \(JSONValue.format(seconds)) s of evaluation" + (detail.map { " (\($0))" } ?? ""))
    }
}

/// SPEC §9's bounds on the values a run builds. Each is checked before
/// the value is allocated, from its computed size.
public enum EvaluationLimits {
    /// A string at most 16 MiB, in UTF-8 bytes.
    public static let maxStringBytes = 16 << 20
    /// An array at most 100,000 elements, counting those of nested arrays and objects.
    public static let maxElements = 100_000

    /// Throws unless a string of `bytes` bytes is allowed.
    static func checkString(_ bytes: Int, of what: String) throws(RuntimeError) {
        guard bytes <= maxStringBytes else {
            throw .limit("\(what) would make a string of more than \(maxStringBytes >> 20) MiB")
        }
    }

    /// Throws unless an array of `count` elements is allowed.
    static func checkElements(_ count: Int, of what: String) throws(RuntimeError) {
        guard count <= maxElements else {
            throw .limit("\(what) would make an array of more than \(maxElements) elements")
        }
    }

    /// Throws unless `v` is within both bounds: its elements at every depth,
    /// and its strings' bytes together (its rendered text is a string too).
    /// The walk stops as soon as either bound is passed, so it costs no
    /// more than the bounds however large the value (values share storage:
    /// a list of one long string a thousand times is small to hold but not
    /// to render).
    static func checkSize(_ v: RuntimeValue, of what: String,
                          maxElements: Int = maxElements, maxBytes: Int = maxStringBytes) throws(RuntimeError) {
        func over() -> RuntimeError {
            elements > maxElements ? .limit("\(what) would make a value of more than \(maxElements) elements")
                : .limit("\(what) would make a value of more than \(maxBytes >> 20) MiB")
        }
        var elements = 0, bytes = 0
        var pending = [v]
        while let next = pending.popLast() {
            switch next {
            case .string(let s):
                bytes += s.utf8.count
                if bytes > maxBytes { throw over() }
            case .array(let items):
                elements += items.count
                if elements > maxElements { throw over() }
                pending += items
            case .object(let fields, let order):
                elements += fields.count
                if elements > maxElements { throw over() }
                for key in order { bytes += key.utf8.count }
                if bytes > maxBytes { throw over() }
                pending += fields.values
            default:
                break
            }
        }
    }
}
