import KonnectCore

/// Which library, and how far along: every apply that changes objects
/// moves the serial on by one; the lineage never changes.
public struct LibraryVersion: Equatable, Sendable {
    public var lineage: String
    public var serial: Int

    public init(lineage: String, serial: Int) {
        self.lineage = lineage
        self.serial = serial
    }

    /// The library as a plan sees it before it exists (SPEC §7: plan plans
    /// against an empty library): no lineage yet, serial 0.
    public static let absent = LibraryVersion(lineage: "", serial: 0)

    /// Whether a plan made against `planned` may be applied to a library at
    /// this version: the same lineage and serial, or a plan made before the
    /// library existed applied to one where nothing has been applied yet
    /// (serial 0: it holds nothing, as the plan assumed). Every backend's
    /// stale check is this one.
    public func admits(_ planned: LibraryVersion) -> Bool {
        guard serial == planned.serial else { return false }
        return lineage == planned.lineage || (planned == .absent && serial == 0)
    }

    /// Every backend's stale check before an apply (SPEC §8): `stale`
    /// unless this library admits the plan. Returns the serial the apply
    /// moves the library to, or nil when the plan changes nothing.
    func serialAfter(applying plan: Plan) throws -> Int? {
        guard admits(LibraryVersion(lineage: plan.lineage, serial: plan.serial)) else {
            throw LibraryError.stale(planned: "\(plan.lineage.isEmpty ? "a new library" : plan.lineage) serial \(plan.serial)",
                                     current: "\(lineage) serial \(serial)")
        }
        guard !plan.changes.isEmpty else { return nil }
        let (next, full) = serial.addingReportingOverflow(1)
        guard !full else { throw LibraryError.corrupt("the serial is at its largest value") }
        return next
    }
}
