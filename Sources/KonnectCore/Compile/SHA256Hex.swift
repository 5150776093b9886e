import Crypto

/// SHA-256 as lowercase hex: the hash of a compiled definition.
public enum SHA256Hex {
    public static func digest(_ text: String) -> String {
        let digest = SHA256.hash(data: Array(text.utf8))
        var out = ""
        out.reserveCapacity(64)
        for byte in digest {
            out += String(byte >> 4, radix: 16) + String(byte & 0x0F, radix: 16)
        }
        return out
    }
}
