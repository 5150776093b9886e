/// Checks a connection against its app's schema: the app exists, the
/// granted scopes exist, a secret is given when the app needs one.
public struct ConnectionChecker {
    let schemas: SchemaSet
    public private(set) var diagnostics: [Diagnostic] = []

    public init(schemas: SchemaSet) {
        self.schemas = schemas
    }

    public mutating func check(_ c: Connection) {
        guard let app = c.app else { return }
        guard let schema = schemas[app.value] else {
            if !schemas.brokenApps.contains(app.value) {
                diagnostics.append(.unknownApp(app.value, known: schemas.appNames, file: c.file, at: app.range))
            }
            return
        }
        let known = schema.scopeNames
        for scope in c.scopes where !known.contains(scope.value) {
            diagnostics.append(.unknownScope(scope.value, app: schema, file: c.file, at: scope.range))
        }
        if schema.auth != .none && c.secret == nil && !c.hasSecretKey && !c.misspelledKeys.contains("secret") {
            diagnostics.append(.missingField("secret", in: "connection `\(c.id?.value ?? "?")`", file: c.file, at: c.id?.range ?? c.range))
        }
    }
}
