import KonnectYAML

/// The whole front half of konnect over one fuzz input, in process: bytes →
/// YAML → decode → check → compile → plan → simulate, and every view of what
/// came out. `konnect-fuzz` (libFuzzer or its own seeded mutator) and the
/// regression tests of the crashes it found run exactly this.
///
/// An input is a small project in one byte string: files separated by lines
/// `%%% <path>`. Text before the first such line is `konnectors/fuzz.yaml`; a
/// path under `schemas/` is an app schema, one ending in `.json` a plan file,
/// anything else a konnector file (konnectors, connections, tests). So one
/// mutation can reach a konnector and the schema it is checked against.
public enum FuzzPipeline {
    /// Longer inputs are not run: every stage's cost grows with its input, and
    /// a fuzzer's time is better spent on many small ones.
    public static let maxInputBytes = 64 * 1024
    /// More files than this in one input are joined into the last one.
    public static let maxFiles = 16
    /// At most this many konnectors are simulated (each on its sample event).
    public static let maxRuns = 8
    /// The separator that starts a file: at the start of the input or of a line.
    public static let separator: [UInt8] = Array("%%% ".utf8)

    /// `now()` in every simulated run, 2026-03-02T12:00:00Z: runs repeat exactly.
    public static let now: Double = 1_772_452_800

    /// What one input came to; `problems` are broken invariants (empty when all hold).
    public struct Outcome: Sendable {
        public var files = 0
        public var diagnostics = 0
        public var compiled = 0
        public var runs = 0
        public var testCases = 0
        /// The diagnostic codes seen, sorted: a mutator keeps inputs that reach new ones.
        public var codes: [String] = []
        public var problems: [String] = []
    }

    /// The input as files, in order: (konnector files, schema files, plan files).
    public static func split(_ input: [UInt8]) -> (files: [SourceFile], schemas: [SourceFile], plans: [SourceFile]) {
        var parts: [(path: String, bytes: ArraySlice<UInt8>)] = []
        var path = "konnectors/fuzz.yaml"
        var start = 0
        var i = 0
        while i < input.count {
            let atLineStart = i == 0 || input[i - 1] == 0x0A
            if atLineStart, parts.count < maxFiles - 1, input[i...].starts(with: separator) {
                if i > 0 { parts.append((path, input[start..<i])) }
                let nameStart = i + separator.count
                let lineEnd = input[nameStart...].firstIndex(of: 0x0A) ?? input.count
                let name = String(decoding: input[nameStart..<min(lineEnd, nameStart + 200)], as: UTF8.self)
                path = name.isEmpty ? "konnectors/fuzz\(parts.count).yaml" : name
                start = min(lineEnd + 1, input.count)
                i = start
                continue
            }
            i += 1
        }
        parts.append((path, input[start...]))
        var files: [SourceFile] = [], schemas: [SourceFile] = [], plans: [SourceFile] = []
        for p in parts {
            let file = SourceFile(path: p.path, bytes: Array(p.bytes))
            if p.path.hasPrefix("schemas/") {
                schemas.append(file)
            } else if p.path.hasSuffix(".json") {
                plans.append(file)
            } else {
                files.append(file)
            }
        }
        return (files, schemas, plans)
    }

    /// SPEC §3: the text of a literal credential under a connection's
    /// `secret:` key (any case, repeated keys included) is never in that
    /// file's diagnostics, in any format. Only values of 8 characters or more
    /// are looked for, so that a short value found elsewhere in a message
    /// (a word of it, a key name) is not taken for a leak.
    static func leakedSecrets(_ files: [SourceFile], _ project: CheckedProject) -> [String] {
        var problems: [String] = []
        for file in files {
            let secrets = literalSecrets(in: file)
            let shown = project.diagnostics.filter { $0.file == file.path }
            guard !secrets.isEmpty, !shown.isEmpty else { continue }
            let summary = DiagnosticSummary(files: 1, konnectors: 0, connections: 0, diagnostics: shown)
            let outputs = [
                ("text", DiagnosticTextView(color: false, sources: project.sources).render(shown, summary: summary)),
                ("json", DiagnosticJSONView().render(shown, summary: summary)),
                ("sarif", DiagnosticSARIFView(toolVersion: "fuzz").render(shown)),
                ("github", DiagnosticGitHubView().render(shown)),
            ]
            for (format, output) in outputs where secrets.contains(where: { output.contains($0) }) {
                problems.append("a literal secret of \(file.path) is shown in the \(format) diagnostics")
            }
        }
        return problems
    }

    /// The literal credentials of a file's connection documents, as the oracle looks for them.
    static func literalSecrets(in file: SourceFile) -> [String] {
        var secrets: [String] = []
        for document in YAMLParser().parse(file.bytes).documents {
            guard let root = document.root, let pairs = root.mapping, root["connection"] != nil else { continue }
            for pair in Array(pairs) + document.droppedPairs where pair.keyText?.lowercased() == "secret" {
                guard let text = pair.value.scalarText, text.count >= 8, !text.contains("\n"),
                      !text.hasPrefix("env:"), !text.hasPrefix("vault:") else { continue }
                secrets.append(text)
            }
        }
        return secrets
    }

    /// Runs every stage on the input; nil when it is longer than `maxInputBytes`.
    /// A crash, trap or hang anywhere in here is a bug konnect must not have.
    public static func run(_ input: [UInt8]) -> Outcome? {
        guard input.count <= maxInputBytes else { return nil }
        let (files, schemaFiles, planFiles) = split(input)
        var outcome = Outcome()
        outcome.files = files.count + schemaFiles.count + planFiles.count

        // Validate, and show what it found in every format.
        let project = ProjectValidator(keeping: .models).validate(files: files, schemaFiles: schemaFiles)
        outcome.diagnostics = project.diagnostics.count
        outcome.codes = Set(project.diagnostics.map(\.code.rawValue)).sorted()
        let text = DiagnosticTextView(color: false, sources: project.sources).render(project.diagnostics, summary: project.summary)
        _ = DiagnosticTextView(color: true, sources: project.sources).render(project.diagnostics, summary: project.summary)
        _ = DiagnosticJSONView().render(project.diagnostics, summary: project.summary)
        _ = DiagnosticSARIFView(toolVersion: "fuzz").render(project.diagnostics)
        _ = DiagnosticGitHubView().render(project.diagnostics)
        let paths = Set(files.map(\.path) + schemaFiles.map(\.path))
        for d in project.diagnostics where !paths.contains(d.file) {
            outcome.problems.append("a diagnostic names a file that was not given: \(d.code.rawValue) in \(d.file)")
        }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" }) {
            outcome.problems.append("the text diagnostics hold a control character")
        }
        outcome.problems += leakedSecrets(files, project)

        // Compile what checked clean, plan it against an empty library, write it back as YAML.
        let compiled = Compiler.compile(project)
        outcome.compiled = compiled.count
        if !project.hasErrors {
            // As `konnect plan` does: only a project without errors is planned.
            let empty = LibrarySnapshot(lineage: "fuzz", serial: 0, owned: [], foreignOwners: [:])
            let (plan, _) = Planner(project: "fuzz").plan(compiled, against: empty)
            _ = PlanTextView(color: false).render(plan)
            do {
                _ = try PlanFile.decode(PlanFile.encode(plan))
            } catch {
                outcome.problems.append("a plan file konnect wrote does not read back: \(error)")
            }
        }
        for object in compiled {
            if let definition = object.definition { _ = ExportYAMLView().render(kind: object.kind, definition: definition) }
        }
        // Plan files are untrusted input too.
        for file in planFiles { _ = try? PlanFile.decode(String(decoding: file.bytes, as: UTF8.self)) }

        // Simulate: each konnector once on its trigger's sample, then the test suites.
        let simulator = Simulator(now: now)
        for k in project.checkedKonnectors.prefix(maxRuns) {
            let event = k.trigger.sample.map { RuntimeValue.from($0, as: k.trigger.output) } ?? .null
            let trace = simulator.run(k, event: event)
            _ = RunTraceView().text(trace, konnector: k)
            _ = RunTraceView().json(trace)
            outcome.runs += 1
        }
        let byID = Dictionary(project.checkedKonnectors.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var results: [TestRunner.Result] = []
        for suite in project.checkedTestSuites {
            guard let k = byID[suite.konnector] else { continue }
            results += TestRunner(simulator: simulator).run(suite, konnector: k)
        }
        outcome.testCases = results.count
        _ = TestReportView(color: false).render(results)
        _ = TestReportView(color: false).json(results)
        return outcome
    }
}
