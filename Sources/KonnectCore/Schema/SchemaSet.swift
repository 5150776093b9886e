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

    /// The names of every sensitive field of every trigger and action,
    /// lowercased: a key spelled like one holds a credential (`SecretKeys`).
    public var sensitiveFieldNames: Set<String> {
        var names: Set<String> = []
        for app in apps.values {
            for op in app.triggers + app.actions {
                for f in op.fields where f.sensitive { names.insert(f.name.lowercased()) }
            }
        }
        return names
    }
    public var appNames: [String] { apps.keys.sorted() }
}
