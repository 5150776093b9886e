import Foundation
import XCTest

/// Fixture projects, assembled in fresh temporary folders removed after the test.
///
/// A fixture folder under `Tests/Fixtures/<group>/` holds only its own files.
/// Schemas that several fixtures use live once in `Tests/Fixtures/schemas/`;
/// a project folder names those it needs in `shared-schemas.txt` (one app a
/// line), and the copy gets them in its `schemas/` folder — a project may
/// not link outside itself (SPEC §1), so they are copied. The list itself
/// is left out of the copy, which is the project as konnect sees it.
enum FixtureProject {
    static let fixtures: URL = KonnectRunner.packageRoot.appendingPathComponent("Tests/Fixtures")
    static let sharedSchemas: URL = fixtures.appendingPathComponent("schemas")
    static let manifestName = "shared-schemas.txt"

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// A copy of `Tests/Fixtures/<group>/<name>` (with its shared schemas),
    /// in a folder of the same name.
    static func copy(_ name: String, in group: String = "projects", for test: XCTestCase,
                     file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let source = fixtures.appendingPathComponent(group).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: source.path) else {
            XCTFail("missing fixture project \(source.path)", file: file, line: line)
            throw Missing(description: "missing fixture project \(source.path)")
        }
        let destination = try emptyDirectory(for: test).appendingPathComponent(name)
        try FileManager.default.copyItem(at: source, to: destination)
        try addSharedSchemas(under: destination)
        return destination
    }

    /// Gives every project folder under `root` that lists shared schemas
    /// its copies of them.
    static func addSharedSchemas(under root: URL) throws {
        let manifests = (FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? [])
            .filter { ($0 as NSString).lastPathComponent == manifestName }
        for manifest in manifests {
            let url = root.appendingPathComponent(manifest)
            let schemas = url.deletingLastPathComponent().appendingPathComponent("schemas")
            try FileManager.default.createDirectory(at: schemas, withIntermediateDirectories: true)
            for app in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
                try FileManager.default.copyItem(at: sharedSchemas.appendingPathComponent("\(app).yaml"),
                                                 to: schemas.appendingPathComponent("\(app).yaml"))
            }
            try FileManager.default.removeItem(at: url)
        }
    }

    /// An empty temporary folder, removed after the test.
    static func emptyDirectory(for test: XCTestCase) throws -> URL {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("konnect-e2e-\(UUID().uuidString)")
            .resolvingSymlinksInPath()
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        return root
    }

    /// A folder `name` holding `konnect.yaml` (`project: <project or name>`),
    /// the shared schemas of `apps` and an empty `konnectors/` folder.
    static func empty(_ name: String, project: String? = nil, apps: [String] = ["webhook"], for test: XCTestCase) throws -> URL {
        let root = try emptyDirectory(for: test).appendingPathComponent(name)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("konnectors"), withIntermediateDirectories: true)
        try Data("project: \(project ?? name)\n".utf8).write(to: root.appendingPathComponent("konnect.yaml"))
        if !apps.isEmpty {
            try Data(apps.map { $0 + "\n" }.joined().utf8).write(to: root.appendingPathComponent(manifestName))
            try addSharedSchemas(under: root)
        }
        return root
    }

    /// A second project `name` owned by `owner`, with `project`'s schemas
    /// and no `konnectors/` folder yet (an export writes it).
    static func sibling(of project: URL, named name: String, owner: String, for test: XCTestCase) throws -> URL {
        let root = try emptyDirectory(for: test).appendingPathComponent(name)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: project.appendingPathComponent("schemas"), to: root.appendingPathComponent("schemas"))
        try Data("project: \(owner)\n".utf8).write(to: root.appendingPathComponent("konnect.yaml"))
        return root
    }

    /// The text of a konnector `id` named `name`: a webhook trigger, and one
    /// step `post` that sends a slack message through the connection
    /// `slack-team`, its `with:` entries the given YAML lines.
    static func webhookToSlackTeam(_ id: String, name: String, with lines: [String]) -> String {
        "konnector: \(id)\nname: \(name)\ntrigger:\n  app: webhook\n  event: catch_hook\nsteps:\n"
            + "  - id: post\n    app: slack\n    action: send_message\n    connection: slack-team\n    with:\n"
            + lines.map { "      \($0)\n" }.joined()
    }

    /// A project of `count` webhook konnectors `<prefix>-<n>` (no connections
    /// needed), 100 a file, each one `Tests/Fixtures/bulk/hook.yaml`.
    static func bulk(_ name: String, count: Int, prefix: String = "hook", for test: XCTestCase) throws -> URL {
        let root = try empty(name, for: test)
        let template = try String(contentsOf: fixtures.appendingPathComponent("bulk/hook.yaml"), encoding: .utf8)
        for batch in stride(from: 0, to: count, by: 100) {
            let docs = (batch..<min(batch + 100, count)).map { n in
                template.replacingOccurrences(of: "$ID", with: "\(prefix)-\(n)").replacingOccurrences(of: "$N", with: "\(n)")
            }
            try Data(docs.joined(separator: "---\n").utf8).write(to: root.appendingPathComponent("konnectors/batch-\(batch).yaml"))
        }
        return root
    }
}
