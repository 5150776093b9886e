import XCTest
@testable import KonnectCore

/// Diffs a person can read (issue 19 item 7, SPEC §8): arrays element by
/// element, ids in paths at every depth, long strings as word or line
/// diffs, created objects without the fields they do not set.
final class DiffTests: XCTestCase {
    private func json(_ text: String) throws -> JSONValue {
        try JSONParser.parse(text)
    }

    private func diff(_ before: String?, _ after: String?, sensitive: [String] = []) throws -> [FieldDiff] {
        DefinitionDiffer.diff(before: try before.map(json), after: try after.map(json), sensitivePaths: sensitive)
    }

    /// The lines the plan's text view shows for `diff`, without colour.
    private func text(_ diff: [FieldDiff]) -> String {
        let change = PlanChange(kind: .konnector, id: "k", action: .update, diff: diff, after: nil, beforeHash: nil, beforeVersion: nil)
        return PlanTextView(color: false).render(change).split(separator: "\n", omittingEmptySubsequences: false)
            .dropFirst().joined(separator: "\n")
    }

    private func step(_ values: String) -> String {
        #"{"id":"k","steps":[{"id":"log","app":"sheets","with":{"values":\#(values)}}]}"#
    }

    // MARK: alignment

    func testTheAlignmentShowsAnInsertionAndARemovalAsOneOperationEach() throws {
        let ops = try XCTUnwrap(SequenceDiff.align(Array("abcdef"), Array("abXcdf")))
        XCTAssertEqual(ops, [.equal(old: 0, new: 0), .equal(old: 1, new: 1), .insert(new: 2), .equal(old: 2, new: 3),
                             .equal(old: 3, new: 4), .delete(old: 4), .equal(old: 5, new: 5)])
        XCTAssertEqual(SequenceDiff.align([Int](), [1, 2]), [.insert(new: 0), .insert(new: 1)])
        XCTAssertEqual(SequenceDiff.align([1, 2], [Int]()), [.delete(old: 0), .delete(old: 1)])
    }

    func testTheAlignmentRefusesATableOverItsBound() {
        let a = Array(0..<600), b = Array(1000..<1600)
        XCTAssertNil(SequenceDiff.align(a, b), "600 × 600 cells are over the bound")
        // A common prefix and suffix cost nothing: one element inserted in a long array still aligns.
        let long = Array(0..<100_000)
        var longer = long
        longer.insert(-1, at: 50_000)
        XCTAssertEqual(SequenceDiff.align(long, longer)?.filter { if case .equal = $0 { false } else { true } }, [.insert(new: 50_000)])
    }

    // MARK: arrays

    func testAnArrayElementThatChangesIsOneEntryAtItsIndex() throws {
        let d = try diff(step(#"["{{ a }}","upper","x"]"#), step(#"["{{ a }}","lower","x"]"#))
        XCTAssertEqual(d, [FieldDiff(path: "steps.log.with.values[1]", before: .string("upper"), after: .string("lower"), sensitive: false)])
        XCTAssertEqual(text(d), #"      ~ steps.log.with.values[1]: "upper" -> "lower""# + "\n")
    }

    func testInsertionsAndRemovalsAreNotShiftsOfTheLaterElements() throws {
        let inserted = try diff(step(#"["a","b","c","d"]"#), step(#"["a","new","b","c","d"]"#))
        XCTAssertEqual(inserted, [FieldDiff(path: "steps.log.with.values[1]", before: nil, after: .string("new"), sensitive: false)])
        let removed = try diff(step(#"["a","b","c","d"]"#), step(#"["a","c","d"]"#))
        XCTAssertEqual(removed, [FieldDiff(path: "steps.log.with.values[1]", before: .string("b"), after: nil, sensitive: false)])
        // A removal keeps its old index, an insertion has its new one.
        let both = try diff(step(#"["a","b","c"]"#), step(#"["x","a","c"]"#))
        XCTAssertEqual(text(both), """
              + steps.log.with.values[0]: "x"
              - steps.log.with.values[1]: "b"

        """)
    }

    func testObjectsInAnArrayWithoutIdsDiffFieldByField() throws {
        let before = #"{"rows":[{"sku":"A","qty":1},{"sku":"B","qty":2}]}"#
        let after = #"{"rows":[{"sku":"A","qty":1},{"sku":"B","qty":3}]}"#
        XCTAssertEqual(try diff(before, after), [FieldDiff(path: "rows[1].qty", before: .int(2), after: .int(3), sensitive: false)])
    }

    func testAnArrayTooLargeToAlignIsShownWhole() throws {
        let a = JSONValue.array((0..<600).map { .int($0) }), b = JSONValue.array((1000..<1600).map { .int($0) })
        let d = DefinitionDiffer.diff(before: .object(["v": a]), after: .object(["v": b]), sensitivePaths: [])
        XCTAssertEqual(d, [FieldDiff(path: "v", before: a, after: b, sensitive: false)])
    }

    func testSensitiveElementsStayMasked() throws {
        let d = try diff(#"{"with":{"tokens":["tok-1","tok-2"]}}"#, #"{"with":{"tokens":["tok-1","tok-3","tok-4"]}}"#,
                         sensitive: ["with.tokens"])
        XCTAssertEqual(d.map(\.path), ["with.tokens[1]", "with.tokens[2]"])
        XCTAssertTrue(d.allSatisfy(\.sensitive))
        let out = text(d)
        XCTAssertEqual(out, """
              ~ with.tokens[1]: (sensitive) -> (sensitive)
              + with.tokens[2]: (sensitive)

        """)
        let json = PlanJSONView().render(Plan(project: "p", lineage: "l", serial: 1, changes: [
            PlanChange(kind: .konnector, id: "k", action: .update, diff: d, after: nil, beforeHash: nil, beforeVersion: nil),
        ], unchanged: 0))
        for secret in ["tok-2", "tok-3", "tok-4"] {
            XCTAssertFalse(out.contains(secret) || json.contains(secret), secret)
        }
    }

    // MARK: ids in paths

    private static let router = #"""
    {"id":"k","steps":[
      {"id":"route","mode":"first","if":null,"paths":[
        {"id":"vip","when":"trigger.total >= 500","steps":[
          {"id":"alert-vip","app":"slack","if":null,"with":{"channel":"#vip","text":"Big order"}}]},
        {"id":"everyone-else","when":null,"steps":[
          {"id":"log","app":"sheets","if":null,"with":{"values":["a"]}}]}]},
      {"id":"each","repeat":"trigger.items","steps":[{"id":"add-line","app":"sheets","with":{"values":["x"]}}]}]}
    """#

    func testNestedStepsAndPathsAreKeyedByTheirIds() throws {
        let after = Self.router.replacingOccurrences(of: "#vip", with: "#vip-eu")
            .replacingOccurrences(of: #"["x"]"#, with: #"["x","y"]"#)
        XCTAssertEqual(try diff(Self.router, after).map(\.path), [
            "steps.route.paths.vip.steps.alert-vip.with.channel",
            "steps.each.steps.add-line.with.values[1]",
        ])
    }

    func testANewPathShowsOnlyItsOwnFieldsAndARemovedOneOnlyItsOwn() throws {
        let newPath = ##"{"id":"mid","when":"trigger.total >= 100","steps":[{"id":"alert-mid","app":"slack","if":null,"with":{"channel":"#mid"}}]},"##
        let after = Self.router.replacingOccurrences(of: #"{"id":"everyone-else""#, with: newPath + #"{"id":"everyone-else""#)
        let added = try diff(Self.router, after)
        XCTAssertEqual(text(added), """
              + steps.route.paths.mid.steps.alert-mid.app: "slack"
              + steps.route.paths.mid.steps.alert-mid.with.channel: "#mid"
              + steps.route.paths.mid.when: "trigger.total >= 100"

        """)
        let removed = try diff(after, Self.router)
        XCTAssertEqual(removed.map(\.path), added.map(\.path))
        XCTAssertTrue(removed.allSatisfy { $0.after == nil })
    }

    func testAReorderIsOneEntryWithTheIdsInEachOrder() throws {
        let before = #"{"steps":[{"id":"a","x":1},{"id":"b","x":2},{"id":"c","x":3}]}"#
        let after = #"{"steps":[{"id":"c","x":3},{"id":"a","x":1},{"id":"b","x":2}]}"#
        XCTAssertEqual(text(try diff(before, after)), """
              ~ steps: ["a","b","c"] -> ["c","a","b"]

        """)
    }

    func testARemovedElementShowsWhereItWas() throws {
        let before = #"{"steps":[{"id":"a","x":1},{"id":"gone","x":2},{"id":"c","x":3}]}"#
        let after = #"{"steps":[{"id":"a","x":1},{"id":"c","x":4},{"id":"new","x":5}]}"#
        XCTAssertEqual(text(try diff(before, after)), """
              - steps.gone.x: 2
              ~ steps.c.x: 3 -> 4
              + steps.new.x: 5

        """)
    }

    func testIdsThatAreNotUniqueAreNotKeys() throws {
        let before = #"{"rows":[{"id":"a","n":1},{"id":"a","n":2}]}"#
        let after = #"{"rows":[{"id":"a","n":1},{"id":"a","n":3}]}"#
        XCTAssertEqual(try diff(before, after).map(\.path), ["rows[1].n"])
    }

    // MARK: created objects

    func testACreatedObjectShowsOnlyTheFieldsItSets() throws {
        let created = #"""
        {"id":"k","description":null,"tags":[],"when":null,"trigger":{"app":"shopify","connection":null,"with":{}},
         "steps":[{"id":"notify","app":"slack","if":null,"with":{"channel":"#sales","blocks":[]}}]}
        """#
        let d = try diff(nil, created)
        XCTAssertEqual(text(d), """
              + id: "k"
              + steps.notify.app: "slack"
              + steps.notify.with.channel: "#sales"
              + trigger.app: "shopify"

        """)
        XCTAssertEqual(try diff(created, nil).map(\.path), d.map(\.path), "a deleted object likewise")
    }

    func testAFieldThatAppearsAsNullInAnUpdateIsListed() throws {
        XCTAssertEqual(try diff(#"{"a":1}"#, #"{"a":1,"b":null}"#), [FieldDiff(path: "b", before: nil, after: .null, sensitive: false)])
        XCTAssertEqual(try diff(#"{"a":1,"c":{"x":null}}"#, #"{"a":1}"#),
                       [FieldDiff(path: "c", before: try json(#"{"x":null}"#), after: nil, sensitive: false)],
                       "a removed field that set nothing is still a change")
    }

    // MARK: strings

    private static let long = "Order {{ trigger.id }} from {{ trigger.customer.email }} was paid; "
        + "the amount is {{ trigger.total_price | round(2) }} {{ trigger.currency | upper }} and it ships today."

    func testALongStringShowsTheChangedWords() throws {
        let d = FieldDiff(path: "steps.notify.with.text", before: .string(Self.long),
                          after: .string(Self.long.replacingOccurrences(of: "| upper", with: "| lower")), sensitive: false)
        XCTAssertEqual(text([d]), #"      ~ steps.notify.with.text: "… | round(2) }} {{ trigger.currency | [-upper-]{+lower+} }} and it ships today.""# + "\n")
        let two = FieldDiff(path: "t", before: .string(Self.long),
                            after: .string(Self.long.replacingOccurrences(of: "was paid", with: "is refunded")), sensitive: false)
        XCTAssertEqual(text([two]), #"      ~ t: "… }} from {{ trigger.customer.email }} [-was paid;-]{+is refunded;+} the amount is {{ trigger.total_price | …""# + "\n",
                       "changes apart by spaces alone read as one")
    }

    func testAShortStringStaysOneOldToNewLine() {
        let d = FieldDiff(path: "name", before: .string("Orders"), after: .string("New orders"), sensitive: false)
        XCTAssertEqual(text([d]), #"      ~ name: "Orders" -> "New orders""# + "\n")
    }

    func testAMultiLineStringShowsTheChangedLines() {
        let old = "line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\n"
        let new = old.replacingOccurrences(of: "line 6", with: "line six") + "line 8"
        let d = FieldDiff(path: "steps.post.with.text", before: .string(old), after: .string(new), sensitive: false)
        XCTAssertEqual(text([d]), #"""
              ~ steps.post.with.text:
                  …
                  "line 4\n"
                  "line 5\n"
                - "line 6\n"
                + "line six\n"
                  "line 7\n"
                + "line 8"

        """#)
    }

    func testStringsThatDifferOnlyInTheirScalarsStillShowTheDifference() {
        let base = String(repeating: "word ", count: 20)
        let d = FieldDiff(path: "t", before: .string(base + "caf\u{E9}"), after: .string(base + "cafe\u{301}"), sensitive: false)
        XCTAssertTrue(text([d]).contains("[-café-]{+café+}"), text([d]))
    }

    func testASensitiveLongStringIsNeverDiffed() {
        let d = FieldDiff(path: "with.url", before: .string(Self.long), after: .string(Self.long + " x"), sensitive: true)
        XCTAssertEqual(text([d]), "      ~ with.url: (sensitive) -> (sensitive)\n")
    }

    func testControlCharactersInAStringDiffAreEscaped() {
        let d = FieldDiff(path: "t", before: .string(Self.long + "\u{1B}[2J"), after: .string(Self.long + "\u{1B}]0;x\u{7}\u{85}"), sensitive: false)
        let out = text([d])
        XCTAssertFalse(out.unicodeScalars.contains { TerminalText.isUnsafe($0) && $0 != "\n" }, out)
        XCTAssertTrue(out.contains(#"\u001b"#), out)
    }

    func testColourMarksTheChangedWords() {
        let d = FieldDiff(path: "t", before: .string(Self.long), after: .string(Self.long.replacingOccurrences(of: "today", with: "tomorrow")),
                          sensitive: false)
        let change = PlanChange(kind: .konnector, id: "k", action: .update, diff: [d], after: nil, beforeHash: nil, beforeVersion: nil)
        let out = PlanTextView(color: true).render(change)
        XCTAssertTrue(out.contains("\u{1B}[31m[-today.-]\u{1B}[33m\u{1B}[32m{+tomorrow.+}\u{1B}[33m"), out)
    }

    // MARK: views

    private var samplePlan: Plan {
        let long = Self.long
        let diff: [FieldDiff] = [
            FieldDiff(path: "steps.log.with.values[1]", before: .string("upper"), after: .string("lower"), sensitive: false),
            FieldDiff(path: "steps.log.with.values[3]", before: nil, after: .string("{{ trigger.id }}"), sensitive: false),
            FieldDiff(path: "steps.notify.with.text", before: .string(long),
                      after: .string(long.replacingOccurrences(of: "ships today", with: "ships tomorrow")), sensitive: false),
            FieldDiff(path: "steps.post.with.text", before: .string("Hello,\nyour order shipped.\nThanks"),
                      after: .string("Hello,\nyour order is on its way.\nThanks"), sensitive: false),
        ]
        return Plan(project: "acme", lineage: "L", serial: 3, changes: [
            PlanChange(kind: .konnector, id: "order-alert", action: .update, diff: diff, after: nil, beforeHash: nil, beforeVersion: nil),
        ], unchanged: 0)
    }

    func testGoldenText() {
        Golden.assertMatches(PlanTextView(color: false).render(samplePlan), "plan-diff.txt")
    }

    func testGoldenMarkdown() {
        let out = PlanMarkdownView().render(samplePlan)
        Golden.assertMatches(out, "plan-diff.md")
        // Inside the diff block, each line starts with its mark, so that highlighting colours it.
        XCTAssertTrue(out.contains("\n-   \"your order shipped.\\n\"\n+   \"your order is on its way.\\n\"\n"), out)
    }

    func testJSONListsElementPathsWithWholeValues() throws {
        let out = PlanJSONView().render(samplePlan)
        XCTAssertTrue(out.contains(#"{"path":"steps.log.with.values[1]","before":"upper","after":"lower"}"#), out)
        XCTAssertTrue(out.contains(#""after":"Hello,\nyour order is on its way.\nThanks"}"#), out)
    }
}
