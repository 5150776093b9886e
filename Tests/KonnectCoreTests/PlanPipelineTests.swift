@testable import KonnectCore
import KonnectYAML
import XCTest

/// A library that records what the pipeline asks of it.
private final class RecordingLibrary: PlanLibrary {
    var stored: LibrarySnapshot
    var snapshotsRead = 0
    var definitionsAsked: [[LibrarySnapshot.Key]] = []

    init(_ stored: LibrarySnapshot) { self.stored = stored }

    func snapshot(project: String, ids: Set<LibrarySnapshot.Key>?) throws -> LibrarySnapshot {
        snapshotsRead += 1
        // What a backend's snapshot holds: no definitions.
        return LibrarySnapshot(lineage: stored.lineage, serial: stored.serial,
                               owned: stored.owned.map { var o = $0; o.definitionJSON = nil; return o },
                               foreignOwners: stored.foreignOwners)
    }

    func definitions(project: String, keys: [LibrarySnapshot.Key]) throws -> [LibrarySnapshot.Key: String] {
        definitionsAsked.append(keys)
        return try stored.definitions(project: project, keys: keys)
    }

    /// The library after applying `plan`'s creates and updates (enough for these tests).
    func apply(_ plan: Plan) {
        var owned = stored.owned
        for change in plan.changes {
            guard let o = change.after else { continue }
            owned.removeAll { $0.kind == o.kind && $0.id == o.id }
            owned.append(StoredObject(kind: o.kind, id: o.id, owner: "p", name: o.name, enabled: o.enabled, definitionJSON: o.canonicalJSON,
                                      hash: o.hash, version: 1, createdAt: "", updatedAt: "", sourceFile: o.sourceFile, sourceCommit: "",
                                      sensitivePaths: o.sensitivePaths, tags: o.tags, sourceKey: o.sourceKey))
        }
        stored = LibrarySnapshot(lineage: "l", serial: stored.serial + 1, owned: owned, foreignOwners: [:])
    }
}

/// `PlanPipeline`: the one way `plan`, `apply` and the tests make a plan.
final class PlanPipelineTests: XCTestCase {
    static func files(_ texts: [String: String]) -> [SourceFile] {
        texts.sorted { $0.key < $1.key }.map { SourceFile(path: $0.key, bytes: Array($0.value.utf8)) }
            + [SourceFile(path: "konnectors/connections.yaml", bytes: Array(CompilerTests.connectionsText.utf8))]
    }

    static func check(_ files: [SourceFile], keeping: ProjectValidator.Keeping) -> CheckedProject {
        ProjectValidator(keeping: keeping).validate(files: files, schemaFiles: CompilerTests.schemaFiles)
    }

    func testOutlinesRecheckOnlyWhatTheLibraryDoesNotHoldAndPlanAsModelsDo() throws {
        let pipeline = PlanPipeline(project: "p")
        let library = RecordingLibrary(LibrarySnapshot(lineage: "", serial: 0, owned: [], foreignOwners: [:]))
        let files = Self.files(CompileKeyTests.files)

        // A first plan, against an empty library, compiles everything from the models.
        let first = try pipeline.plan(Self.check(files, keeping: .models), library: library)
        XCTAssertEqual(first.diagnostics, [])
        XCTAssertEqual(first.plan.changes.map(\.action), [.create, .create, .create])
        XCTAssertEqual(library.definitionsAsked, [[]], "nothing in the library to diff against")
        library.apply(first.plan)

        // Unchanged: nothing is checked again, no definition is read.
        var rechecked: [String] = []
        let unchanged = Self.check(files, keeping: .outlines)
        let again = try pipeline.plan(unchanged, library: library) { outlines in
            rechecked += outlines.map(\.id)
            return ProjectValidator().models(of: outlines, files: files, schemas: unchanged.schemas)
        }
        XCTAssertTrue(again.plan.isEmpty)
        XCTAssertEqual(again.plan.unchanged, 3)
        XCTAssertEqual(rechecked, [])
        XCTAssertEqual(library.definitionsAsked.last, [])

        // One konnector edited: only it is checked again, and only its stored definition is read.
        var texts = CompileKeyTests.files
        texts["konnectors/b.yaml"] = CompileKeyTests.other.replacingOccurrences(of: "channel: \"#sales\"", with: "channel: \"#sales-eu\"")
        let edited = Self.files(texts)
        let light = Self.check(edited, keeping: .outlines)
        let fromOutlines = try pipeline.plan(light, library: library) { outlines in
            rechecked += outlines.map(\.id)
            return ProjectValidator().models(of: outlines, files: edited, schemas: light.schemas)
        }
        XCTAssertEqual(rechecked, ["other"])
        XCTAssertEqual(library.definitionsAsked.last, [LibrarySnapshot.Key(.konnector, "other")])
        XCTAssertEqual(fromOutlines.plan.changes.map(\.id), ["other"])
        XCTAssertEqual(fromOutlines.plan.changes.first?.diff.map(\.path), ["steps.notify.with.channel"])

        // The models give the same plan.
        let fromModels = try pipeline.plan(Self.check(edited, keeping: .models), library: library)
        XCTAssertEqual(PlanFile.encode(fromModels.plan), PlanFile.encode(fromOutlines.plan))
        XCTAssertEqual(fromModels.objects, fromOutlines.objects)
    }

    func testCompiledObjectsPlanThroughTheSamePipeline() throws {
        let files = Self.files(CompileKeyTests.files)
        let objects = Compiler.compile(Self.check(files, keeping: .models))
        let library = RecordingLibrary(LibrarySnapshot(lineage: "", serial: 0, owned: [], foreignOwners: [:]))
        let planned = try PlanPipeline(project: "p", targets: [PlanTarget("other")]).plan(objects, library: library)
        XCTAssertEqual(planned.plan.changes.map(\.id), ["slack-sales", "other"], "a target brings the connections it uses")
        XCTAssertEqual(library.snapshotsRead, 1)
    }

    func testASnapshotWithDefinitionsIsALibrary() throws {
        let stored = StoredObject(kind: .connection, id: "c", owner: "p", name: "c", enabled: true, definitionJSON: "{}",
                                  hash: "h", version: 1, createdAt: "", updatedAt: "", sourceFile: "", sourceCommit: "",
                                  sensitivePaths: [], tags: [], sourceKey: "")
        let snapshot = LibrarySnapshot(lineage: "l", serial: 1, owned: [stored], foreignOwners: [:])
        XCTAssertEqual(try snapshot.definitions(project: "p", keys: [.init(.connection, "c"), .init(.konnector, "c")]),
                       [.init(.connection, "c"): "{}"])
    }
}

/// What the validator keeps is stored as what it is, not inferred.
final class KeptKonnectorTests: XCTestCase {
    /// `a` is clean; `b` names a connection that does not exist, which breaks it only once uses are judged.
    static let files = [
        TC.file("konnectors/a.yaml", TC.konnector(with: ["s: x"])),
        TC.file("konnectors/b.yaml", """
        konnector: b
        name: B
        trigger: {app: crm, event: new_contact, connection: crm-nowhere}
        steps:
          - id: a
            app: shop
            action: take
            with: {s: x}

        """),
        TC.file("konnectors/connections.yaml", TC.crmConnections),
    ]

    func testEachModeStoresWhatItKeeps() {
        let none = ProjectValidator(keeping: .diagnostics).validate(files: Self.files, schemaFiles: TC.schemaFiles)
        let light = ProjectValidator(keeping: .outlines).validate(files: Self.files, schemaFiles: TC.schemaFiles)
        let full = ProjectValidator(keeping: .models).validate(files: Self.files, schemaFiles: TC.schemaFiles)
        XCTAssertEqual([none, light, full].map(\.keeping), [.diagnostics, .outlines, .models])
        XCTAssertEqual(full.diagnostics.map(\.code), [.unknownConnection])
        XCTAssertEqual([none, light, full].map(\.konnectorCount), [2, 2, 2])

        guard case .outlines(let outlines) = light.kept else { return XCTFail("\(light.kept)") }
        XCTAssertEqual(outlines.map(\.id), ["k"], "a konnector a use broke keeps no outline")
        guard case .models(let models) = full.kept, models.count == 2 else { return XCTFail("\(full.kept)") }
        guard case .checked(let k, let outline) = models[0], case .decoded(let b) = models[1] else { return XCTFail("\(models)") }
        XCTAssertEqual([k.id, outline.id, b.id?.value], ["k", "k", "b"])
        XCTAssertEqual(full.checkedKonnectors.map(\.id), ["k"])
        XCTAssertEqual(full.outlines.map(\.id), ["k"])
        XCTAssertEqual(full.konnectors.compactMap { $0.id?.value }, ["k", "b"])
        XCTAssertTrue(none.outlines.isEmpty && none.konnectors.isEmpty && none.checkedKonnectors.isEmpty)
    }

    func testAValueNotKeptIsNotANull() throws {
        let stream = YAMLParser().parse(Array("null\n".utf8))
        let node = try XCTUnwrap(stream.documents.first?.root)
        var kept = ValueChecker(file: "f", source: stream.source, scope: nil, keeping: .values)
        var dropped = ValueChecker(file: "f", source: stream.source, scope: nil, keeping: .none)
        let written = kept.check(node, as: .any, required: false, what: "x")
        let unkept = dropped.check(node, as: .any, required: false, what: "x")
        XCTAssertEqual(written, .literal(.null))
        XCTAssertFalse(written.isUnkept)
        XCTAssertTrue(unkept.isUnkept)
        XCTAssertNotEqual(unkept, written)

        // `b` is kept as decoded (a use broke it), its YAML whole.
        let konnector = ProjectValidator().validate(files: Self.files, schemaFiles: TC.schemaFiles).konnectors[1]
        let source = SourceText(bytes: Self.files[1].bytes)
        var outline = KonnectorChecker(schemas: SchemaLoader().load(TC.schemaFiles).0, source: source, keeping: .none)
        XCTAssertTrue(try XCTUnwrap(outline.check(konnector)).config.isUnkept)
        var model = KonnectorChecker(schemas: SchemaLoader().load(TC.schemaFiles).0, source: source, keeping: .values)
        XCTAssertEqual(try XCTUnwrap(model.check(konnector)).config, .object([:], order: []))
    }
}

/// What the project's reading could not read is the validator's input: it
/// then makes no "unknown app" or "unknown connection" noise.
final class UnreadInputTests: XCTestCase {
    func testAnUnreadSchemaFolderCallsNoAppUnknown() {
        let files = [TC.file("konnectors/a.yaml", TC.konnector(with: ["s: x"])),
                     TC.file("konnectors/c.yaml", "connection: c\napp: nowhere\nscopes: []\nsecret: env:T\n")]
        let read = ProjectValidator().validate(files: files, schemaFiles: [])
        XCTAssertEqual(read.diagnostics.map(\.code), [.unknownApp, .unknownApp, .unknownApp], "the trigger's, the step's and the connection's")
        let unread = ProjectValidator().validate(files: files, schemaFiles: [], unread: .init(schemas: true, files: 3))
        XCTAssertEqual(unread.diagnostics.map(\.code), [])
        XCTAssertEqual(unread.fileCount, read.fileCount + 3)
        XCTAssertEqual(unread.outlines.count, 0, "a konnector on an app that could not be read is not clean")
    }

    func testAnUnreadKonnectorFileCallsNoConnectionUnknown() {
        let files = KeptKonnectorTests.files
        let read = ProjectValidator().validate(files: files, schemaFiles: TC.schemaFiles)
        XCTAssertEqual(read.diagnostics.map(\.code), [.unknownConnection])
        let unread = ProjectValidator().validate(files: files, schemaFiles: TC.schemaFiles, unread: .init(konnectors: true, files: 1))
        XCTAssertEqual(unread.diagnostics.map(\.code), [])
    }
}

/// SPEC §9: numbers stay finite; `.inf`, `.nan` and `1e999` literals are `invalid-value`.
final class NonFiniteLiteralTests: XCTestCase {
    func testNonFiniteNumberLiteralsAreInvalidValues() {
        for literal in [".inf", "-.inf", "+.inf", ".Inf", ".nan", ".NaN", "1e999", "-1e999"] {
            for field in ["n", "a", "s", "i"] {
                let diagnostics = TC.diagnostics(TC.konnector(with: ["\(field): \(literal)"]))
                XCTAssertEqual(diagnostics.map(\.code), [.invalidValue], "\(field): \(literal)")
                XCTAssertEqual(diagnostics.first.map { "\($0.range.start.line):\($0.range.start.column)" }, "11:\(field.count + 9)")
                XCTAssertEqual(diagnostics.first?.message, "`\(field)` must be a finite number, found `\(literal)`")
            }
        }
        for finite in ["1e308", "-1.5", "0.0", "\".inf\""] {
            XCTAssertEqual(TC.diagnostics(TC.konnector(with: ["a: \(finite)"])).map(\.code), [], finite)
        }
    }

    func testInsideListsAndObjectsToo() {
        let diagnostics = TC.diagnostics(TC.konnector(with: ["a: [1, .nan]", "obj: {city: x, zip: .inf}"]))
        XCTAssertEqual(diagnostics.map(\.code), [.invalidValue, .invalidValue])
    }
}
