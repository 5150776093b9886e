/// Checks a connection against its app's schema (the app exists, the
/// granted scopes exist, a secret is given when the app needs one), and
/// konnectors' uses of connections against the connections there are.
public struct ConnectionChecker {
    let schemas: SchemaSet
    public private(set) var diagnostics: [Diagnostic] = []
    /// Uses already found sound. Thousands of konnectors share a handful of
    /// connections, and a use's soundness depends on nothing but this key.
    private var soundUses: Set<UseKey> = []

    private struct UseKey: Hashable {
        var trigger: Bool
        var app: String
        var operation: String?
        var ref: String?
        var misspelled: Bool
    }

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

    /// `missing-connection`, `unknown-connection`, `connection-app-mismatch`, `missing-scope`.
    /// `incomplete`: some file did not parse, so a connection may exist that could not be read.
    /// Every call must pass the same `connections` and `incomplete` (sound uses are remembered).
    public mutating func check(_ use: ConnectionUse, connections: [String: Connection], incomplete: Bool) {
        let isTrigger = if case .trigger = use.owner { true } else { false }
        let key = UseKey(trigger: isTrigger, app: use.app, operation: use.operation, ref: use.ref?.value, misspelled: use.misspelled)
        if soundUses.contains(key) { return }
        let before = diagnostics.count
        judge(use, connections: connections, incomplete: incomplete)
        if diagnostics.count == before { soundUses.insert(key) }
    }

    private mutating func judge(_ use: ConnectionUse, connections: [String: Connection], incomplete: Bool) {
        guard let app = schemas[use.app] else { return }
        let operation = use.operation.flatMap { name in
            if case .trigger = use.owner { return app.trigger(name) }
            return app.action(name)
        }
        func sameApp() -> [String] { connections.values.filter { $0.app?.value == app.app }.compactMap { $0.id?.value }.sorted() }
        guard let ref = use.ref else {
            if app.auth != .none && !use.misspelled {
                diagnostics.append(.missingConnection(owner: use.owner.description, app: app.app, candidates: sameApp(),
                                                      file: use.file, at: use.ownerRange))
            }
            return
        }
        guard let connection = connections[ref.value] else {
            if incomplete { return }
            diagnostics.append(.unknownConnection(ref.value, sameApp: sameApp(), all: connections.keys.sorted(), file: use.file, at: ref.range))
            return
        }
        // A connection whose own app is unknown was reported there; nothing to compare here.
        guard let connectionApp = connection.app?.value, schemas[connectionApp] != nil else { return }
        guard connectionApp == app.app else {
            diagnostics.append(.connectionAppMismatch(ref.value, connectionApp: connectionApp, app: app.app, sameApp: sameApp(),
                                                      file: use.file, at: ref.range))
            return
        }
        guard let operation else { return }
        let granted = connection.scopes.map(\.value)
        var missing = operation.scopes.filter { !granted.contains($0) }
        if !missing.isEmpty {
            // A misspelled grant (`audience:wirte`) was reported on the connection; not again here.
            let known = app.scopeNames
            let misspelledGrants = granted.filter { !known.contains($0) }.compactMap { Suggestion.closest(to: $0, among: known) }
            missing.removeAll { misspelledGrants.contains($0) }
        }
        if !missing.isEmpty {
            diagnostics.append(.missingScope(missing, connection: connection, operation: operation, file: use.file, at: ref.range))
        }
    }
}
