/// Why an expression does not parse, and where (a byte range in its source).
public struct ExpressionSyntaxError: Error, Sendable, Equatable {
    public var message: String
    public var span: Range<Int>
    public var hint: String?

    public init(_ message: String, span: Range<Int>, hint: String? = nil) {
        self.message = message
        self.span = span
        self.hint = hint
    }
}
