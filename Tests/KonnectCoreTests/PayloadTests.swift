import Foundation
import XCTest
@testable import KonnectCore
import KonnectYAML

/// Typed webhook payloads (SPEC §2.1, §4): a schema trigger's `payload:`,
/// and a konnector's declared payload type in place of `any`.
final class PayloadTests: XCTestCase {
    let hookSchema = """
    app: hook
    name: Hook
    auth: none
    types:
      Address:
        city: string
    triggers:
      caught:
        name: Caught
        payload: body
        output:
          path: string
          body: any
        sample:
          path: /x
          body: { event: signup, email: ada@example.com, seats: 3, extra: { a: 1 }, address: { city: Oslo, zip: "0150" } }
    """

    func load(_ text: String) -> (SchemaSet, [String]) {
        let (set, diagnostics, _) = SchemaLoader().load([SourceFile(path: "schemas/hook.yaml", bytes: Array(text.utf8))])
        return (set, Diagnostic.sorted(diagnostics).map { "\(brief($0)) \($0.message)" })
    }

    func trigger(_ schemaText: String) -> KonnectCore.Operation? { load(schemaText).0["hook"]?.trigger("caught") }

    func testSchemaDeclaresPayload() {
        XCTAssertEqual(load(hookSchema).1, [])
        XCTAssertEqual(trigger(hookSchema)?.payloadField, "body")
        // Absent: none.
        XCTAssertNil(trigger(hookSchema.replacingOccurrences(of: "    payload: body\n", with: ""))?.payloadField)
    }

    func testSchemaPayloadMustNameAnAnyOutputField() {
        let (_, unknown) = load(hookSchema.replacingOccurrences(of: "payload: body", with: "payload: bdy"))
        XCTAssertEqual(unknown, ["invalid-schema@10:14 `payload` names `bdy`, which is not an output field"])
        let (_, typed) = load(hookSchema.replacingOccurrences(of: "payload: body", with: "payload: path"))
        XCTAssertEqual(typed, ["invalid-schema@10:14 `payload` names `path`, of type string; it must be of type `any`"])
        let (_, shape) = load(hookSchema.replacingOccurrences(of: "payload: body", with: "payload: [body]"))
        XCTAssertEqual(shape, ["invalid-schema@10:14 `payload` must name an output field of type `any`"])
    }

    func testBundledWebhookDeclaresBody() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../schemas/webhook.yaml")
        let bytes = try Array(Data(contentsOf: url))
        let (set, diagnostics, _) = SchemaLoader().load([SourceFile(path: "schemas/webhook.yaml", bytes: bytes)])
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(set["webhook"]?.trigger("catch_hook")?.payloadField, "body")
    }

    /// Reads `payload:` from a one-key document, as the konnector's trigger holds it.
    func payload(_ yaml: String) throws -> (ValueType, [String]) {
        let app = try XCTUnwrap(load(hookSchema).0["hook"])
        let parsed = ParsedFile(SourceFile(path: "konnectors/k.yaml", bytes: Array(yaml.utf8)))
        let node = try XCTUnwrap(parsed.stream.documents.first?.root?.mapping?.first { $0.keyText == "payload" }?.value)
        let (type, diagnostics) = SchemaLoader.payloadType(node, file: "konnectors/k.yaml", source: parsed.stream.source, app: app)
        return (type, diagnostics.map { "\(brief($0)) \($0.message)" })
    }

    func testKonnectorPayloadType() throws {
        let (type, problems) = try payload("payload:\n  email: email\n  plan: \"enum(free, pro)\"\n  seats: integer?\n  address: Address\n")
        XCTAssertEqual(problems, [])
        XCTAssertEqual(type.description, "{ email: email, plan: enum(free, pro), seats: integer?, address: Address }")
        let op = try XCTUnwrap(trigger(hookSchema)).withPayload(type)
        guard case .object(let output) = op.output else { return XCTFail("\(op.output)") }
        XCTAssertEqual(output.field("body")?.type, type)
        XCTAssertEqual(output.field("path")?.type, .string)
        // The sample keeps only the declared fields, at every depth.
        guard case .object(let sample, _)? = op.sample, case .object(let body, let order)? = sample["body"] else { return XCTFail() }
        XCTAssertEqual(order, ["email", "seats", "address"])
        XCTAssertEqual(body["address"], .object(["city": .string("Oslo")], order: ["city"]))
        // The schema's own trigger is unchanged.
        XCTAssertEqual(trigger(hookSchema)?.output.description, "{ path: string, body: any }")
    }

    func testKonnectorPayloadProblemsAreInvalidValue() throws {
        XCTAssertEqual(try payload("payload:\n  email: emial\n").1.map { String($0.prefix { $0 != " " }) }, ["invalid-value@2:10"])
        XCTAssertEqual(try payload("payload:\n  city: Adress\n").1, ["invalid-value@2:9 unknown type `Adress`"])
        XCTAssertEqual(try payload("payload: string\n").1.first?.hasPrefix("invalid-value@1:10 `payload` must be a mapping"), true)
        XCTAssertEqual(try payload("payload:\n  email: emial\n").0, .unknown)
    }

    func testWithoutPayloadFieldNothingChanges() throws {
        let plain = try XCTUnwrap(trigger(hookSchema.replacingOccurrences(of: "    payload: body\n", with: "")))
        XCTAssertTrue(plain.withPayload(.string) === plain)
    }
}
