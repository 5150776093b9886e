import KonnectYAML

/// Writes library objects back as konnector and connection YAML that
/// validates and plans to no changes (`konnect export`). Values are written
/// in JSON's flow syntax, which YAML reads as the same data.
public struct ExportYAMLView {
    public init() {}

    public func render(kind: ObjectKind, definition d: JSONValue) -> String {
        switch kind {
        case .connection:
            var out = "connection: \(scalar(d["id"]))\n"
            out += "app: \(scalar(d["app"]))\n"
            out += "scopes: \((d["scopes"] ?? .array([])).serialized())\n"
            if let secret = d["secret"], secret != .null { out += "secret: \(secret.serialized())\n" }
            return out
        case .konnector:
            var out = "konnector: \(scalar(d["id"]))\n"
            out += "name: \((d["name"] ?? .string("")).serialized())\n"
            if let desc = d["description"], desc != .null { out += "description: \(desc.serialized())\n" }
            if case .array(let tags)? = d["tags"], !tags.isEmpty { out += "tags: \(JSONValue.array(tags).serialized())\n" }
            if d["enabled"] == .bool(false) { out += "enabled: false\n" }
            if let t = d["trigger"] {
                out += "\ntrigger:\n  app: \(scalar(t["app"]))\n  event: \(scalar(t["event"]))\n"
                if let c = t["connection"], c != .null { out += "  connection: \(scalar(c))\n" }
                out += with(t["with"], indent: "  ")
            }
            if let w = d["when"], w != .null { out += "\nwhen: \(w.serialized())\n" }
            out += "\nsteps:\n"
            for step in d["steps"]?.arrayValue ?? [] {
                out += "  - id: \(scalar(step["id"]))\n"
                out += "    app: \(scalar(step["app"]))\n"
                out += "    action: \(scalar(step["action"]))\n"
                if let c = step["connection"], c != .null { out += "    connection: \(scalar(c))\n" }
                if let c = step["if"], c != .null { out += "    if: \(c.serialized())\n" }
                if step["on_error"] == .string("continue") { out += "    on_error: continue\n" }
                out += with(step["with"], indent: "    ")
            }
            return out
        }
    }

    private func with(_ v: JSONValue?, indent: String) -> String {
        guard case .object(let members)? = v, !members.isEmpty else { return "" }
        var out = "\(indent)with:\n"
        for m in members { out += "\(indent)  \(key(m.key)): \(m.value.serialized())\n" }
        return out
    }

    /// Slugs and app names are plain; anything else is quoted.
    private func scalar(_ v: JSONValue?) -> String {
        guard case .string(let s)? = v else { return (v ?? .null).serialized() }
        return Slug.isValid(s) && YAMLSafe.isPlain(s) ? s : v!.serialized()
    }

    private func key(_ k: String) -> String {
        YAMLSafe.isPlain(k) ? k : JSONValue.string(k).serialized()
    }
}

enum YAMLSafe {
    /// Letters, digits, `_` and `-`, not starting with `-` or a digit-only
    /// word a YAML reader would take for a number, boolean or null.
    static func isPlain(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first != "-",
              s.unicodeScalars.allSatisfy({ ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" || $0 == "-" })
        else { return false }
        if case .string = YAMLScalar.resolveCore(s) { return true }
        return false
    }
}
