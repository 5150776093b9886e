import XCTest
@testable import KonnectCore

/// A misspelt `tests:` id gets a "did you mean" among all the project's
/// konnectors, not only those that some test suite names, in every keeping
/// mode of the validator (validate keeps diagnostics, plan outlines, test models).
final class TestedKonnectorHintTests: XCTestCase {
    func testAMisspeltTestsIDIsSuggestedAmongAllKonnectors() throws {
        let text = TC.konnector(with: []).replacingOccurrences(of: "konnector: k\n", with: "konnector: order-router\n")
            + "---\ntests: order-routr\ncases: [{name: one}]\n"
        for keeping in [ProjectValidator.Keeping.diagnostics, .outlines, .models] {
            let project = ProjectValidator(keeping: keeping).validate(files: [TC.file("konnectors/k.yaml", text)],
                                                                      schemaFiles: TC.schemaFiles)
            let d = try XCTUnwrap(project.diagnostics.first { $0.message == "no konnector `order-routr` to test" }, "\(keeping)")
            XCTAssertEqual(d.code, .unknownReference)
            XCTAssertTrue(d.hint?.contains("`order-router`") == true, "\(keeping): \(d.hint ?? "no hint")")
        }
    }
}
