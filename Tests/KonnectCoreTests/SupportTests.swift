import Foundation
import XCTest
@testable import KonnectCore

final class SuggestionTests: XCTestCase {
    let konnectorFields = DocumentDecoder.konnectorFields

    func testNearMisses() {
        XCTAssertEqual(Suggestion.closest(to: "nmae", among: konnectorFields), "name")      // swap
        XCTAssertEqual(Suggestion.closest(to: "nam", among: konnectorFields), "name")       // deletion
        XCTAssertEqual(Suggestion.closest(to: "namee", among: konnectorFields), "name")     // insertion
        XCTAssertEqual(Suggestion.closest(to: "tirgger", among: konnectorFields), "trigger")
        XCTAssertEqual(Suggestion.closest(to: "step", among: konnectorFields), "steps")
        XCTAssertEqual(Suggestion.closest(to: "enabeld", among: konnectorFields), "enabled")
        XCTAssertEqual(Suggestion.closest(to: "renamed-from", among: konnectorFields), "renamed_from")
        XCTAssertEqual(Suggestion.closest(to: "emial", among: ["email", "first_name"]), "email")
    }

    func testCaseInsensitiveEqualityWinsAtAnyDistance() {
        XCTAssertEqual(Suggestion.closest(to: "NAME", among: konnectorFields), "name")
        XCTAssertEqual(Suggestion.closest(to: "Renamed_From", among: konnectorFields), "renamed_from")
    }

    func testFarWordsHaveNoSuggestion() {
        XCTAssertNil(Suggestion.closest(to: "zzzzzz", among: konnectorFields))
        XCTAssertNil(Suggestion.closest(to: "descriptionnnn", among: konnectorFields))
        XCTAssertNil(Suggestion.closest(to: "x", among: ["if", "id"]), "a one-letter word matches nothing useful")
        XCTAssertNil(Suggestion.closest(to: "anything", among: []))
    }

    func testTheClosestCandidateWins() {
        XCTAssertEqual(Suggestion.closest(to: "abcd", among: ["abxy", "abcx"]), "abcx")
        XCTAssertEqual(Suggestion.closest(to: "abcd", among: ["abcx", "abxy"]), "abcx")
    }

    func testDistance() {
        func d(_ a: String, _ b: String) -> Int { Suggestion.distance(Array(a.unicodeScalars), Array(b.unicodeScalars)) }
        XCTAssertEqual(d("", ""), 0)
        XCTAssertEqual(d("", "abc"), 3)
        XCTAssertEqual(d("abc", ""), 3)
        XCTAssertEqual(d("kitten", "sitting"), 3)
        XCTAssertEqual(d("ab", "ba"), 1)
        XCTAssertEqual(d("café", "cafe"), 1)
    }

    func testHint() {
        XCTAssertEqual(Suggestion.hint(for: "stpo", among: ["stop", "continue"]), "did you mean `stop`?")
        XCTAssertEqual(Suggestion.hint(for: "abort", among: ["stop", "continue"]), "valid values: `stop`, `continue`")
        XCTAssertEqual(Suggestion.hint(for: "zzzzzz", among: ["id", "app"], noun: "valid fields"), "valid fields: `id`, `app`")
        XCTAssertNil(Suggestion.hint(for: "x", among: []))
        let many = (1...13).map { "option\($0)xyz" }
        XCTAssertNil(Suggestion.hint(for: "zzz", among: many), "long lists are not spelled out")
        let twelve = Array(many.prefix(12))
        XCTAssertNotNil(Suggestion.hint(for: "zzz", among: twelve))
    }
}

final class SlugTests: XCTestCase {
    func testValid() {
        for s in ["a", "0", "shopify-order-to-mailchimp", "a_b-c", "0abc", "x1", String(repeating: "a", count: 63)] {
            XCTAssertTrue(Slug.isValid(s), s)
        }
    }

    func testInvalid() {
        for s in ["", "-a", "_a", "A", "aB", "a.b", "a b", "é", "a/b", "a:b", " a", "a\n",
                  String(repeating: "a", count: 64)] {
            XCTAssertFalse(Slug.isValid(s), s.debugDescription)
        }
    }
}

final class JSONValueTests: XCTestCase {
    func testObjectsKeepTheirOrderUnlessSorted() {
        let v = JSONValue.object(["b": .int(1), "a": .null, "c": .array([.bool(true), .bool(false)])])
        XCTAssertEqual(v.serialized(), #"{"b":1,"a":null,"c":[true,false]}"#)
        XCTAssertEqual(v.serialized(sortedKeys: true), #"{"a":null,"b":1,"c":[true,false]}"#)
    }

    func testSortedKeysApplyAtEveryDepthAndByUTF16() {
        let inner = JSONValue.object(["\u{FFFF}": .int(1), "\u{10000}": .int(2), "a": .int(3), "B": .int(4)])
        let v = JSONValue.object(["z": .array([inner]), "y": inner])
        XCTAssertEqual(v.serialized(sortedKeys: true),
                       "{\"y\":{\"B\":4,\"a\":3,\"\u{10000}\":2,\"\u{FFFF}\":1},\"z\":[{\"B\":4,\"a\":3,\"\u{10000}\":2,\"\u{FFFF}\":1}]}")
    }

    func testStringEscaping() {
        let s = "quote\" back\\ nl\n cr\r tab\t bs\u{08} ff\u{0C} nul\u{00} us\u{1F} del\u{7F} é 😀 / </script>"
        XCTAssertEqual(JSONValue.string(s).serialized(),
                       "\"quote\\\" back\\\\ nl\\n cr\\r tab\\t bs\\b ff\\f nul\\u0000 us\\u001f del\u{7F} é 😀 / </script>\"")
        let decoded = try? JSONSerialization.jsonObject(with: Data(JSONValue.array([.string(s)]).serialized().utf8)) as? [String]
        XCTAssertEqual(decoded, [s])
    }

    func testNumbers() {
        XCTAssertEqual(JSONValue.number(144).serialized(), "144")
        XCTAssertEqual(JSONValue.number(144.0).serialized(), "144")
        XCTAssertEqual(JSONValue.number(-3).serialized(), "-3")
        XCTAssertEqual(JSONValue.number(-0.0).serialized(), "0")
        XCTAssertEqual(JSONValue.number(0.1).serialized(), "0.1")
        XCTAssertEqual(JSONValue.number(149.5).serialized(), "149.5")
        XCTAssertEqual(JSONValue.number(1.0 / 3.0).serialized(), "0.3333333333333333")
        XCTAssertEqual(JSONValue.number(.nan).serialized(), "null")
        XCTAssertEqual(JSONValue.number(.infinity).serialized(), "null")
        XCTAssertEqual(JSONValue.number(-.infinity).serialized(), "null")
        XCTAssertEqual(JSONValue.int(Int.min).serialized(), "-9223372036854775808")
        XCTAssertEqual(JSONValue.number(9_007_199_254_740_991).serialized(), "9007199254740991")
        // Whatever the form of very large or small numbers, it must be valid JSON and round-trip.
        for d in [1e21, 9_007_199_254_740_992, 1e-7, 1.5e300, -2.5e-300, Double.leastNonzeroMagnitude] {
            let text = JSONValue.array([.number(d)]).serialized()
            let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Double]
            XCTAssertEqual(parsed, [d], text)
        }
    }

    func testFormat() {
        XCTAssertEqual(JSONValue.format(2), "2")
        XCTAssertEqual(JSONValue.format(2.25), "2.25")
        XCTAssertEqual(JSONValue.format(-1e3), "-1000")
    }

    func testOptionalAndSubscript() {
        XCTAssertEqual(JSONValue.optional(nil), .null)
        XCTAssertEqual(JSONValue.optional("x"), .string("x"))
        let v = JSONValue.object(["a": .int(1), "b": .string("two")])
        XCTAssertEqual(v["b"], .string("two"))
        XCTAssertNil(v["c"])
        XCTAssertNil(JSONValue.int(1)["a"])
        XCTAssertEqual(JSONValue.array([]).serialized(), "[]")
        XCTAssertEqual(JSONValue.object([Member]()).serialized(), "{}")
    }

    typealias Member = JSONValue.Member
}

/// `Formats.isURL` reads ASCII as bytes; it must agree with reading characters.
final class URLFormatTests: XCTestCase {
    func testBytesAndCharactersAgreeOnASCII() {
        let known: [(String, Bool)] = [
            ("https://example.com/a?b#c", true), ("h://x", true), ("a+b-c.d://host", true), ("HTTP://X", true),
            ("http:/x", false), ("http://", false), ("http:///x", false), ("http://?q", false), ("http://#f", false),
            ("1http://x", false), ("://x", false), ("ht tp://x", false), ("http://x y", false), ("http://x\r\n", false),
            ("mailto:a@b.c", false), ("", false), ("http_x://y", false), ("http:x//y", false),
        ]
        for (s, expected) in known {
            XCTAssertEqual(Formats.isURL(s), expected, s)
            XCTAssertEqual(Formats.isURLByCharacters(s), expected, s)
        }
        // Strings from the characters that matter, every length up to 7: 12^0 + … + 12^5 of them, plus samples.
        let alphabet = Array("h1:/?#.+-_ A".unicodeScalars).map(String.init)
        var strings = [""]
        var frontier = [""]
        for _ in 0..<5 {
            frontier = frontier.flatMap { s in alphabet.map { s + $0 } }
            strings += frontier
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            strings.append((0..<Int.random(in: 6...14, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined())
        }
        // And strings shaped like URLs, so that true is tested as often as false.
        for _ in 0..<20_000 {
            let tail = (0..<Int.random(in: 0...6, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
            strings.append(["h", "H1", "a+b", "1h", "h.x-"].randomElement(using: &generator)! + "://" + tail)
        }
        var urls = 0
        for s in strings {
            let fast = Formats.isURL(s)
            XCTAssertEqual(fast, Formats.isURLByCharacters(s), s)
            if fast { urls += 1 }
        }
        XCTAssertGreaterThan(urls, 1_000)
    }

    func testNonASCIIIsReadByCharacters() {
        XCTAssertTrue(Formats.isURL("https://exämple.com"))
        XCTAssertFalse(Formats.isURL("http:/\u{301}/x"))
        XCTAssertEqual(Formats.isURL("http:///\u{301}x"), Formats.isURLByCharacters("http:///\u{301}x"))
    }
}

final class PatternTests: XCTestCase {
    func testSearch() {
        XCTAssertEqual(Pattern.search("^order-[0-9]+$", in: "order-12"), .found(true))
        XCTAssertEqual(Pattern.search("(?i)abc", in: "xABCx"), .found(true))
        XCTAssertEqual(Pattern.search("a.c", in: "xyz"), .found(false))
        XCTAssertEqual(Pattern.search("[", in: "a"), .invalid)
        XCTAssertEqual(Pattern.search("é", in: "café"), .found(true))
    }

    func testABacktrackingPatternStopsAtTheLimit() {
        let start = Date()
        XCTAssertEqual(Pattern.search("(a+)+$", in: String(repeating: "a", count: 40) + "!", timeLimit: 0.2), .tooSlow)
        // Stopped near the limit (it would run for minutes), however slow the machine.
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }
}

final class JSONParserTests: XCTestCase {
    func testSurrogatePairsAndLoneSurrogates() throws {
        XCTAssertEqual(try JSONParser.parse(#"["\ud83d\ude00"]"#).stringArray, ["😀"])
        // A high surrogate followed by anything but a low one trapped (found by fuzzing a library's tags).
        XCTAssertEqual(try JSONParser.parse(#"["\ud800\u0041"]"#).stringArray, ["\u{FFFD}A"])
        XCTAssertEqual(try JSONParser.parse(#"["\ud800\ud800\udc00"]"#).stringArray, ["\u{FFFD}𐀀"])
        XCTAssertEqual(try JSONParser.parse(#"["\udc00x"]"#).stringArray, ["\u{FFFD}x"])
        XCTAssertEqual(try JSONParser.parse(#"["\ud800"]"#).stringArray, ["\u{FFFD}"])
    }
}

final class BackgroundTests: XCTestCase {
    /// Set from the working thread, read from the test's.
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var set = false
        func raise() { lock.withLock { set = true } }
        var isRaised: Bool { lock.withLock { set } }
    }

    func testValueIsHandedOver() {
        let idle = Background(idle: true) { (1...1000).reduce(0, +) }
        let normal = Background { "abc".uppercased() }
        XCTAssertEqual(idle.take(), 500500)
        XCTAssertEqual(normal.take(), "ABC")
    }

    func testWorkIsWaitedForWhenReleased() {
        let done = Flag()
        do {
            _ = Background {
                Thread.sleep(forTimeInterval: 0.05)
                done.raise()
            }
        }
        XCTAssertTrue(done.isRaised, "releasing waits for the work: none outlives its caller")
    }
}
