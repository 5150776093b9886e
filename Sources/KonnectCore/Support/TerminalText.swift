/// Text from files, plan files or the library, made safe for a terminal
/// (SPEC §6): no file can forge an output line or move the cursor.
public enum TerminalText {
    /// Whether a scalar must not reach a terminal as itself: C0 controls,
    /// DEL, C1 controls, and the line and paragraph separators that some
    /// terminals and editors break lines at.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (v >= 0x7F && v < 0xA0) || v == 0x2028 || v == 0x2029
    }

    /// `s` with every unsafe scalar written as a Swift escape, `\u{1b}`.
    /// Strings without one are returned as they are.
    public static func escaped(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isUnsafe) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 8)
        for scalar in s.unicodeScalars {
            if isUnsafe(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
