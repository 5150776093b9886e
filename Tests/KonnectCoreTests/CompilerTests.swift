import Foundation
import KonnectCore
import KonnectYAML
import XCTest

/// The compile stage (SPEC §8): canonical, hashed definitions. Cosmetic
/// edits of the YAML keep the hash; real edits change it.
final class CompilerTests: XCTestCase {
    // MARK: helpers

    /// The fixtures' shared webhook and slack schemas.
    static let schemaFiles = FixtureFiles.schemas(["webhook", "slack"])

    static let connectionsText = """
    connection: slack-sales
    app: slack
    scopes: [chat:write]
    secret: env:SLACK_SALES_TOKEN

    """

    /// Validates `files` (plus a slack connection) and compiles everything.
    static func compile(_ files: [String: String], includeConnections: Bool = true,
                        file: StaticString = #filePath, line: UInt = #line) -> [CompiledObject] {
        XCTAssertFalse(schemaFiles.contains { $0.bytes.isEmpty }, "missing fixture schemas", file: file, line: line)
        var sources = files.sorted { $0.key < $1.key }.map { SourceFile(path: $0.key, bytes: Array($0.value.utf8)) }
        if includeConnections { sources.append(SourceFile(path: "konnectors/connections.yaml", bytes: Array(connectionsText.utf8))) }
        let checked = ProjectValidator().validate(files: sources, schemaFiles: schemaFiles)
        let errors = checked.diagnostics.filter { $0.severity == .error }
        XCTAssertTrue(errors.isEmpty, "unexpected diagnostics: \(errors.map { "\($0.file):\($0.range.start.line): [\($0.code.rawValue)] \($0.message)" })",
                      file: file, line: line)
        return checked.connections.compactMap(Compiler.compile) + checked.checkedKonnectors.map(Compiler.compile)
    }

    static func konnector(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> CompiledObject {
        let objects = compile(["konnectors/k.yaml": text], file: file, line: line)
        return try XCTUnwrap(objects.first { $0.kind == .konnector }, "no konnector compiled", file: file, line: line)
    }

    static func connection(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> CompiledObject {
        let checked = ProjectValidator().validate(files: [SourceFile(path: "konnectors/c.yaml", bytes: Array(text.utf8))],
                                                  schemaFiles: schemaFiles)
        XCTAssertFalse(checked.hasErrors, "\(checked.diagnostics.map(\.message))", file: file, line: line)
        return try XCTUnwrap(checked.connections.compactMap(Compiler.compile).first, file: file, line: line)
    }

    /// The reference konnector; every cosmetic variant below must hash the same.
    static let base = """
    konnector: signup-to-slack
    name: Signup → Slack
    description: Announces website signups.
    tags: [sales, web]
    trigger:
      app: webhook
      event: catch_hook
      with:
        method: POST
    when: trigger.body.email != null and trigger.body.plan == 'pro'
    steps:
      - id: notify
        app: slack
        action: send_message
        connection: slack-sales
        if: trigger.body.seats > 2
        with:
          channel: "#sales"
          text: "New signup: {{ trigger.body.email | lower }} ({{ trigger.body.seats + 1 }})"
      - id: forward
        app: webhook
        action: post
        on_error: continue
        with:
          url: https://hooks.example/in?token=tok-123456
          body:
            event: signup
            labels: [a, "{{ trigger.body.plan | to_string | upper }}"]

    """

    // MARK: cosmetic edits keep the hash

    func testCosmeticVariantsHashTheSame() throws {
        let reference = try Self.konnector(Self.base)
        let variants: [(String, String)] = [
            ("comments", """
            # A comment at the top.
            konnector: signup-to-slack   # trailing comment
            name: Signup → Slack
            description: Announces website signups.
            tags: [sales, web]
            trigger:
              # about the trigger
              app: webhook
              event: catch_hook
              with:
                method: POST
            when: trigger.body.email != null and trigger.body.plan == 'pro'
            steps:
              - id: notify   # first step
                app: slack
                action: send_message
                connection: slack-sales
                if: trigger.body.seats > 2
                with:
                  channel: "#sales"
                  text: "New signup: {{ trigger.body.email | lower }} ({{ trigger.body.seats + 1 }})"
              # second step
              - id: forward
                app: webhook
                action: post
                on_error: continue
                with:
                  url: https://hooks.example/in?token=tok-123456
                  body:
                    event: signup
                    labels: [a, "{{ trigger.body.plan | to_string | upper }}"]

            """),
            ("key order (the first key names the document)", """
            konnector: signup-to-slack
            steps:
              - with:
                  text: "New signup: {{ trigger.body.email | lower }} ({{ trigger.body.seats + 1 }})"
                  channel: "#sales"
                if: trigger.body.seats > 2
                connection: slack-sales
                action: send_message
                app: slack
                id: notify
              - on_error: continue
                id: forward
                with:
                  body:
                    labels: [a, "{{ trigger.body.plan | to_string | upper }}"]
                    event: signup
                  url: https://hooks.example/in?token=tok-123456
                action: post
                app: webhook
            when: trigger.body.email != null and trigger.body.plan == 'pro'
            trigger:
              with:
                method: POST
              event: catch_hook
              app: webhook
            tags: [sales, web]
            description: Announces website signups.
            name: Signup → Slack

            """),
            ("quoting", """
            konnector: "signup-to-slack"
            name: 'Signup → Slack'
            description: "Announces website signups."
            tags: ["sales", 'web']
            trigger:
              app: 'webhook'
              event: "catch_hook"
              with:
                method: 'POST'
            when: "trigger.body.email != null and trigger.body.plan == 'pro'"
            steps:
              - id: 'notify'
                app: slack
                action: send_message
                connection: "slack-sales"
                if: 'trigger.body.seats > 2'
                with:
                  channel: '#sales'
                  text: 'New signup: {{ trigger.body.email | lower }} ({{ trigger.body.seats + 1 }})'
              - id: forward
                app: webhook
                action: post
                on_error: "continue"
                with:
                  url: "https://hooks.example/in?token=tok-123456"
                  body:
                    event: "signup"
                    labels: ['a', '{{ trigger.body.plan | to_string | upper }}']

            """),
            ("flow style", """
            konnector: signup-to-slack
            name: Signup → Slack
            description: Announces website signups.
            tags:
              - sales
              - web
            trigger: { app: webhook, event: catch_hook, with: { method: POST } }
            when: trigger.body.email != null and trigger.body.plan == 'pro'
            steps:
              - { id: notify, app: slack, action: send_message, connection: slack-sales, if: trigger.body.seats > 2,
                  with: { channel: "#sales", text: "New signup: {{ trigger.body.email | lower }} ({{ trigger.body.seats + 1 }})" } }
              - id: forward
                app: webhook
                action: post
                on_error: continue
                with: { url: "https://hooks.example/in?token=tok-123456", body: { event: signup, labels: [a, "{{ trigger.body.plan | to_string | upper }}"] } }

            """),
            ("indentation", """
            konnector: signup-to-slack
            name: Signup → Slack
            description: Announces website signups.
            tags: [sales, web]
            trigger:
                app: webhook
                event: catch_hook
                with:
                        method: POST
            when: trigger.body.email != null and trigger.body.plan == 'pro'
            steps:
            -   id: notify
                app: slack
                action: send_message
                connection: slack-sales
                if: trigger.body.seats > 2
                with:
                    channel: "#sales"
                    text: "New signup: {{ trigger.body.email | lower }} ({{ trigger.body.seats + 1 }})"
            -   id: forward
                app: webhook
                action: post
                on_error: continue
                with:
                    url: https://hooks.example/in?token=tok-123456
                    body:
                        event: signup
                        labels: [a, "{{ trigger.body.plan | to_string | upper }}"]

            """),
            ("spacing in expressions", """
            konnector: signup-to-slack
            name: Signup → Slack
            description: Announces website signups.
            tags: [sales, web]
            trigger:
              app: webhook
              event: catch_hook
              with:
                method: POST
            when: "trigger.body.email!=null   and  trigger.body.plan=='pro'"
            steps:
              - id: notify
                app: slack
                action: send_message
                connection: slack-sales
                if: trigger.body.seats>2
                with:
                  channel: "#sales"
                  text: "New signup: {{trigger.body.email|lower}} ({{   trigger.body.seats+1 }})"
              - id: forward
                app: webhook
                action: post
                on_error: continue
                with:
                  url: https://hooks.example/in?token=tok-123456
                  body:
                    event: signup
                    labels: [a, "{{trigger.body.plan | to_string|upper}}"]

            """),
            ("tag order and explicit defaults", """
            konnector: signup-to-slack
            name: Signup → Slack
            description: Announces website signups.
            tags: [web, sales]
            trigger:
              app: webhook
              event: catch_hook
            when: trigger.body.email != null and trigger.body.plan == 'pro'
            steps:
              - id: notify
                app: slack
                action: send_message
                connection: slack-sales
                if: trigger.body.seats > 2
                on_error: stop
                with:
                  channel: "#sales"
                  text: "New signup: {{ trigger.body.email | lower }} ({{ trigger.body.seats + 1 }})"
                  unfurl_links: false
                  mrkdwn: true
              - id: forward
                app: webhook
                action: post
                on_error: continue
                with:
                  url: https://hooks.example/in?token=tok-123456
                  method: POST
                  payload_type: json
                  timeout_seconds: 30
                  body:
                    event: signup
                    labels: [a, "{{ trigger.body.plan | to_string | upper }}"]

            """),
        ]
        for (what, text) in variants {
            let compiled = try Self.konnector(text)
            XCTAssertEqual(compiled.hash, reference.hash, "\(what): the hash changed")
            XCTAssertEqual(compiled.canonicalJSON, reference.canonicalJSON, "\(what): the canonical JSON changed")
        }
    }

    func testExpressionsAreReprintedInOneCanonicalSpacing() throws {
        let tight = try Self.konnector(Self.base.replacingOccurrences(
            of: "{{ trigger.body.email | lower }}", with: "{{trigger.body.email|lower}}"))
        let steps = try XCTUnwrap(tight.definition?["steps"]?.arrayValue)
        XCTAssertEqual(steps[0]["with"]?["text"], .string("New signup: {{ trigger.body.email | lower }} ({{ trigger.body.seats + 1 }})"))
        XCTAssertEqual(steps[0]["if"], .string("trigger.body.seats > 2"))
        XCTAssertEqual(tight.definition?["when"], .string("trigger.body.email != null and trigger.body.plan == 'pro'"))
    }

    func testConnectionCosmeticVariantsHashTheSame() throws {
        let a = try Self.connection("""
        connection: slack-sales
        app: slack
        scopes: [chat:write, channels:read]
        secret: env:SLACK_SALES_TOKEN

        """)
        let b = try Self.connection("""
        # the sales workspace
        connection: slack-sales
        secret: "env:SLACK_SALES_TOKEN"
        scopes:
          - channels:read
          - "chat:write"
        app: 'slack'

        """)
        XCTAssertEqual(a.kind, .connection)
        XCTAssertEqual(a.hash, b.hash)
        XCTAssertEqual(a.definition?["scopes"], .array([.string("channels:read"), .string("chat:write")]), "scopes are sorted")
        let c = try Self.connection("""
        connection: slack-sales
        app: slack
        scopes: [chat:write]
        secret: env:SLACK_SALES_TOKEN

        """)
        XCTAssertNotEqual(a.hash, c.hash, "a scope less is a real change")
        let d = try Self.connection("""
        connection: slack-sales
        app: slack
        scopes: [chat:write, channels:read]
        secret: vault:secret/slack

        """)
        XCTAssertNotEqual(a.hash, d.hash, "another secret reference is a real change")
    }

    // MARK: real edits change the hash

    func testRealChangesChangeTheHash() throws {
        let reference = try Self.konnector(Self.base)
        let edits: [(String, String, String)] = [
            ("a value", "channel: \"#sales\"", "channel: \"#sales-eu\""),
            ("the name", "name: Signup → Slack", "name: Signup → Slack!"),
            ("enabled", "tags: [sales, web]", "tags: [sales, web]\nenabled: false"),
            ("a tag", "tags: [sales, web]", "tags: [sales]"),
            ("an expression", "trigger.body.seats > 2", "trigger.body.seats >= 2"),
            ("text around a template", "New signup: {{", "New sign-up: {{"),
            ("on_error", "on_error: continue", "on_error: stop"),
            ("an explicit non-default", "      channel: \"#sales\"\n", "      channel: \"#sales\"\n      mrkdwn: false\n"),
            ("a list order", "labels: [a, \"{{", "labels: [b, \"{{"),
        ]
        var seen: Set<String> = [reference.hash]
        for (what, old, new) in edits {
            XCTAssertTrue(Self.base.contains(old), "bad edit \(what)")
            let compiled = try Self.konnector(Self.base.replacingOccurrences(of: old, with: new))
            XCTAssertNotEqual(compiled.hash, reference.hash, "\(what): the hash did not change")
            XCTAssertFalse(seen.contains(compiled.hash), "\(what): the hash collides with another edit")
            seen.insert(compiled.hash)
        }
    }

    func testStepOrderIsARealChange() throws {
        let reference = try Self.konnector(Self.base)
        let notify = """
          - id: notify
            app: slack
            action: send_message
            connection: slack-sales
            if: trigger.body.seats > 2
            with:
              channel: "#sales"
              text: "New signup: {{ trigger.body.email | lower }} ({{ trigger.body.seats + 1 }})"

        """
        let forward = """
          - id: forward
            app: webhook
            action: post
            on_error: continue
            with:
              url: https://hooks.example/in?token=tok-123456
              body:
                event: signup
                labels: [a, "{{ trigger.body.plan | to_string | upper }}"]

        """
        let head = Self.base.components(separatedBy: "steps:\n")[0] + "steps:\n"
        XCTAssertEqual(try Self.konnector(head + notify + forward).hash, reference.hash)
        XCTAssertNotEqual(try Self.konnector(head + forward + notify).hash, reference.hash)
    }

    // MARK: the compiled definition

    func testDefaultsAreFilledFromTheSchema() throws {
        let compiled = try Self.konnector("""
        konnector: minimal
        name: Minimal
        trigger:
          app: webhook
          event: catch_hook
        steps:
          - id: forward
            app: webhook
            action: post
            with:
              url: https://example.com/in

        """)
        let d = try XCTUnwrap(compiled.definition)
        XCTAssertEqual(d["trigger"]?["with"]?["method"], .string("POST"), "trigger config default")
        XCTAssertNil(d["trigger"]?["with"]?["secret"], "a field without a default stays absent")
        let step = try XCTUnwrap(d["steps"]?.arrayValue?.first)
        XCTAssertEqual(step["with"]?["method"], .string("POST"))
        XCTAssertEqual(step["with"]?["payload_type"], .string("json"))
        XCTAssertEqual(step["with"]?["timeout_seconds"], .int(30))
        XCTAssertEqual(step["on_error"], .string("stop"), "on_error defaults to stop")
        XCTAssertEqual(step["if"], .null)
        XCTAssertEqual(step["connection"], .null)
        XCTAssertEqual(d["enabled"], .bool(true), "enabled defaults to true")
        XCTAssertEqual(d["tags"], .array([]))
        XCTAssertEqual(d["description"], .null)
        XCTAssertEqual(d["when"], .null)
        XCTAssertEqual(d["id"], .string("minimal"))
        XCTAssertEqual(compiled.name, "Minimal")
        XCTAssertTrue(compiled.enabled)
        XCTAssertNil(compiled.renamedFrom)
        XCTAssertEqual(compiled.sourceFile, "konnectors/k.yaml")
    }

    func testCanonicalJSONHasSortedKeysAndTheHashIsItsSHA256() throws {
        let compiled = try Self.konnector(Self.base)
        let canonical = try XCTUnwrap(compiled.canonicalJSON)
        let parsed = try JSONParser.parse(canonical)
        XCTAssertEqual(parsed, compiled.definition?.sortedRecursively(), "the canonical JSON is the definition")
        func assertSorted(_ v: JSONValue, _ path: String) {
            switch v {
            case .object(let members):
                let keys = members.map(\.key)
                XCTAssertEqual(keys, keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }, "keys at `\(path)` are not sorted")
                for m in members { assertSorted(m.value, path + "." + m.key) }
            case .array(let items):
                for (i, item) in items.enumerated() { assertSorted(item, "\(path)[\(i)]") }
            default: break
            }
        }
        assertSorted(parsed, "")
        XCTAssertFalse(canonical.contains("\n"), "canonical JSON is compact")
        XCTAssertEqual(canonical, compiled.definition?.serialized(sortedKeys: true))
        XCTAssertTrue(canonical.hasPrefix("{\"description\":"), canonical)
        XCTAssertEqual(compiled.hash, SHA256Hex.digest(canonical))
        XCTAssertEqual(compiled.hash.count, 64)
        XCTAssertTrue(compiled.hash.allSatisfy { "0123456789abcdef".contains($0) }, "lowercase hex")
        // A known vector, so the hash is SHA-256 and not some other digest.
        XCTAssertEqual(SHA256Hex.digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256Hex.digest(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testSensitivePathsAreRecorded() throws {
        let compiled = try Self.konnector("""
        konnector: hook-forward
        name: Forward hooks
        \(KonnectorYAML.hookForward)
              headers: { Authorization: "Bearer abc" }
          - id: ping
            app: webhook
            action: get
            with:
              url: https://hooks.example/ping

        """)
        XCTAssertEqual(Set(compiled.sensitivePaths), [
            "trigger.with.secret", "steps.forward.with.url", "steps.forward.with.headers", "steps.ping.with.url",
        ])
        XCTAssertFalse(compiled.sensitivePaths.contains("trigger.with.method"))
        XCTAssertFalse(compiled.sensitivePaths.contains { $0.contains("body") })
    }

    func testConnectionsUsedAndRenamedFromAreRecordedButNotHashed() throws {
        let compiled = try Self.konnector(Self.base)
        XCTAssertEqual(compiled.connections, ["slack-sales"])
        XCTAssertEqual(compiled.tags, ["sales", "web"])
        let renamed = try Self.konnector(Self.base.replacingOccurrences(
            of: "konnector: signup-to-slack\n", with: "konnector: signup-to-slack\nrenamed_from: old-signup\n"))
        XCTAssertEqual(renamed.renamedFrom, "old-signup")
        XCTAssertEqual(renamed.hash, compiled.hash, "renamed_from is a plan directive, not part of the definition")
    }

    func testEveryKonnectorOfAProjectCompiles() {
        let objects = Self.compile([
            "konnectors/a.yaml": Self.base,
            "konnectors/b.yaml": Self.base.replacingOccurrences(of: "konnector: signup-to-slack", with: "konnector: other"),
        ])
        XCTAssertEqual(objects.filter { $0.kind == .konnector }.map(\.id).sorted(), ["other", "signup-to-slack"])
        XCTAssertEqual(objects.filter { $0.kind == .connection }.map(\.id), ["slack-sales"])
        let byID = Dictionary(uniqueKeysWithValues: objects.filter { $0.kind == .konnector }.map { ($0.id, $0) })
        XCTAssertNotEqual(byID["other"]?.hash, byID["signup-to-slack"]?.hash, "the id is part of the definition")
    }
}

fileprivate extension JSONValue {
    /// The same value with every object's members sorted (UTF-16 order).
    func sortedRecursively() -> JSONValue {
        switch self {
        case .object(let members):
            return .object(members.sorted { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }
                .map { JSONValue.Member($0.key, $0.value.sortedRecursively()) })
        case .array(let items):
            return .array(items.map { $0.sortedRecursively() })
        default:
            return self
        }
    }
}
