// Regression tests for bugs found while testing, now fixed.
import XCTest
@testable import KonnectYAML

final class RegressionYAMLTests: XCTestCase {
    /// A UTF-8 byte order mark (Windows editors write one) must be skipped.
    /// YAMLParser forces `YAML_UTF8_ENCODING`, which turns off libyaml's BOM
    /// detection; libyaml's scanner then skips U+FEFF as a character of
    /// column 0, so line 1 is indented by one column and a second top-level
    /// key is "did not find expected <document start>".
    func testByteOrderMarkIsSkipped() throws {
        let stream = parse("\u{FEFF}a: 1\nb: 2\n")
        XCTAssertEqual(stream.problems, [])
        let root = try XCTUnwrap(stream.documents.first?.root)
        XCTAssertEqual(root["a"]?.scalar?.value, .int(1))
        XCTAssertEqual(root["b"]?.scalar?.value, .int(2))
        // Offsets point past the BOM, so slicing the source gives the key.
        XCTAssertEqual(root.pair("a")?.key.range, range(pos(1, 1, 3), pos(1, 2, 4)))
        XCTAssertEqual(root.pair("b")?.key.range, range(pos(2, 1, 8), pos(2, 2, 9)))
    }
}
