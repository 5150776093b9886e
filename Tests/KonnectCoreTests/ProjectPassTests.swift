import Foundation
import KonnectCore
import XCTest

/// The whole-project pass: files go through parse, decode and check in
/// batches on the workers; ids, connection uses and test suites are judged after.
/// Dropping the model (`validate`) must not change a single diagnostic.
final class ProjectPassTests: XCTestCase {

    static let root = FixtureFiles.packageRoot

    /// Every fixture project of the repository: the bundled example, one per diagnostic code, the broken and clean ones.
    static var projects: [URL] {
        var out = [root]
        for group in ["codes", "projects"] {
            let dir = FixtureFiles.fixtures.appendingPathComponent(group)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            out += names.sorted().map { dir.appendingPathComponent($0) }
        }
        return out
    }

    func testDroppingTheModelChangesNoDiagnostic() throws {
        var compared = 0
        for project in Self.projects {
            let files = FixtureFiles.yamlFiles(under: project.appendingPathComponent("konnectors"), relativeTo: project)
            let schemas = FixtureFiles.schemas(of: project)
            guard !files.isEmpty else { continue }
            let kept = ProjectValidator(keeping: .models).validate(files: files, schemaFiles: schemas)
            let dropped = ProjectValidator(keeping: .diagnostics).validate(files: files, schemaFiles: schemas)
            let name = project.lastPathComponent
            XCTAssertEqual(kept.diagnostics, dropped.diagnostics, name)
            XCTAssertEqual(kept.summary.konnectors, dropped.summary.konnectors, name)
            XCTAssertEqual(kept.konnectorCount, kept.konnectors.count, name)
            XCTAssertEqual(kept.sources.mapValues(\.bytes), dropped.sources.mapValues(\.bytes), name)
            XCTAssertEqual(kept.checkedTestSuites.map(\.konnector), dropped.checkedTestSuites.map(\.konnector), name)
            XCTAssertEqual(kept.checkedTestSuites.map(\.cases.count), dropped.checkedTestSuites.map(\.cases.count), name)
            XCTAssertTrue(dropped.konnectors.isEmpty && dropped.checkedKonnectors.isEmpty, name)
            compared += 1
        }
        XCTAssertGreaterThan(compared, 25)
    }

    func testTheBundledProjectsSuitesAreCheckedWithoutTheModel() throws {
        let files = FixtureFiles.yamlFiles(under: Self.root.appendingPathComponent("konnectors"), relativeTo: Self.root)
        let schemas = FixtureFiles.yamlFiles(under: Self.root.appendingPathComponent("schemas"), relativeTo: Self.root)
        let dropped = ProjectValidator(keeping: .diagnostics).validate(files: files, schemaFiles: schemas)
        XCTAssertEqual(dropped.diagnostics, [])
        XCTAssertGreaterThan(dropped.checkedTestSuites.count, 3)
        XCTAssertGreaterThan(dropped.konnectorCount, 5)
    }

    /// A checked konnector keeps its values as checked values only: the YAML
    /// they were checked from is let go (a kept model's memory), while a
    /// konnector that did not check keeps all of its syntax.
    func testKeptModelsHoldNoValueSyntaxOnceChecked() throws {
        let files = FixtureFiles.yamlFiles(under: Self.root.appendingPathComponent("konnectors"), relativeTo: Self.root)
        let schemas = FixtureFiles.yamlFiles(under: Self.root.appendingPathComponent("schemas"), relativeTo: Self.root)
        let kept = ProjectValidator(keeping: .models).validate(files: files, schemaFiles: schemas)
        XCTAssertFalse(kept.checkedKonnectors.isEmpty)
        for k in kept.checkedKonnectors.map(\.konnector) + kept.konnectors {
            XCTAssertNil(k.trigger?.with, k.id?.value ?? "?")
            XCTAssertNil(k.when, k.id?.value ?? "?")
            XCTAssertTrue(k.steps.allSatisfy { $0.action?.with == nil && $0.condition == nil }, k.id?.value ?? "?")
        }
        XCTAssertTrue(kept.checkedKonnectors.contains { $0.when != nil }, "the bundled example has a `when:`")

        // An unknown action: it does not check, and keeps its `when:`.
        let text = Self.crmKonnector(connection: "crm-main", step: "up").replacingOccurrences(of: "upsert_contact", with: "no_such_action")
        let broken = TC.file("konnectors/a.yaml", text + "when: trigger.email != null\n")
        let project = ProjectValidator(keeping: .models).validate(files: [broken, TC.file("konnectors/z.yaml", TC.crmConnections)],
                                                                  schemaFiles: TC.schemaFiles)
        XCTAssertEqual(project.diagnostics.map(\.code), [.unknownAction])
        XCTAssertTrue(project.checkedKonnectors.isEmpty)
        XCTAssertNotNil(project.konnectors.first?.when)
    }

    /// Konnector `k` on the test `crm` app, its trigger and (when `step` is given) one upsert step using `connection`.
    static func crmKonnector(connection: String, step: String?) -> String {
        var text = """
        konnector: k
        name: K
        trigger:
          app: crm
          event: new_contact
          connection: \(connection)

        """
        if let step {
            text += """
            steps:
              - id: \(step)
                app: crm
                action: upsert_contact
                connection: \(connection)
                with:
                  email: "{{ trigger.email }}"

            """
        }
        return text
    }

    /// Uses of connections are judged after every file is read, and a broken
    /// use still keeps the konnector out of the checked ones.
    func testABrokenConnectionUseMakesTheKonnectorUnclean() {
        let konnector = Self.crmKonnector(connection: "crm-readonly", step: "up")
        let suite = """
        tests: k
        cases:
          - name: one
            event: { id: 1, email: a@example.com }
            expect: { ran: [up] }

        """
        for keepsModel in [true, false] {
            // The connections file sorts after the konnector that uses them.
            let checked = ProjectValidator(keeping: keepsModel ? .models : .diagnostics).validate(
                files: [TC.file("konnectors/a.yaml", konnector), TC.file("konnectors/a.test.yaml", suite),
                        TC.file("konnectors/z.yaml", TC.crmConnections)],
                schemaFiles: TC.schemaFiles)
            XCTAssertEqual(checked.diagnostics.map(\.code), [.missingScope])
            XCTAssertEqual(checked.diagnostics.first?.range.start.line, 11)
            XCTAssertTrue(checked.checkedKonnectors.isEmpty)
            // Its suite is not checked, and not reported as naming an unknown konnector.
            XCTAssertTrue(checked.checkedTestSuites.isEmpty)
        }
    }

    /// Errors the decoder finds make a konnector unclean too: without
    /// `steps:` (or with a misspelled `when:`) it used to check clean, and
    /// its tests ran against something else than was written.
    func testADecodeErrorMakesTheKonnectorUnclean() {
        let suite = TC.file("konnectors/a.test.yaml", """
        tests: k
        cases:
          - name: one
            event: { id: 1, email: a@example.com }
            expect: { ran: [] }

        """)
        for (text, code) in [(Self.crmKonnector(connection: "crm-main", step: nil), DiagnosticCode.missingField),
                             (Self.crmKonnector(connection: "crm-main", step: "up") + "whne: trigger.email != null\n", .unknownField)] {
            for keepsModel in [true, false] {
                let checked = ProjectValidator(keeping: keepsModel ? .models : .diagnostics).validate(
                    files: [TC.file("konnectors/a.yaml", text), suite, TC.file("konnectors/z.yaml", TC.crmConnections)],
                    schemaFiles: TC.schemaFiles)
                XCTAssertEqual(checked.diagnostics.map(\.code), [code])
                XCTAssertTrue(checked.checkedKonnectors.isEmpty)
                XCTAssertTrue(checked.checkedTestSuites.isEmpty, "the suite of a broken konnector does not run")
            }
        }
        // The same konnector written correctly checks clean, and so does its suite.
        let clean = ProjectValidator(keeping: .models).validate(
            files: [TC.file("konnectors/a.yaml", Self.crmKonnector(connection: "crm-main", step: "up")), suite,
                    TC.file("konnectors/z.yaml", TC.crmConnections)],
            schemaFiles: TC.schemaFiles)
        XCTAssertEqual(clean.diagnostics.map(\.code), [])
        XCTAssertEqual(clean.checkedKonnectors.count, 1)
        XCTAssertEqual(clean.checkedTestSuites.count, 1)
    }

    func testAnUnreadableFileSilencesUnknownConnectionsOnly() {
        let konnector = Self.crmKonnector(connection: "crm-elsewhere", step: nil)
        let checked = ProjectValidator(keeping: .diagnostics).validate(
            files: [TC.file("konnectors/a.yaml", konnector), TC.file("konnectors/b.yaml", "connection: [\n")],
            schemaFiles: TC.schemaFiles)
        // (`steps:` is missing too: reported either way.)
        XCTAssertEqual(checked.diagnostics.map(\.code), [.missingField, .yamlSyntax])
        let readable = ProjectValidator(keeping: .diagnostics).validate(files: [TC.file("konnectors/a.yaml", konnector)],
                                                                    schemaFiles: TC.schemaFiles)
        XCTAssertEqual(readable.diagnostics.map(\.code), [.missingField, .unknownConnection])
    }

    /// With the model dropped, a suite still finds the first clean konnector of its id.
    func testSuitesFindTheFirstCleanKonnectorWithoutTheModel() {
        func konnector(_ file: String, step: String) -> SourceFile {
            TC.file(file, Self.crmKonnector(connection: "crm-main", step: step))
        }
        let suite = TC.file("konnectors/t.test.yaml", """
        tests: k
        cases:
          - name: one
            event: { id: 1, email: a@example.com }
            expect: { ran: [second] }

        """)
        let files = [konnector("konnectors/a.yaml", step: "first"), konnector("konnectors/b.yaml", step: "second"),
                     suite, TC.file("konnectors/z.yaml", TC.crmConnections)]
        let kept = ProjectValidator(keeping: .models).validate(files: files, schemaFiles: TC.schemaFiles)
        let dropped = ProjectValidator(keeping: .diagnostics).validate(files: files, schemaFiles: TC.schemaFiles)
        // `k` twice: the second is a duplicate, and the suite is checked against the first (no step `second`).
        XCTAssertEqual(kept.diagnostics.map(\.code), [.duplicateID, .unknownReference])
        XCTAssertEqual(dropped.diagnostics, kept.diagnostics)
    }
}
