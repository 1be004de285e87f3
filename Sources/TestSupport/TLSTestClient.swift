import Glibc
import HTTPServer

/// A TLS client over a blocking loop of the project's non-blocking TLSSession, polling the socket.
public final class TLSTestClient {
    public let fd: Int32
    package let session: TLSSession

    public struct Failure: Error {
        public let reason: String
        public init(reason: String) { self.reason = reason }
    }

    public init(port: Int, context: TLSContext, serverName: String?) throws {
        let raw = try RawClient(port: port)
        fd = dup(raw.fd)
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        session = try TLSSession(context: context, fd: fd, serverName: serverName)
        for _ in 0..<1000 {
            switch session.handshake() {
            case .done: return
            case .wantRead: wait(POLLIN)
            case .wantWrite: wait(POLLOUT)
            case .closed: throw Failure(reason: "closed")
            case .failed(let error): throw Failure(reason: "\(error)")
            }
        }
        throw Failure(reason: "handshake did not finish")
    }

    deinit { close(fd) }

    public func send(_ text: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let result = Array(bytes).withUnsafeBytes { session.write($0) }
            switch result {
            case .written(let n): bytes = bytes.dropFirst(n)
            case .wantRead: wait(POLLIN)
            case .wantWrite: wait(POLLOUT)
            case .failed(let error): throw Failure(reason: "\(error)")
            }
        }
    }

    public func receive(until marker: String) throws -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        for _ in 0..<1000 {
            if String(decoding: received, as: UTF8.self).contains(marker) { break }
            let result = buffer.withUnsafeMutableBytes { session.read(into: $0) }
            switch result {
            case .bytes(let n): received += buffer[0..<n]
            case .wantRead: wait(POLLIN)
            case .wantWrite: wait(POLLOUT)
            case .closed: return String(decoding: received, as: UTF8.self)
            case .failed(let error): throw Failure(reason: "\(error)")
            }
        }
        return String(decoding: received, as: UTF8.self)
    }

    private func wait(_ events: Int32) {
        var pfd = pollfd(fd: fd, events: Int16(events), revents: 0)
        _ = poll(&pfd, 1, 2000)
    }
}
