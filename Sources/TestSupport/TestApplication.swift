import Foundation
import OpenESIAServer
import Support

/// The whole service on an ephemeral port with its own temporary data folder; for end-to-end tests.
public final class TestApplication {
    public let application: Application
    public let folder: URL
    public let logs = MemorySink()

    /// The port the service listens on.
    public var port: Int { application.port }

    /// Starts the service with the default configuration except port 0 and a fresh database; `configure` may change more.
    /// `clock` replaces the system clock, so tests can move time (code expiry) with a `FixedClock`.
    public init(clock: any WallClock = SystemClock(), configure: (inout Configuration) -> Void = { _ in }) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("openesia-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.http.port = 0
        configuration.http.eventLoops = 2
        configuration.http.workerThreads = 4
        configuration.database.path = folder.appendingPathComponent("openesia.sqlite3").path
        configuration.keys.directory = TestApplication.exampleKeys
        configuration.citizens.passwordCostLog2 = 10  // cheap scrypt: the real cost belongs in benchmarks
        configuration.outbox.file = folder.appendingPathComponent("outbox.log").path
        configure(&configuration)
        let logger = Logger(minimumLevel: .debug, sink: logs)
        application = try Application.start(configuration: configuration, logger: logger, accessLog: logs, clock: clock)
    }

    /// The repository's development keys (read-only use).
    public static let exampleKeys = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("keys-example").path

    /// Stops gracefully and removes the data folder.
    public func stop() {
        application.shutdown()
        application.waitUntilStopped()
        try? FileManager.default.removeItem(at: folder)
    }
}
