import Foundation

/// The regular expressions of `matches` (SPEC §5.3), in ICU's syntax. A
/// match has a time limit: a pattern that backtracks exponentially, like
/// `(a+)+$` against forty a's and a `!`, would otherwise stall a run, and
/// the text may come from an event.
public enum Pattern {
    /// Seconds one match may take before the run gets an error instead.
    public static let timeLimit = 1.0

    public enum Outcome: Equatable, Sendable {
        case found(Bool)
        case invalid
        case tooSlow
    }

    public static func isValid(_ pattern: String) -> Bool {
        (try? NSRegularExpression(pattern: pattern)) != nil
    }

    /// Whether `pattern` matches anywhere in `text`, within `timeLimit` seconds.
    public static func search(_ pattern: String, in text: String, timeLimit: Double = Pattern.timeLimit) -> Outcome {
        let start = DispatchTime.now().uptimeNanoseconds
        let limit = UInt64(timeLimit * 1e9)
        return search(pattern, in: text, shouldStop: { DispatchTime.now().uptimeNanoseconds - start > limit })
    }

    /// Whether `pattern` matches anywhere in `text`; `.tooSlow` once
    /// `shouldStop` says so (a run's time is spent, SPEC §9).
    public static func search(_ pattern: String, in text: String, shouldStop: () -> Bool) -> Outcome {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return .invalid }
        var outcome = Outcome.found(false)
        // With `reportProgress` ICU calls back every so often during a long
        // attempt, which is where the clock can stop it.
        withoutActuallyEscaping(shouldStop) { shouldStop in
            regex.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(text.startIndex..., in: text)) { result, _, stop in
                if result != nil {
                    outcome = .found(true)
                    stop.pointee = true
                } else if shouldStop() {
                    outcome = .tooSlow
                    stop.pointee = true
                }
            }
        }
        return outcome
    }
}
