import Crypto

/// SHA-256 as lowercase hex: the hash of a compiled definition.
public enum SHA256Hex {
    public static func digest(_ text: String) -> String {
        hex(SHA256.hash(data: Array(text.utf8)))
    }

    /// Written straight into the string's storage: plan makes one per konnector.
    static func hex(_ digest: SHA256.Digest) -> String {
        digest.withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: 2 * bytes.count) { out in
                func digit(_ d: UInt8) -> UInt8 { d < 10 ? 0x30 + d : 0x57 + d }  // 0-9, a-f
                for (i, byte) in bytes.enumerated() {
                    out[2 * i] = digit(byte >> 4)
                    out[2 * i + 1] = digit(byte & 0x0F)
                }
                return 2 * bytes.count
            }
        }
    }
}
