/// TLS over an accepted socket, driven by the event loop through the `Transport` protocol.
final class TLSTransport: Transport {
    private let session: TLSSession
    private var certificate: [UInt8]??

    init(context: TLSContext, fd: Int32) throws {
        session = try TLSSession(context: context, fd: fd, serverName: nil)
    }

    func handshake() -> HandshakeProgress {
        switch session.handshake() {
        case .done: return .done
        case .wantRead: return .wantRead
        case .wantWrite: return .wantWrite
        case .closed: return .failed("peer closed during the handshake")
        case .failed(let error): return .failed(String(describing: error))
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportRead {
        switch session.read(into: buffer) {
        case .bytes(let n): return .bytes(n)
        case .wantRead: return .wouldBlock(wantWrite: false)
        case .wantWrite: return .wouldBlock(wantWrite: true)
        case .closed: return .closed
        case .failed(let error): return .failed(String(describing: error))
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) -> TransportWrite {
        switch session.write(bytes) {
        case .written(let n): return .written(n)
        case .wantWrite: return .wouldBlock(wantRead: false)
        case .wantRead: return .wouldBlock(wantRead: true)
        case .failed(let error): return .failed(String(describing: error))
        }
    }

    var hasBufferedData: Bool { session.hasBufferedPlaintext }

    /// Read once per connection: the certificate cannot change after the handshake.
    var peerCertificateDER: [UInt8]? {
        if let certificate { return certificate }
        let der = session.peerCertificateDER
        certificate = .some(der)
        return der
    }

    var isSecure: Bool { true }

    func shutdown() { session.shutdown() }
}

extension HTTPServerConfiguration {
    /// Serves TLS only on the port, with this context (TLS 1.2 and 1.3; see `TLSContext.server`).
    public mutating func useTLS(_ context: TLSContext) {
        transportFactory = { fd in try TLSTransport(context: context, fd: fd) }
    }
}
