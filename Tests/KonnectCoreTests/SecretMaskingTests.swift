import Foundation
import XCTest
@testable import KonnectCore
import KonnectYAML

/// SPEC §3: a literal secret is masked by value, in every message and
/// snippet of its file, whichever way it reaches them.
final class SecretMaskingTests: XCTestCase {
    // MARK: the YAML layer keeps what a repeated key drops

    func testARepeatedKeysPairIsKeptAsDropped() throws {
        let stream = YAMLParser().parse(Array("a: 1\nsecret: env:X\nsecret: hunter2-dup\nb: 2\n".utf8))
        let document = try XCTUnwrap(stream.documents.first)
        XCTAssertEqual(document.root?.mapping?.count, 3, "the mapping keeps the first `secret`")
        XCTAssertEqual(document.droppedPairs.map { $0.keyText }, ["secret"])
        XCTAssertEqual(document.droppedPairs.first?.value.scalarText, "hunter2-dup")
        XCTAssertEqual(document.droppedPairs.first?.value.range.start.line, 3)
        XCTAssertEqual(YAMLParser().parse(Array("a: 1\n---\nb: 2\n".utf8)).documents.map(\.droppedPairs.count), [0, 0])
    }

    func testEveryNodeIsVisitedOnceThroughAliases() throws {
        let stream = YAMLParser().parse(Array("x: &a [1, 2]\ny: *a\nz: *a\n".utf8))
        var scalars: [String] = []
        stream.documents[0].root?.forEachNode(includingKeys: false) { if let t = $0.scalarText { scalars.append(t) } }
        XCTAssertEqual(scalars, ["1", "2"])
        var withKeys: [String] = []
        stream.documents[0].root?.forEachNode { if let t = $0.scalarText { withKeys.append(t) } }
        XCTAssertEqual(withKeys, ["x", "1", "2", "y", "z"])
    }

    // MARK: the mask

    func testEveryOccurrenceBecomesAFixedWidthPlaceholder() {
        var mask = SecretMask()
        mask.add(text: "hunter2-long-secret")
        XCTAssertEqual(mask.masking("a hunter2-long-secret b hunter2-long-secret"), "a **** b ****")
        // Overlapping or touching secrets make one placeholder, never a piece of either.
        mask.add(text: "alpha-beta-1")
        mask.add(text: "beta-1-gamma")
        XCTAssertEqual(mask.masking("[alpha-beta-1-gamma] [alpha-beta-1alpha-beta-1]"), "[****] [****]")
        XCTAssertEqual(mask.masking("nothing here"), "nothing here")
    }

    func testShortAndEmptyTextsAreMaskedByPlaceOnly() {
        var mask = SecretMask()
        mask.add(text: "")
        mask.add(text: "ab")
        mask.add(text: "xyz")
        XCTAssertEqual(mask.texts, [])
        XCTAssertEqual(mask.masking("a mapping of ab and xyz"), "a mapping of ab and xyz")
        mask.add(text: "wxyz")
        XCTAssertEqual(mask.masking("a wxyz"), "a ****")
    }

    func testTextsUnderEightCharactersAreMaskedAsWholeWordsOnly() {
        var mask = SecretMask()
        mask.add(text: "konnect")
        XCTAssertEqual(mask.masking("konnectors/a.yaml: `konnect` (konnect-2) konnect_x"), "konnectors/a.yaml: `****` (****-2) konnect_x")
        mask.add(text: "long-secret-1")
        XCTAssertEqual(mask.masking("xlong-secret-1y"), "x****y")
    }

    func testATextIsFoundAsEachFormatSpellsIt() {
        var mask = SecretMask()
        let secret = "pa\"ss%wd\u{1B}x"
        mask.add(text: secret)
        let json = JSONValue.string(secret).serialized()
        XCTAssertEqual(mask.masking(json), "\"****\"")
        XCTAssertEqual(mask.masking(DiagnosticGitHubView.escapeData(secret)), "****")
        XCTAssertEqual(mask.masking(TerminalText.escaped(secret)), "****")
    }

    func testAMultiLineTextIsMaskedLineByLine() {
        var mask = SecretMask()
        mask.add(text: "first-line-of-key\nsecond-line-of-key\n")
        XCTAssertEqual(mask.masking("2 | second-line-of-key"), "2 | ****")
    }

    // MARK: the decoder (connections)

    func testARepeatedSecretKeyIsReportedAndMasked() {
        let (decoder, diagnostics) = decoded("connection: c\napp: slack\nsecret: env:OK_TOKEN\nsecret: hunter2-dup\n")
        XCTAssertEqual(diagnostics.map(brief), ["duplicate-key@4:1", "literal-secret@4:9"])
        XCTAssertTrue(decoder.secrets.texts.contains("hunter2-dup"))
        XCTAssertFalse(decoder.secrets.texts.contains("env:OK_TOKEN"), "a reference is no secret")
    }

    func testMisspelledSecretKeysAreMasked() {
        let (decoder, diagnostics) = decoded("connection: c\napp: slack\nsecrte: hunter3-misspelled\nSecret: hunter4-case\nscret: env:FINE\n")
        XCTAssertEqual(diagnostics.map(\.code), [.unknownField, .unknownField, .unknownField])
        XCTAssertEqual(decoder.secrets.texts, ["hunter3-misspelled", "hunter4-case"])
    }

    func testAnEscapedSecretIsMaskedAsWrittenAndAsDecoded() {
        let (decoder, _) = decoded("connection: c\napp: slack\nsecret: \"hunter\\x32-escaped\"\n")
        XCTAssertTrue(decoder.secrets.texts.contains("hunter2-escaped"), "\(decoder.secrets.texts)")
        XCTAssertTrue(decoder.secrets.texts.contains("hunter\\x32-escaped"), "\(decoder.secrets.texts)")
        XCTAssertEqual(decoder.secrets.ranges.map { "\($0.start.line):\($0.start.column)-\($0.end.column)" }, ["3:9-29"])
    }

    // MARK: the project (decoder, checker, views together)

    func testAnAliasOfASecretIsMaskedInEveryFormat() {
        let text = "connection: c\nsecret: &s hunter5-anchor\napp: *s\nscopes: [*s]\n---\nconnection: d\napp: \"hunter\\x35-anchor\"\n"
        let checked = validate(["konnectors/c.yaml": text])
        XCTAssertTrue(checked.diagnostics.contains { $0.code == .unknownApp && $0.message == "unknown app `****`" },
                      "\(checked.diagnostics.map(\.message))")
        assertNoLeak(of: ["hunter5-anchor", "hunter\\x35"], in: checked)
    }

    func testTheSnippetShowsAFixedWidthPlaceholderWithTheCaretOverIt() {
        let checked = validate(["konnectors/c.yaml": "connection: c\napp: slack\nsecret: a-very-long-literal-credential # note\n"])
        let d = checked.diagnostics.first { $0.code == .literalSecret }!
        let out = DiagnosticTextView(color: false, sources: checked.sources).render(d)
        XCTAssertTrue(out.contains("3 | secret: **** # note\n"), out)
        XCTAssertTrue(out.contains("  |         ^^^^ credentials"), out)
    }

    func testTheSourceKeepsItsBytesForDigestsAndShowsItsSecretsStarred() {
        let text = "connection: c\napp: slack\nsecret: a-long-literal é\n"
        let checked = validate(["konnectors/c.yaml": text])
        let source = checked.sources["konnectors/c.yaml"]
        XCTAssertEqual(source?.bytes, Array(text.utf8), "compile keys digest the file as read")
        XCTAssertEqual(checked.redactedFiles, [])
        XCTAssertEqual(source?.lineText(3), "secret: ****************")
        XCTAssertEqual(source?.lineText(2), "app: slack")
    }

    func testAFileThatDoesNotParseHasItsSecretLinesMasked() {
        let checked = validate(["konnectors/c.yaml": "connection: c\nsecret: \"hunter6-unparsed\n"])
        XCTAssertEqual(checked.diagnostics.map(\.code), [.yamlSyntax])
        assertNoLeak(of: ["hunter6-unparsed"], in: checked)
    }

    func testRepeatedKeysInsideASecretAreMasked() {
        let checked = validate(["konnectors/c.yaml": "connection: c\napp: slack\nsecret:\n  token: abcd-first\n  token: abcd-second\n"])
        XCTAssertEqual(Set(checked.diagnostics.map(\.code)), [.literalSecret, .duplicateKey])
        assertNoLeak(of: ["abcd-first", "abcd-second"], in: checked)
    }

    func testKeysNamingASecretAreMaskedInAnyDocumentWithDiagnostics() {
        let text = "connection: c\napp: slack\nsecret: env:OK\nclient_secret: hunter7-client\n"
        let checked = validate(["konnectors/c.yaml": text])
        assertNoLeak(of: ["hunter7-client"], in: checked)
    }

    // MARK: sensitive fields (the checker)

    func testALiteralInASensitiveFieldIsAWarningAndMasked() throws {
        let checked = validate(["konnectors/k.yaml": hook(url: "https://hooks.example/in?token=tok-777777", body: "{ copy: *u }")])
        let warnings = checked.diagnostics.filter { $0.code == .literalSecret }
        XCTAssertEqual(warnings.map(brief), ["literal-secret@14:12"])
        XCTAssertEqual(warnings.first?.severity, .warning)
        XCTAssertEqual(warnings.first?.message, "`url` of webhook.post is sensitive and holds a literal value")
        XCTAssertFalse(checked.hasErrors, "\(checked.diagnostics)")
        assertNoLeak(of: ["tok-777777"], in: checked)
    }

    func testASensitiveFieldTakesAReferenceWhateverItsType() {
        for reference in ["env:HOOK_URL", "vault:hooks/ops"] {
            let checked = validate(["konnectors/k.yaml": hook(url: reference, body: "{}")])
            XCTAssertEqual(checked.diagnostics.map(brief), [], reference)
        }
        let malformed = validate(["konnectors/k.yaml": hook(url: "env:lower-case", body: "{}")])
        XCTAssertEqual(malformed.diagnostics.map(\.message), ["`env:` must name an environment variable, like `env:SHOPIFY_TOKEN`"])
        // A template is no literal; a mapping is one when any of its values is.
        XCTAssertEqual(validate(["konnectors/k.yaml": hook(url: "\"https://{{ trigger.path }}\"", body: "{}")]).diagnostics.map(brief), [])
        let headers = validate(["konnectors/k.yaml": hook(url: "env:U", body: "{}", headers: "{ Authorization: Bearer tok-888888, X: env:Y }")])
        XCTAssertEqual(headers.diagnostics.map(brief), ["literal-secret@15:16"])
        assertNoLeak(of: ["tok-888888"], in: headers)
        let out = DiagnosticTextView(color: false, sources: headers.sources).render(headers.diagnostics, summary: headers.summary)
        XCTAssertTrue(out.contains("headers: { Authorization: ****, X: env:Y }"), "only the literal is masked: \(out)")
    }

    func testDataIsNoSensitiveLiteral() {
        // Test expectations and events are data: a sensitive input's expected value is no warning.
        let suite = "tests: hook\ncases:\n  - name: posts\n    expect:\n      inputs:\n        post: { url: \"https://hooks.example/x\" }\n"
        let checked = validate(["konnectors/k.yaml": hook(url: "env:U", body: "{}"), "konnectors/k.test.yaml": suite])
        XCTAssertEqual(checked.diagnostics.map(brief), [])
    }

    // MARK: helpers

    private func decoded(_ text: String) -> (DocumentDecoder, [Diagnostic]) {
        let parsed = ParsedFile(SourceFile(path: "konnectors/c.yaml", bytes: Array(text.utf8)))
        var decoder = DocumentDecoder(file: "konnectors/c.yaml")
        _ = decoder.decode(parsed.stream)
        return (decoder, Diagnostic.sorted(parsed.diagnostics + decoder.diagnostics))
    }

    private func validate(_ files: [String: String]) -> CheckedProject {
        ProjectValidator().validate(files: files.sorted { $0.key < $1.key }.map { SourceFile(path: $0.key, bytes: Array($0.value.utf8)) },
                                    schemaFiles: CompilerTests.schemaFiles)
    }

    private func hook(url: String, body: String, headers: String = "{}") -> String {
        """
        konnector: hook
        name: Hook
        trigger:
          app: webhook
          event: catch_hook
          with:
            secret: env:HOOK_SECRET
        steps:
          - id: post
            app: webhook
            action: post
            on_error: continue
            with:
              url: &u \(url)
              headers: \(headers)
              body: \(body)

        """
    }

    /// No rendering of the project's diagnostics shows any of `secrets`.
    private func assertNoLeak(of secrets: [String], in checked: CheckedProject, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(checked.diagnostics.isEmpty, file: file, line: line)
        let outputs = [
            DiagnosticTextView(color: false, sources: checked.sources).render(checked.diagnostics, summary: checked.summary),
            DiagnosticJSONView().render(checked.diagnostics, summary: checked.summary),
            DiagnosticGitHubView().render(checked.diagnostics),
            DiagnosticSARIFView(toolVersion: "t").render(checked.diagnostics),
        ]
        for out in outputs {
            for secret in secrets {
                XCTAssertFalse(out.contains(secret), "`\(secret)` leaks:\n\(out)", file: file, line: line)
            }
        }
    }
}
