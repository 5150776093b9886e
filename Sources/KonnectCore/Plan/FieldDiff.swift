/// One changed leaf of a definition: `steps.notify.with.channel`.
public struct FieldDiff: Sendable, Equatable {
    public var path: String
    /// nil when the field is absent on that side.
    public var before: JSONValue?
    public var after: JSONValue?
    /// Shown as `(sensitive)`, never in clear.
    public var sensitive: Bool

    public init(path: String, before: JSONValue?, after: JSONValue?, sensitive: Bool) {
        self.path = path
        self.before = before
        self.after = after
        self.sensitive = sensitive
    }
}
