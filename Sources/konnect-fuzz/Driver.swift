#if !KONNECT_LIBFUZZER
import Foundation
import KonnectCore

/// `konnect-fuzz` built normally: its own seeded mutation fuzzer over
/// `FuzzPipeline`, plus the seed corpus and dictionary the libFuzzer build
/// uses (`make fuzz` builds that one with `-DKONNECT_LIBFUZZER`).
///
///     konnect-fuzz seeds OUT ROOT...      write the seed corpus of the projects under ROOTs
///     konnect-fuzz dict                   print the mutation tokens as a libFuzzer dictionary
///     konnect-fuzz run [--seed N] [--runs N] [--seconds N] [--crashes DIR] [--strict] CORPUS...
///     konnect-fuzz replay FILE...         run these inputs, print what each came to
@main
struct KonnectFuzz {
    static func main() {
        var args = Array(CommandLine.arguments.dropFirst())
        guard !args.isEmpty else { usage() }
        let command = args.removeFirst()
        switch command {
        case "seeds":
            guard args.count >= 2 else { usage() }
            let out = args.removeFirst()
            try? FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let seeds = Seeds.inputs(under: args)
            for s in seeds { _ = FileManager.default.createFile(atPath: out + "/" + s.name, contents: Data(s.bytes)) }
            print("\(seeds.count) seed inputs in \(out)")
        case "dict":
            for t in Mutator.tokens {
                let escaped = t.utf8.map { c -> String in
                    c == 0x22 || c == 0x5C ? "\\" + String(UnicodeScalar(c))
                        : (0x20..<0x7F).contains(c) ? String(UnicodeScalar(c)) : String(format: "\\x%02X", c)
                }.joined()
                print("\"\(escaped)\"")
            }
        case "replay":
            var failed = false
            for path in args {
                let bytes = read(path)
                CrashRecorder.arm(bytes)
                guard let o = FuzzPipeline.run(bytes) else { print("\(path): longer than \(FuzzPipeline.maxInputBytes) bytes, not run"); continue }
                print("\(path): \(o.files) files, \(o.diagnostics) diagnostics, \(o.compiled) compiled, \(o.runs) runs, \(o.testCases) test cases"
                      + (o.codes.isEmpty ? "" : "; codes: \(o.codes.joined(separator: ", "))"))
                for p in o.problems { print("  problem: \(p)"); failed = true }
            }
            exit(failed ? 1 : 0)
        case "run":
            run(args)
        default:
            usage()
        }
    }

    static func run(_ arguments: [String]) {
        var seed: UInt64 = 1, runs = Int.max, seconds = Double.infinity, crashes = "fuzz-crashes", strict = false
        var corpusPaths: [String] = []
        var args = arguments[...]
        while let a = args.popFirst() {
            switch a {
            case "--seed": seed = UInt64(args.popFirst() ?? "") ?? { usage() }()
            case "--runs": runs = Int(args.popFirst() ?? "") ?? { usage() }()
            case "--seconds": seconds = Double(args.popFirst() ?? "") ?? { usage() }()
            case "--crashes": crashes = args.popFirst() ?? { usage() }()
            case "--strict": strict = true
            default: corpusPaths.append(a)
            }
        }
        var corpus: [[UInt8]] = []
        for p in corpusPaths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                // Its files, not its folders (`pending/` reproducers are not run) nor hidden files.
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: p)) ?? []).sorted()
                for name in names where !name.hasPrefix(".") {
                    var isFolder: ObjCBool = false
                    if FileManager.default.fileExists(atPath: p + "/" + name, isDirectory: &isFolder), !isFolder.boolValue {
                        corpus.append(read(p + "/" + name))
                    }
                }
            } else {
                corpus.append(read(p))
            }
        }
        corpus = corpus.filter { $0.count <= FuzzPipeline.maxInputBytes }
        if corpus.isEmpty { corpus = [[]] }
        try? FileManager.default.createDirectory(atPath: crashes, withIntermediateDirectories: true)
        CrashRecorder.install(directory: crashes)

        // Inputs that reached a combination of diagnostic codes and stages not seen
        // before join the corpus: a crude stand-in for coverage.
        var seen = Set<String>()
        var problems = Set<String>()
        var mutator = Mutator(seed: seed)
        let start = Date()
        var executions = 0
        func execute(_ input: [UInt8]) -> Bool {
            CrashRecorder.arm(input)
            guard let o = FuzzPipeline.run(input) else { return false }
            executions += 1
            for p in o.problems where !problems.contains(p) {
                problems.insert(p)
                let name = "\(crashes)/problem-\(seed)-\(executions)"
                _ = FileManager.default.createFile(atPath: name, contents: Data(input))
                say("problem: \(p) (input written to \(name))")
            }
            if strict, !o.problems.isEmpty { exit(1) }
            let signature = o.codes.joined(separator: ",") + "|\(o.compiled > 0)\(o.runs > 0)\(o.testCases > 0)\(o.files)"
            return seen.insert(signature).inserted
        }
        for input in corpus { _ = execute(input) }
        say("replayed \(corpus.count) corpus inputs; seed \(seed)")
        var lastReport = Date()
        while executions < runs, Date().timeIntervalSince(start) < seconds {
            let base = corpus[mutator.int(corpus.count)], other = corpus[mutator.int(corpus.count)]
            let input = mutator.mutate(base, other: other)
            if execute(input), corpus.count < 20_000 { corpus.append(input) }
            if Date().timeIntervalSince(lastReport) >= 10 {
                lastReport = Date()
                say("\(executions) executions, \(Int(Double(executions) / Date().timeIntervalSince(start))) a second, corpus \(corpus.count)")
            }
        }
        let elapsed = Date().timeIntervalSince(start)
        say("done: \(executions) executions in \(Int(elapsed)) s without a crash (\(Int(Double(executions) / max(elapsed, 0.001))) a second), "
              + "corpus \(corpus.count), \(problems.count) distinct problems")
        exit(strict && !problems.isEmpty ? 1 : 0)
    }

    /// Printed at once: a crash or hang ends the process, and what it said must not be lost with it.
    static func say(_ line: String) {
        print(line)
        fflush(nil)
    }

    static func read(_ path: String) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
            exit(2)
        }
        return Array(data)
    }

    static func usage() -> Never {
        FileHandle.standardError.write(Data("""
        usage: konnect-fuzz seeds OUT ROOT... | dict | replay FILE... |
               run [--seed N] [--runs N] [--seconds N] [--crashes DIR] [--strict] CORPUS...

        """.utf8))
        exit(2)
    }
}
#endif
