import Foundation

/// Opens a library from its URL (SPEC §7).
public enum LibraryURL {
    /// `sqlite:PATH` (relative to the project folder); other schemes are planned.
    public static func open(_ url: String, relativeTo directory: String) throws -> any Library {
        guard let path = sqlitePath(url, relativeTo: directory) else { throw LibraryError.unsupportedURL(url) }
        return try SQLiteLibrary(path: path)
    }

    /// The library at `url`, to be read from only, when it exists and needs
    /// no migration; nil otherwise (nothing is created, nothing reported).
    public static func openExisting(_ url: String, relativeTo directory: String) -> (any Library)? {
        sqlitePath(url, relativeTo: directory).flatMap(SQLiteLibrary.init(existingAt:))
    }

    static func sqlitePath(_ url: String, relativeTo directory: String) -> String? {
        guard url.hasPrefix("sqlite:") else { return nil }
        var path = String(url.dropFirst("sqlite:".count))
        if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
        guard !path.isEmpty else { return nil }
        return path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
    }
}
