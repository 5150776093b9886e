import Foundation
@testable import KonnectCore
import XCTest

/// `konnect schema json-schema` describes the flow forms of SPEC §2.1: a step
/// is exactly one of four kinds, nested steps refer back to the step list,
/// `retry`, a scheduled trigger and a typed payload. Checked on the generated
/// JSON with a small reader of the keywords these parts use (`$ref`, `oneOf`,
/// `required`, `properties`, `additionalProperties: false`); the full
/// validation by a JSON Schema implementation is JSONSchemaTests' (end to end).
final class JSONSchemaFlowTests: XCTestCase {
    let schema = JSONSchemaGenerator(schemas: SchemaSet()).generate()

    func def(_ name: String) throws -> JSONValue {
        try XCTUnwrap(schema["$defs"]?[name], "no $defs.\(name)")
    }

    /// `node`, or the definition its `$ref` names.
    func resolved(_ node: JSONValue) throws -> JSONValue {
        guard case .string(let ref)? = node["$ref"] else { return node }
        XCTAssertTrue(ref.hasPrefix("#/$defs/"), ref)
        return try def(String(ref.dropFirst("#/$defs/".count)))
    }

    /// Whether `object` (an instance's keys) meets `subschema`'s `required`,
    /// closed `properties` and `oneOf` of `required` lists.
    func accepts(_ subschema: JSONValue, _ keys: Set<String>) throws -> Bool {
        let s = try resolved(subschema)
        let required = Set((s["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        guard required.isSubset(of: keys) else { return false }
        if s["additionalProperties"] == .bool(false), case .object(let properties)? = s["properties"] {
            guard keys.isSubset(of: Set(properties.map(\.key))) else { return false }
        }
        if let alternatives = s["oneOf"]?.arrayValue {
            return try alternatives.filter { try accepts($0, keys) }.count == 1
        }
        return true
    }

    /// The `oneOf` branches of `def` that accept `keys`, by their `$ref` or position.
    func branches(of name: String, accepting keys: Set<String>) throws -> [String] {
        let alternatives = try XCTUnwrap(try def(name)["oneOf"]?.arrayValue, "\(name) has no oneOf")
        return try alternatives.enumerated().filter { try accepts($0.element, keys) }
            .map { $0.element["$ref"]?.stringValue.map { String($0.dropFirst("#/$defs/".count)) } ?? "\($0.offset)" }
    }

    func testTheOutputIsValidJSON() throws {
        let text = schema.serialized()
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        XCTAssertNotNil(parsed?["$defs"] as? [String: Any], text)
        // And with the project's apps, whose rules join the action step.
        let (schemas, problems, _) = SchemaLoader().load(CompilerTests.schemaFiles)
        XCTAssertEqual(problems.count, 0)
        let withApps = JSONSchemaGenerator(schemas: schemas).generate()
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(withApps.serialized().utf8)))
        XCTAssertNotNil(withApps["$defs"]?["action_step"]?["allOf"])
    }

    func testAStepIsExactlyOneKind() throws {
        let step = try def("step")
        XCTAssertEqual(step["oneOf"]?.arrayValue?.compactMap { $0["$ref"]?.stringValue },
                       ["#/$defs/action_step", "#/$defs/paths_step", "#/$defs/repeat_step", "#/$defs/delay_step"])
        let accepted: [(Set<String>, String)] = [
            (["id", "app", "action"], "action_step"),
            (["id", "app", "action", "connection", "if", "on_error", "retry", "with"], "action_step"),
            (["id", "paths"], "paths_step"),
            (["id", "if", "mode", "paths"], "paths_step"),
            (["id", "repeat", "steps"], "repeat_step"),
            (["id", "if", "repeat", "as", "max", "steps"], "repeat_step"),
            (["id", "delay"], "delay_step"),
            (["id", "if", "delay_until"], "delay_step"),
        ]
        for (keys, kind) in accepted {
            XCTAssertEqual(try branches(of: "step", accepting: keys), [kind], "\(keys.sorted())")
        }
        let mixed: [Set<String>] = [
            ["id", "app", "action", "paths"], ["id", "repeat", "steps", "delay"], ["id", "delay", "delay_until"],
            ["id", "paths", "retry"], ["id", "repeat", "steps", "on_error"], ["id", "delay", "with"], ["id", "paths", "steps"],
            ["id", "repeat"], ["id"],
        ]
        for keys in mixed {
            XCTAssertEqual(try branches(of: "step", accepting: keys), [], "\(keys.sorted()) is refused")
        }
    }

    func testNestedStepsReferBackToTheStepList() throws {
        let paths = try def("paths_step")["properties"]?["paths"]
        XCTAssertEqual(paths?["minItems"], .int(1))
        let path = try XCTUnwrap(paths?["items"])
        XCTAssertTrue(try accepts(path, ["id", "when", "steps"]))
        XCTAssertFalse(try accepts(path, ["id", "when"]))
        XCTAssertFalse(try accepts(path, ["id", "steps", "if"]))
        XCTAssertEqual(path["properties"]?["steps"]?["$ref"], .string("#/$defs/steps"))
        XCTAssertEqual(try def("repeat_step")["properties"]?["steps"]?["$ref"], .string("#/$defs/steps"))
        XCTAssertEqual(try def("steps")["items"]?["$ref"], .string("#/$defs/step"))
        XCTAssertEqual(try def("steps")["minItems"], .int(1))
        XCTAssertEqual(schema["$defs"]?["konnector"]?["properties"]?["steps"], try def("steps"))
        XCTAssertEqual(try def("paths_step")["properties"]?["mode"]?["enum"], .array([.string("first"), .string("all")]))
        XCTAssertEqual(try def("repeat_step")["properties"]?["max"]?["maximum"], .int(1000))
    }

    func testRetryAndDurations() throws {
        let retry = try XCTUnwrap(try def("action_step")["properties"]?["retry"])
        XCTAssertTrue(try accepts(retry, ["times", "wait"]))
        XCTAssertTrue(try accepts(retry, ["times"]))
        XCTAssertFalse(try accepts(retry, ["wait"]))
        XCTAssertFalse(try accepts(retry, ["times", "delay"]))
        XCTAssertEqual(retry["properties"]?["times"]?["minimum"], .int(1))
        XCTAssertEqual(retry["properties"]?["times"]?["maximum"], .int(10))
        let pattern = try XCTUnwrap(try def("duration")["pattern"]?.stringValue)
        let regex = try NSRegularExpression(pattern: pattern)
        func matches(_ s: String) -> Bool { regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil }
        for good in ["30s", "15m", "2h", "3d"] { XCTAssertTrue(matches(good), good) }
        for bad in ["2", "h", "2 h", "1h30m", "-2h", "2w", "1.5h"] { XCTAssertFalse(matches(bad), bad) }
    }

    func testATriggerIsAnAppsEventOrASchedule() throws {
        let trigger = try XCTUnwrap(schema["$defs"]?["konnector"]?["properties"]?["trigger"])
        let alternatives = try XCTUnwrap(trigger["oneOf"]?.arrayValue)
        func accepting(_ keys: Set<String>) throws -> [Int] {
            try alternatives.indices.filter { try accepts(alternatives[$0], keys) }
        }
        XCTAssertEqual(try accepting(["app", "event", "connection", "with", "payload"]), [0])
        XCTAssertEqual(try accepting(["schedule"]), [1])
        XCTAssertEqual(try accepting(["schedule", "app"]), [])
        XCTAssertEqual(try accepting(["schedule", "connection"]), [])
        let schedule = try XCTUnwrap(alternatives[1]["properties"]?["schedule"])
        XCTAssertTrue(try accepts(schedule, ["cron", "timezone"]))
        XCTAssertTrue(try accepts(schedule, ["cron"]))
        XCTAssertFalse(try accepts(schedule, ["timezone"]))
        XCTAssertFalse(try accepts(schedule, ["cron", "zone"]))
        XCTAssertEqual(schedule["properties"]?["cron"]?["type"], .string("string"))
        XCTAssertEqual(schedule["properties"]?["timezone"]?["type"], .string("string"))
        let payload = try XCTUnwrap(alternatives[0]["properties"]?["payload"])
        XCTAssertEqual(payload["type"], .string("object"))
        XCTAssertEqual(payload["additionalProperties"]?["type"], .array([.string("string"), .string("object")]))
    }
}
