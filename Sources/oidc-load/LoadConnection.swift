import CLinuxSys
import Glibc
import HTTPServer

/// A response as the load generator needs it: status, the few headers it reads, the body.
struct LoadResponse {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
}

struct LoadError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One keep-alive HTTP/1.1 connection to the server on loopback, non-blocking once connected. Requests are small,
/// so a send completes at once; responses are read as epoll reports them and framed by Content-Length.
final class LoadConnection {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var parser = HTTPResponseHeadParser(maxHeaderBytes: 64 * 1024, maxHeaderCount: 100)
    private var head: HTTPResponseHead?
    private var bodyLength = 0

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoadError("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw LoadError("connect to 127.0.0.1:\(port): errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit { close(fd) }

    /// Writes the whole request; waits for room in the rare case the socket buffer is full.
    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 { offset += n; continue }
            if n < 0 && (errno == EAGAIN || errno == EINTR) {
                var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&p, 1, 1000)
                continue
            }
            throw LoadError("send: errno \(errno)")
        }
    }

    /// Reads what is there; returns the response once it is complete, nil while more is needed.
    func receive() throws -> LoadResponse? {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { buffer.append(contentsOf: chunk[0..<n]); if n < chunk.count { break } else { continue } }
            if n == 0 { throw LoadError("the server closed the connection") }
            if errno == EAGAIN || errno == EINTR { break }
            throw LoadError("recv: errno \(errno)")
        }
        return try complete()
    }

    /// Blocks until a whole response is there (setup steps outside the measured loop).
    func receiveBlocking() throws -> LoadResponse {
        while true {
            if let response = try receive() { return response }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 10_000) > 0 else { throw LoadError("no answer within 10 s") }
        }
    }

    private func complete() throws -> LoadResponse? {
        if head == nil {
            let result = buffer.withUnsafeBytes { parser.parse($0) }
            switch result {
            case .needMore: return nil
            case let .failure(error): throw LoadError("bad response head: \(error)")
            case let .head(parsed, consumed):
                buffer.removeFirst(consumed)
                head = parsed
                switch try HTTPResponseHeadParser.framing(of: parsed, requestMethod: .get) {
                case .none: bodyLength = 0
                case let .contentLength(length): bodyLength = length
                default: throw LoadError("response without Content-Length")
                }
            }
        }
        guard let head, buffer.count >= bodyLength else { return nil }
        let body = Array(buffer[0..<bodyLength])
        buffer.removeFirst(bodyLength)
        self.head = nil
        return LoadResponse(status: head.status.code, headers: head.headers, body: body)
    }
}
