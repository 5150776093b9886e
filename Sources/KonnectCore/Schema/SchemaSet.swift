/// Every app schema of a project, loaded once and shared read-only by all
/// files being checked.
public struct SchemaSet: Sendable {
    public var apps: [String: AppSchema]
    /// Apps whose schema file exists but is broken: references to them are
    /// not reported again (the schema's own diagnostics say what is wrong).
    public var brokenApps: Set<String>

    public init(apps: [String: AppSchema] = [:], brokenApps: Set<String> = []) {
        self.apps = apps
        self.brokenApps = brokenApps
    }

    public subscript(app: String) -> AppSchema? { apps[app] }
    public var appNames: [String] { apps.keys.sorted() }
}
