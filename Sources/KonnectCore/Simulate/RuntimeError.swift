/// Why evaluating an expression or checking a rendered input failed.
public struct RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    /// The longest string a run may build, in UTF-8 bytes. Without one,
    /// `replace` of a long text into itself twice asked for gigabytes.
    public static let maxStringBytes = 16 << 20

    /// Throws unless a string of `bytes` bytes is within `maxStringBytes`; checked before it is built.
    static func checkLength(_ bytes: Int, of what: String) throws(RuntimeError) {
        guard bytes <= maxStringBytes else {
            throw RuntimeError("\(what) would make a string of more than \(maxStringBytes >> 20) MiB")
        }
    }

    public var description: String { message }
}
