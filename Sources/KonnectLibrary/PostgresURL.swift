import Foundation
import KonnectCore

/// A PostgreSQL library URL (SPEC §7), parsed:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DB?schema=NAME&sslmode=MODE&host=/socket/dir`
/// (also `postgresql://`). The password comes from the URL, else from
/// `PGPASSWORD`; it is never part of `redacted`, which every message shows.
public struct PostgresURL: Sendable, Equatable {
    public enum SSLMode: String, Sendable, CaseIterable {
        /// No TLS.
        case disable
        /// TLS when the server offers it, without verifying its certificate (libpq's default).
        case prefer
        /// TLS or no connection, without verifying the certificate (as libpq's `require`).
        case require
        /// TLS, the certificate signed by a trusted authority (`sslrootcert`, else the system's).
        case verifyCA = "verify-ca"
        /// As verify-ca, and the certificate names the host.
        case verifyFull = "verify-full"
    }

    public var user: String
    public var password: String?
    /// A TCP host, or nil when `socketDirectory` is used.
    public var host: String?
    public var port: Int
    /// The folder of the server's Unix socket (`?host=/dir`, or a host starting with `/`).
    public var socketDirectory: String?
    public var database: String
    public var schema: String
    public var sslMode: SSLMode
    /// A PEM file of trusted authorities for verify-ca / verify-full.
    public var sslRootCert: String?
    /// The URL as given, with any password replaced by `***`.
    public let redacted: String
    /// `redacted`, escaped for a terminal: what every message shows.
    public var display: String { TerminalText.escaped(redacted) }

    public static let schemes = ["postgres", "postgresql"]
    public static let defaultSchema = "konnect"

    public init(_ url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let redacted = Self.redact(url)
        self.redacted = redacted
        func fail(_ why: String) -> PostgresLibraryError {
            PostgresLibraryError("invalid library URL `\(TerminalText.escaped(redacted))`: \(why)")
        }
        guard let schemeEnd = url.range(of: "://"), Self.schemes.contains(url[..<schemeEnd.lowerBound].lowercased()) else {
            throw fail("it must start with postgres:// or postgresql://")
        }
        var rest = Substring(url[schemeEnd.upperBound...])
        var query = Substring("")
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        // The user part ends at the last `@`, so a password with an unescaped `/` or `@` is still one password.
        var userInfo: Substring? = nil
        if let at = rest.lastIndex(of: "@") {
            userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        var hostPort = rest, path = Substring("")
        if let slash = rest.firstIndex(of: "/") {
            hostPort = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        }
        var user: String? = nil, password: String? = nil
        if let userInfo {
            if let colon = userInfo.firstIndex(of: ":") {
                user = try Self.decode(userInfo[..<colon], fail)
                password = try Self.decode(userInfo[userInfo.index(after: colon)...], fail)
            } else {
                user = try Self.decode(userInfo, fail)
            }
        }
        var host: String? = nil, port: Int? = nil
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw fail("an IPv6 address needs its closing `]`") }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw fail("unexpected text after the host") }
                port = try Self.port(after.dropFirst(), fail)
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = try Self.decode(hostPort[..<colon], fail)
            port = try Self.port(hostPort[hostPort.index(after: colon)...], fail)
        } else if !hostPort.isEmpty {
            host = try Self.decode(hostPort, fail)
        }
        if host?.isEmpty == true { host = nil }
        var database = try Self.decode(path, fail)
        var schema = Self.defaultSchema, sslMode = SSLMode.prefer, sslRootCert: String? = nil
        var socketDirectory: String? = nil
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0], fail)
            let value = parts.count > 1 ? try Self.decode(parts[1], fail) : ""
            switch name {
            case "schema": schema = value
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw fail("sslmode must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", ")), not `\(TerminalText.escaped(value))`")
                }
                sslMode = mode
            case "sslrootcert": sslRootCert = value
            case "host": host = value
            case "port": port = try Self.port(Substring(value), fail)
            case "user": user = value
            case "password": password = value
            case "dbname": database = value
            default:
                throw fail("unknown parameter `\(TerminalText.escaped(name))` (konnect reads schema, sslmode, sslrootcert, host, port, user, password and dbname)")
            }
        }
        if let h = host, h.hasPrefix("/") {
            socketDirectory = h
            host = nil
        }
        guard schema.count <= 63, let first = schema.unicodeScalars.first, first == "_" || ("a"..."z").contains(first),
              schema.unicodeScalars.allSatisfy({ $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }) else {
            throw fail("the schema must be a lowercase name of letters, digits and `_` (at most 63), not `\(TerminalText.escaped(schema))`")
        }
        let resolvedUser = user.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        self.user = resolvedUser
        self.password = password ?? environment["PGPASSWORD"]
        self.host = socketDirectory == nil ? (host ?? "localhost") : nil
        self.port = port ?? 5432
        self.socketDirectory = socketDirectory
        self.database = database.isEmpty ? resolvedUser : database
        self.schema = schema
        self.sslMode = sslMode
        self.sslRootCert = sslRootCert
    }

    /// The path of the server's Unix socket, when the URL names a socket folder.
    public var socketPath: String? {
        socketDirectory.map { ($0 as NSString).appendingPathComponent(".s.PGSQL.\(port)") }
    }

    /// `url` with the password of its user part and of a `password=`
    /// parameter replaced by `***` (`LibraryURL.masked`).
    public static func redact(_ url: String) -> String { LibraryURL.masked(url) }

    private static func decode(_ text: Substring, _ fail: (String) -> PostgresLibraryError) throws -> String {
        guard let decoded = String(text).removingPercentEncoding else { throw fail("a `%` escape is not valid") }
        return decoded
    }

    private static func port(_ text: Substring, _ fail: (String) -> PostgresLibraryError) throws -> Int {
        guard let port = Int(text), (1...65535).contains(port) else { throw fail("the port must be a number from 1 to 65535") }
        return port
    }
}

/// A failure of a PostgreSQL library: its message names the library by its
/// redacted URL and never holds a password.
public struct PostgresLibraryError: Error, CustomStringConvertible, Equatable {
    public var description: String
    /// The server's SQLSTATE, when the server reported the failure.
    public var sqlState: String?
    /// Whether the connection was lost (nothing of an open transaction committed).
    public var connectionLost: Bool

    public init(_ description: String, sqlState: String? = nil, connectionLost: Bool = false) {
        self.description = description
        self.sqlState = sqlState
        self.connectionLost = connectionLost
    }
}
