// `konnect schema json-schema` (SPEC §10, issue 19 item 10): the output is
// itself a valid draft 2020-12 JSON Schema, says what SPEC says, and
// accepts every bundled konnector, connection and test file. The metaschema
// check and the validation run in python3's `jsonschema` (present in CI).
import Foundation
import XCTest

/// Checks a schema against the 2020-12 metaschema, then validates the YAML
/// files' documents with it: one line for each invalid document, with the
/// most relevant error. YAML is read as YAML 1.2 reads it (as konnect
/// does): no timestamps, and only true/false are booleans.
private let validatorScript = """
import re, sys, yaml
from jsonschema import Draft202012Validator as V
from jsonschema.exceptions import best_match
class Loader(yaml.SafeLoader):
    pass
Loader.yaml_implicit_resolvers = {
    k: [(tag, r) for tag, r in v if tag not in ('tag:yaml.org,2002:timestamp', 'tag:yaml.org,2002:bool')]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
Loader.add_implicit_resolver('tag:yaml.org,2002:bool', re.compile(r'^(?:true|True|TRUE|false|False|FALSE)$'), list('tTfF'))
import json
schema = json.load(open(sys.argv[1], encoding='utf-8'))
V.check_schema(schema)
validator = V(schema)
problems = []
for path in sys.argv[2:]:
    with open(path, encoding='utf-8') as f:
        for i, doc in enumerate(yaml.load_all(f, Loader=Loader)):
            if doc is None:
                continue
            e = best_match(validator.iter_errors(doc))
            if e is not None:
                problems.append(f"{path} document {i + 1} at {e.json_path} ({e.validator}): {e.message[:200]}")
print("\\n".join(problems + [f"{len(problems)} problems"]))
"""

final class JSONSchemaTests: XCTestCase {
    private func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("konnect-jsonschema-\(UUID().uuidString)")
            .resolvingSymlinksInPath()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// `konnect schema json-schema` in `project`, written to a file, and parsed.
    private func schema(in project: URL) throws -> (file: URL, json: [String: Any]) {
        let result = try KonnectRunner.run(["schema", "json-schema"], in: project)
        assertExit(result, 0)
        let file = try scratch().appendingPathComponent("konnector.schema.json")
        try result.stdout.write(to: file)
        return (file, try result.json())
    }

    /// Runs the validator script; nil when python3, jsonschema or PyYAML is missing here.
    private func validate(schema: URL, files: [String]) throws -> (status: Int32, output: String)? {
        func python(_ arguments: [String]) throws -> (Int32, String) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3"] + arguments
            let out = try scratch().appendingPathComponent("out")
            _ = FileManager.default.createFile(atPath: out.path, contents: nil)
            let handle = try FileHandle(forWritingTo: out)
            defer { try? handle.close() }
            p.standardOutput = handle
            p.standardError = handle
            try p.run()
            p.waitUntilExit()
            return (p.terminationStatus, String(decoding: try Data(contentsOf: out), as: UTF8.self))
        }
        guard (try? python(["-c", "import jsonschema, yaml"]))?.0 == 0 else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("python3 with jsonschema and PyYAML is missing in CI") }
            return nil
        }
        return try python(["-c", validatorScript, schema.path] + files)
    }

    private static let skipMessage = "python3 with jsonschema and PyYAML is not installed (pip install jsonschema pyyaml)"

    func testTheSchemaIsValidAndAcceptsEveryBundledFile() throws {
        let root = KonnectRunner.packageRoot
        let (file, _) = try schema(in: root)
        let folder = root.appendingPathComponent("konnectors")
        let files = (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { folder.appendingPathComponent($0).path }
        XCTAssertGreaterThan(files.count, 10)
        guard let result = try validate(schema: file, files: files) else { throw XCTSkip(Self.skipMessage) }
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(result.output, "0 problems\n")
    }

    /// SPEC §2: at least 1 step, at most 100 in all.
    func testStepsAreCappedAsSPECSays() throws {
        let root = KonnectRunner.packageRoot
        let (file, json) = try schema(in: root)
        let defs = try XCTUnwrap(json["$defs"] as? [String: Any])
        let konnector = try XCTUnwrap(defs["konnector"] as? [String: Any])
        let steps = try XCTUnwrap((konnector["properties"] as? [String: Any])?["steps"] as? [String: Any])
        XCTAssertEqual(steps["minItems"] as? Int, 1)
        XCTAssertEqual(steps["maxItems"] as? Int, 100)

        let dir = try scratch()
        func konnectorFile(steps n: Int) throws -> String {
            let text = "konnector: many\nname: Many\ntrigger: { app: webhook, event: catch_hook }\nsteps:\n"
                + (1...n).map { "  - { id: s\($0), app: slack, action: send_message, connection: slack-sales, with: { channel: \"#x\", text: hi } }\n" }.joined()
            let url = dir.appendingPathComponent("steps-\(n).yaml")
            try Data(text.utf8).write(to: url)
            return url.path
        }
        let files = [try konnectorFile(steps: 100), try konnectorFile(steps: 101)]
        guard let result = try validate(schema: file, files: files) else { throw XCTSkip(Self.skipMessage) }
        XCTAssertEqual(result.status, 0, result.output)
        let problems = result.output.split(separator: "\n")
        XCTAssertEqual(problems.count, 2, result.output)
        XCTAssertTrue(problems.first?.hasPrefix("\(files[1]) document 1 at $.steps (maxItems): ") ?? false, result.output)
    }

    /// An app with actions and no triggers, one with a trigger and no actions, and a project with no apps:
    /// `allOf` is left out rather than empty (the metaschema wants it non-empty).
    func testNoEmptyListsWhereTheMetaschemaForbidsThem() throws {
        let project = try scratch()
        try FileManager.default.createDirectory(at: project.appendingPathComponent("konnectors"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: project.appendingPathComponent("schemas"), withIntermediateDirectories: true)
        try Data("project: notes\n".utf8).write(to: project.appendingPathComponent("konnect.yaml"))
        let empty = try schema(in: project)
        XCTAssertEqual(Self.emptySchemaLists(in: empty.json), [])

        try Data("""
        app: notes
        name: Notes
        auth: none
        actions:
          add:
            name: Add
            input:
              text: { type: string, required: true }
              mood: "enum(happy, sad)"
            output: { id: string }

        """.utf8).write(to: project.appendingPathComponent("schemas/notes.yaml"))
        try Data("""
        app: clock
        name: Clock
        auth: none
        triggers:
          tick:
            name: Tick
            output: { at: datetime }

        """.utf8).write(to: project.appendingPathComponent("schemas/clock.yaml"))
        let (file, json) = try schema(in: project)
        XCTAssertEqual(Self.emptySchemaLists(in: json), [])

        // An optional enum input may be null, as konnect accepts it; a template may fill it.
        var documents: [String] = []
        for mood in ["null", "happy", "\"{{ trigger.body }}\"", "angry"] {
            let url = project.appendingPathComponent("konnectors/\(documents.count).yaml")
            try Data("""
            konnector: k\(documents.count)
            name: K
            trigger: { app: clock, event: tick }
            steps:
              - { id: add, app: notes, action: add, with: { text: hi, mood: \(mood) } }

            """.utf8).write(to: url)
            documents.append(url.path)
        }
        let metaschemaOnly = try validate(schema: file, files: [])
        guard let metaschemaOnly, let result = try validate(schema: empty.file, files: []) else { throw XCTSkip(Self.skipMessage) }
        XCTAssertEqual(metaschemaOnly.status, 0, metaschemaOnly.output)
        XCTAssertEqual(result.status, 0, result.output)
        let moods = try XCTUnwrap(try validate(schema: file, files: documents))
        XCTAssertEqual(moods.status, 0, moods.output)
        let problem = moods.output.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(problem.hasPrefix("\(documents[3]) document 1 at $.steps[0].with.mood ("), moods.output)
        XCTAssertTrue(problem.contains("'angry'"), moods.output)
        XCTAssertTrue(moods.output.hasSuffix("\n1 problems\n"), moods.output)
    }

    /// SPEC §2.1: every flow form is accepted (the fixtures of the flow tests,
    /// which konnect validates clean); a step mixing kinds, or a form's key
    /// out of place, is refused at that step.
    func testFlowFormsAreAcceptedAndMixedStepsRefused() throws {
        let root = KonnectRunner.packageRoot
        let (file, _) = try schema(in: root)
        let fixtures = FixtureProject.fixtures
        let accepted = ["flow-export/project/konnectors/order-flow.yaml", "flow-export/project/konnectors/weekday-digest.yaml",
                        "flow-export/project/konnectors/typed-signup.yaml", "flow-schedule/clean/konnectors/weekday-digest.yaml",
                        "flow-schedule/clean/konnectors/typed-signup.yaml"].map { fixtures.appendingPathComponent($0).path }
        guard let clean = try validate(schema: file, files: accepted) else { throw XCTSkip(Self.skipMessage) }
        XCTAssertEqual(clean.status, 0, clean.output)
        XCTAssertEqual(clean.output, "0 problems\n")

        let head = "konnector: k\nname: K\ntrigger: { app: webhook, event: catch_hook }\nsteps:\n"
        let action = "app: slack, action: send_message, connection: slack-sales, with: { channel: \"#x\", text: hi }"
        // Each document, and where its one problem is.
        let refused: [(String, String)] = [
            (head + "  - { id: s, \(action), paths: [{ id: p, steps: [{ id: t, delay: 1m }] }] }\n", "$.steps[0]"),
            (head + "  - { id: s, repeat: trigger.body, steps: [{ id: t, delay: 1m }], delay: 1m }\n", "$.steps[0]"),
            (head + "  - { id: s, delay: 1m, delay_until: trigger.received_at }\n", "$.steps[0]"),
            (head + "  - { id: s, paths: [{ id: p, steps: [{ id: t, delay: 1m }] }], retry: { times: 2 } }\n", "$.steps[0]"),
            (head + "  - { id: s, repeat: trigger.body }\n", "$.steps[0]"),
            (head + "  - { id: s, delay: 2 hours }\n", "$.steps[0]"),
            (head + "  - { id: s, \(action), retry: { times: 11 } }\n", "$.steps[0]"),
            (head + "  - { id: s, paths: [{ id: p, steps: [{ id: t, \(action), delay: 1m }] }] }\n", "$.steps[0]"),
            (head + "  - { id: s, repeat: trigger.body, steps: [{ id: t, repeat: trigger.body, steps: [{ id: u, \(action), mode: all }] }] }\n", "$.steps[0]"),
            ("konnector: k\nname: K\ntrigger: { schedule: { cron: \"0 9 * * *\" }, app: webhook }\nsteps:\n  - { id: t, delay: 1m }\n", "$.trigger"),
            ("konnector: k\nname: K\ntrigger: { schedule: { cron: \"0 9 * * *\", zone: UTC } }\nsteps:\n  - { id: t, delay: 1m }\n", "$.trigger"),
            ("konnector: k\nname: K\ntrigger: { app: webhook, event: catch_hook, payload: [email] }\nsteps:\n  - { id: t, delay: 1m }\n", "$.trigger"),
        ]
        let dir = try scratch()
        var files: [String] = []
        for (i, (text, _)) in refused.enumerated() {
            let url = dir.appendingPathComponent("refused-\(i).yaml")
            try Data(text.utf8).write(to: url)
            files.append(url.path)
        }
        let result = try XCTUnwrap(try validate(schema: file, files: files))
        XCTAssertEqual(result.status, 0, result.output)
        let lines = result.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.last, "\(refused.count) problems", result.output)
        for (i, (_, at)) in refused.enumerated() {
            XCTAssertTrue(lines.contains { $0.hasPrefix("\(files[i]) document 1 at \(at)") }, "document \(i) refused at \(at):\n\(result.output)")
        }
    }

    /// The paths of `allOf`, `anyOf` and `oneOf` lists that are empty.
    static func emptySchemaLists(in value: Any, at path: String = "$") -> [String] {
        if let object = value as? [String: Any] {
            return object.keys.sorted().flatMap { key -> [String] in
                let child = object[key]!
                if ["allOf", "anyOf", "oneOf"].contains(key), (child as? [Any])?.isEmpty ?? false { return ["\(path).\(key)"] }
                return emptySchemaLists(in: child, at: "\(path).\(key)")
            }
        }
        if let array = value as? [Any] {
            return array.enumerated().flatMap { emptySchemaLists(in: $1, at: "\(path)[\($0)]") }
        }
        return []
    }
}
