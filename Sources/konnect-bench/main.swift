import Foundation
import KonnectYAML

// konnect-bench: measures konnect against a bare libyaml parse of the same files.
//
//   konnect-bench [--n 10000[,50000…]] [--repeat 9] [--konnect .build/release/konnect] [--work DIR] [--schemas schemas]
//                 [--postgres postgres://USER[:PASSWORD]@HOST:PORT/DB]   (also the PostgreSQL library's rows)
//   konnect-bench floor DIR        (the floor itself: read + libyaml event parse of every file)

let args = Array(CommandLine.arguments.dropFirst())
if args.first == "floor", args.count == 2 {
    switch Floor.run(args[1]) {
    case .success(let events): print("\(events) events"); exit(0)
    case .failure(let e): FileHandle.standardError.write(Data("floor: cannot parse \(e.path)\n".utf8)); exit(1)
    }
}

func option(_ name: String, _ fallback: String) -> String {
    if let i = args.firstIndex(of: name), i + 1 < args.count { return args[i + 1] }
    return fallback
}
// Nine rounds by default: on a VM whose speed drifts, a median of few rounds is
// moved by one fast or slow round (docs/performance.md has the figures).
let repeats = max(1, Int(option("--repeat", "9")) ?? 9)
let counts = option("--n", "10000").split(separator: ",").compactMap { Int($0) }
let konnect = FileSystemPath.absolute(option("--konnect", ".build/release/konnect"))
let work = FileSystemPath.absolute(option("--work", NSTemporaryDirectory() + "konnect-bench"))
let schemas = FileSystemPath.absolute(option("--schemas", "schemas"))
let me = FileSystemPath.absolute(CommandLine.arguments[0])
// The PostgreSQL server's URL; its password goes to the children as PGPASSWORD, not into a project file.
let postgres = option("--postgres", "").isEmpty ? nil : PostgresServer(option("--postgres", ""))
guard FileManager.default.isExecutableFile(atPath: konnect) else {
    FileHandle.standardError.write(Data("konnect-bench: no konnect binary at \(konnect); build it with `swift build -c release`\n".utf8))
    exit(64)
}

print("konnect-bench: \(ProcessInfo.processInfo.activeProcessorCount) cores, konnect at \(konnect)\n")
var scaling: [(n: Int, rows: [Measurement])] = []
for n in counts {
    let dir = work + "/corpus-\(n)"
    let library = work + "/library-\(n).db"
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: library + suffix) }
    let genStart = Date()
    try Corpus.generate(count: n, into: dir, schemas: schemas, library: "sqlite:" + library)
    print("N = \(n): corpus generated in \(String(format: "%.1f", Date().timeIntervalSince(genStart)))s at \(dir)")
    // Steps that change nothing run `repeats` times; the median run is reported.
    func median(_ label: String, _ arguments: [String]) -> Measurement {
        let runs = (0..<repeats).map { _ in Measure.run(label, arguments, in: dir) }.sorted { $0.wall < $1.wall }
        return runs[runs.count / 2]
    }
    // The floor and validate alternate, so both see the same machine (a VM's speed drifts).
    var floors: [Measurement] = [], validates: [Measurement] = []
    for _ in 0..<repeats {
        floors.append(Measure.run("libyaml parse (floor)", [me, "floor", dir], in: dir))
        validates.append(Measure.run("konnect validate", [konnect, "validate"], in: dir))
    }
    var rows: [Measurement] = [mid(floors), mid(validates)]
    rows.append(median("konnect plan (empty library)", [konnect, "plan"]))
    rows.append(Measure.run("konnect apply --auto-approve (all)", [konnect, "apply", "--auto-approve"], in: dir))
    let (plans, planRounds, edits, editRounds) = try measureReplans(dir, n: n, label: "")
    rows += [mid(plans), mid(edits)]
    let floor = rows[0].wall
    print("| step | wall (s) | CPU (s) | × floor | peak MiB | exit |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows {
        print(String(format: "| %@ | %.3f | %.3f | %.2f | %.1f | %d |", r.label, r.wall, r.cpu, r.wall / floor, r.peakMiB, r.status))
    }
    print(String(format: "\nmedians of %d alternating rounds: validate / floor = %.2f; no-change re-plan / validate = %.2f; "
                 + "apply of 10 edits / validate = %.2f",
                 repeats, pairedRatio(validates, floors), pairedRatio(plans, planRounds), pairedRatio(edits, editRounds)))
    // The floor runs on one core and its speed drifts more than validate's on two:
    // the spread of the rounds shows how far one round's ratio can be trusted.
    let rounds = zip(validates, floors).map { $0.wall / $1.wall }.sorted()
    let quartile = { (q: Int) in rounds[(rounds.count - 1) * q / 4] }
    print(String(format: "validate / floor by round: lowest %.2f, quartiles %.2f / %.2f / %.2f, highest %.2f; "
                 + "CPU validate / floor median %.2f\n", quartile(0), quartile(1), quartile(2), quartile(3), quartile(4),
                 zip(validates, floors).map { $0.cpu / $1.cpu }.sorted()[rounds.count / 2]))
    if let postgres { try measurePostgres(postgres, n: n, sqliteCorpus: dir, floor: floor) }
    scaling.append((n, rows))
}
if scaling.count > 1 {
    // Linear growth shows as a flat cost per konnector.
    print("| N | floor (s) | validate (s) | validate µs/konnector | apply all (s) | apply all µs/konnector | validate peak MiB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for (n, rows) in scaling {
        print(String(format: "| %d | %.3f | %.3f | %.0f | %.3f | %.0f | %.1f |", n, rows[0].wall, rows[1].wall,
                     rows[1].wall / Double(n) * 1e6, rows[3].wall, rows[3].wall / Double(n) * 1e6, rows[1].peakMiB))
    }
}

func mid(_ m: [Measurement]) -> Measurement { m.sorted { $0.wall < $1.wall }[m.count / 2] }

/// The median of the rounds' ratios `a / b` (each round measured both, one after the other).
func pairedRatio(_ a: [Measurement], _ b: [Measurement]) -> Double {
    let ratios = zip(a, b).map { $0.wall / $1.wall }.sorted()
    return ratios[ratios.count / 2]
}

/// A no-change plan and an apply of 10 edits, each alternating with a
/// `validate` (its round's reference): the plans, their validates, the
/// applies, their validates.
func measureReplans(_ dir: String, n: Int, label: String) throws
    -> ([Measurement], [Measurement], [Measurement], [Measurement]) {
    var plans: [Measurement] = [], planRounds: [Measurement] = []
    for _ in 0..<repeats {
        planRounds.append(Measure.run("konnect validate", [konnect, "validate"], in: dir))
        plans.append(Measure.run("konnect plan (no change)\(label)", [konnect, "plan"], in: dir))
    }
    // Each round edits the same 10 konnectors again, so every apply has 10 updates.
    var edits: [Measurement] = [], editRounds: [Measurement] = []
    for _ in 0..<repeats {
        try Corpus.edit(dir, count: 10, total: n)
        editRounds.append(Measure.run("konnect validate", [konnect, "validate"], in: dir))
        edits.append(Measure.run("konnect apply (10 edited)\(label)", [konnect, "apply", "--auto-approve"], in: dir))
    }
    return (plans, planRounds, edits, editRounds)
}

/// The PostgreSQL library's rows (issue 20): an apply of the whole corpus
/// into a new schema, alternating with the floor; then the no-change plan
/// and the apply of 10 edits, alternating with `validate`. Every round's
/// apply of all creates a library of its own (a fresh `?schema=`).
func measurePostgres(_ server: PostgresServer, n: Int, sqliteCorpus: String, floor sqliteFloor: Double) throws {
    let dir = sqliteCorpus + "-postgres"
    let runID = String(UInt32.random(in: 0...UInt32.max), radix: 36)
    func library(_ round: Int) -> String { server.url(schema: "bench_\(n)_\(runID)_\(round)") }
    try Corpus.generate(count: n, into: dir, schemas: schemas, library: library(0))
    var floors: [Measurement] = [], applies: [Measurement] = []
    for round in 0..<repeats {
        try Corpus.setLibrary(library(round), in: dir)
        floors.append(Measure.run("libyaml parse (floor)", [me, "floor", dir], in: dir))
        applies.append(Measure.run("konnect apply --auto-approve (all), PostgreSQL", [konnect, "apply", "--auto-approve"], in: dir))
    }
    let (plans, planRounds, edits, editRounds) = try measureReplans(dir, n: n, label: ", PostgreSQL")
    print("PostgreSQL library at \(server.display) (\(repeats) rounds; × floor against the SQLite table's floor):")
    print("| step | wall (s) | CPU (s) | × floor | peak MiB | exit |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in [mid(applies), mid(plans), mid(edits)] {
        print(String(format: "| %@ | %.3f | %.3f | %.2f | %.1f | %d |", r.label, r.wall, r.cpu, r.wall / sqliteFloor, r.peakMiB, r.status))
    }
    let failed = (applies + plans + edits).filter { $0.status != 0 }.count
    if failed > 0 { print("(\(failed) runs failed: their figures are no measurement)") }
    let goals = [("apply of all / floor", pairedRatio(applies, floors), 10.0),
                 ("no-change plan / validate", pairedRatio(plans, planRounds), 2.5),
                 ("apply of 10 edits / validate", pairedRatio(edits, editRounds), 1.5)]
    print("\nmedians of \(repeats) alternating rounds, against issue 20's goals: " + goals.map { name, ratio, goal in
        String(format: "%@ = %.2f (goal ≤ %.1f%@)", name, ratio, goal, ratio <= goal ? "" : ", MISSED")
    }.joined(separator: "; ") + "\n")
}

/// A PostgreSQL server's URL, its password (if any) kept apart: the
/// children read it from PGPASSWORD, so no project file holds it.
struct PostgresServer {
    let base: String
    let query: String

    init(_ url: String) {
        var url = url
        if let scheme = url.range(of: "://") {
            let rest = url[scheme.upperBound...]
            let beforeQuery = rest[..<(rest.firstIndex(of: "?") ?? rest.endIndex)]
            if let at = beforeQuery.lastIndex(of: "@"), let colon = beforeQuery[..<at].firstIndex(of: ":") {
                setenv("PGPASSWORD", String(url[url.index(after: colon)..<at]).removingPercentEncoding ?? "", 1)
                url.removeSubrange(colon..<at)
            }
        }
        let q = url.firstIndex(of: "?")
        base = String(url[..<(q ?? url.endIndex)])
        query = q.map { String(url[url.index(after: $0)...]) } ?? ""
    }

    var display: String { base }

    func url(schema: String) -> String {
        base + "?schema=" + schema + (query.isEmpty ? "" : "&" + query)
    }
}

enum FileSystemPath {
    static func absolute(_ p: String) -> String {
        p.hasPrefix("/") ? p : FileManager.default.currentDirectoryPath + "/" + p
    }
}
