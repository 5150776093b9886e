import Foundation

/// `konnect show ID` (SPEC §10): one object as the library holds it, its
/// definition with sensitive values masked (SPEC §4), as text or JSON; for a
/// scheduled konnector, also its next 5 run times at or after `now` (seconds since
/// the epoch, passed in by the command), in its zone (SPEC §10).
public struct ShowView: Sendable {
    public init() {}

    /// How many run times show lists (SPEC §10).
    public static let nextRunCount = 5

    public func text(_ o: StoredObject, now: Double? = nil) -> String {
        var header = "\(o.kind.rawValue) \(o.id)  version \(o.version)  \(o.enabled ? "enabled" : "disabled")\n"
        header += "hash     \(o.hash)\nupdated  \(o.updatedAt) (created \(o.createdAt))\n"
        header += "source   \(o.sourceFile)\(o.sourceCommit.isEmpty ? "" : " @ \(HistoryView.shortCommit(o.sourceCommit))")\n"
        if case let (schedule, runs)? = Self.nextRuns(o, now: now) {
            let times = schedule.localTimes(runs)
            header += "next     " + (times.isEmpty ? "never runs in the next ten years" : times.joined(separator: "\n         ")) + "\n"
        }
        header += "\n"
        // Line by line, so that no stored text can forge a line or move the cursor (SPEC §6).
        let text = header + Self.masked(o.definition, o.sensitivePaths).pretty()
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { TerminalText.escaped(String($0)) }.joined(separator: "\n") + "\n"
    }

    public func json(_ o: StoredObject, now: Double? = nil) -> String {
        let shown = JSONValue.object([
            "kind": .string(o.kind.rawValue), "id": .string(o.id), "owner": .string(o.owner), "name": .string(o.name),
            "enabled": .bool(o.enabled), "version": .int(o.version), "hash": .string(o.hash),
            "created": .string(o.createdAt), "updated": .string(o.updatedAt),
            "source": .object(["file": .string(o.sourceFile), "commit": .string(o.sourceCommit)]),
            "definition": Self.masked(o.definition, o.sensitivePaths),
        ])
        guard case let (schedule, runs)? = Self.nextRuns(o, now: now), case .object(var members) = shown else {
            return shown.serializedForTerminal() + "\n"
        }
        members.append(.init("next_runs", .array(Self.instants(runs, in: schedule.zone).map(JSONValue.string))))
        return JSONValue.object(members).serializedForTerminal() + "\n"
    }

    /// A scheduled konnector's schedule and its next runs at or after `now`; nil
    /// for anything else, or when no time is given.
    static func nextRuns(_ o: StoredObject, now: Double?) -> (Schedule, [Date])? {
        guard let now, o.kind == .konnector, let schedule = Schedule(definition: o.definition) else { return nil }
        return (schedule, schedule.nextRuns(from: Date(timeIntervalSince1970: now), count: nextRunCount))
    }

    /// ISO 8601 with the zone's offset at each instant: `2026-03-30T09:00:00+02:00`.
    static func instants(_ dates: [Date], in zone: TimeZone) -> [String] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxxxx"
        return dates.map(formatter.string(from:))
    }

    /// `definition` with the value at each of `paths` replaced by
    /// `(sensitive)`. Paths are named as diffs name them (`DefinitionDiffer`):
    /// elements of an id-keyed list by id, at any depth
    /// (`steps.route.paths.vip.steps.alert.with.url`), others by index.
    /// A string anywhere that holds a sensitive field's literal is masked too
    /// (a YAML alias may have copied it into a field that is not sensitive).
    public static func masked(_ definition: JSONValue, _ paths: [String]) -> JSONValue {
        guard !paths.isEmpty else { return definition }
        let values = SensitiveValues.of([definition], paths: paths)
        func walk(_ v: JSONValue, _ path: String) -> JSONValue {
            if paths.contains(path) { return .string("(sensitive)") }
            if case .string = v, SensitiveValues.holds(v, any: values) { return .string("(sensitive)") }
            switch v {
            case .object(let members):
                return .object(members.map { .init($0.key, walk($0.value, path.isEmpty ? $0.key : "\(path).\($0.key)")) })
            case .array(let items):
                if let ids = DefinitionDiffer.keys(items) {
                    return .array(zip(items, ids).map { item, id in
                        guard case .object(let members) = item else { return item }
                        return .object(members.map { .init($0.key, walk($0.value, "\(path).\(id).\($0.key)")) })
                    })
                }
                return .array(items.enumerated().map { walk($1, "\(path)[\($0)]") })
            default:
                return v
            }
        }
        return walk(definition, "")
    }
}
