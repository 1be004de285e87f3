import Foundation
import Glibc
import HTTPServer
import Support

/// EX_UNAVAILABLE from sysexits.h: the address is taken or cannot be bound.
public let exitUnavailable: Int32 = 69

/// Runs the server until SIGTERM or SIGINT, then shuts down gracefully; returns the process exit status
/// (0 after a clean shutdown, 69 when the address cannot be bound).
public func runServer(configuration: Configuration, logger: Logger) throws -> Int32 {
    // Block the signals before any thread starts, so every thread inherits the mask and only sigwait sees them.
    let signals = SignalSet([SIGTERM, SIGINT])
    signals.block()
    let application: Application
    do {
        application = try Application.start(configuration: configuration, logger: logger)
    } catch let error as SocketError {
        logger.error("cannot listen", ["address": "\(configuration.http.host):\(configuration.http.port)", "error": error.description])
        return exitUnavailable
    }
    let received = signals.wait()
    logger.info("signal received; finishing in-flight requests", ["signal": received == SIGTERM ? "SIGTERM" : "SIGINT",
                                                                   "grace_seconds": String(configuration.http.shutdownGraceSeconds)])
    // A second signal means "now": stop without waiting for the grace period.
    let impatient = Thread {
        _ = signals.wait()
        logger.warning("second signal: exiting without waiting")
        exit(1)
    }
    impatient.start()
    application.shutdown()
    application.waitUntilStopped()
    return 0
}

/// Applies pending database migrations; returns the versions applied, oldest first.
public func runMigrations(configuration: Configuration, logger: Logger) throws -> [Int] {
    try Application.migrate(configuration: configuration, logger: logger)
}

/// A set of signals delivered by `sigwait` instead of handlers.
struct SignalSet: @unchecked Sendable {
    private var set = sigset_t()

    init(_ signals: [Int32]) {
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
    }

    /// Blocks the signals in the calling thread and the threads it will start.
    func block() {
        var mask = set
        pthread_sigmask(SIG_BLOCK, &mask, nil)
    }

    /// Waits for one of the signals and returns it.
    func wait() -> Int32 {
        var mask = set
        var signal: Int32 = 0
        while sigwait(&mask, &signal) != 0 {}
        return signal
    }
}
