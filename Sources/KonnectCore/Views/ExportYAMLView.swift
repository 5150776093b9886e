import KonnectYAML

/// Writes library objects back as konnector and connection YAML that
/// validates and plans to no changes (`konnect export`). Values are written
/// in YAML's flow syntax, every string double-quoted with anything that is
/// not plainly printable escaped (control characters, DEL, C1 controls, the
/// line breaks U+0085, U+2028 and U+2029, BOM): each file parses to exactly
/// the library's data, and no value can break out of its line (SPEC §10).
public struct ExportYAMLView {
    public init() {}

    /// What `konnect export` says when it is done; the folder escaped (SPEC §6).
    public static func summary(count: Int, folder: String) -> String {
        "Exported \(count) object\(count == 1 ? "" : "s") to \(TerminalText.escaped(folder))\n"
    }

    public func render(kind: ObjectKind, definition d: JSONValue) -> String {
        switch kind {
        case .connection:
            var out = "connection: \(scalar(d["id"]))\n"
            out += "app: \(scalar(d["app"]))\n"
            out += "scopes: \(value(d["scopes"] ?? .array([])))\n"
            if let secret = d["secret"], secret != .null { out += "secret: \(value(secret))\n" }
            return out
        case .konnector:
            var out = "konnector: \(scalar(d["id"]))\n"
            out += "name: \(value(d["name"] ?? .string("")))\n"
            if let desc = d["description"], desc != .null { out += "description: \(value(desc))\n" }
            if case .array(let tags)? = d["tags"], !tags.isEmpty { out += "tags: \(value(.array(tags)))\n" }
            if d["enabled"] == .bool(false) { out += "enabled: false\n" }
            if let t = d["trigger"] { out += "\n" + trigger(t) }
            if let w = d["when"], w != .null { out += "\nwhen: \(value(w))\n" }
            out += "\nsteps:\n" + steps(d["steps"]?.arrayValue ?? [], indent: "  ")
            return out
        }
    }

    /// A scheduled trigger is its schedule alone; an app's trigger may
    /// declare its payload's fields (SPEC §2.1).
    private func trigger(_ t: JSONValue) -> String {
        if let schedule = t["schedule"], schedule != .null {
            return "trigger:\n  schedule:\n    cron: \(value(schedule["cron"] ?? .null))\n    timezone: \(value(schedule["timezone"] ?? .null))\n"
        }
        var out = "trigger:\n  app: \(scalar(t["app"]))\n  event: \(scalar(t["event"]))\n"
        if let c = t["connection"], c != .null { out += "  connection: \(scalar(c))\n" }
        out += with(t["with"], indent: "  ")
        if case .object(let fields)? = t["payload"] { out += "  payload:\n" + payload(fields, indent: "    ") }
        return out
    }

    /// Payload fields as the compiler wrote them: each a type string, an
    /// inline object's as `{ name: type, … }`, which is written back as a mapping.
    private func payload(_ fields: [JSONValue.Member], indent: String) -> String {
        var out = ""
        for f in fields {
            if case .string(let type) = f.value, let inner = PayloadTypeText.objectFields(type) {
                out += "\(indent)\(key(f.key)):" + (inner.isEmpty ? " {}\n" : "\n" + payload(inner, indent: indent + "  "))
            } else {
                out += "\(indent)\(key(f.key)): \(value(f.value))\n"
            }
        }
        return out
    }

    /// Steps of any kind (SPEC §2.1), nested steps indented under their parent.
    /// Keys at their default (`mode: first`, `as: item`, `max: 100`,
    /// `on_error: stop`) are left out, as a user would write them.
    private func steps(_ list: [JSONValue], indent: String) -> String {
        var out = ""
        let inner = indent + "  "
        for step in list {
            out += "\(indent)- id: \(scalar(step["id"]))\n"
            if let paths = step["paths"] {
                if let c = step["if"], c != .null { out += "\(inner)if: \(value(c))\n" }
                if let m = step["mode"], m != .string("first") { out += "\(inner)mode: \(scalar(m))\n" }
                out += "\(inner)paths:\n"
                for path in paths.arrayValue ?? [] {
                    out += "\(inner)  - id: \(scalar(path["id"]))\n"
                    if let w = path["when"], w != .null { out += "\(inner)    when: \(value(w))\n" }
                    out += "\(inner)    steps:\n" + steps(path["steps"]?.arrayValue ?? [], indent: inner + "      ")
                }
            } else if let over = step["repeat"] {
                if let c = step["if"], c != .null { out += "\(inner)if: \(value(c))\n" }
                out += "\(inner)repeat: \(value(over))\n"
                if let name = step["as"], name != .string("item") { out += "\(inner)as: \(value(name))\n" }
                if let max = step["max"], max != .int(100) { out += "\(inner)max: \(value(max))\n" }
                out += "\(inner)steps:\n" + steps(step["steps"]?.arrayValue ?? [], indent: inner + "  ")
            } else if step["delay"] != nil || step["delay_until"] != nil {
                if let c = step["if"], c != .null { out += "\(inner)if: \(value(c))\n" }
                if let d = step["delay"] { out += "\(inner)delay: \(value(d))\n" }
                if let d = step["delay_until"] { out += "\(inner)delay_until: \(value(d))\n" }
            } else {
                out += "\(inner)app: \(scalar(step["app"]))\n"
                out += "\(inner)action: \(scalar(step["action"]))\n"
                if let c = step["connection"], c != .null { out += "\(inner)connection: \(scalar(c))\n" }
                if let c = step["if"], c != .null { out += "\(inner)if: \(value(c))\n" }
                if let r = step["retry"], r != .null { out += "\(inner)retry: \(value(r))\n" }
                if step["on_error"] == .string("continue") { out += "\(inner)on_error: continue\n" }
                out += with(step["with"], indent: inner)
            }
        }
        return out
    }

    private func with(_ v: JSONValue?, indent: String) -> String {
        guard case .object(let members)? = v, !members.isEmpty else { return "" }
        var out = "\(indent)with:\n"
        for m in members { out += "\(indent)  \(key(m.key)): \(value(m.value))\n" }
        return out
    }

    /// Slugs and app names are plain; anything else is quoted.
    private func scalar(_ v: JSONValue?) -> String {
        guard case .string(let s)? = v else { return value(v ?? .null) }
        return Slug.isValid(s) && YAMLSafe.isPlain(s) ? s : YAMLSafe.quoted(s)
    }

    private func key(_ k: String) -> String {
        YAMLSafe.isPlain(k) ? k : YAMLSafe.quoted(k)
    }

    /// A value in flow syntax: JSON's, with strings quoted for YAML.
    /// Definitions are parsed JSON, nested at most as deep as the parser allows.
    func value(_ v: JSONValue) -> String {
        switch v {
        case .null, .bool, .int, .number: return v.serialized()
        case .string(let s): return YAMLSafe.quoted(s)
        case .array(let items): return "[" + items.map(value).joined(separator: ", ") + "]"
        case .object(let members): return "{" + members.map { YAMLSafe.quoted($0.key) + ": " + value($0.value) }.joined(separator: ", ") + "}"
        }
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

    /// `s` as a double-quoted YAML scalar that reads back as `s`: printable
    /// scalars as they are, the rest as escapes (`\t`, `\n`, `\x1b`, `\u2028`).
    static func quoted(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                if isPrintable(c) {
                    out.unicodeScalars.append(c)
                } else {
                    let hex = String(c.value, radix: 16)
                    out += c.value < 0x100 ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                                           : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            }
        }
        return out + "\""
    }

    /// YAML's printable set, less the scalars it reads as line breaks
    /// (U+0085, U+2028, U+2029) and the byte order mark.
    static func isPrintable(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x20...0x7E, 0xA0...0xD7FF, 0x10000...0x10FFFF: return !TerminalText.isUnsafe(c)
        case 0xE000...0xFFFD: return c.value != 0xFEFF
        default: return false
        }
    }
}

/// The compiled form of a typed payload (SPEC §2.1) gives each field's type
/// as its type string; an inline object's is `{ name: type, … }`
/// (`ObjectType.description`), which export writes back as a mapping.
enum PayloadTypeText {
    /// The fields of an inline object type's text, each with its type text;
    /// nil for any other type text.
    static func objectFields(_ text: String) -> [JSONValue.Member]? {
        let t = Substring(text).trimmingWhitespaceSubstring
        guard t.hasPrefix("{"), t.hasSuffix("}"), t.count >= 2 else { return nil }
        var members: [JSONValue.Member] = []
        for part in topLevelParts(t.dropFirst().dropLast()) {
            guard let colon = part.range(of: ": ") else { return nil }
            let name = part[..<colon.lowerBound].trimmingWhitespaceSubstring
            let type = part[colon.upperBound...].trimmingWhitespaceSubstring
            guard !name.isEmpty, !type.isEmpty else { return nil }
            members.append(.init(String(name), .string(String(type))))
        }
        return members
    }

    /// `text` split at the commas outside `{}`, `<>` and `()`; blank parts dropped.
    private static func topLevelParts(_ text: Substring) -> [Substring] {
        var parts: [Substring] = [], current: Substring = "", depth = 0
        for c in text {
            switch c {
            case "{", "<", "(": depth += 1
            case "}", ">", ")": depth -= 1
            case "," where depth == 0:
                parts.append(current)
                current = ""
                continue
            default: break
            }
            current.append(c)
        }
        parts.append(current)
        return parts.filter { !$0.trimmingWhitespaceSubstring.isEmpty }
    }
}
