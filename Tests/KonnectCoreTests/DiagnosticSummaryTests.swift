import XCTest
@testable import KonnectCore
import KonnectYAML

/// SPEC §6: the closing line, singular for 1.
final class DiagnosticSummaryTests: XCTestCase {
    func testTheClosingLineIsSingularForOne() {
        func line(files: Int, _ severities: [Severity]) -> String {
            let diagnostics = severities.map { Diagnostic($0, .invalidValue, "x", file: "f.yaml", range: .fileStart) }
            return DiagnosticSummary(files: files, konnectors: 0, connections: 0, diagnostics: diagnostics).line
        }
        XCTAssertEqual(line(files: 1, [.error, .warning]), "1 error, 1 warning in 1 file")
        XCTAssertEqual(line(files: 0, []), "0 errors, 0 warnings in 0 files")
        XCTAssertEqual(line(files: 3, [.error, .error, .warning, .warning]), "2 errors, 2 warnings in 3 files")
    }
}
