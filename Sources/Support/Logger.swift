import Foundation
import Glibc
import Synchronization

/// Severity of a log line.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    case debug, info, warning, error

    public var name: String {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }

    public init?(name: String) {
        guard let level = LogLevel.allCases.first(where: { $0.name == name }) else { return nil }
        self = level
    }

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }
}

/// Where finished log lines go. Lines arrive complete, newline included.
public protocol LogSink: Sendable {
    func write(_ line: [UInt8])
}

/// Writes lines to a file descriptor (stdout by default). Writes are serialised process-wide, so batches of
/// access-log lines and single log lines from other threads never interleave, even on a pipe.
public struct FileDescriptorSink: LogSink {
    private static let writeLock = Mutex(())
    public let fd: Int32
    public init(fd: Int32 = 1) { self.fd = fd }
    public func write(_ line: [UInt8]) {
        Self.writeLock.withLock { _ in writeAll(line) }
    }

    private func writeAll(_ line: [UInt8]) {
        line.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }
}

/// Keeps lines in memory; for tests that assert what was logged.
public final class MemorySink: LogSink {
    private let storage = Mutex<[String]>([])
    public init() {}
    public func write(_ line: [UInt8]) {
        let lines = String(decoding: line, as: UTF8.self).split(separator: "\n").map(String.init)
        storage.withLock { $0.append(contentsOf: lines) }
    }
    public var lines: [String] { storage.withLock { $0 } }
}

/// A logger writing one JSON object per line: `{"time":…,"level":…,"msg":…, fields…}`.
///
/// Fields are plain strings chosen by the caller; never pass secrets or personal data.
public struct Logger: Sendable {
    public let minimumLevel: LogLevel
    public let sink: any LogSink
    private let clock: any WallClock

    public init(minimumLevel: LogLevel = .info, sink: any LogSink = FileDescriptorSink(), clock: any WallClock = SystemClock()) {
        self.minimumLevel = minimumLevel
        self.sink = sink
        self.clock = clock
    }

    public func debug(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.debug, message, fields) }
    public func info(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.info, message, fields) }
    public func warning(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.warning, message, fields) }
    public func error(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.error, message, fields) }

    public func log(_ level: LogLevel, _ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        guard level >= minimumLevel else { return }
        var line = [UInt8]()
        line.reserveCapacity(128)
        line.append(contentsOf: Array("{\"time\":".utf8))
        JSONText.appendString(Timestamp.iso8601(clock.now()), to: &line)
        line.append(contentsOf: Array(",\"level\":".utf8))
        JSONText.appendString(level.name, to: &line)
        line.append(contentsOf: Array(",\"msg\":".utf8))
        JSONText.appendString(message, to: &line)
        for (key, value) in fields {
            line.append(UInt8(ascii: ","))
            JSONText.appendString(key, to: &line)
            line.append(UInt8(ascii: ":"))
            JSONText.appendString(value, to: &line)
        }
        line.append(contentsOf: Array("}\n".utf8))
        sink.write(line)
    }
}
