import Foundation
import Support

/// One event loop's access log: a JSON line per request, buffered and written in batches, like nginx's buffered access_log.
/// Lines never contain query strings, bodies or headers, which may carry secrets or personal data.
final class AccessLog {
    private let sink: any LogSink
    private var buffer: [UInt8] = []
    private let flushThreshold = 64 * 1024
    private var cachedSecond = -1
    private var cachedPrefix: [UInt8] = []

    init(sink: any LogSink) {
        self.sink = sink
        buffer.reserveCapacity(flushThreshold + 1024)
    }

    /// Appends one request's line.
    func record(wallMilliseconds: Int, requestID: String, method: String, path: String, route: String, status: Int,
                durationNanoseconds: UInt64, remoteAddress: String) {
        appendTime(wallMilliseconds)
        buffer.append(contentsOf: Self.levelAndMessage)
        buffer.append(contentsOf: Self.requestIDKey); JSONText.appendString(requestID, to: &buffer)
        buffer.append(contentsOf: Self.methodKey); JSONText.appendString(method, to: &buffer)
        buffer.append(contentsOf: Self.pathKey); JSONText.appendString(path, to: &buffer)
        buffer.append(contentsOf: Self.routeKey); JSONText.appendString(route, to: &buffer)
        buffer.append(contentsOf: Self.statusKey); JSONText.appendInt(status, to: &buffer)
        buffer.append(contentsOf: Self.durationKey)
        let micros = durationNanoseconds / 1000
        JSONText.appendInt(micros / 1000, to: &buffer)
        buffer.append(UInt8(ascii: "."))
        let fraction = Int(micros % 1000)
        if fraction < 100 { buffer.append(UInt8(ascii: "0")) }
        if fraction < 10 { buffer.append(UInt8(ascii: "0")) }
        JSONText.appendInt(fraction, to: &buffer)
        buffer.append(contentsOf: Self.remoteKey); JSONText.appendString(remoteAddress, to: &buffer)
        buffer.append(contentsOf: Self.end)
        if buffer.count >= flushThreshold { flush() }
    }

    /// Writes what is buffered.
    func flush() {
        guard !buffer.isEmpty else { return }
        sink.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func appendTime(_ milliseconds: Int) {
        let second = milliseconds / 1000
        if second != cachedSecond {
            cachedSecond = second
            let full = Timestamp.iso8601(Date(timeIntervalSince1970: Double(second)))
            cachedPrefix = Array("{\"time\":\"".utf8) + Array(full.utf8.prefix(20))  // up to and including the "."
        }
        buffer.append(contentsOf: cachedPrefix)
        let ms = milliseconds % 1000
        buffer.append(UInt8(ascii: "0") + UInt8(ms / 100))
        buffer.append(UInt8(ascii: "0") + UInt8(ms / 10 % 10))
        buffer.append(UInt8(ascii: "0") + UInt8(ms % 10))
        buffer.append(contentsOf: Self.timeEnd)
    }

    private static let timeEnd = Array("Z\"".utf8)
    private static let levelAndMessage = Array(",\"level\":\"info\",\"msg\":\"request\"".utf8)
    private static let requestIDKey = Array(",\"request_id\":".utf8)
    private static let methodKey = Array(",\"method\":".utf8)
    private static let pathKey = Array(",\"path\":".utf8)
    private static let routeKey = Array(",\"route\":".utf8)
    private static let statusKey = Array(",\"status\":".utf8)
    private static let durationKey = Array(",\"duration_ms\":".utf8)
    private static let remoteKey = Array(",\"remote\":".utf8)
    private static let end = Array("}\n".utf8)
}
