/// Why evaluating an expression or checking a rendered input failed.
public struct RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
