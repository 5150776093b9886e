import ArgumentParser

extension Duration {
    /// How `--help` shows a default: as it is written on the command line
    /// (`10s`, `500ms`, `2m`), not as the value's structure.
    var defaultValueDescription: String {
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return Self.number(seconds / 60) + "m" }
        if seconds >= 1 || seconds == 0 { return Self.number(seconds) + "s" }
        return Self.number(seconds * 1000) + "ms"
    }

    private static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}
