import Foundation
import PostgresNIO

/// One connection to a PostgreSQL library, used synchronously.
///
/// The `Library` protocol is synchronous and its callers (the CLI's main
/// thread, a prefetch thread, test threads) are never NIO event-loop threads,
/// so each query is sent with postgres-nio's future-based API and the caller
/// blocks until the future is fulfilled (`Session.answer`: a semaphore, with
/// a look at the connection every 100 ms, as a session the server ended can
/// leave a future unfulfilled). No Swift-concurrency task to keep alive, and
/// the event loop (NIO's process-wide group) only ever runs postgres-nio's
/// work, so it is never blocked and cannot deadlock.
///
/// Calls are serialised by a mutex: one session, one query at a time. The
/// connection is opened on first use and opened again after it was lost.
final class PostgresConnector: @unchecked Sendable {
    let url: PostgresURL
    private let mutex = NSLock()
    private var connection: PostgresConnection?
    /// Statements sent so far (tests check that round trips do not grow with the library).
    private(set) var queryCount = 0

    static let logger: Logger = {
        var logger = Logger(label: "konnect.postgres")
        logger.logLevel = .critical
        return logger
    }()

    init(url: PostgresURL) {
        self.url = url
    }

    deinit {
        if let connection { Self.release(connection) }
    }

    /// Closes `connection` without waiting, keeping it alive until it is
    /// closed (postgres-nio asserts that a connection is closed before it goes).
    private static func release(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// Runs `body` with the open connection, alone. When `retry` is set and
    /// the connection turns out to have been lost before `body` did anything
    /// (a server restart, a pooler's idle timeout), it runs once more on a
    /// new one: only for bodies that read.
    func withConnection<T>(retry: Bool = false, _ body: (Session) throws -> T) throws -> T {
        mutex.lock()
        defer { mutex.unlock() }
        let reused = connection.map { !$0.isClosed } ?? false
        do {
            return try body(Session(connection: try open(), url: url, count: { self.queryCount += 1 }))
        } catch let error as PostgresLibraryError where error.connectionLost {
            if let connection { Self.release(connection) }
            connection = nil
            guard retry && reused else { throw error }
            return try body(Session(connection: try open(), url: url, count: { self.queryCount += 1 }))
        }
    }

    /// Closes the connection (a later call opens a new one).
    func close() {
        mutex.lock()
        defer { mutex.unlock() }
        if let connection { _ = try? connection.close().wait() }
        connection = nil
    }

    private func open() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        let opened: PostgresConnection
        do {
            opened = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(),
                                                    configuration: try Self.configuration(url), id: 1, logger: Self.logger).wait()
        } catch {
            throw Self.describe(error, url: url, connecting: true)
        }
        connection = opened
        return opened
    }

    static func configuration(_ url: PostgresURL) throws -> PostgresConnection.Configuration {
        if let socket = url.socketPath {
            // No TLS over a Unix socket, as libpq.
            return .init(unixSocketPath: socket, username: url.user, password: url.password, database: url.database)
        }
        let tls: PostgresConnection.Configuration.TLS
        if url.sslMode == .disable {
            tls = .disable
        } else {
            var config = TLSConfiguration.makeClientConfiguration()
            switch url.sslMode {
            case .disable, .prefer, .require: config.certificateVerification = .none
            case .verifyCA: config.certificateVerification = .noHostnameVerification
            case .verifyFull: config.certificateVerification = .fullVerification
            }
            if let root = url.sslRootCert { config.trustRoots = .file(root) }
            let context: NIOSSLContext
            do {
                context = try NIOSSLContext(configuration: config)
            } catch {
                throw PostgresLibraryError("cannot set up TLS for the library at \(url.redacted): \(error)")
            }
            tls = url.sslMode == .prefer ? .prefer(context) : .require(context)
        }
        var configuration = PostgresConnection.Configuration(host: url.host ?? "localhost", port: url.port, username: url.user,
                                                             password: url.password, database: url.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// A message for any failure of a query or a connection: the server's
    /// own message and SQLSTATE, or what went wrong on the way to it. Never
    /// the query's values, which `PSQLError`'s debug description holds.
    static func describe(_ error: any Error, url: PostgresURL, connecting: Bool = false) -> PostgresLibraryError {
        if let error = error as? PostgresLibraryError { return error }
        let library = "the library at \(url.redacted)"
        guard let error = error as? PSQLError else {
            return PostgresLibraryError("\(connecting ? "cannot connect to" : "lost") \(library): \(error)", connectionLost: !connecting)
        }
        if let info = error.serverInfo {
            var message = "\(library): \(info[.message] ?? "error")"
            if let detail = info[.detail] { message += " (\(detail))" }
            if let state = info[.sqlState] { message += " [SQLSTATE \(state)]" }
            // FATAL (an administrator's pg_terminate_backend, a shutdown): the server ends the session.
            let fatal = info[.localizedSeverity] == "FATAL" || info[.severity] == "FATAL" || info[.sqlState]?.hasPrefix("57P") == true
            return PostgresLibraryError(message, sqlState: info[.sqlState], connectionLost: fatal)
        }
        switch error.code {
        case .sslUnsupported:
            return PostgresLibraryError("\(library) does not accept TLS connections, and sslmode=\(url.sslMode.rawValue) needs one")
        case .authMechanismRequiresPassword:
            return PostgresLibraryError("\(library) asks for a password: put it in the URL or in PGPASSWORD")
        case .unsupportedAuthMechanism, .saslError:
            return PostgresLibraryError("cannot log in to \(library): the server's authentication method is not supported")
        case .connectionError:
            let cause = error.underlying.map { ": \($0)" } ?? ""
            return PostgresLibraryError("cannot connect to \(library)\(cause)", connectionLost: !connecting)
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return PostgresLibraryError(connecting ? "cannot connect to \(library): the server closed the connection"
                                                   : "lost the connection to \(library)", connectionLost: true)
        default:
            return PostgresLibraryError("\(library): \(error.code)", connectionLost: error.underlying != nil)
        }
    }

    /// The open connection, for the duration of one `withConnection` body.
    struct Session {
        let connection: PostgresConnection
        let url: PostgresURL
        let count: () -> Void

        @discardableResult
        func query(_ query: PostgresQuery) throws -> PostgresQueryResult {
            count()
            do {
                return try answer(to: connection.query(query, logger: PostgresConnector.logger))
            } catch {
                throw PostgresConnector.describe(error, url: url)
            }
        }

        /// Waits for `future`, the answer to a statement. A server that ends the
        /// session (`pg_terminate_backend`, a shutdown) as the statement goes out
        /// can close the socket without the future ever being fulfilled: the
        /// connection is looked at every 100 ms, and once it is closed it is lost,
        /// never waited on for ever. Statements themselves have no time limit.
        private func answer<T: Sendable>(to future: EventLoopFuture<T>) throws -> T {
            let answer = PendingAnswer<T>()
            future.whenComplete { result in
                answer.result = result
                answer.ready.signal()
            }
            while answer.ready.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
                guard connection.isClosed else { continue }
                // Answered as it closed, or never to be.
                guard answer.ready.wait(timeout: .now() + .milliseconds(100)) == .success else {
                    throw PostgresLibraryError("lost the connection to the library at \(url.redacted)", connectionLost: true)
                }
                break
            }
            return try answer.result!.get()
        }

        /// Runs `body` in a transaction that commits when it returns and
        /// rolls back when it throws. A lost connection rolls back on the
        /// server by itself.
        func transaction<T>(_ begin: PostgresQuery = "BEGIN", _ body: () throws -> T) throws -> T {
            try query(begin)
            let value: T
            do {
                value = try body()
            } catch {
                // A lost session was rolled back by the server; a statement sent on a
                // connection that is closing may never be answered.
                let lost = (error as? PostgresLibraryError)?.connectionLost == true || connection.isClosed
                if !lost { _ = try? query("ROLLBACK") }
                throw error
            }
            do {
                try query("COMMIT")
            } catch let error as PostgresLibraryError where error.connectionLost {
                throw PostgresLibraryError("lost the connection to the library at \(url.redacted) while committing: "
                                           + "the apply may or may not have landed; run `konnect plan` to see", connectionLost: true)
            }
            return value
        }
    }
}

/// An answer handed from another thread (the event loop, a look) to the
/// waiting one (written before `ready` is signalled, read after it was waited for).
final class PendingAnswer<T>: @unchecked Sendable {
    let ready = DispatchSemaphore(value: 0)
    var result: Result<T, any Error>?
}
