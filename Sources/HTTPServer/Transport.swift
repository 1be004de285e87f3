import CLinuxSys
import Glibc

/// Outcome of reading from a connection.
enum TransportRead {
    case bytes(Int)
    /// Nothing to read now; `wantWrite` when TLS needs the socket writable first.
    case wouldBlock(wantWrite: Bool)
    case closed
    case failed(String)
}

/// Outcome of writing to a connection.
enum TransportWrite {
    case written(Int)
    /// The socket cannot take more now; `wantRead` when TLS needs to read first.
    case wouldBlock(wantRead: Bool)
    case failed(String)
}

/// Progress of a TLS handshake; plain sockets are `.done` at once.
enum HandshakeProgress {
    case done, wantRead, wantWrite
    case failed(String)
}

/// The byte stream under an HTTP connection: a plain socket or a TLS session over it. Never closes the descriptor.
protocol Transport: AnyObject {
    func handshake() -> HandshakeProgress
    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportRead
    func write(_ bytes: UnsafeRawBufferPointer) -> TransportWrite
    /// Decrypted bytes already held in user space, which epoll cannot report.
    var hasBufferedData: Bool { get }
    var peerCertificateDER: [UInt8]? { get }
    var isSecure: Bool { get }
    /// Sends what a clean close needs (TLS close_notify); never blocks.
    func shutdown()
}

/// A plain TCP socket.
final class PlainTransport: Transport {
    let fd: Int32

    init(fd: Int32) { self.fd = fd }

    func handshake() -> HandshakeProgress { .done }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportRead {
        while true {
            let n = recv(fd, buffer.baseAddress, buffer.count, 0)
            if n > 0 { return .bytes(n) }
            if n == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock(wantWrite: false)
            case ECONNRESET: return .closed
            default: return .failed(String(cString: strerror(errno)))
            }
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) -> TransportWrite {
        while true {
            let n = send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if n >= 0 { return .written(n) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock(wantRead: false)
            default: return .failed(String(cString: strerror(errno)))
            }
        }
    }

    var hasBufferedData: Bool { false }
    var peerCertificateDER: [UInt8]? { nil }
    var isSecure: Bool { false }
    func shutdown() {}
}
