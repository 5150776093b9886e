import Foundation
import XCTest

/// The user's guide is tested (issue 21): every YAML example in `docs/` and
/// the README validates, and every command shown with its output produces
/// that output with the current build.
///
/// What a fenced block's info string says:
/// - `yaml` — a konnector, connection or test document: it is put into a
///   copy of the bundled project (replacing a bundled konnector with the same
///   id) and `konnect validate` must pass;
/// - `yaml invalid=CODE` — the same, but it must fail with diagnostic CODE;
/// - `yaml warning=CODE` — it validates, with a warning CODE;
/// - `yaml file=PATH` — a whole file at PATH in the copy (`konnect.yaml`,
///   `schemas/APP.yaml`), which must then validate;
/// - `yaml fragment` — part of a document, shown for its shape: not run;
/// - `yaml keep` (or `yaml file=PATH keep`) — as without `keep`, and the
///   documents (or the file) are also in the project of every later `yaml`
///   and `console` block of the same page (so a page can show a schema, a
///   konnector using it, then `konnect test` or `konnect run` of it);
/// - `console` — `$ COMMAND` lines, each followed by its output (stdout,
///   then stderr); a line `(exit N)` after the output gives a non-zero exit;
///   `…` in a line matches any text, and a line of just `…` any lines. The
///   commands of one block run one after another with `/bin/sh -c` in one
///   copy of the bundled project, with the built `konnect` first on the
///   `PATH`, `NO_COLOR=1`, `KONNECT_ACTOR=docs` and no `KONNECT_LIBRARY`, so
///   a block may edit a file (`sed -i …`) or set a variable
///   (`GITHUB_ACTOR=ada konnect apply …`) between two konnect commands.
final class DocsTests: XCTestCase {
    struct Block {
        var file: String
        var line: Int
        var info: String
        var text: String
    }

    static var documents: [URL] {
        let root = KonnectRunner.packageRoot
        let docs = root.appendingPathComponent("docs")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: docs.path)) ?? []
        return [root.appendingPathComponent("README.md")]
            + names.filter { $0.hasSuffix(".md") }.sorted().map { docs.appendingPathComponent($0) }
    }

    static func blocks(in url: URL) throws -> [Block] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var out: [Block] = []
        var open: (fence: String, info: String, line: Int, body: [String])? = nil
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if var current = open {
                if trimmed == current.fence {
                    out.append(Block(file: url.lastPathComponent, line: current.line, info: current.info,
                                     text: current.body.joined(separator: "\n") + "\n"))
                    open = nil
                } else {
                    current.body.append(String(line))
                    open = current
                }
            } else if trimmed.hasPrefix("```") {
                let fence = String(trimmed.prefix { $0 == "`" })
                open = (fence, String(trimmed.dropFirst(fence.count)).trimmingCharacters(in: .whitespaces), n + 1, [])
            }
        }
        return out
    }

    /// A copy of the bundled project (konnect.yaml, konnectors/, schemas/), without its library.
    private func bundledProject() throws -> URL {
        let dir = try FixtureProject.emptyDirectory(for: self)
        let root = KonnectRunner.packageRoot
        for item in ["konnect.yaml", "konnectors", "schemas"] {
            try FileManager.default.copyItem(at: root.appendingPathComponent(item), to: dir.appendingPathComponent(item))
        }
        return dir
    }

    /// Removes the bundled files that declare konnector `id`.
    private func removeKonnector(_ id: String, from project: URL) throws {
        let folder = project.appendingPathComponent("konnectors")
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? []
        for f in files where ["yaml", "yml"].contains(f.pathExtension) {
            let text = (try? String(contentsOf: f, encoding: .utf8)) ?? ""
            if text.split(separator: "\n").contains(where: { $0 == "konnector: \(id)" || $0 == "tests: \(id)" }) {
                try FileManager.default.removeItem(at: f)
            }
        }
    }

    /// Puts konnector, connection or test documents into `project`, replacing
    /// the bundled files of the konnectors they declare.
    private func addExample(_ text: String, to project: URL, as name: String) throws {
        for line in text.split(separator: "\n") where line.hasPrefix("konnector: ") {
            let id = line.dropFirst("konnector: ".count).split(separator: "#").first ?? ""
            try removeKonnector(id.trimmingCharacters(in: .whitespaces), from: project)
        }
        try write(text, to: project.appendingPathComponent("konnectors/\(name).yaml"))
    }

    /// Puts the `keep` blocks seen so far into `project`.
    private func add(_ kept: [Block], to project: URL) throws {
        for k in kept {
            if let path = k.info.split(separator: " ").first(where: { $0.hasPrefix("file=") })?.dropFirst(5) {
                try write(k.text, to: project.appendingPathComponent(String(path)))
            } else {
                try addExample(k.text, to: project, as: "zz-docs-\(k.line)")
            }
        }
    }

    func testEveryYAMLExampleValidates() throws {
        var checked = 0
        for doc in Self.documents {
            var kept: [Block] = []
            for block in try Self.blocks(in: doc) where block.info == "yaml" || block.info.hasPrefix("yaml ") {
                let words = block.info.split(separator: " ").dropFirst().map(String.init)
                if words.contains("fragment") { continue }
                let project = try bundledProject()
                // The page's earlier `keep` blocks are there too (a schema, then a konnector using it).
                try add(kept, to: project)
                if words.contains("keep") { kept.append(block) }
                let place = "\(block.file):\(block.line)"
                var file = "konnectors/zz-docs-example.yaml"
                if let path = words.first(where: { $0.hasPrefix("file=") })?.dropFirst(5) {
                    file = String(path)
                    try write(block.text, to: project.appendingPathComponent(file))
                } else {
                    try addExample(block.text, to: project, as: "zz-docs-example")
                }
                let result = try KonnectRunner.run(["validate", "--format", "json"], in: project)
                // The codes reported in the example's own file, by severity.
                let diagnostics = (try? result.json())?["diagnostics"] as? [[String: Any]] ?? []
                func codes(_ severity: String) -> [String] {
                    diagnostics.filter { $0["file"] as? String == file && $0["severity"] as? String == severity }
                        .compactMap { $0["code"] as? String }
                }
                if let code = words.first(where: { $0.hasPrefix("invalid=") })?.dropFirst(8) {
                    XCTAssertEqual(result.status, 1, "\(place): the example should not validate\n\(result.out)\(result.err)")
                    XCTAssertTrue(codes("error").contains(String(code)), "\(place): no \(code) error in \(file)\n\(result.out)")
                } else {
                    XCTAssertEqual(result.status, 0, "\(place): the example does not validate\n\(result.out)\(result.err)")
                    if let code = words.first(where: { $0.hasPrefix("warning=") })?.dropFirst(8) {
                        XCTAssertTrue(codes("warning").contains(String(code)), "\(place): no \(code) warning in \(file)\n\(result.out)")
                    } else {
                        XCTAssertEqual(codes("warning"), [], "\(place): the example has warnings")
                    }
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 0, "no YAML example was found")
    }

    func testEveryCommandShownGivesItsOutput() throws {
        var checked = 0
        for doc in Self.documents {
            var kept: [Block] = []
            for block in try Self.blocks(in: doc) {
                if block.info.hasPrefix("yaml "), block.info.split(separator: " ").contains("keep") { kept.append(block) }
                guard block.info == "console" else { continue }
                let project = try bundledProject()
                try add(kept, to: project)
                for (command, expected, exit) in Self.commands(in: block.text) {
                    let result = try shell(command, in: project)
                    let place = "\(block.file):\(block.line): $ \(command)"
                    XCTAssertEqual(result.status, exit, "\(place)\n\(result.out)\(result.err)")
                    let actual = (result.out + result.err).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    XCTAssertTrue(Self.matches(expected, actual), "\(place): the output differs\nexpected:\n"
                                  + expected.joined(separator: "\n") + "\nactual:\n" + actual.joined(separator: "\n"))
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 0, "no command was found")
    }

    /// Runs `command` with `/bin/sh -c` in `directory`, the built konnect first on the PATH.
    private func shell(_ command: String, in directory: URL) throws -> KonnectResult {
        let binary = try KonnectRunner.binary()
        let scratch = try FixtureProject.emptyDirectory(for: self)
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }
        // `konnect` on the PATH is the built binary, whatever its file is called.
        let bin = scratch.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: bin.appendingPathComponent("konnect"), withDestinationURL: binary)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = directory
        var env = KonnectRunner.environment(removing: ["KONNECT_LIBRARY", "GITHUB_ACTOR", "KONNECT_ACTOR", "PGPASSWORD"],
                                            adding: ["NO_COLOR": "1", "KONNECT_ACTOR": "docs"])
        env["PATH"] = bin.path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        if try !KonnectRunner.runToEnd(process, environment: env, stdin: FileHandle.nullDevice, stdout: out, stderr: err, timeout: 60) {
            XCTFail("`\(command)` did not finish in 60 s")
        }
        return KonnectResult(stdout: (try? Data(contentsOf: outURL)) ?? Data(), stderr: (try? Data(contentsOf: errURL)) ?? Data(),
                             status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal)
    }

    /// A console block's commands, each with its expected output lines and exit code.
    static func commands(in text: String) -> [(String, [String], Int32)] {
        var out: [(String, [String], Int32)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("$ ") {
                out.append((String(line.dropFirst(2)), [], 0))
            } else if !out.isEmpty {
                if line.hasPrefix("(exit "), line.hasSuffix(")"), let n = Int32(line.dropFirst(6).dropLast()) {
                    out[out.count - 1].2 = n
                } else {
                    out[out.count - 1].1.append(line)
                }
            }
        }
        // The block's last newline is not an empty line of output.
        return out.map { c, lines, e in
            var lines = lines
            while lines.last == "" { lines.removeLast() }
            return (c, lines, e)
        }
    }

    /// Whether `actual` lines match `expected` ones: `…` inside a line stands
    /// for any text, a line of just `…` for any lines; trailing empty lines do not count.
    static func matches(_ expected: [String], _ actual: [String]) -> Bool {
        var actual = actual
        while actual.last == "" { actual.removeLast() }
        func match(_ e: Int, _ a: Int) -> Bool {
            if e == expected.count { return a == actual.count }
            if expected[e] == "…" {
                return (a...actual.count).contains { match(e + 1, $0) }
            }
            return a < actual.count && lineMatches(expected[e], actual[a]) && match(e + 1, a + 1)
        }
        return match(0, 0)
    }

    static func lineMatches(_ pattern: String, _ line: String) -> Bool {
        let parts = pattern.components(separatedBy: "…")
        guard parts.count > 1 else { return pattern == line }
        guard line.hasPrefix(parts[0]) else { return false }
        var rest = line.dropFirst(parts[0].count)
        for (i, part) in parts.enumerated().dropFirst() {
            if i == parts.count - 1 { return rest.hasSuffix(part) && rest.count >= part.count }
            guard let r = rest.range(of: part) else { return false }
            rest = rest[r.upperBound...]
        }
        return true
    }

    func testTheMatcher() {
        XCTAssertTrue(Self.matches(["a", "…", "d"], ["a", "b", "c", "d"]))
        XCTAssertTrue(Self.matches(["a", "…", "d"], ["a", "d"]))
        XCTAssertFalse(Self.matches(["a", "d"], ["a", "b", "d"]))
        XCTAssertTrue(Self.lineMatches("serial 1  … docs", "serial 1  2026-01-01T00:00:00Z docs"))
        XCTAssertFalse(Self.lineMatches("serial 1  … docs", "serial 2  x docs"))
        let parsed = Self.commands(in: "$ sed -i 's/a/b/' f\n$ konnect plan\nPlan: 1\n\n(exit 2)\n$ konnect test\n…\n")
        XCTAssertEqual(parsed.map(\.0), ["sed -i 's/a/b/' f", "konnect plan", "konnect test"])
        XCTAssertEqual(parsed.map(\.1), [[], ["Plan: 1"], ["…"]])
        XCTAssertEqual(parsed.map(\.2), [0, 2, 0])
    }

    /// docs/cli.md's table of diagnostic codes has a row for every code konnect
    /// reports (the raw values of `DiagnosticCode`, read from its source).
    func testTheCodeTableListsEveryCode() throws {
        let root = KonnectRunner.packageRoot
        let source = try String(contentsOf: root.appendingPathComponent("Sources/KonnectCore/Diagnostics/DiagnosticCode.swift"),
                                encoding: .utf8)
        let codes = source.split(separator: "\n").compactMap { line -> String? in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("case "), !t.contains(":"), let q = t.firstIndex(of: "\"") else { return nil }
            return String(t[t.index(after: q)...].prefix { $0 != "\"" })
        }
        XCTAssertGreaterThan(codes.count, 25, "the codes were not found in DiagnosticCode.swift")
        let cli = try String(contentsOf: root.appendingPathComponent("docs/cli.md"), encoding: .utf8)
        let rows = Set(cli.split(separator: "\n").filter { $0.hasPrefix("| `") }.compactMap { $0.split(separator: "`").dropFirst().first.map(String.init) })
        for code in codes {
            XCTAssertTrue(rows.contains(code), "docs/cli.md's code table has no row for `\(code)`")
        }
    }

    /// Every Swift file docs/architecture.md's checklists name (`Model/Konnector.swift`,
    /// `Sources/konnect-fuzz/Seeds.swift`, `Package.swift`) exists: at the root, or a path that
    /// ends with it under Sources/ or Tests/.
    func testTheArchitectureNamesFilesThatExist() throws {
        let root = KonnectRunner.packageRoot
        let text = try String(contentsOf: root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        let named = Set(text.split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            .filter { $0.hasSuffix(".swift") && !$0.contains(" ") })
        var files: [String] = []
        for folder in ["Sources", "Tests"] {
            let list = FileManager.default.enumerator(atPath: root.appendingPathComponent(folder).path)?.allObjects as? [String] ?? []
            files += list.map { "\(folder)/\($0)" }
        }
        XCTAssertGreaterThan(named.count, 15, "docs/architecture.md names few files")
        for name in named.sorted() {
            let exists = FileManager.default.fileExists(atPath: root.appendingPathComponent(name).path)
                || files.contains { $0 == name || $0.hasSuffix("/" + name) }
            XCTAssertTrue(exists, "docs/architecture.md names `\(name)`, which does not exist")
        }
    }

    func testLinksStayInsideTheRepository() throws {
        let root = KonnectRunner.packageRoot
        for doc in Self.documents {
            let text = try String(contentsOf: doc, encoding: .utf8)
            // Inline links and images: ](target)
            var rest = text[...]
            while let r = rest.range(of: "](") {
                let after = rest[r.upperBound...]
                guard let close = after.firstIndex(of: ")") else { break }
                // `(#anchor)` is a link inside the same page: its file part is empty.
                let target = String(after[..<close]).split(separator: "#", omittingEmptySubsequences: false).first.map(String.init) ?? ""
                rest = after[close...]
                if target.isEmpty { continue }
                XCTAssertFalse(target.contains("://"), "\(doc.lastPathComponent): a link leaves the repository: \(target)")
                let resolved = doc.deletingLastPathComponent().appendingPathComponent(target).standardizedFileURL
                XCTAssertTrue(resolved.path.hasPrefix(root.standardizedFileURL.path + "/"),
                              "\(doc.lastPathComponent): a link leaves the repository: \(target)")
                XCTAssertTrue(FileManager.default.fileExists(atPath: resolved.path),
                              "\(doc.lastPathComponent): a link to nothing: \(target)")
            }
        }
    }
}
