import Foundation
@testable import KonnectCore
import XCTest

/// A saved plan with the flow forms of SPEC §2.1 reads back: a scheduled
/// trigger has no app, steps nest, and the connections of nested action
/// steps are the konnector's too (a plan file applied them to nothing).
final class PlanFileFlowTests: XCTestCase {
    typealias P = PlannerTests

    static let flow = """
    konnector: flow-digest
    name: Flow digest
    trigger:
      schedule: { cron: "0 9 * * MON-FRI", timezone: Europe/Berlin }
    steps:
      - id: route
        paths:
          - id: weekday
            when: trigger.timezone == 'Europe/Berlin'
            steps:
              - id: each
                repeat: "[1, 2]"
                steps:
                  - { id: post, app: slack, action: send_message, connection: slack-ops, with: { channel: "#ops", text: "n {{ item }}" } }
      - { id: wait, delay: 2h }

    """

    func testAFlowDefinitionHasTheShapeAndItsNestedConnections() throws {
        let o = try XCTUnwrap(P.objects(["konnectors/flow.yaml": Self.flow]).first { $0.id == "flow-digest" })
        let summary = try DefinitionShape.check(try XCTUnwrap(o.definition), kind: .konnector, id: o.id)
        XCTAssertEqual(summary.connections, ["slack-ops"], "the nested step's connection")
        XCTAssertEqual(summary.connections, o.connections)
    }

    func testMalformedFlowDefinitionsAreRefused() throws {
        let o = try XCTUnwrap(P.objects(["konnectors/flow.yaml": Self.flow]).first { $0.id == "flow-digest" })
        let d = try XCTUnwrap(o.definition)
        func refused(_ edit: (JSONValue) -> JSONValue, _ part: String, line: UInt = #line) {
            XCTAssertThrowsError(try DefinitionShape.check(edit(d), kind: .konnector, id: o.id), line: line) { error in
                XCTAssertTrue("\(error)".contains(part), "`\(part)` not in \(error)", line: line)
            }
        }
        refused({ $0.setting("trigger", .object(["schedule": .string("0 9 * * *")])) }, "`trigger.schedule` is not an object")
        refused({ $0.setting("trigger", .object([:])) }, "`trigger.app`")
        let steps = try XCTUnwrap(d["steps"]?.arrayValue)
        let paths = try XCTUnwrap(steps[0]["paths"]?.arrayValue)
        let inner = paths[0].setting("steps", .array([]))
        refused({ $0.setting("steps", .array([steps[0].setting("paths", .array([inner])), steps[1]])) },
                "`steps[0].paths[0].steps` is not a non-empty list")
        let twice = paths[0].setting("steps", .array([steps[1]]))
        refused({ $0.setting("steps", .array([steps[0].setting("paths", .array([twice])), steps[1]])) }, "appears twice")
    }

    func testTheSensitivePathsASchemaRequiresAreThoseTheCompilerRecords() throws {
        let schemas = SchemaLoader().load(CompilerTests.schemaFiles).0
        let objects = P.objects(["konnectors/flow.yaml": Self.flow]) + [try NestedSensitiveTests.compiled()]
        for o in objects where o.kind == .konnector {
            XCTAssertEqual(Set(SensitivePaths.required(by: try XCTUnwrap(o.definition), schemas: schemas)), Set(o.sensitivePaths), o.id)
        }
        XCTAssertTrue(objects.contains { !$0.sensitivePaths.isEmpty }, "some object has sensitive fields")
    }

    func testOverTheStepLimitOrAScheduleThatCannotRunIsRefused() throws {
        let o = try XCTUnwrap(P.objects(["konnectors/flow.yaml": Self.flow]).first { $0.id == "flow-digest" })
        let d = try XCTUnwrap(o.definition)
        let many = JSONValue.array((0..<101).map { i in .object(["id": .string("d\(i)"), "if": .null, "delay": .string("1m")]) })
        XCTAssertThrowsError(try DefinitionShape.check(d.setting("steps", many), kind: .konnector, id: o.id)) { error in
            XCTAssertTrue("\(error)".contains("101 steps, over the limit of 100"), "\(error)")
        }
        for (cron, zone) in [("*/0 * * * *", "UTC"), ("0 0 30 2 *", "UTC"), ("0 9 * * *", "Mars/Olympus")] {
            let bad = d.setting("trigger", .object(["schedule": .object(["cron": .string(cron), "timezone": .string(zone)])]))
            XCTAssertThrowsError(try DefinitionShape.check(bad, kind: .konnector, id: o.id), "\(cron) \(zone)")
        }
    }
}
