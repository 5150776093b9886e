import KonnectYAML

/// Runs the stages over a whole project: every file is parsed and decoded
/// in parallel, then the cross-file checks run once over the results.
public struct ProjectValidator: Sendable {
    public var parser: YAMLParser

    public init(parser: YAMLParser = YAMLParser()) {
        self.parser = parser
    }

    public func validate(files: [SourceFile], schemaFiles: [SourceFile] = [],
                         extraDiagnostics: [Diagnostic] = [], extraSources: [String: SourceText] = [:]) -> CheckedProject {
        let (schemas, schemaDiagnostics, schemaSources) = SchemaLoader().load(schemaFiles)
        let parser = self.parser
        // Each file's node tree is dropped as soon as it is decoded; only the
        // model (and the source, for snippets) outlives this pass.
        var perFile = Parallel.map(files) { file -> FileResult in
            let parsed = ParsedFile(file, parser: parser)
            var decoder = DocumentDecoder(file: file.path)
            let decoded = decoder.decode(parsed.stream)
            return FileResult(source: parsed.stream.source, decoded: decoded, diagnostics: parsed.diagnostics + decoder.diagnostics)
        }

        var konnectors: [Konnector] = []
        konnectors.reserveCapacity(files.count)
        var connections: [Connection] = []
        var suites: [TestSuite] = []
        var diagnostics = extraDiagnostics + schemaDiagnostics
        var sources = extraSources.merging(schemaSources) { a, _ in a }
        sources.reserveCapacity(sources.count + files.count)
        var unreadable = false
        let moved = FileResult(source: SourceText(bytes: []), decoded: [], diagnostics: [])
        for (i, file) in files.enumerated() {
            // Moved out, not copied: this loop is serial, and copying a model costs a retain per field.
            var result = moved
            swap(&result, &perFile[i])
            sources[file.path] = result.source
            if !result.diagnostics.isEmpty {
                unreadable = unreadable || result.diagnostics.contains { [.yamlSyntax, .invalidUTF8, .limitExceeded].contains($0.code) }
                diagnostics += result.diagnostics
            }
            for item in result.decoded {
                switch item {
                case .konnector(let k): konnectors.append(k)
                case .connection(let c): connections.append(c)
                case .tests(let t): suites.append(t)
                }
            }
        }
        diagnostics += Self.duplicateIDs(konnectors.map { ($0.id, $0.file) }, kind: "konnector")
        diagnostics += Self.duplicateIDs(connections.map { ($0.id, $0.file) }, kind: "connection")

        var connectionsByID: [String: Connection] = [:]
        var connectionChecker = ConnectionChecker(schemas: schemas)
        for c in connections {
            connectionChecker.check(c)
            if let id = c.id?.value, connectionsByID[id] == nil { connectionsByID[id] = c }
        }
        diagnostics += connectionChecker.diagnostics

        // Konnectors are checked in parallel against the shared, read-only schemas.
        let frozenSources = sources
        let frozenConnections = connectionsByID
        let connectionsIncomplete = unreadable
        let checkedResults = Parallel.map(konnectors) { k -> (CheckedKonnector?, [Diagnostic]) in
            var checker = KonnectorChecker(schemas: schemas, connections: frozenConnections, connectionsIncomplete: connectionsIncomplete,
                                           source: frozenSources[k.file] ?? SourceText(bytes: []))
            let checked = checker.check(k)
            return (checked, checker.diagnostics)
        }
        var checked: [CheckedKonnector] = []
        checked.reserveCapacity(checkedResults.count)
        for (c, d) in checkedResults {
            diagnostics += d
            if let c { checked.append(c) }
        }

        var checkedSuites: [CheckedTestSuite] = []
        // Test suites find their konnectors by id; without suites, no index is built.
        var byID: [String: Int] = [:]
        if !suites.isEmpty {
            for (i, c) in checked.enumerated() where byID[c.id] == nil { byID[c.id] = i }
        }
        let broken = suites.isEmpty ? [] : Set(konnectors.compactMap { $0.id?.value }).subtracting(byID.keys)
        for suite in suites {
            var checker = TestSuiteChecker(konnectors: checked, index: byID, brokenKonnectors: broken,
                                           source: sources[suite.file] ?? SourceText(bytes: []))
            if let s = checker.check(suite) { checkedSuites.append(s) }
            diagnostics += checker.diagnostics
        }
        // Literal credentials are masked in every snippet, whichever diagnostic shows the line.
        var secrets: [String: [SourceRange]] = [:]
        for d in diagnostics where d.code == .literalSecret { secrets[d.file, default: []].append(d.range) }
        for file in Set(diagnostics.map(\.file)) {
            // Only files with diagnostics are ever shown. A repeated `secret:` key never
            // reaches the decoder, so any literal one is also masked by its line.
            let ranges = SecretLines.literalSecretRanges(in: sources[file] ?? SourceText(bytes: []))
            if !ranges.isEmpty { secrets[file, default: []] += ranges }
        }
        for (file, ranges) in secrets { sources[file] = sources[file]?.redacting(ranges) }
        return CheckedProject(konnectors: konnectors, connections: connections, testSuites: suites,
                              checkedKonnectors: checked, checkedTestSuites: checkedSuites, schemas: schemas,
                              diagnostics: Diagnostic.sorted(diagnostics), sources: sources,
                              schemaFiles: schemaFiles.map(\.path), redactedFiles: Set(secrets.keys), fileCount: files.count + schemaFiles.count)
    }

    /// One file after the parallel parse and decode.
    struct FileResult: Sendable {
        var source: SourceText
        var decoded: [DocumentDecoder.Decoded]
        var diagnostics: [Diagnostic]
    }

    /// Ids are compared in file order, so the first definition wins and
    /// every later one is reported.
    static func duplicateIDs(_ ids: [(Located<String>?, String)], kind: String) -> [Diagnostic] {
        var first: [String: (String, SourceRange)] = [:]
        var out: [Diagnostic] = []
        for case let (id?, file) in ids {
            if let (firstFile, firstRange) = first[id.value] {
                out.append(.duplicateID(kind: kind, id: id.value, firstFile: firstFile, first: firstRange, file: file, at: id.range))
            } else {
                first[id.value] = (file, id.range)
            }
        }
        return out
    }
}
