/// A duration as written in a konnector (SPEC §2.1): a positive whole
/// number and one unit, `30s`, `15m`, `2h` or `3d`.
public struct FlowDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var seconds: Int

    public init(seconds: Int) { self.seconds = seconds }

    static let units: [(suffix: Character, seconds: Int)] = [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]

    /// Nil for anything else (no unit, a sign, a fraction, two units, zero, an overflow).
    public init?(parsing text: String) {
        guard let unit = text.last, let factor = Self.units.first(where: { $0.suffix == unit })?.seconds else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let n = Int(digits), n > 0 else { return nil }
        seconds = n * factor
    }

    /// The largest whole unit: `90m` reads `90m`, `120m` reads `2h`.
    public var description: String {
        for (suffix, factor) in Self.units where seconds % factor == 0 {
            return "\(seconds / factor)\(suffix)"
        }
        return "\(seconds)s"
    }

    public static func < (a: FlowDuration, b: FlowDuration) -> Bool { a.seconds < b.seconds }
}
