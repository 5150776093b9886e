import KonnectCore
@testable import KonnectLibrary
import XCTest

/// A revision's change list as a library stores it: diffs round-trip,
/// "absent" stays apart from `null`, and a damaged list is an error.
final class RevisionChangesTests: XCTestCase {
    func testDiffsRoundTripAndAbsentIsNotNull() throws {
        let changes = [
            Revision.Change(kind: "konnector", id: "k", action: "update", renamedFrom: nil, version: 2, diff: [
                FieldDiff(path: "description", before: nil, after: .null, sensitive: false),
                FieldDiff(path: "name", before: .string("a"), after: nil, sensitive: false),
                FieldDiff(path: "steps.s.with.n", before: .int(1), after: .array([.bool(true)]), sensitive: false),
            ]),
            Revision.Change(kind: "connection", id: "c", action: "delete", renamedFrom: nil, version: nil),
        ]
        XCTAssertEqual(try RevisionChanges.decode(RevisionChanges.encode(changes), serial: 1), changes)
    }

    func testSensitiveValuesAreNeverKept() throws {
        let change = Revision.Change(kind: "konnector", id: "k", action: "update", renamedFrom: nil, version: 2, diff: [
            FieldDiff(path: "trigger.with.secret", before: .string("hunter2"), after: .string("hunter3"), sensitive: true),
            FieldDiff(path: "steps.s.with.token", before: nil, after: .string("tok-1"), sensitive: true),
        ])
        let text = RevisionChanges.encode([change])
        XCTAssertFalse(text.contains("hunter") || text.contains("tok-1"), text)
        XCTAssertEqual(try RevisionChanges.decode(text, serial: 1).first?.diff, [
            FieldDiff(path: "trigger.with.secret", before: .string("(sensitive)"), after: .string("(sensitive)"), sensitive: true),
            FieldDiff(path: "steps.s.with.token", before: nil, after: .string("(sensitive)"), sensitive: true),
        ])
    }

    /// Found attacking the library: a stored diff marked `"sensitive": "true"` (a string) was read as
    /// not sensitive, and `history --diff` printed its values. Any mark but `false` now hides them.
    func testADiffWithADamagedSensitiveMarkIsTakenAsSensitive() throws {
        for mark in [#""true""#, "1", "null", "{}"] {
            let text = #"[{"kind":"konnector","id":"k","action":"update","version":2,"diff":[{"path":"p","before":"T0K3N","sensitive":"# + mark + "}]}]"
            XCTAssertEqual(try RevisionChanges.decode(text, serial: 1).first?.diff.first?.sensitive, true, mark)
        }
        let plain = #"[{"kind":"konnector","id":"k","action":"update","version":2,"diff":[{"path":"p","before":"x","sensitive":false}]}]"#
        XCTAssertEqual(try RevisionChanges.decode(plain, serial: 1).first?.diff.first?.sensitive, false)
    }

    func testARevisionWithoutDiffsReadsAsNoDiffsAndADamagedDiffIsAnError() throws {
        let old = #"[{"kind":"konnector","id":"k","action":"create","renamed_from":null,"version":1}]"#
        XCTAssertEqual(try RevisionChanges.decode(old, serial: 1).first?.diff, [])
        for damaged in [#"[{"kind":"konnector","id":"k","action":"create","diff":"x"}]"#,
                        #"[{"kind":"konnector","id":"k","action":"create","diff":[{"before":1}]}]"#] {
            XCTAssertThrowsError(try RevisionChanges.decode(damaged, serial: 7)) { error in
                XCTAssertTrue("\(error)".contains("revision 7"), "\(error)")
            }
        }
    }
}
