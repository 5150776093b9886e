import XCTest
@testable import KonnectCore

/// Field lookup in object types: a scan by signature in small objects, the
/// index in large ones; either way the first field of a name wins.
final class ObjectTypeTests: XCTestCase {
    func testLookupInSmallAndLargeObjects() {
        for size in [0, 1, 5, 64, 65, 200] {
            let fields = (0..<size).map { FieldSpec(name: "f\($0)", type: .integer) }
                + [FieldSpec(name: "axb", type: .string), FieldSpec(name: "ayb", type: .boolean),
                   FieldSpec(name: "axb", type: .number), FieldSpec(name: "", type: .date), FieldSpec(name: "é", type: .datetime)]
            let object = ObjectType(fields: fields)
            XCTAssertEqual(object.fieldType("axb"), .string, "size \(size): the first of a name wins")
            XCTAssertEqual(object.fieldType("ayb"), .boolean, "size \(size): same signature, other name")
            XCTAssertEqual(object.fieldType(""), .date)
            XCTAssertEqual(object.fieldType("é"), .datetime)
            XCTAssertNil(object.fieldType("azb"))
            XCTAssertNil(object.fieldType("ax"))
            if size > 0 {
                XCTAssertEqual(object.field("f\(size - 1)")?.type, .integer)
                XCTAssertNil(object.field("f\(size)"))
            }
        }
    }

    func testLookupFollowsChangedFields() {
        var object = ObjectType(fields: [FieldSpec(name: "a", type: .string)])
        object.fields.append(FieldSpec(name: "b", type: .integer))
        XCTAssertEqual(object.fieldType("b"), .integer)
        object.fields = (0..<100).map { FieldSpec(name: "g\($0)", type: .boolean) }
        XCTAssertNil(object.fieldType("a"))
        XCTAssertEqual(object.fieldType("g99"), .boolean)
    }
}
