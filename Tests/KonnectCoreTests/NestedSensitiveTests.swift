import XCTest
@testable import KonnectCore

/// A sensitive field inside a paths or repeat step is masked wherever a
/// definition is shown: its recorded path is the path a diff names, and show
/// masks id-keyed lists at any depth (SPEC §3, §4).
final class NestedSensitiveTests: XCTestCase {
    static let token = "tok-nested-7f3a91"

    static func compiled(url: String = "https://hooks.example/in?token=\(token)") throws -> CompiledObject {
        try CompilerTests.konnector("""
        konnector: nested-hooks
        name: Nested hooks
        trigger:
          app: webhook
          event: catch_hook
        steps:
          - id: route
            paths:
              - id: vip
                when: trigger.method == 'POST'
                steps:
                  - id: inner
                    app: webhook
                    action: post
                    with:
                      url: \(url)
          - id: each
            repeat: "[1, 2]"
            steps:
              - id: looped
                app: webhook
                action: get
                with:
                  url: \(url)

        """)
    }

    func testNestedSensitivePathsAreThePathsADiffNames() throws {
        let k = try Self.compiled()
        XCTAssertEqual(Set(k.sensitivePaths), ["steps.route.paths.vip.steps.inner.with.url", "steps.each.steps.looped.with.url"])
        let diff = DefinitionDiffer.diff(before: nil, after: k.definition, sensitivePaths: k.sensitivePaths)
        let urls = diff.filter { $0.path.hasSuffix(".url") }
        XCTAssertEqual(urls.map(\.path), ["steps.route.paths.vip.steps.inner.with.url", "steps.each.steps.looped.with.url"])
        XCTAssertTrue(urls.allSatisfy(\.sensitive))
    }

    func testAChangedNestedSensitiveValueIsMaskedInThePlanDiff() throws {
        let before = try Self.compiled(url: "https://hooks.example/in?token=old-\(Self.token)")
        let after = try Self.compiled()
        let diff = DefinitionDiffer.diff(before: before.definition, after: after.definition,
                                         sensitivePaths: before.sensitivePaths + after.sensitivePaths)
        XCTAssertEqual(diff.map(\.path), ["steps.route.paths.vip.steps.inner.with.url", "steps.each.steps.looped.with.url"], "in list order")
        XCTAssertTrue(diff.allSatisfy(\.sensitive), "\(diff)")
    }

    func testShowMasksNestedSensitiveValues() throws {
        let k = try Self.compiled()
        let shown = ShowView.masked(try XCTUnwrap(k.definition), k.sensitivePaths).serialized()
        XCTAssertFalse(shown.contains(Self.token), shown)
        XCTAssertEqual(shown.components(separatedBy: "(sensitive)").count - 1, 2, shown)
    }

    func testASensitiveLiteralCopiedByAnAliasIsMaskedWhereverItIs() throws {
        let k = try CompilerTests.konnector(TC.head("alias-hook", name: "Alias hook", trigger: "{ app: webhook, event: catch_hook }") + """
          - id: fwd
            app: webhook
            action: post
            with:
              url: &u https://hooks.example/in?token=\(Self.token)
              body: { copy: *u }

        """)
        XCTAssertEqual(k.sensitivePaths, ["steps.fwd.with.url"])
        let definition = try XCTUnwrap(k.definition)
        let diff = DefinitionDiffer.diff(before: nil, after: definition, sensitivePaths: k.sensitivePaths)
        XCTAssertEqual(diff.filter { $0.path.hasSuffix("body.copy") }.map(\.sensitive), [true], "\(diff)")
        let shown = ShowView.masked(definition, k.sensitivePaths).serialized()
        XCTAssertFalse(shown.contains(Self.token), shown)
    }
}

/// A step of the konnectors below: the webhook's `action`, with the given `with:` entries.
private func webhookStep(_ id: String, _ action: String, with lines: [String]) -> String {
    "  - id: \(id)\n    app: webhook\n    action: \(action)\n    with:\n" + lines.map { "      \($0)\n" }.joined()
}

/// A key spelled like a sensitive field (`Url`, `header`), or one repeated,
/// has its value masked in the file's snippets like a `secret:` (SPEC §3).
final class MisspelledSensitiveKeyTests: XCTestCase {
    /// `text` validated as `konnectors/k.yaml` with the webhook and slack schemas, and its diagnostics as text.
    static func validated(_ text: String) -> (CheckedProject, String) {
        let project = ProjectValidator().validate(files: [SourceFile(path: "konnectors/k.yaml", bytes: Array(text.utf8))],
                                                  schemaFiles: CompilerTests.schemaFiles)
        let out = DiagnosticTextView(color: false, sources: project.sources)
            .render(project.diagnostics, summary: DiagnosticSummary(files: 1, konnectors: 1, connections: 0, diagnostics: project.diagnostics))
        return (project, out)
    }

    func testMisspelledAndRepeatedSensitiveKeysAreMaskedInSnippets() {
        let text = TC.head(trigger: "{ app: webhook, event: catch_hook }")
            + webhookStep("a", "post", with: ["Url: https://x.example/hunter2-URLMIS", "header: { Authorization: Bearer hunter2-HDRMIS }"])
            + webhookStep("b", "get", with: ["url: env:URL", "url: https://x.example/hunter2-DUP"])
        let (project, out) = Self.validated(text)
        XCTAssertFalse(project.diagnostics.isEmpty)
        XCTAssertFalse(out.contains("hunter2"), out)
    }
}

/// A literal quoted inside a template in a sensitive field is a literal written
/// another way: `literal-secret`, and masked in snippets.
final class TemplatedLiteralSecretTests: XCTestCase {
    func testAQuotedStringInASensitiveTemplateIsALiteralSecret() {
        let text = TC.head(trigger: "{ app: webhook, event: catch_hook }")
            + webhookStep("a", "post", with: ["url: \"{{ 'https://x.example/hooks/T0K3N-hunter2' | lower(1) }}\""])
            + webhookStep("b", "post", with: ["url: \"{{ trigger.body.callback | to_string }}\""])
        let (project, out) = MisspelledSensitiveKeyTests.validated(text)
        XCTAssertEqual(project.diagnostics.filter { $0.code == .literalSecret }.map(\.range.start.line), [9], "not the template of runtime data")
        XCTAssertFalse(out.contains("hunter2"), out)
        XCTAssertTrue(ValueChecker.quotedStrings(in: #"'abc' + "abcd" + 'it\'s long'"#) == ["abcd", #"it\'s long"#])
    }
}

/// A file that does not parse has no tree: a secret or a sensitive field's
/// value written in a flow mapping on the line of the error is masked too.
final class UnparsedFlowMappingSecretTests: XCTestCase {
    func testSecretsInAFlowMappingOnTheErrorsLineAreMasked() {
        let text = """
        { connection: c5, app: slack, secret: hunter2-FLOWPARSE, scopes: [chat:write }
        ---
        konnector: k
        name: K
        trigger: { app: webhook, event: catch_hook }
        steps:
          - id: a
            app: webhook
            action: post
            with: { url: "https://x.example/hunter2-PARSE", headers: { A: [1, }

        """
        let (project, out) = MisspelledSensitiveKeyTests.validated(text)
        XCTAssertTrue(project.diagnostics.contains { $0.code == .yamlSyntax })
        XCTAssertFalse(out.contains("hunter2"), out)
    }
}
