/// Why evaluating an expression or checking a rendered input failed.
public struct RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// `limit-exceeded` when evaluation passed a bound of SPEC §9 (the
    /// description then starts with the code), else nil.
    public var code: DiagnosticCode?

    public init(_ message: String) {
        self.message = message
    }

    /// Past a bound of SPEC §9: a string, an array, the run's time, a finite number.
    static func limit(_ message: String) -> RuntimeError {
        var e = RuntimeError(message)
        e.code = .limitExceeded
        return e
    }

    /// The longest string a run may build, in UTF-8 bytes. Without one,
    /// `replace` of a long text into itself twice asked for gigabytes.
    public static let maxStringBytes = EvaluationLimits.maxStringBytes

    /// Throws unless a string of `bytes` bytes is within `maxStringBytes`; checked before it is built.
    static func checkLength(_ bytes: Int, of what: String) throws(RuntimeError) {
        try EvaluationLimits.checkString(bytes, of: what)
    }

    /// As traces show it: `limit-exceeded: …` for a bound.
    public var description: String { code.map { "\($0.rawValue): \(message)" } ?? message }
}
