/// `--target ID` or `--target tag:NAME`: limits a plan to some objects.
public enum PlanTarget: Sendable, Hashable {
    case id(String)
    case tag(String)

    public init(_ text: String) {
        if text.hasPrefix("tag:") { self = .tag(String(text.dropFirst(4))) } else { self = .id(text) }
    }
}
