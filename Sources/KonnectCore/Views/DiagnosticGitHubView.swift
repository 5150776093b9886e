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

    /// GitHub's escapes for a command's data (`%`, CR, LF), then every other
    /// control character escaped (`\u{1b}`): a runner's log is a terminal too.
    static func escapeData(_ s: String) -> String {
        TerminalText.escaped(s.replacingAll(["%": "%25", "\r": "%0D", "\n": "%0A"]))
    }

    /// As `escapeData`, and `:` and `,`, which end a property.
    static func escapeProperty(_ s: String) -> String {
        TerminalText.escaped(s.replacingAll(["%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"]))
    }
}

extension String {
    /// Replaces scalars in one pass (so `%` is never escaped twice). Scalars,
    /// not Characters: "\r\n" is one Character and would slip through.
    func replacingAll(_ table: [Unicode.Scalar: String]) -> String {
        var out = ""
        for scalar in unicodeScalars {
            if let r = table[scalar] { out += r } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
