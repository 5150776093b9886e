/// `--target ID` or `--target tag:NAME`: limits a plan to some objects.
public enum PlanTarget: Sendable, Hashable {
    case id(String)
    case tag(String)

    public init(_ text: String) {
        if text.hasPrefix("tag:") { self = .tag(String(text.dropFirst(4))) } else { self = .id(text) }
    }

    /// As given on the command line.
    public var text: String {
        switch self {
        case .id(let id): return id
        case .tag(let tag): return "tag:" + tag
        }
    }

    /// What targets are matched against: the ids (and `renamed_from:` ids)
    /// and tags of the project's objects and of the library's objects of
    /// this project.
    public struct Candidates: Sendable {
        public var ids: Set<String> = []
        public var tags: Set<String> = []

        public init() {}

        /// The project's connections and konnectors.
        public init(_ project: CheckedProject) {
            for c in project.connections { if let id = c.id?.value { ids.insert(id) } }
            for o in project.outlines {
                ids.insert(o.id)
                if let old = o.renamedFrom { ids.insert(old) }
                tags.formUnion(o.tags)
            }
        }

        public mutating func add(_ owned: [StoredObject]) {
            for o in owned {
                ids.insert(o.id)
                tags.formUnion(o.tags)
            }
        }

        public func matches(_ target: PlanTarget) -> Bool {
            switch target {
            case .id(let id): return ids.contains(id)
            case .tag(let tag): return tags.contains(tag)
            }
        }

        /// SPEC §8: a target that matches nothing is an error, never an
        /// empty plan. The message names it (escaped) and suggests a near one.
        public func noMatch(_ target: PlanTarget) -> String {
            var message = "no konnector, connection or tag matches --target \(TerminalText.escaped(target.text))"
            let hint: String?
            switch target {
            case .id(let id):
                hint = Suggestion.closest(to: id, among: ids.sorted()).map { "`\($0)`" }
                    ?? Suggestion.closest(to: id, among: tags.sorted()).map { "`tag:\($0)`" }
            case .tag(let tag):
                hint = Suggestion.closest(to: tag, among: tags.sorted()).map { "`tag:\($0)`" }
                    ?? (ids.contains(tag) ? "`\(tag)`" : nil)
            }
            if let hint { message += "; did you mean \(TerminalText.escaped(hint))?" }
            return message
        }
    }
}
