import KonnectCore

/// A deterministic source of randomness (SplitMix64): the same seed gives
/// the same inputs on every machine, so a CI failure replays exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Mutations that know a little of konnect's inputs: YAML punctuation, the
/// keys of every document kind, type strings, expression syntax and
/// functions, edge numbers, and repetition (the way to depth: `array<` or
/// `(` or a nesting line many times over).
struct Mutator {
    /// Also written out as a libFuzzer dictionary (`konnect-fuzz dict`).
    static let tokens: [String] = [
        // Documents and their keys (SPEC §2-4).
        "konnector: ", "connection: ", "tests: ", "app: ", "name: ", "description: ", "trigger:", "event: ",
        "when: ", "steps:", "- id: ", "action: ", "if: ", "with:", "on_error: continue", "on_error: stop",
        "secret: ", "secret: env:TOKEN", "scopes: ", "tags: ", "enabled: false", "renamed_from: ", "cases:",
        "- name: ", "expect:", "inputs:", "outputs:", "filtered: ", "ran: ", "skipped: ", "failed: ",
        // Flow (SPEC §2.1) and simulated failures (§9).
        "paths:", "- id: p\n  when: ", "mode: first", "mode: all", "repeat: ", "as: ", "max: ", "item.", "loop.index",
        "loop.count", "delay: ", "delay: 31d", "delay: 2h", "delay_until: ", "retry: { times: 3, wait: 1m }", "retry:",
        "times: ", "wait: ", "schedule:", "cron: ", "cron: \"*/15 * * * MON-FRI\"", "timezone: ", "timezone: Europe/Berlin",
        "payload:", "payload: body", "fail: ", "always", "attempts: ", ".taken", ".resumed_at", "scheduled_at",
        // Schemas (SPEC §4).
        "triggers:", "actions:", "config:", "output:", "sample:", "type: ", "default: ", "sensitive: true",
        "types:", "fields:", "required: ", "auth: none", "auth: oauth2",
        "string", "integer", "number", "boolean", "date", "datetime", "email", "url", "any", "array<", ">",
        "enum(", ")", "?", "object", "array<array<array<",
        // Expressions (SPEC §5).
        "{{ ", " }}", "{{", "}}", "trigger.", "steps.", ".output", " | ", " and ", " or ", "not ", " == ", " != ",
        " >= ", " <= ", " < ", " > ", " + ", " - ", " * ", " / ", " % ", " ~ ", "(", "[", "]", "'", "\"", ",",
        "null", "true", "false", " in ", ".length",
        // YAML.
        ": ", "- ", "\n", "\n  ", "\n    ", "{", "}", "[", "]", "&a ", "*a", "<<: *a", "!!str ", "!!binary ", "|\n  ",
        ">-\n  ", "---\n", "...\n", "%YAML 1.1\n", "#", "\t", "? ", "'", "\\u0000", "\\x1b", "~",
        // Numbers and odd text.
        "0", "-1", "1e999", "-0", ".inf", ".nan", "9223372036854775807", "9223372036854775808", "1e308",
        "0x7fffffff", "2026-03-02T12:00:00Z", "2026-02-30", "\u{1B}[31m", "\r\n", "\u{2028}", "\u{85}", "é", "\u{FEFF}",
        // A new file in the input.
        "\n%%% schemas/x.yaml\n", "\n%%% konnectors/y.yaml\n", "\n%%% konnectors/y.test.yaml\n", "\n%%% plan.json\n",
    ] + Builtin.names.map { "\($0)(" }

    var rng: SeededGenerator
    let tokenBytes: [[UInt8]] = Self.tokens.map { Array($0.utf8) }

    init(seed: UInt64) { rng = SeededGenerator(seed: seed) }

    mutating func int(_ n: Int) -> Int { n <= 1 ? 0 : Int.random(in: 0..<n, using: &rng) }

    /// `input` changed by one to four mutations; `other` is another corpus entry to splice from.
    mutating func mutate(_ input: [UInt8], other: [UInt8]) -> [UInt8] {
        var b = input
        for _ in 0...int(4) { b = once(b, other: other) }
        if b.count > FuzzPipeline.maxInputBytes { b.removeLast(b.count - FuzzPipeline.maxInputBytes) }
        return b
    }

    private mutating func once(_ input: [UInt8], other: [UInt8]) -> [UInt8] {
        var b = input
        let at = int(b.count + 1)
        switch int(12) {
        case 0 where !b.isEmpty:  // flip a bit
            let i = int(b.count)
            b[i] ^= UInt8(1 << int(8))
        case 1 where !b.isEmpty:  // any byte
            b[int(b.count)] = UInt8(truncatingIfNeeded: rng.next())
        case 2, 3:  // a token
            b.insert(contentsOf: tokenBytes[int(tokenBytes.count)], at: at)
        case 4 where !b.isEmpty:  // a token in place of a few bytes
            let i = int(b.count)
            b.replaceSubrange(i..<min(b.count, i + 1 + int(8)), with: tokenBytes[int(tokenBytes.count)])
        case 5 where !b.isEmpty:  // delete a range
            let i = int(b.count)
            b.removeSubrange(i..<min(b.count, i + 1 + int(32)))
        case 6 where !b.isEmpty:  // copy a range elsewhere
            let i = int(b.count), n = 1 + int(min(64, b.count - i))
            b.insert(contentsOf: Array(b[i..<min(b.count, i + n)]), at: at)
        case 7:  // repeat a token or a short range many times: depth, length
            let piece = b.isEmpty || int(2) == 0 ? tokenBytes[int(tokenBytes.count)]
                : { let i = int(b.count); return Array(b[i..<min(b.count, i + 1 + int(8))]) }()
            let times = [2, 10, 70, 200, 1000, 5000][int(6)]
            b.insert(contentsOf: Array([[UInt8]](repeating: piece, count: times).joined().prefix(FuzzPipeline.maxInputBytes)), at: at)
        case 8:  // a line repeated, deleted or swapped with another
            var lines = b.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            guard lines.count > 1 else { break }
            let i = int(lines.count), j = int(lines.count)
            switch int(3) {
            case 0: lines.insert(contentsOf: [[UInt8]](repeating: lines[i], count: 1 + int(20)), at: j)
            case 1: lines.remove(at: i)
            default: lines.swapAt(i, j)
            }
            b = Array(lines.joined(separator: [0x0A]))
        case 9 where !other.isEmpty:  // splice in part of another input
            let i = int(other.count), n = 1 + int(min(2048, other.count - i))
            b.insert(contentsOf: other[i..<min(other.count, i + n)], at: at)
        case 10:  // a number in place of a digit run
            guard let i = b.indices.dropFirst(int(b.count)).first(where: { b[$0] >= 0x30 && b[$0] <= 0x39 }) else { break }
            var j = i
            while j < b.count, b[j] >= 0x30 && b[j] <= 0x39 { j += 1 }
            let numbers = ["0", "-1", "1e999", "100000", "2147483648", "9223372036854775808", "0.0000001", "1e308", ".nan", "18446744073709551616"]
            b.replaceSubrange(i..<j, with: Array(numbers[int(numbers.count)].utf8))
        default:  // indentation: one line in or out
            var lines = b.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            guard !lines.isEmpty else { break }
            let i = int(lines.count)
            if int(2) == 0 { lines[i].insert(contentsOf: [0x20, 0x20], at: 0) } else if lines[i].first == 0x20 { lines[i].removeFirst() }
            b = Array(lines.joined(separator: [0x0A]))
        }
        return b
    }
}
