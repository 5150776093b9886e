// Inputs the fuzzer (issue 18, `make fuzz`) found crashing or breaking an
// invariant, run again through the same in-process pipeline it runs:
// `FuzzPipeline.run`. Each file of Tests/Fixtures/fuzz-regressions/ is one
// input (the fuzzer's format: files separated by `%%% <path>` lines). A
// reproducer whose bug is not fixed yet waits in `pending/`: those are
// listed, and skipped, until the fix moves them up a folder.
import XCTest
@testable import KonnectCore
import KonnectYAML

final class FuzzRegressionTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz-regressions")

    /// The reproducers in a folder (not the README, hidden files or `pending`), sorted.
    static func inputs(in folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().filter { $0 != "README.md" && $0 != "pending" && !$0.hasPrefix(".") }
            .map { folder.appendingPathComponent($0) }
    }

    func testEveryReproducerRunsCleanly() throws {
        let inputs = Self.inputs(in: Self.folder)
        XCTAssertFalse(inputs.isEmpty, "no reproducers found in \(Self.folder.path)")
        for url in inputs {
            let bytes = Array(try Data(contentsOf: url))
            // A crash or trap here takes the whole test run down: that is the failure.
            guard let outcome = FuzzPipeline.run(bytes) else {
                XCTFail("\(url.lastPathComponent): longer than the fuzzer's inputs")
                continue
            }
            XCTAssertEqual(outcome.problems, [], url.lastPathComponent)
        }
    }

    func testPendingReproducers() throws {
        let pending = Self.inputs(in: Self.folder.appendingPathComponent("pending"))
        if !pending.isEmpty {
            throw XCTSkip("\(pending.count) fuzz reproducers wait for their fix (Tests/Fixtures/fuzz-regressions/pending): "
                          + pending.map(\.lastPathComponent).joined(separator: ", "))
        }
    }

    // The pipeline itself.

    func testAnInputIsSplitIntoFilesBySeparatorLines() {
        let input = Array("""
        konnector: a
        %%% schemas/shop.yaml
        app: shop
        %%% konnectors/b.test.yaml
        tests: a
        %%% plan.json
        {}
        """.utf8)
        let (files, schemas, plans) = FuzzPipeline.split(input)
        XCTAssertEqual(files.map(\.path), ["konnectors/fuzz.yaml", "konnectors/b.test.yaml"])
        XCTAssertEqual(files.map { String(decoding: $0.bytes, as: UTF8.self) }, ["konnector: a\n", "tests: a\n"])
        XCTAssertEqual(schemas.map(\.path), ["schemas/shop.yaml"])
        XCTAssertEqual(schemas.map { String(decoding: $0.bytes, as: UTF8.self) }, ["app: shop\n"])
        XCTAssertEqual(plans.map(\.path), ["plan.json"])
    }

    /// A separator counts only at the start of a line; the file count is capped.
    func testSeparatorsInsideLinesAndPastTheCapStayText() {
        let (inline, _, _) = FuzzPipeline.split(Array("name: x %%% schemas/a.yaml\n".utf8))
        XCTAssertEqual(inline.map(\.path), ["konnectors/fuzz.yaml"])
        let many = (0..<40).map { "%%% konnectors/f\($0).yaml\nx: \($0)\n" }.joined()
        let (files, _, _) = FuzzPipeline.split(Array(many.utf8))
        XCTAssertEqual(files.count, FuzzPipeline.maxFiles)
        XCTAssertTrue(String(decoding: files.last!.bytes, as: UTF8.self).contains("%%% konnectors/f39.yaml"))
    }

    /// The secret oracle looks for the values of `secret:` in any case,
    /// repeated keys included, in connection documents only, not references.
    func testTheSecretOracleFindsEveryLiteralSecret() {
        let file = SourceFile(path: "konnectors/c.yaml", bytes: Array("""
        connection: slack-main
        app: slack
        secret: env:SLACK_TOKEN_A
        Secret: xoxb-1234567890-upper
        secret: "xoxb-1234567890-repeated"
        ---
        connection: other
        SECRET: vault:kv/slack
        ---
        konnector: k
        secret: xoxb-1234567890-konnector

        """.utf8))
        XCTAssertEqual(FuzzPipeline.literalSecrets(in: file), ["xoxb-1234567890-upper", "xoxb-1234567890-repeated"])
    }

    /// SPEC §3 through the whole pipeline: however a literal secret is
    /// written (repeated key, other case, an anchor used elsewhere), no
    /// diagnostic of its file shows it, in any format.
    func testLiteralSecretsStayMaskedThroughThePipeline() throws {
        let inputs = [
            "connection: c\napp: slack\nscopes: []\nsecret: env:SLACK\nsecret: xoxb-1234567890-abcdef\n",
            "connection: c\napp: slack\nscopes: []\nSecret: xoxb-1234567890-abcdef\n",
            "connection: c\napp: nowhere\nsecret: &tok xoxb-1234567890-abcdef\nscopes: [*tok]\n",
        ]
        for text in inputs {
            let outcome = try XCTUnwrap(FuzzPipeline.run(Array(("%%% konnectors/c.yaml\n" + text).utf8)))
            XCTAssertFalse(outcome.codes.isEmpty, text)
            XCTAssertEqual(outcome.problems, [], text)
        }
    }

    func testTooLongAnInputIsNotRun() {
        XCTAssertNil(FuzzPipeline.run([UInt8](repeating: 0x61, count: FuzzPipeline.maxInputBytes + 1)))
        XCTAssertNotNil(FuzzPipeline.run([]))
    }

    /// A konnector, its schema and its tests in one input go all the way:
    /// checked, compiled, run on the sample, its test case run.
    func testAProjectInOneInputReachesEveryStage() throws {
        let input = """
        %%% konnectors/hook.yaml
        konnector: hook
        name: Hook
        trigger: { app: hooks, event: caught }
        steps:
          - id: post
            app: hooks
            action: post
            with:
              text: "{{ trigger.body | upper }}"
        %%% konnectors/hook.test.yaml
        tests: hook
        cases:
          - name: shouts
            event: { body: hi }
            expect:
              inputs:
                post: { text: HI }
        %%% schemas/hooks.yaml
        app: hooks
        name: Hooks
        auth: none
        scopes: {}
        triggers:
          caught:
            name: Caught
            scopes: []
            output:
              body: string
            sample: { body: hello }
        actions:
          post:
            name: Post
            scopes: []
            input:
              text: string
            output: {}
            sample: {}

        """
        let outcome = try XCTUnwrap(FuzzPipeline.run(Array(input.utf8)))
        XCTAssertEqual(outcome.codes, [])
        XCTAssertEqual(outcome.compiled, 1)
        XCTAssertEqual(outcome.runs, 1)
        XCTAssertEqual(outcome.testCases, 1)
        XCTAssertEqual(outcome.problems, [])
    }
}
