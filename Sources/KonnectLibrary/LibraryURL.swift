import Foundation

/// Opens a library from its URL (SPEC §7).
public enum LibraryURL {
    /// `sqlite:PATH` (relative to the project folder); other schemes are planned.
    public static func open(_ url: String, relativeTo directory: String) throws -> any Library {
        if url.hasPrefix("sqlite:") {
            var path = String(url.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw LibraryError.unsupportedURL(url) }
            if !path.hasPrefix("/") { path = (directory as NSString).appendingPathComponent(path) }
            return try SQLiteLibrary(path: path)
        }
        throw LibraryError.unsupportedURL(url)
    }
}
