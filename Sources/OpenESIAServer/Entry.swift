// Replaced by the server wiring.
// TEMPORARY stubs so the `openesia` command line can be built and tested before the server lands.
import Support

/// Runs the server until it is told to stop; returns the process exit status (0 on a clean shutdown,
/// 69 EX_UNAVAILABLE when the address cannot be bound).
public func runServer(configuration: Configuration, logger: Logger) throws -> Int32 {
    logger.warning("server not wired yet", ["host": configuration.http.host, "port": String(configuration.http.port)])
    return 0
}

/// Applies pending database migrations; returns the versions applied, oldest first.
public func runMigrations(configuration: Configuration, logger: Logger) throws -> [Int] {
    logger.warning("migrations not wired yet", ["database": configuration.database.path])
    return []
}
