import KonnectYAML

/// Runs the stages over a whole project. Files go to workers on every core in
/// batches of consecutive files, each batch parsed, then decoded, then
/// checked: one file's way through every stage is more code than the
/// instruction cache holds, while a batch's trees still fit in the core's
/// own cache. What crosses files (ids, uses of connections, test suites) is
/// checked once all files are through.
public struct ProjectValidator: Sendable {
    public var parser: YAMLParser
    /// What is kept of each konnector once it is checked.
    public var keeping: Keeping

    public enum Keeping: Sendable {
        /// Nothing: memory holds the sources and a small record per
        /// konnector, not the models; all `validate` needs.
        case diagnostics
        /// An outline of each clean konnector: all a plan needs of those the
        /// library holds unchanged (`models(of:)` checks the others again).
        case outlines
        /// The models (konnectors, checked konnectors) and outlines.
        case models
    }

    /// What the project's reading could not read (its diagnostics come as
    /// `extraDiagnostics`). One cause, one diagnostic: the validator then
    /// calls no app unknown when a schema may be among what was not read,
    /// and no connection unknown when a konnector file may be.
    public struct Unread: Sendable, Equatable {
        /// A schema file or folder could not be read.
        public var schemas: Bool
        /// A konnector file or folder could not be read.
        public var konnectors: Bool
        /// Files found but not read, counted among the project's files.
        public var files: Int

        public init(schemas: Bool = false, konnectors: Bool = false, files: Int = 0) {
            self.schemas = schemas
            self.konnectors = konnectors
            self.files = files
        }
    }

    public init(parser: YAMLParser = YAMLParser(), keeping: Keeping = .models) {
        self.parser = parser
        self.keeping = keeping
    }

    public func validate(files: [SourceFile], schemaFiles: [SourceFile] = [], unread: Unread = Unread(),
                         extraDiagnostics: [Diagnostic] = [], extraSources: [String: SourceText] = [:]) -> CheckedProject {
        let (schemas, schemaDiagnostics, schemaSources) = SchemaLoader().load(schemaFiles)
        let parser = self.parser
        let keeping = self.keeping
        let batches = Self.batches(Array(files.indices), of: files)
        var perBatch = Parallel.map(batches) { batch in
            FileResult.batch(batch, of: files, parser: parser, schemas: schemas, keeping: keeping, appsUnread: unread.schemas)
        }

        var konnectors: [KonnectorResult] = []
        konnectors.reserveCapacity(files.count)
        var connections: [Connection] = []
        var suites: [TestSuite] = []
        var diagnostics = extraDiagnostics + schemaDiagnostics
        var sources = extraSources.merging(schemaSources) { a, _ in a }
        sources.reserveCapacity(sources.count + files.count)
        var unreadable = false
        var secrets: [String: SecretMask] = [:]
        // Each result is moved out of the batch's array, not copied (the merge
        // is serial), and this one empty result, shared, is left in its place.
        let moved = FileResult()
        for (b, batch) in batches.enumerated() {
            for (j, i) in batch.enumerated() {
                var result = moved
                swap(&result, &perBatch[b][j])
                sources[files[i].path] = result.source
                unreadable = unreadable || result.unreadable
                konnectors += result.konnectors
                diagnostics += result.diagnostics
                connections += result.connections
                suites += result.suites
                if !result.secrets.isEmpty { secrets[files[i].path] = result.secrets }
            }
        }
        diagnostics += Self.duplicateIDs(count: konnectors.count, kind: "konnector", id: { konnectors[$0].id }, file: { konnectors[$0].file })
        diagnostics += Self.duplicateIDs(count: connections.count, kind: "connection", id: { connections[$0].id }, file: { connections[$0].file })

        // Connections, then every use of one: a konnector with a broken use is not clean.
        var connectionsByID: [String: Connection] = [:]
        var connectionChecker = ConnectionChecker(schemas: schemas)
        for c in connections {
            connectionChecker.check(c)
            if let id = c.id?.value, connectionsByID[id] == nil { connectionsByID[id] = c }
        }
        diagnostics += Self.droppingUnknownApps(connectionChecker.diagnostics, if: unread.schemas)
        // A file that did not parse, or one that could not be read, may hold the connection a konnector names.
        let connectionsIncomplete = unreadable || unread.konnectors
        for judged in Self.judgeUses(of: konnectors, connections: connectionsByID, schemas: schemas, incomplete: connectionsIncomplete) {
            diagnostics += judged.diagnostics
            for i in judged.broken { konnectors[i].breaks() }
        }

        let checkedSuites = suites.isEmpty ? [] : checkSuites(suites, konnectors: konnectors, files: files, schemas: schemas,
                                                              sources: sources, konnectorsIncomplete: connectionsIncomplete,
                                                              diagnostics: &diagnostics)

        // Literal credentials (SPEC §3) are masked in every message and snippet of their file.
        diagnostics = SecretMask.masking(diagnostics, masks: secrets)
        for (file, mask) in secrets { sources[file] = sources[file].map(mask.redacting) }
        return CheckedProject(connections: connections, testSuites: suites, kept: Self.kept(konnectors, keeping: keeping),
                              checkedTestSuites: checkedSuites, schemas: schemas,
                              diagnostics: Diagnostic.sorted(diagnostics), sources: sources,
                              schemaFiles: schemaFiles.map(\.path), redactedFiles: [],
                              fileCount: files.count + schemaFiles.count + unread.files, konnectorCount: konnectors.count)
    }

    /// The project's record of its konnectors, in the validator's mode.
    private static func kept(_ konnectors: [KonnectorResult], keeping: Keeping) -> CheckedProject.Kept {
        switch keeping {
        case .diagnostics:
            return .diagnostics
        case .outlines:
            return .outlines(konnectors.compactMap { if case .outline(let o) = $0.kept { o } else { nil } })
        case .models:
            return .models(konnectors.map { k in
                guard case .model(let model) = k.kept else { preconditionFailure("with the models kept, every konnector has one") }
                return model
            })
        }
    }

    /// When a schema may be among what was not read, an unknown app is no
    /// finding of its own: the unread schema is the one cause reported.
    static func droppingUnknownApps(_ diagnostics: [Diagnostic], if schemasUnread: Bool) -> [Diagnostic] {
        schemasUnread ? diagnostics.filter { $0.code != .unknownApp } : diagnostics
    }

    /// About this much YAML goes to a worker at once, some 30 konnector files:
    /// large enough that each stage runs over many files in a row, small
    /// enough that a batch's trees stay in a core's cache (docs/performance.md).
    static let batchBytes = 24 * 1024

    /// These files (indices in `files`) in batches, in order, a batch ending
    /// with the file that fills it to `batchBytes`; a few files' batches are
    /// smaller (some 64 in all), so that they still spread over the cores.
    static func batches(_ indices: [Int], of files: [SourceFile]) -> [ArraySlice<Int>] {
        var total = 0
        for i in indices { total += files[i].bytes.count }
        let target = max(1, min(batchBytes, total / 64))
        var out: [ArraySlice<Int>] = []
        var start = 0, bytes = 0
        for (n, i) in indices.enumerated() {
            bytes += files[i].bytes.count
            if bytes >= target {
                out.append(indices[start...n])
                start = n + 1
                bytes = 0
            }
        }
        if start < indices.count { out.append(indices[start...]) }
        return out
    }

    /// The checked models of these clean konnectors, checked again from their
    /// files (the same files, so they check as they did). Nil only if a file
    /// no longer gives the konnector.
    public func models(of outlines: [KonnectorOutline], files: [SourceFile], schemas: SchemaSet) -> [CheckedKonnector?] {
        let again = checkedAgain(outlines.map { ($0.fileIndex, $0.ordinal) }, files: files, schemas: schemas)
        return zip(outlines, again).map { o, k in k?.id == o.id ? k : nil }
    }

    /// The konnectors at these places (a file's index, a konnector's place in
    /// it), checked again with their models; each file once, in batches.
    private func checkedAgain(_ places: [(file: Int, ordinal: Int)], files: [SourceFile], schemas: SchemaSet) -> [CheckedKonnector?] {
        var byFile: [Int: [Int]] = [:]
        for (i, p) in places.enumerated() where files.indices.contains(p.file) { byFile[p.file, default: []].append(i) }
        let parser = self.parser
        let batches = Self.batches(byFile.keys.sorted(), of: files)
        let checked = Parallel.map(batches) { batch in
            FileResult.batch(batch, of: files, parser: parser, schemas: schemas, keeping: .models, appsUnread: false)
                .map { $0.konnectors.map(\.checked) }
        }
        var out = [CheckedKonnector?](repeating: nil, count: places.count)
        for (b, batch) in batches.enumerated() {
            for (j, f) in batch.enumerated() {
                for i in byFile[f] ?? [] where checked[b][j].indices.contains(places[i].ordinal) {
                    out[i] = checked[b][j][places[i].ordinal]
                }
            }
        }
        return out
    }

    /// Test suites find their konnectors by id (the first clean one of each).
    /// Without the model, the few konnectors that suites name are checked again.
    private func checkSuites(_ suites: [TestSuite], konnectors: [KonnectorResult], files: [SourceFile],
                             schemas: SchemaSet, sources: [String: SourceText], konnectorsIncomplete: Bool,
                             diagnostics: inout [Diagnostic]) -> [CheckedTestSuite] {
        var tested = konnectors.compactMap(\.checked)
        if keeping != .models {
            let named = Set(suites.compactMap { $0.konnector?.value })
            var first: [String: KonnectorResult] = [:]
            for k in konnectors where k.clean {
                if let id = k.id?.value, named.contains(id), first[id] == nil { first[id] = k }
            }
            let places = first.values.map { (file: $0.fileIndex, ordinal: $0.ordinal) }.sorted { ($0.file, $0.ordinal) < ($1.file, $1.ordinal) }
            tested = checkedAgain(places, files: files, schemas: schemas).compactMap { $0 }
        }
        var byID: [String: Int] = [:]
        for (i, c) in tested.enumerated() where byID[c.id] == nil { byID[c.id] = i }
        // Every konnector id not at hand is passed with the broken ones: a suite naming
        // one of them is not reported again, and a misspelt `tests:` gets a "did you
        // mean" among all konnectors, not only those that some suite names.
        var untested = Set(konnectors.compactMap { $0.id?.value }).subtracting(byID.keys)
        // A file that did not parse or could not be read may hold the konnector a suite names:
        // its error is the one cause reported, not "no konnector to test" — unless the name is
        // a near miss of a konnector that is there, a typo that gets its "did you mean".
        if konnectorsIncomplete {
            let known = Array(untested.union(byID.keys))
            untested.formUnion(suites.compactMap { $0.konnector?.value }.filter { byID[$0] == nil && Suggestion.closest(to: $0, among: known) == nil })
        }
        var out: [CheckedTestSuite] = []
        for suite in suites {
            var checker = TestSuiteChecker(konnectors: tested, index: byID, brokenKonnectors: untested,
                                           source: sources[suite.file] ?? SourceText.empty)
            if let s = checker.check(suite) { out.append(s) }
            diagnostics += checker.diagnostics
        }
        return out
    }

    /// One konnector after its file's worker.
    struct KonnectorResult: Sendable {
        var id: Located<String>?
        var file: String
        var fileIndex: Int
        /// Its position among the konnectors of its file.
        var ordinal: Int
        /// Checked without an error (so far: its connection uses are judged later).
        var clean: Bool
        var connectionUses: [ConnectionUse]
        var kept: Kept

        /// What is kept of it, by the validator's mode and whether it is clean.
        enum Kept: Sendable {
            /// Nothing: only diagnostics are kept, or it has errors and only outlines are.
            case nothing
            /// Clean, and outlines are kept.
            case outline(KonnectorOutline)
            /// The models are kept: checked when clean, as decoded when not.
            case model(CheckedProject.Model)
        }

        /// Its checked form, when the models are kept and it is clean.
        var checked: CheckedKonnector? {
            if case .model(.checked(let c, _)) = kept { c } else { nil }
        }

        /// A use of a connection broke it: it is no longer clean, and keeps what a konnector with errors keeps.
        mutating func breaks() {
            clean = false
            switch kept {
            case .outline: kept = .nothing
            case .model(.checked(let c, _)): kept = .model(.decoded(c.konnector))
            case .nothing, .model(.decoded): break
            }
        }
    }

    /// One file through parse, decode and check.
    struct FileResult: Sendable {
        var source = SourceText.empty
        var konnectors: [KonnectorResult] = []
        var connections: [Connection] = []
        var suites: [TestSuite] = []
        var diagnostics: [Diagnostic] = []
        /// It did not parse, so it may hold connections nobody can see.
        var unreadable = false
        /// Its literal credentials, masked in every output.
        var secrets = SecretMask()

        init() {}

        /// A batch of files (indices in `files`), each stage over all of them before the next.
        /// `appsUnread`: a schema could not be read, so no app is called unknown.
        static func batch(_ batch: ArraySlice<Int>, of files: [SourceFile], parser: YAMLParser, schemas: SchemaSet,
                          keeping: Keeping, appsUnread: Bool) -> [FileResult] {
            let parsed = batch.map { ParsedFile(files[$0], parser: parser) }
            let decoded = parsed.map(Decoded.init)
            return zip(batch, parsed.indices).map { i, j in
                FileResult(files[i], parsed: parsed[j], decoded: decoded[j], schemas: schemas, keeping: keeping,
                           appsUnread: appsUnread, index: i)
            }
        }

        /// A file's documents as models, and what their decoding found.
        struct Decoded {
            var items: [DocumentDecoder.Decoded]
            var diagnostics: [Diagnostic]
            var secrets: SecretMask

            init(_ parsed: ParsedFile) {
                var decoder = DocumentDecoder(file: parsed.path)
                items = decoder.decode(parsed.stream)
                diagnostics = decoder.diagnostics
                secrets = decoder.secrets
            }
        }

        /// The check, the last stage.
        private init(_ file: SourceFile, parsed: ParsedFile, decoded: Decoded, schemas: SchemaSet, keeping: Keeping,
                     appsUnread: Bool, index: Int) {
            source = parsed.stream.source
            diagnostics = parsed.diagnostics
            unreadable = diagnostics.contains { [.yamlSyntax, .invalidUTF8, .limitExceeded].contains($0.code) }
            diagnostics += decoded.diagnostics
            let decodeErrors = decoded.diagnostics.filter { $0.severity == .error }.map(\.range)
            for item in decoded.items {
                switch item {
                case .konnector(let k):
                    // Its checked values are built only to be kept.
                    var checker = KonnectorChecker(schemas: schemas, source: source, keeping: keeping == .models ? .values : .none)
                    // A konnector the decoder found errors in (no `steps:`, a misspelled `when:`)
                    // is not clean either: its tests would run against something else than written.
                    let decodedCleanly = !decodeErrors.contains { k.range.start <= $0.start && $0.end <= k.range.end }
                    let checked = checker.check(k).flatMap { decodedCleanly ? $0 : nil }
                    diagnostics += ProjectValidator.droppingUnknownApps(checker.diagnostics, if: appsUnread)
                    let ordinal = konnectors.count
                    let kept: KonnectorResult.Kept
                    switch (keeping, checked) {
                    case (.diagnostics, _), (.outlines, nil): kept = .nothing
                    case (.outlines, let c?): kept = .outline(KonnectorOutline(c, fileIndex: index, ordinal: ordinal))
                    // A kept model holds checked values, not also the YAML they came from.
                    case (.models, let c?): kept = .model(.checked(c.withoutValueSyntax, KonnectorOutline(c, fileIndex: index, ordinal: ordinal)))
                    case (.models, nil): kept = .model(.decoded(k))
                    }
                    konnectors.append(KonnectorResult(id: k.id, file: file.path, fileIndex: index, ordinal: ordinal,
                                                      clean: checked != nil, connectionUses: checker.connectionUses, kept: kept))
                case .connection(let c): connections.append(c)
                case .tests(let t): suites.append(t)
                }
            }
            diagnostics = CommentInValue.apply(to: diagnostics, stream: parsed.stream, file: file.path)
            diagnostics = UnclosedQuote.apply(to: diagnostics, stream: parsed.stream, file: file.path)
            secrets = decoded.secrets
            if !diagnostics.isEmpty {
                secrets = Self.secrets(of: parsed.stream, diagnostics: diagnostics, decoded: decoded.secrets,
                                       sensitiveNames: schemas.sensitiveFieldNames)
            }
        }

        /// The secrets of a file with diagnostics (only such a file's text is
        /// ever shown), beyond the decoder's: the values the checker found
        /// literal in sensitive fields, the values under keys that name a
        /// secret, pairs dropped (as repeated keys) inside a secret, and the
        /// `secret:` lines of a file that did not parse.
        static func secrets(of stream: YAMLStream, diagnostics: [Diagnostic], decoded: SecretMask,
                            sensitiveNames: Set<String> = []) -> SecretMask {
            var mask = decoded
            let source = stream.source
            for d in diagnostics where d.code == .literalSecret && d.severity == .warning {
                for document in stream.documents {
                    if let node = document.root?.descendant(at: d.range) {
                        mask.add(node, source: source, onlyLiterals: true)
                        break
                    }
                }
            }
            for document in stream.documents { SecretKeys.add(in: document, source: source, sensitiveNames: sensitiveNames, to: &mask) }
            let places = mask.ranges
            for document in stream.documents {
                for pair in document.droppedPairs
                where places.contains(where: { $0.start <= pair.key.range.start && pair.value.range.end <= $0.end }) {
                    mask.add(pair.value, source: source)
                }
            }
            // A secret spelled another way elsewhere (`"hunter\x32"` for `hunter2`) is masked where it is written.
            if !mask.texts.isEmpty {
                for document in stream.documents {
                    document.root?.forEachNode { node in
                        if let text = node.scalarText, mask.masking(text) != text { mask.add(range: node.range) }
                    }
                }
            }
            if !stream.problems.isEmpty { SecretKeys.addLines(in: source, sensitiveNames: sensitiveNames, to: &mask) }
            return mask
        }
    }

    /// Every konnector's uses of connections, judged in parallel runs of
    /// konnectors (each run remembers its own sound uses), in order: the
    /// diagnostics, and the konnectors a use breaks.
    private static func judgeUses(of konnectors: [KonnectorResult], connections: [String: Connection], schemas: SchemaSet,
                                  incomplete: Bool) -> [(diagnostics: [Diagnostic], broken: [Int])] {
        let run = 512
        let starts = Array(stride(from: 0, to: konnectors.count, by: run))
        return Parallel.map(starts) { start in
            var checker = ConnectionChecker(schemas: schemas)
            var broken: [Int] = []
            for i in start..<min(start + run, konnectors.count) where !konnectors[i].connectionUses.isEmpty {
                let before = checker.diagnostics.count
                for j in konnectors[i].connectionUses.indices {
                    checker.check(konnectors[i].connectionUses[j], connections: connections, incomplete: incomplete)
                }
                if checker.diagnostics[before...].contains(where: { $0.severity == .error }) { broken.append(i) }
            }
            return (checker.diagnostics, broken)
        }
    }

    /// Ids are compared in file order, so the first definition wins and
    /// every later one is reported. Items are reached by index, so one
    /// function serves konnector records and connections alike.
    static func duplicateIDs(count: Int, kind: String, id idOf: (Int) -> Located<String>?, file: (Int) -> String) -> [Diagnostic] {
        // The first index of each id, so only a duplicate's first copy is ever looked at again.
        var first: [String: Int] = [:]
        first.reserveCapacity(count)
        var out: [Diagnostic] = []
        for i in 0..<count {
            guard let id = idOf(i) else { continue }
            if let j = first[id.value], let firstID = idOf(j) {
                out.append(.duplicateID(kind: kind, id: id.value, firstFile: file(j), first: firstID.range, file: file(i), at: id.range))
            } else {
                first[id.value] = i
            }
        }
        return out
    }
}
