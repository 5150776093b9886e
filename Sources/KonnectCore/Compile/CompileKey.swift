import Crypto
import KonnectYAML

/// A digest of everything a konnector's compiled definition depends on:
/// its file, the app schemas and the connections. When the library holds an
/// object applied from the same key, its stored hash is the compile's hash,
/// so plan reuses it instead of compiling the konnector again.
public enum CompileKey {
    /// Bump whenever the compiler's output changes for the same input, so
    /// that no library trusts a hash made by an older compiler.
    static let version = "konnect-compile-1"

    /// One key per `project.outlines`, in order; "" where no key can be
    /// trusted (a file shown redacted no longer holds the bytes it was read with).
    public static func keys(for project: CheckedProject) -> [String] {
        let shared = Set(project.schemaFiles + project.connections.map(\.file)).sorted()
        if shared.contains(where: project.redactedFiles.contains) { return project.outlines.map { _ in "" } }
        var h = SHA256()
        h.update(data: Array(version.utf8))
        for file in shared { feed(&h, name: file, project.sources[file]?.bytes ?? []) }
        let base = Array(h.finalize())
        let sources = project.sources
        let redacted = project.redactedFiles
        return Parallel.map(project.outlines) { k in
            let file = k.file
            guard redacted.isEmpty || !redacted.contains(file), let bytes = sources[file]?.bytes else { return "" }
            var h = SHA256()
            h.update(data: base)
            feed(&h, name: k.id, bytes)
            return SHA256Hex.hex(h.finalize())
        }
    }

    /// Length-prefixed, so no two different inputs feed the same bytes.
    private static func feed(_ h: inout SHA256, name: String, _ bytes: [UInt8]) {
        var name = name
        name.withUTF8 { feed(&h, UnsafeRawBufferPointer($0)) }
        bytes.withUnsafeBytes { feed(&h, $0) }
    }

    private static func feed(_ h: inout SHA256, _ part: UnsafeRawBufferPointer) {
        withUnsafeBytes(of: UInt64(part.count).littleEndian) { h.update(bufferPointer: $0) }
        h.update(bufferPointer: part)
    }
}
