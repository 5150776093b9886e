import XCTest
@testable import KonnectCore

/// SPEC §1: a document is what its kind key says, wherever the key stands;
/// none or several of the kind keys is `unknown-document`.
final class DocumentKindTests: XCTestCase {
    func testTheKindKeyMayStandAnywhere() {
        let (decoded, diagnostics) = decode("""
        name: Relay
        trigger: {app: shopify, event: new_order}
        konnector: relay
        steps:
          - {id: s, app: slack, action: send_message}
        """)
        XCTAssertEqual(diagnostics.map(brief), [])
        XCTAssertEqual(konnectors(decoded).first?.id?.value, "relay")
        XCTAssertEqual(konnectors(decoded).first?.name?.value, "Relay")

        let (c, cd) = decode("app: slack\nconnection: slack-main\nscopes: []\n")
        XCTAssertEqual(cd.map(brief), [])
        XCTAssertEqual(connections(c).first?.id?.value, "slack-main")

        let (t, td) = decode("cases: []\ntests: relay\n")
        XCTAssertEqual(td.map(brief), [])
        guard case .tests(let suite)? = t.first else { return XCTFail("not a test suite") }
        XCTAssertEqual(suite.konnector?.value, "relay")
    }

    func testAnIDOfTheWrongShapeIsReportedAtItsValue() {
        let (_, diagnostics) = decode("name: Relay\nkonnector: Not A Slug\n")
        XCTAssertTrue(diagnostics.map(brief).contains("invalid-value@2:12"), "\(diagnostics.map(brief))")
    }

    func testSeveralKindKeysAreOneError() {
        let (decoded, diagnostics) = decode("konnector: relay\nname: Relay\ntests: relay\n")
        XCTAssertEqual(decoded.count, 0)
        XCTAssertEqual(diagnostics.map(brief), ["unknown-document@3:1"], "at the second kind key")
        XCTAssertEqual(diagnostics.first?.message,
                       "a document holds `konnector:` and `tests:`: it can be only one of a konnector, connection or test suite")
    }

    func testANearMissOfAKindKeyIsNamedWhereverItStands() {
        let (_, diagnostics) = decode("name: Relay\nkonector: relay\n")
        XCTAssertEqual(diagnostics.map(brief), ["unknown-document@2:1"])
        XCTAssertEqual(diagnostics.first?.message, "a document with the key `konector` is not a konnector, connection or test suite")
        XCTAssertEqual(diagnostics.first?.hint, "did you mean `konnector`?")

        let (_, far) = decode("apiVersion: v1\nkind: Pod\n")
        XCTAssertEqual(far.map(brief), ["unknown-document@1:1"])
        XCTAssertEqual(far.first?.hint, "a document holds one of the keys `konnector:`, `connection:` or `tests:`")
    }
}
