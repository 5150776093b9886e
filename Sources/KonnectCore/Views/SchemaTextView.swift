/// `konnect schema list` and `konnect schema show APP`.
public struct SchemaTextView {
    public init() {}

    public func list(_ schemas: SchemaSet) -> String {
        let apps = schemas.appNames.compactMap { schemas[$0] }
        let width = apps.map(\.app.count).max() ?? 0
        return apps.map { app in
            let pad = String(repeating: " ", count: width - app.app.count)
            return "\(app.app)\(pad)  \(app.name) (\(app.auth.rawValue)): \(app.triggers.count) triggers, \(app.actions.count) actions\n"
        }.joined()
    }

    public func show(_ app: AppSchema) -> String {
        var out = "\(app.app) — \(app.name)\nauth: \(app.auth.rawValue)\n"
        if !app.scopes.isEmpty {
            out += "\nscopes:\n"
            let width = app.scopes.map(\.name.count).max() ?? 0
            for s in app.scopes { out += "  \(s.name)\(String(repeating: " ", count: width - s.name.count))  \(s.description)\n" }
        }
        for (title, ops) in [("triggers", app.triggers), ("actions", app.actions)] where !ops.isEmpty {
            out += "\n\(title):\n"
            for op in ops {
                out += "\n  \(op.key) — \(op.name)\n"
                if let d = op.description { out += "    \(d)\n" }
                if !op.scopes.isEmpty { out += "    scopes: \(op.scopes.joined(separator: ", "))\n" }
                out += "    \(op.kind == .trigger ? "config" : "input"):\(op.fields.isEmpty ? " (none)" : "")\n"
                out += fields(op.fields, indent: 6, showRequired: true)
                out += "    output:\n"
                if case .object(let o) = op.output {
                    out += fields(o.fields, indent: 6, showRequired: false)
                } else {
                    out += "      \(op.output)\n"
                }
            }
        }
        return out
    }

    private func fields(_ fields: [FieldSpec], indent: Int, showRequired: Bool) -> String {
        let pad = String(repeating: " ", count: indent)
        let width = fields.map(\.name.count).max() ?? 0
        return fields.map { f in
            var line = "\(pad)\(f.name)\(String(repeating: " ", count: width - f.name.count))  \(f.type)"
            if showRequired && f.required { line += "  (required)" }
            if let d = f.defaultValue { line += "  = \(d.json.serialized())" }
            if f.sensitive { line += "  (sensitive)" }
            if let desc = f.description { line += "  — \(desc)" }
            return line + "\n"
        }.joined()
    }
}
