import XCTest
@testable import KonnectCore

/// SPEC §3: a sensitive field accepts an `env:`/`vault:` reference whatever its
/// type; the reference is resolved at run time, not checked as a url/email/….
final class RuntimeValidatorReferenceTests: XCTestCase {
    func testASensitiveFieldAcceptsAReferenceWhateverItsType() {
        let specs = [
            FieldSpec(name: "url", type: .url, required: true, sensitive: true),
            FieldSpec(name: "mail", type: .email, required: true, sensitive: true),
            FieldSpec(name: "count", type: .integer, required: true, sensitive: true),
        ]
        XCTAssertEqual(RuntimeValidator.checkFields([
            "url": .string("env:HUBSPOT_WEBHOOK_URL"), "mail": .string("vault:crm/owner#email"), "count": .string("env:SEATS"),
        ], specs, prefix: ""), [])
    }

    func testANonSensitiveFieldStillChecksAReferenceLikeString() {
        let problems = RuntimeValidator.checkFields(["url": .string("env:HOOK")],
                                                    [FieldSpec(name: "url", type: .url, required: true)], prefix: "")
        XCTAssertEqual(problems.count, 1, "\(problems)")
    }

    func testASensitiveLiteralThatIsNotAReferenceIsStillChecked() {
        let problems = RuntimeValidator.checkFields(["url": .string("not a url")],
                                                    [FieldSpec(name: "url", type: .url, required: true, sensitive: true)], prefix: "")
        XCTAssertEqual(problems.count, 1, "\(problems)")
        XCTAssertFalse(problems.joined().contains("not a url"), "\(problems)")
    }
}
