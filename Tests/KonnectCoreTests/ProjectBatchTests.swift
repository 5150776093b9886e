@testable import KonnectCore
import XCTest

/// Files reach the workers in batches of consecutive files, each batch
/// staged (parse, decode, check); what comes out must not depend on it.
final class ProjectBatchTests: XCTestCase {

    static func files(sizes: [Int]) -> [SourceFile] {
        sizes.enumerated().map { i, n in SourceFile(path: "konnectors/f\(i).yaml", bytes: [UInt8](repeating: 0x20, count: n)) }
    }

    static func batches(sizes: [Int]) -> [[Int]] {
        let files = Self.files(sizes: sizes)
        return ProjectValidator.batches(Array(files.indices), of: files).map(Array.init)
    }

    func testBatchesCoverEveryFileInOrder() {
        let cases: [[Int]] = [
            [], [700], Array(repeating: 700, count: 200), Array(repeating: 0, count: 100),
            Array(repeating: 700, count: 60) + [200_000] + Array(repeating: 700, count: 60),
            (0..<500).map { 100 + ($0 * 7919) % 3000 },
        ]
        for sizes in cases {
            let batches = Self.batches(sizes: sizes)
            XCTAssertEqual(batches.flatMap { $0 }, Array(sizes.indices), "\(sizes.count) files")
            XCTAssertFalse(batches.contains { $0.isEmpty })
            // A batch ends with the file that fills it: none but the last could have ended sooner.
            for batch in batches.dropLast() {
                let bytes = batch.map { sizes[$0] }
                XCTAssertLessThan(bytes.dropLast().reduce(0, +), ProjectValidator.batchBytes)
            }
        }
    }

    func testALargeProjectIsBatchedAndASmallOneSpreadsOverTheCores() {
        let large = Self.batches(sizes: Array(repeating: 700, count: 1000))
        XCTAssertTrue(large.allSatisfy { $0.count > 1 })
        XCTAssertLessThan(large.count, 100)
        // A huge file fills its batch: the next file starts the next one.
        let mixed = Self.batches(sizes: Array(repeating: 700, count: 200) + [200_000, 700])
        XCTAssertEqual(mixed.last, [201])
        // Ten small files: each its own batch, so each can go to its own core.
        XCTAssertEqual(Self.batches(sizes: Array(repeating: 700, count: 10)).count, 10)
        // Some files of many: each batch holds those it is given, in order.
        let files = Self.files(sizes: Array(repeating: 700, count: 1000))
        let some = Array(stride(from: 3, to: 1000, by: 7))
        let batches = ProjectValidator.batches(some, of: files)
        XCTAssertEqual(batches.flatMap { $0 }, some)
        XCTAssertGreaterThan(batches.count, 10)
    }

    /// Each file's diagnostics stay its own, in file order, across many batches.
    func testBatchedFilesKeepTheirOwnDiagnostics() {
        let count = 300
        var files = (0..<count).map { i in
            TC.file("konnectors/k\(String(format: "%03d", i)).yaml", """
            konnector: k\(i)
            name: K
            trigger:
              app: app\(i)
              event: e
            steps: []

            """)
        }
        files.append(TC.file("konnectors/z.yaml", "konnector: k7\nname: again\ntrigger:\n  app: app7\n  event: e\nsteps: []\n"))
        XCTAssertGreaterThan(ProjectValidator.batches(Array(files.indices), of: files).count, 4)
        for keeping in [ProjectValidator.Keeping.diagnostics, .models] {
            let checked = ProjectValidator(keeping: keeping).validate(files: files)
            let unknown = checked.diagnostics.filter { $0.code == .unknownApp }
            XCTAssertEqual(unknown.map(\.file), files.map(\.path))
            for (i, d) in unknown.enumerated().dropLast() { XCTAssertTrue(d.message.contains("`app\(i)`"), d.message) }
            let duplicate = checked.diagnostics.filter { $0.code == .duplicateID }
            XCTAssertEqual(duplicate.map(\.file), ["konnectors/z.yaml"])
            XCTAssertEqual(checked.sources.count, count + 1)
            XCTAssertEqual(checked.konnectorCount, count + 1)
        }
    }

    /// Outlines come from the batched pass; `models(of:)` checks each file
    /// again on its own. Both must find the same konnectors.
    func testBatchedOutlinesMatchTheModelsCheckedAgain() {
        var files = (0..<150).map { i in
            TC.file("konnectors/k\(String(format: "%03d", i)).yaml",
                    ProjectPassTests.crmKonnector(connection: "crm-main", step: "up").replacingOccurrences(of: "konnector: k\n", with: "konnector: k\(i)\n"))
        }
        files.append(TC.file("konnectors/z.yaml", TC.crmConnections))
        let validator = ProjectValidator(keeping: .outlines)
        let checked = validator.validate(files: files, schemaFiles: TC.schemaFiles)
        XCTAssertEqual(checked.diagnostics, [])
        XCTAssertEqual(checked.outlines.map(\.id), (0..<150).map { "k\($0)" })
        let again = validator.models(of: checked.outlines, files: files, schemas: checked.schemas)
        XCTAssertEqual(again.map { $0?.id }, checked.outlines.map(\.id))
        let kept = ProjectValidator(keeping: .models).validate(files: files, schemaFiles: TC.schemaFiles)
        XCTAssertEqual(kept.checkedKonnectors.map(\.id), checked.outlines.map(\.id))
    }
}
