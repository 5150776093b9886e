/// `^[a-z0-9][a-z0-9_-]{0,62}$`, checked without a regex.
public enum Slug {
    public static func isValid(_ s: String) -> Bool {
        var s = s
        // Over the contiguous bytes: walking a `UTF8View` cost ten times as much.
        return s.withUTF8 { u in
            guard let first = u.first, u.count <= 63 else { return false }
            func alnum(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) }
            guard alnum(first) else { return false }
            return u.dropFirst().allSatisfy { alnum($0) || $0 == 0x2D || $0 == 0x5F }
        }
    }

    /// A valid slug made from any name (for `konnect init`'s project name).
    public static func suggest(from name: String) -> String {
        var out = ""
        for ch in name.lowercased() {
            if ch.isASCII && (ch.isLetter || ch.isNumber || ch == "_" || ch == "-") { out.append(ch) }
            else if !out.isEmpty && out.last != "-" { out.append("-") }
        }
        while out.first == "-" || out.first == "_" { out.removeFirst() }
        while out.last == "-" { out.removeLast() }
        let slug = String(out.prefix(63))
        return isValid(slug) ? slug : "konnect-project"
    }
}
