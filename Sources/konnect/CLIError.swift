/// Failures that are not about the user's files (those are diagnostics):
/// a missing folder, an unreadable file. ArgumentParser prints them and
/// exits 1; usage errors exit 64 (SPEC §11).
struct CLIError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
