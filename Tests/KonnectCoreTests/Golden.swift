import Foundation
import XCTest

/// Golden files live in `Tests/Fixtures/views/`. Run the tests with
/// `KONNECT_UPDATE_GOLDEN=1` to (re)write them from the current output,
/// then review the diff.
enum Golden {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // KonnectCoreTests
        .deletingLastPathComponent()   // Tests
        .appendingPathComponent("Fixtures")
        .appendingPathComponent("views")

    static var updating: Bool {
        ProcessInfo.processInfo.environment["KONNECT_UPDATE_GOLDEN"] == "1"
    }

    static func assertMatches(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let url = directory.appendingPathComponent(name)
        if updating {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try Data(actual.utf8).write(to: url)
            } catch {
                XCTFail("cannot write golden file \(url.path): \(error)", file: file, line: line)
            }
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            XCTFail("missing golden file \(url.path); run with KONNECT_UPDATE_GOLDEN=1 to create it", file: file, line: line)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        if expected != actual {
            XCTFail("output differs from \(name) (run with KONNECT_UPDATE_GOLDEN=1 to update)\n"
                    + firstDifference(expected, actual), file: file, line: line)
        }
    }

    /// A readable description of the first line that differs.
    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(e.count, a.count) {
            let el = i < e.count ? String(e[i]) : "<end of file>"
            let al = i < a.count ? String(a[i]) : "<end of file>"
            if el != al {
                return "line \(i + 1):\n  expected: \(el.debugDescription)\n  actual:   \(al.debugDescription)"
            }
        }
        return "(difference in line endings)"
    }
}
