/// A point in a source file. `line` and `column` are 1-based and count
/// Unicode scalars, as editors do; `offset` is the 0-based byte offset.
/// Stored in 32 bits each: every node carries two of these, and files are
/// limited to 1 MiB.
public struct SourcePosition: Hashable, Sendable, Comparable {
    private var storedLine: UInt32
    private var storedColumn: UInt32
    private var storedOffset: UInt32

    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = UInt32(clamping: newValue) }
    }

    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = UInt32(clamping: newValue) }
    }

    public var offset: Int {
        get { Int(storedOffset) }
        set { storedOffset = UInt32(clamping: newValue) }
    }

    @inline(__always)
    public init(line: Int, column: Int, offset: Int) {
        storedLine = UInt32(clamping: line)
        storedColumn = UInt32(clamping: column)
        storedOffset = UInt32(clamping: offset)
    }

    public static let start = SourcePosition(line: 1, column: 1, offset: 0)

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}
