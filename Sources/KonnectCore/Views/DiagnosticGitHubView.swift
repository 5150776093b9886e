/// `--format github`: GitHub Actions workflow commands, one per diagnostic.
public struct DiagnosticGitHubView {
    public init() {}

    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { d in
            let properties = [
                "file=" + Self.escapeProperty(d.file),
                "line=\(d.range.start.line)",
                "col=\(d.range.start.column)",
                "endLine=\(d.range.end.line)",
                "endColumn=\(d.range.end.column)",
                "title=" + Self.escapeProperty(d.code.rawValue),
            ].joined(separator: ",")
            return "::\(d.severity.rawValue) \(properties)::\(Self.escapeData(d.message))\n"
        }.joined()
    }

    static func escapeData(_ s: String) -> String {
        s.replacingAll(["%": "%25", "\r": "%0D", "\n": "%0A"])
    }

    static func escapeProperty(_ s: String) -> String {
        s.replacingAll(["%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"])
    }
}

extension String {
    /// Replaces characters in one pass (so `%` is never escaped twice).
    func replacingAll(_ table: [Character: String]) -> String {
        var out = ""
        out.reserveCapacity(count)
        for ch in self {
            if let r = table[ch] { out += r } else { out.append(ch) }
        }
        return out
    }
}
