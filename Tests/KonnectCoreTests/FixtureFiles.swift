import Foundation
import KonnectCore

/// Files of `Tests/Fixtures` as the validator reads them: the shared
/// schemas, and fixture projects with the shared schemas their
/// `shared-schemas.txt` names (as the end-to-end tests' `FixtureProject`
/// assembles them on disk).
enum FixtureFiles {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")

    /// `<folder>/<app>.yaml` as `schemas/<app>.yaml`, for each app; empty bytes when missing. The
    /// folder is the shared `Tests/Fixtures/schemas`, or the bundled project's `schemas`.
    static func schemas(_ apps: [String], bundled: Bool = false) -> [SourceFile] {
        let folder = bundled ? packageRoot.appendingPathComponent("schemas") : fixtures.appendingPathComponent("schemas")
        return apps.map { app in
            let bytes = FileManager.default.contents(atPath: folder.appendingPathComponent("\(app).yaml").path) ?? Data()
            return SourceFile(path: "schemas/\(app).yaml", bytes: Array(bytes))
        }
    }

    /// The YAML files under `dir`, named by their path from `base`, in byte order.
    static func yamlFiles(under dir: URL, relativeTo base: URL) -> [SourceFile] {
        guard let walker = FileManager.default.enumerator(atPath: dir.path) else { return [] }
        let prefix = String(dir.path.dropFirst(base.path.count + 1))
        return walker.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            .compactMap { rel in
                FileManager.default.contents(atPath: dir.appendingPathComponent(rel).path)
                    .map { SourceFile(path: prefix + "/" + rel, bytes: Array($0)) }
            }
    }

    /// A project's schemas: its own, and the shared ones it lists.
    static func schemas(of project: URL) -> [SourceFile] {
        let manifest = (try? String(contentsOf: project.appendingPathComponent("shared-schemas.txt"), encoding: .utf8)) ?? ""
        return (yamlFiles(under: project.appendingPathComponent("schemas"), relativeTo: project)
                + schemas(manifest.split(separator: "\n").map(String.init)))
            .sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
    }
}
