import KonnectYAML

/// Reads an event file (JSON or YAML) for `konnect run` and checks it
/// against the trigger's output type, like a test case's `event:`.
public enum EventChecker {
    public static func check(_ file: SourceFile, for k: CheckedKonnector) -> (event: RuntimeValue?, diagnostics: [Diagnostic], source: SourceText) {
        let parsed = ParsedFile(file)
        var diagnostics = parsed.diagnostics
        guard diagnostics.isEmpty else { return (nil, diagnostics, parsed.stream.source) }
        guard let root = parsed.stream.documents.first?.root else {
            diagnostics.append(.emptyEvent(file: file.path))
            return (nil, diagnostics, parsed.stream.source)
        }
        // As a test case's event with no sample under it: the missing fields are one diagnostic.
        var overlay = SampleOverlay(file: file.path, source: parsed.stream.source)
        _ = overlay.check(root, over: nil, as: k.trigger.output, what: "the event", at: root.range)
        diagnostics += overlay.diagnostics
        let ok = !diagnostics.contains { $0.severity == .error }
        return (ok ? RuntimeValue.from(SchemaValue(root), as: k.trigger.output) : nil, diagnostics, parsed.stream.source)
    }
}
