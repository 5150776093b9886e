/// Which library, and how far along: every apply that changes objects
/// moves the serial on by one; the lineage never changes.
public struct LibraryVersion: Equatable, Sendable {
    public var lineage: String
    public var serial: Int

    public init(lineage: String, serial: Int) {
        self.lineage = lineage
        self.serial = serial
    }
}
