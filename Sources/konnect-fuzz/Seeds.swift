import Foundation
import KonnectCore

/// The seed corpus: every project found under some folders (a folder with a
/// `konnect.yaml`), one input per konnector file, holding that file, its
/// `.test.yaml`, the project's connection files and the schemas of the apps
/// it names, in `FuzzPipeline`'s format; plus each project whole when small.
enum Seeds {
    static func inputs(under roots: [String]) -> [(name: String, bytes: [UInt8])] {
        var out: [(name: String, bytes: [UInt8])] = []
        for project in projects(under: roots) {
            let konnectors = yamlFiles(in: project + "/konnectors")
            let schemas = yamlFiles(in: project + "/schemas")
            let connections = konnectors.filter { $0.text.contains("\nconnection:") || $0.text.hasPrefix("connection:") }
            let parts = project.split(separator: "/").filter { $0 != "." && $0 != ".." }.suffix(3)
            let label = parts.isEmpty ? "project" : parts.joined(separator: "-")
            var whole: [UInt8] = []
            for f in konnectors + schemas { whole += input(f) }
            if whole.count <= FuzzPipeline.maxInputBytes { out.append(("\(label)-whole", whole)) }
            let holdsKonnector = { (f: File) in f.text.hasPrefix("konnector:") || f.text.contains("\nkonnector:") }
            for f in konnectors where !f.path.hasSuffix(".test.yaml") && (holdsKonnector(f) || !connections.contains(where: { $0.path == f.path })) {
                let testPath = f.path.replacingOccurrences(of: ".yaml", with: ".test.yaml")
                let tests = konnectors.filter { $0.path == testPath }
                let apps = Set(([f] + tests).flatMap { appNames(in: $0.text) })
                var bytes: [UInt8] = []
                for g in [f] + tests + connections.filter({ $0.path != f.path }) + schemas.filter({ apps.contains(($0.path as NSString).lastPathComponent.split(separator: ".")[0].description) }) {
                    bytes += input(g)
                }
                let name = "\(label)-" + (f.path as NSString).lastPathComponent
                if bytes.count <= FuzzPipeline.maxInputBytes { out.append((name, bytes)) }
            }
        }
        return out
    }

    struct File {
        var path: String
        var relative: String
        var bytes: [UInt8]
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// A file as one part of an input: its separator line, then its bytes.
    static func input(_ f: File) -> [UInt8] {
        var bytes = FuzzPipeline.separator + Array(f.relative.utf8) + [0x0A] + f.bytes
        if bytes.last != 0x0A { bytes.append(0x0A) }
        return bytes
    }

    /// `app: name` anywhere in the text.
    static func appNames(in text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            guard let r = line.range(of: "app:") else { return nil }
            let name = line[r.upperBound...].trimmingCharacters(in: .whitespaces)
            let word = name.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            return word.isEmpty ? nil : String(word)
        }
    }

    static func projects(under roots: [String]) -> [String] {
        var out: [String] = []
        let fm = FileManager.default
        for root in roots {
            if fm.fileExists(atPath: root + "/konnect.yaml") { out.append(root) }
            let root = root.hasSuffix("/") ? String(root.dropLast()) : root
            guard let e = fm.enumerator(atPath: root) else { continue }
            while let p = e.nextObject() as? String {
                // Build folders, git and other hidden folders hold no projects of ours.
                if (p as NSString).lastPathComponent.hasPrefix(".") { e.skipDescendants(); continue }
                if (p as NSString).lastPathComponent == "konnect.yaml" && p.contains("/") {
                    out.append(root + "/" + (p as NSString).deletingLastPathComponent)
                }
            }
        }
        return Array(Set(out)).sorted()
    }

    /// YAML files under a folder, sorted, with paths relative to its parent.
    static func yamlFiles(in folder: String) -> [File] {
        let parent = (folder as NSString).deletingLastPathComponent
        let base = (folder as NSString).lastPathComponent
        guard let e = FileManager.default.enumerator(atPath: folder) else { return [] }
        var out: [File] = []
        while let p = e.nextObject() as? String {
            guard p.hasSuffix(".yaml") || p.hasSuffix(".yml") else { continue }
            guard let data = FileManager.default.contents(atPath: folder + "/" + p) else { continue }
            out.append(File(path: parent + "/" + base + "/" + p, relative: base + "/" + p, bytes: Array(data)))
        }
        return out.sorted { $0.path < $1.path }
    }
}
