import XCTest
@testable import KonnectYAML

/// Scalar styles and YAML 1.2 core-schema resolution (SPEC §5.1).
final class ScalarTests: XCTestCase {
    func testStyles() throws {
        let text = """
        plain: hello world
        single: 'it''s "x"'
        double: "a\\tb\\u00e9\\n"
        literal: |
          line1
            line2
        folded: >
          a
          b

          c
        strip: |-
          kept
        next: 1
        """
        let root = try XCTUnwrap(parse(text).singleRoot())
        func check(_ key: String, _ style: YAMLScalar.Style, _ value: String, line: UInt = #line) {
            let s = root[key]?.scalar
            XCTAssertEqual(s?.style, style, key, line: line)
            XCTAssertEqual(s?.text, value, key, line: line)
            XCTAssertEqual(s?.value, .string(value), key, line: line)
        }
        check("plain", .plain, "hello world")
        check("single", .singleQuoted, "it's \"x\"")
        check("double", .doubleQuoted, "a\tbé\n")
        check("literal", .literal, "line1\n  line2\n")
        check("folded", .folded, "a b\nc\n")
        check("strip", .literal, "kept")
        XCTAssertEqual(root["next"]?.scalar?.value, .int(1))
    }

    func testStyleRawValues() {
        XCTAssertEqual(YAMLScalar.Style.plain.rawValue, "plain")
        XCTAssertEqual(YAMLScalar.Style.singleQuoted.rawValue, "single")
        XCTAssertEqual(YAMLScalar.Style.doubleQuoted.rawValue, "double")
        XCTAssertEqual(YAMLScalar.Style.literal.rawValue, "literal")
        XCTAssertEqual(YAMLScalar.Style.folded.rawValue, "folded")
    }

    func testBlockScalarRanges() throws {
        let stream = parse("a: |\n  x\n  y\nb: 'q'\n")
        let root = try XCTUnwrap(stream.singleRoot())
        let a = try XCTUnwrap(root["a"])
        XCTAssertEqual(a.range.start, pos(1, 4, 3))
        XCTAssertGreaterThanOrEqual(a.range.end.line, 3)
        XCTAssertEqual(root.pair("b")?.value.range, range(pos(4, 4, 16), pos(4, 7, 19)))
    }

    func testCoreResolutionOfPlainScalars() {
        let cases: [(String, YAMLScalar.Value)] = [
            ("true", .bool(true)), ("True", .bool(true)), ("TRUE", .bool(true)),
            ("false", .bool(false)), ("False", .bool(false)), ("FALSE", .bool(false)),
            ("null", .null), ("Null", .null), ("NULL", .null), ("~", .null), ("", .null),
            ("0", .int(0)), ("42", .int(42)), ("-17", .int(-17)), ("+5", .int(5)), ("007", .int(7)),
            ("0x1F", .int(31)), ("0xff", .int(255)), ("0o17", .int(15)), ("0o0", .int(0)),
            ("1.5", .float(1.5)), ("-0.25", .float(-0.25)), (".5", .float(0.5)), ("+.5", .float(0.5)),
            ("1.", .float(1)), ("1e3", .float(1000)), ("1E-2", .float(0.01)), ("2.5e+2", .float(250)),
            (".inf", .float(.infinity)), (".Inf", .float(.infinity)), (".INF", .float(.infinity)),
            ("+.inf", .float(.infinity)), ("-.inf", .float(-.infinity)), ("-.Inf", .float(-.infinity)),
            // YAML 1.1 spellings stay strings under the 1.2 core schema.
            ("yes", .string("yes")), ("no", .string("no")), ("on", .string("on")), ("off", .string("off")),
            ("y", .string("y")), ("n", .string("n")), ("Yes", .string("Yes")), ("NO", .string("NO")),
            ("On", .string("On")), ("OFF", .string("OFF")), ("Y", .string("Y")), ("N", .string("N")),
            // Not numbers in the core schema.
            ("1_000", .string("1_000")), ("0b101", .string("0b101")), ("0X1F", .string("0X1F")),
            ("0O17", .string("0O17")), ("0o18", .string("0o18")), ("0xG", .string("0xG")), ("0x", .string("0x")),
            ("-0x1F", .string("-0x1F")), ("1.2.3", .string("1.2.3")), ("1e", .string("1e")),
            (".", .string(".")), ("-", .string("-")), ("+", .string("+")), (".e5", .string(".e5")),
            ("12:30", .string("12:30")), ("2026-01-05", .string("2026-01-05")), ("1 000", .string("1 000")),
            ("nULL", .string("nULL")), ("tRUE", .string("tRUE")), ("+.nan", .string("+.nan")), ("inf", .string("inf")),
            ("hello", .string("hello")), ("é", .string("é")),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(YAMLScalar.resolveCore(text), expected, "resolveCore(\(text.debugDescription))")
        }
        for nan in [".nan", ".NaN", ".NAN"] {
            guard case .float(let d) = YAMLScalar.resolveCore(nan) else {
                XCTFail("\(nan) is not a float"); continue
            }
            XCTAssertTrue(d.isNaN, nan)
        }
    }

    func testResolutionThroughTheParser() throws {
        let text = """
        a: yes
        b: no
        c: on
        d: off
        e: y
        f: n
        g: true
        h: ~
        i:
        j: 0x10
        k: 0o10
        l: 1.5e3
        m: -.inf
        n: null
        o: 12
        """
        let root = try XCTUnwrap(parse(text).singleRoot())
        let expected: [(String, YAMLScalar.Value)] = [
            ("a", .string("yes")), ("b", .string("no")), ("c", .string("on")), ("d", .string("off")),
            ("e", .string("y")), ("f", .string("n")), ("g", .bool(true)), ("h", .null), ("i", .null),
            ("j", .int(16)), ("k", .int(8)), ("l", .float(1500)), ("m", .float(-.infinity)), ("n", .null),
            ("o", .int(12)),
        ]
        for (key, value) in expected {
            XCTAssertEqual(root[key]?.scalar?.value, value, key)
        }
        XCTAssertTrue(try XCTUnwrap(root["i"]).isNull)
        XCTAssertEqual(root["i"]?.shapeDescription, "null")
        XCTAssertEqual(root["g"]?.shapeDescription, "a boolean")
        XCTAssertEqual(root["o"]?.shapeDescription, "an integer")
        XCTAssertEqual(root["l"]?.shapeDescription, "a number")
        XCTAssertEqual(root["a"]?.shapeDescription, "a string")
    }

    func testQuotedAndBlockScalarsAreAlwaysStrings() throws {
        let text = """
        a: "true"
        b: 'null'
        c: "12"
        d: ''
        e: "~"
        f: |
          42
        g: >-
          false
        """
        let root = try XCTUnwrap(parse(text).singleRoot())
        XCTAssertEqual(root["a"]?.scalar?.value, .string("true"))
        XCTAssertEqual(root["b"]?.scalar?.value, .string("null"))
        XCTAssertEqual(root["c"]?.scalar?.value, .string("12"))
        XCTAssertEqual(root["d"]?.scalar?.value, .string(""))
        XCTAssertEqual(root["e"]?.scalar?.value, .string("~"))
        XCTAssertEqual(root["f"]?.scalar?.value, .string("42\n"))
        XCTAssertEqual(root["g"]?.scalar?.value, .string("false"))
        XCTAssertFalse(try XCTUnwrap(root["d"]).isNull)
    }

    func testExplicitTags() throws {
        let text = """
        a: !!str 12
        b: !!int "12"
        c: !!float 1
        d: ! 12
        e: !!null ""
        f: !!bool "true"
        """
        let root = try XCTUnwrap(parse(text).singleRoot())
        XCTAssertEqual(root["a"]?.scalar?.value, .string("12"))
        XCTAssertEqual(root["b"]?.scalar?.value, .int(12))
        XCTAssertEqual(root["c"]?.scalar?.value, .float(1))
        XCTAssertEqual(root["d"]?.scalar?.value, .string("12"))
        XCTAssertEqual(root["e"]?.scalar?.value, .null)
        XCTAssertEqual(root["f"]?.scalar?.value, .bool(true))
        XCTAssertEqual(root["a"]?.tag, "tag:yaml.org,2002:str")
    }

    func testCollectionsAndShapes() throws {
        let root = try XCTUnwrap(parse("m: {a: 1}\ns: [1, two]\n").singleRoot())
        XCTAssertEqual(root["m"]?.shapeDescription, "a mapping")
        XCTAssertEqual(root["s"]?.shapeDescription, "a list")
        XCTAssertEqual(root["s"]?.sequence?.map { $0.scalar?.value }, [.int(1), .string("two")])
        XCTAssertEqual(root.mapping?.map(\.keyText), ["m", "s"])
        XCTAssertNil(root["missing"])
    }

    func testMappingEntriesKeepSourceOrder() throws {
        let keys = (0..<40).map { "key\(($0 * 7) % 40)" }
        let text = keys.map { "\($0): x" }.joined(separator: "\n")
        let root = try XCTUnwrap(parse(text).singleRoot())
        XCTAssertEqual(root.mapping?.map(\.keyText), keys)
    }
}
