import KonnectCore
import KonnectYAML
import XCTest

/// Compile keys (plan skips compiling a konnector the library holds from the
/// same inputs): a key changes with every input the compile reads, and a
/// matching key reuses the library's hash without compiling.
final class CompileKeyTests: XCTestCase {
    static let signup = CompilerTests.base
    static let other = CompilerTests.base.replacingOccurrences(of: "konnector: signup-to-slack", with: "konnector: other")

    static func check(_ files: [String: String], schemas: [SourceFile] = CompilerTests.schemaFiles) -> CheckedProject {
        var sources = files.sorted { $0.key < $1.key }.map { SourceFile(path: $0.key, bytes: Array($0.value.utf8)) }
        sources.append(SourceFile(path: "konnectors/connections.yaml", bytes: Array(CompilerTests.connectionsText.utf8)))
        return ProjectValidator().validate(files: sources, schemaFiles: schemas)
    }

    static let files = ["konnectors/a.yaml": signup, "konnectors/b.yaml": other]

    func keys(_ project: CheckedProject) -> [String: String] {
        XCTAssertFalse(project.hasErrors, "\(project.diagnostics.map(\.message))")
        return Dictionary(uniqueKeysWithValues: zip(project.checkedKonnectors.map(\.id), CompileKey.keys(for: project)))
    }

    func testKeysAreStableAndPerKonnector() {
        let first = keys(Self.check(Self.files))
        XCTAssertEqual(first, keys(Self.check(Self.files)))
        XCTAssertEqual(first.count, 2)
        XCTAssertNotEqual(first["signup-to-slack"], first["other"])
        XCTAssertTrue(first.values.allSatisfy { $0.count == 64 })
    }

    /// Keys are stored in libraries: the bytes they digest must not drift, or
    /// every library would compile everything again once. These were made by
    /// the first implementation.
    func testKeysArePinned() {
        let k = keys(Self.check(Self.files))
        XCTAssertEqual(k["signup-to-slack"], "495f99aae16e0a4248674a7e715264f1bc2e47ebb500974aecdc3ea0b58c3096")
        XCTAssertEqual(k["other"], "cdb9d6c81e8a9772dfeabf6c2d9b124521b2ed3e2578dc4c008b0c327af40f2b")
    }

    func testAnEditChangesOnlyThatKonnectorsKey() {
        let before = keys(Self.check(Self.files))
        var edited = Self.files
        edited["konnectors/a.yaml"] = Self.signup + "# a comment\n"
        let after = keys(Self.check(edited))
        XCTAssertNotEqual(before["signup-to-slack"], after["signup-to-slack"])
        XCTAssertEqual(before["other"], after["other"])
    }

    func testSchemaAndConnectionEditsChangeEveryKey() {
        let before = keys(Self.check(Self.files))
        let schemas = CompilerTests.schemaFiles.map { f in
            f.path.hasSuffix("webhook.yaml")
                ? SourceFile(path: f.path, bytes: Array(String(decoding: f.bytes, as: UTF8.self)
                    .replacingOccurrences(of: "timeout_seconds: { type: integer, default: 30 }",
                                          with: "timeout_seconds: { type: integer, default: 45 }").utf8))
                : f
        }
        XCTAssertNotEqual(schemas.map(\.bytes), CompilerTests.schemaFiles.map(\.bytes), "the schema edit took")
        let afterSchema = keys(Self.check(Self.files, schemas: schemas))
        XCTAssertNotEqual(before["signup-to-slack"], afterSchema["signup-to-slack"])
        XCTAssertNotEqual(before["other"], afterSchema["other"])

        var files = Self.files
        files["konnectors/more-connections.yaml"] = "connection: slack-ops\napp: slack\nscopes: [chat:write]\nsecret: env:OPS\n"
        let afterConnection = keys(Self.check(files))
        XCTAssertNotEqual(before["signup-to-slack"], afterConnection["signup-to-slack"])
        XCTAssertNotEqual(before["other"], afterConnection["other"])
    }

    func testARedactedFileHasNoKey() {
        let project = Self.check(Self.files)
        var redacted = project
        redacted.redactedFiles = ["konnectors/a.yaml"]
        let k = keys(redacted)
        XCTAssertEqual(k["signup-to-slack"], "")
        XCTAssertEqual(k["other"]?.count, 64)
        redacted.redactedFiles = ["konnectors/connections.yaml"]
        XCTAssertEqual(Set(keys(redacted).values), [""], "a redacted shared input disables every key")
    }

    func testAMatchingKeyReusesTheLibrarysHashWithoutCompiling() throws {
        let project = Self.check(Self.files)
        let k = keys(project)
        func stored(_ id: String, key: String) -> StoredObject {
            StoredObject(kind: .konnector, id: id, owner: "p", name: id, enabled: true, definitionJSON: nil,
                         hash: String(repeating: "f", count: 64), version: 1, createdAt: "", updatedAt: "",
                         sourceFile: "", sourceCommit: "", sensitivePaths: [], tags: [], sourceKey: key)
        }
        let snapshot = LibrarySnapshot(lineage: "l", serial: 1, owned: [
            stored("signup-to-slack", key: try XCTUnwrap(k["signup-to-slack"])),
            stored("other", key: String(repeating: "0", count: 64)),
        ], foreignOwners: [:])
        let objects = PlanPipeline.compile(project, reusing: snapshot)
        let reused = try XCTUnwrap(objects.first { $0.id == "signup-to-slack" })
        XCTAssertEqual(reused.hash, String(repeating: "f", count: 64), "the library's hash is taken as is")
        XCTAssertNil(reused.definition)
        XCTAssertEqual(reused.tags, ["sales", "web"])
        XCTAssertEqual(reused.connections, ["slack-sales"])
        let compiled = try XCTUnwrap(objects.first { $0.id == "other" })
        XCTAssertNotNil(compiled.definition, "a different key compiles")
        XCTAssertEqual(compiled.sourceKey, k["other"])
        XCTAssertEqual(compiled.hash, Compiler.compile(project).first { $0.id == "other" }?.hash)
        XCTAssertEqual(objects.filter { $0.kind == .connection }.count, 1, "connections are always compiled")
    }
}

/// Against a library, the validator keeps outlines only, and a plan checks
/// again just the konnectors it compiles: that must give what the models give.
final class OutlineTests: XCTestCase {
    func testOutlinesWithModelsCheckedAgainCompileAsTheKeptModels() throws {
        var files = CompileKeyTests.files.sorted { $0.key < $1.key }.map { SourceFile(path: $0.key, bytes: Array($0.value.utf8)) }
        files.append(SourceFile(path: "konnectors/connections.yaml", bytes: Array(CompilerTests.connectionsText.utf8)))
        let full = ProjectValidator(keeping: .models).validate(files: files, schemaFiles: CompilerTests.schemaFiles)
        let light = ProjectValidator(keeping: .outlines).validate(files: files, schemaFiles: CompilerTests.schemaFiles)
        let none = ProjectValidator(keeping: .diagnostics).validate(files: files, schemaFiles: CompilerTests.schemaFiles)
        XCTAssertFalse(full.hasErrors)
        XCTAssertEqual(light.checkedKonnectors.count, 0, "outlines only")
        XCTAssertEqual(none.outlines.count, 0)
        XCTAssertEqual(light.outlines.map(\.id), ["signup-to-slack", "other"])
        XCTAssertEqual(light.outlines.map(\.id), full.checkedKonnectors.map(\.id))
        XCTAssertEqual(light.outlines.map(\.tags), full.outlines.map(\.tags))
        XCTAssertEqual(light.outlines.map(\.connections), [["slack-sales"], ["slack-sales"]])
        XCTAssertEqual(light.outlines.map(\.fileIndex), [0, 1])

        let keys = CompileKey.keys(for: light)
        XCTAssertEqual(keys, CompileKey.keys(for: full))
        // The library holds `signup-to-slack` from the same key, and `other` from an older one.
        let stored = [("signup-to-slack", keys[0]), ("other", String(repeating: "0", count: 64))].map { id, key in
            StoredObject(kind: .konnector, id: id, owner: "p", name: id, enabled: true, definitionJSON: nil,
                         hash: String(repeating: "f", count: 64), version: 1, createdAt: "", updatedAt: "",
                         sourceFile: "", sourceCommit: "", sensitivePaths: ["x"], tags: [], sourceKey: key)
        }
        let library = LibrarySnapshot(lineage: "l", serial: 1, owned: stored, foreignOwners: [:])
        var rechecked: [String] = []
        let fromOutlines = PlanPipeline.compile(light, reusing: library) { outlines in
            rechecked += outlines.map(\.id)
            return ProjectValidator().models(of: outlines, files: files, schemas: light.schemas)
        }
        XCTAssertEqual(rechecked, ["other"], "only the konnector the library holds from another key is checked again")
        let fromModels = PlanPipeline.compile(full, reusing: library)
        XCTAssertEqual(fromOutlines, fromModels)
        XCTAssertEqual(fromOutlines.first { $0.id == "signup-to-slack" }?.sensitivePaths, ["x"], "reused from the library")
        XCTAssertNotNil(fromOutlines.first { $0.id == "other" }?.definition, "compiled")

        // A file that no longer gives the konnector at that place gives no model.
        var moved = light.outlines[1]
        moved.ordinal = 3
        XCTAssertEqual(ProjectValidator().models(of: [moved], files: files, schemas: light.schemas).map { $0?.id }, [nil])
    }
}

/// A tripwire: libraries reuse hashes by compile key, so any change to the
/// compiler's output must come with a new `CompileKey.version`.
final class CompileOutputTripwireTests: XCTestCase {
    func testTheCompiledOutputIsUnchangedOrTheKeyVersionWasBumped() throws {
        let compiled = try CompilerTests.konnector(CompilerTests.base)
        let expected = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/compile/base.json"), encoding: .utf8)
        XCTAssertEqual((compiled.canonicalJSON ?? "") + "\n", expected,
                       "the compiler's output changed: bump CompileKey.version (libraries would otherwise keep reusing old hashes), then update Tests/Fixtures/compile/base.json")
    }
}
