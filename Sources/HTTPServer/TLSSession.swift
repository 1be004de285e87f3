import COpenSSL
import Glibc

/// How far a TLS handshake got.
package enum TLSProgress: Equatable {
    /// The handshake is complete.
    case done
    /// Call again when the socket is readable.
    case wantRead
    /// Call again when the socket is writable.
    case wantWrite
    /// The peer closed the connection (close_notify or EOF).
    case closed
    /// The handshake failed; close the connection.
    case failed(TLSError)
}

/// The outcome of one TLS read.
package enum TLSReadResult: Equatable {
    /// This many plaintext bytes were read (more than zero).
    case bytes(Int)
    /// Nothing yet: wait until the socket is readable.
    case wantRead
    /// Nothing yet: wait until the socket is writable (TLS may need to write to read).
    case wantWrite
    /// The peer closed the connection (close_notify or EOF); nothing more will come.
    case closed
    /// The connection failed; close it.
    case failed(TLSError)
}

/// The outcome of one TLS write.
package enum TLSWriteResult: Equatable {
    /// This many bytes (more than zero, possibly fewer than given) were accepted.
    case written(Int)
    /// Retry with the same bytes when the socket is readable.
    case wantRead
    /// Retry with the same bytes when the socket is writable.
    case wantWrite
    /// The connection failed; close it.
    case failed(TLSError)
}

/// One TLS connection over a non-blocking socket that the caller owns, opens and closes.
///
/// Not thread-safe: one event loop thread drives it at a time. After `.wantRead`/`.wantWrite` the caller waits
/// for the socket and calls the same method again (a write with the same bytes, as OpenSSL requires).
/// A process using it must ignore SIGPIPE: OpenSSL writes to the socket with write(2).
package final class TLSSession {
    private let context: TLSContext  // the SSL holds its own reference too; this keeps ownership obvious
    private let ssl: OpaquePointer
    /// After a fatal error or EOF OpenSSL forbids SSL_shutdown, and there is no one left to tell.
    private var mayShutdown = true

    /// A session on `fd`, accepting for a server context and connecting for a client one. A client gives
    /// `serverName` for SNI and for checking the server's certificate (DNS name or IP address).
    package init(context: TLSContext, fd: Int32, serverName: String?) throws {
        ERR_clear_error()
        guard let ssl = SSL_new(context.pointer) else {
            throw TLSError.configuration("SSL_new: \(TLSError.drainReasons())")
        }
        self.context = context
        self.ssl = ssl  // deinit frees it if a check below throws

        // SSL_set_fd wraps the descriptor in a socket BIO with BIO_NOCLOSE: the caller keeps ownership.
        guard SSL_set_fd(ssl, fd) == 1 else { throw TLSError.configuration("SSL_set_fd: \(TLSError.drainReasons())") }
        if context.isServer {
            SSL_set_accept_state(ssl)
            return
        }
        SSL_set_connect_state(ssl)
        guard let serverName, !serverName.isEmpty else {
            if context.verifiesPeer {
                throw TLSError.configuration("a verifying TLS client needs a server name to check the certificate against")
            }
            return
        }
        if Self.isIPAddress(serverName) {
            // RFC 6066 forbids IP addresses in SNI; the certificate must name the address in its SAN instead.
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), serverName) == 1 else {
                throw TLSError.configuration("bad IP address \(serverName): \(TLSError.drainReasons())")
            }
        } else {
            guard shim_SSL_set_tlsext_host_name(ssl, serverName) == 1 else {
                throw TLSError.configuration("bad server name \(serverName): \(TLSError.drainReasons())")
            }
            SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
            guard SSL_set1_host(ssl, serverName) == 1 else {
                throw TLSError.configuration("bad server name \(serverName): \(TLSError.drainReasons())")
            }
        }
    }

    deinit { SSL_free(ssl) }

    /// Advances the handshake as far as the socket allows.
    package func handshake() -> TLSProgress {
        prepareCall()
        let result = SSL_do_handshake(ssl)
        if result == 1 { return .done }
        switch outcome(of: result) {
        case .wantRead: return .wantRead
        case .wantWrite: return .wantWrite
        case .closed: return .closed
        case .failed(let error): return .failed(error)
        }
    }

    /// Reads decrypted bytes into `buffer`. After `.bytes`, check `hasBufferedPlaintext` before waiting on the socket.
    package func read(into buffer: UnsafeMutableRawBufferPointer) -> TLSReadResult {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .bytes(0) }
        prepareCall()
        var count = 0
        let result = SSL_read_ex(ssl, base, buffer.count, &count)
        if result == 1 { return .bytes(count) }
        switch outcome(of: result) {
        case .wantRead: return .wantRead
        case .wantWrite: return .wantWrite
        case .closed: return .closed
        case .failed(let error): return .failed(error)
        }
    }

    /// Encrypts and sends as much of `bytes` as the socket takes now (at least one record, or nothing).
    package func write(_ bytes: UnsafeRawBufferPointer) -> TLSWriteResult {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return .written(0) }
        prepareCall()
        var count = 0
        let result = SSL_write_ex(ssl, base, bytes.count, &count)
        if result == 1 { return .written(count) }
        switch outcome(of: result) {
        case .wantRead: return .wantRead
        case .wantWrite: return .wantWrite
        case .closed: return .failed(.closed)
        case .failed(let error): return .failed(error)
        }
    }

    /// True when decrypted bytes are already buffered: read again without waiting for the socket to be readable.
    /// (SSL_pending, not SSL_has_pending: the latter is also true for a half-received record, and then an event
    /// loop that trusted it would spin on `.wantRead`.)
    package var hasBufferedPlaintext: Bool {
        SSL_pending(ssl) > 0
    }

    /// Sends close_notify if the connection is healthy; never blocks and never waits for the peer's reply.
    package func shutdown() {
        guard mayShutdown, SSL_is_init_finished(ssl) == 1 else { return }
        mayShutdown = false
        prepareCall()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    /// The peer's certificate in DER: the client's on a server, the server's on a client; nil if none was sent.
    package var peerCertificateDER: [UInt8]? {
        guard let certificate = SSL_get0_peer_certificate(ssl) else { return nil }
        let length = i2d_X509(certificate, nil)
        guard length > 0 else { return nil }
        var out = [UInt8](repeating: 0, count: Int(length))
        out.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            _ = i2d_X509(certificate, &cursor)
        }
        return out
    }

    /// The protocol version in use, e.g. "TLSv1.3".
    package var negotiatedProtocolVersion: String {
        String(cString: SSL_get_version(ssl))
    }

    private enum Outcome {
        case wantRead, wantWrite, closed
        case failed(TLSError)
    }

    /// Stale errors from earlier calls on this thread (any connection) would be misread as this call's failure.
    private func prepareCall() {
        ERR_clear_error()
        errno = 0
    }

    /// Interprets a failed SSL_* call; must run right after it, before anything can change errno or the queue.
    private func outcome(of result: Int32) -> Outcome {
        let savedErrno = errno
        let code = SSL_get_error(ssl, result)
        switch code {
        case SSL_ERROR_WANT_READ:
            return .wantRead
        case SSL_ERROR_WANT_WRITE:
            return .wantWrite
        case SSL_ERROR_ZERO_RETURN:
            // close_notify received; answering it with ours is still allowed.
            ERR_clear_error()
            return .closed
        case SSL_ERROR_SYSCALL:
            mayShutdown = false
            let reasons = ERR_peek_error() == 0 ? nil : TLSError.drainReasons()
            if savedErrno == 0 {
                // EOF without close_notify; if OpenSSL queued something it is a protocol failure after all.
                if let reasons { return .failed(.protocolFailure(reasons)) }
                return .closed
            }
            return .failed(.system(savedErrno))
        case SSL_ERROR_SSL:
            mayShutdown = false
            let first = ERR_peek_error()
            let reason = ERR_GET_REASON(first)
            if ERR_GET_LIB(first) == ERR_LIB_SSL && reason == SSL_R_UNEXPECTED_EOF_WHILE_READING {
                // OpenSSL 3 reports a TCP close without close_notify this way. Treated as closed: HTTP framing
                // (Content-Length, chunked) catches a truncated message where it matters.
                ERR_clear_error()
                return .closed
            }
            if ERR_GET_LIB(first) == ERR_LIB_SSL && reason == SSL_R_CERTIFICATE_VERIFY_FAILED {
                let verifyResult = SSL_get_verify_result(ssl)
                ERR_clear_error()
                return .failed(.verification(String(cString: X509_verify_cert_error_string(verifyResult))))
            }
            return .failed(.protocolFailure(TLSError.drainReasons()))
        default:
            // WANT_X509_LOOKUP, WANT_ASYNC and the like cannot happen with the callbacks this code sets.
            mayShutdown = false
            ERR_clear_error()
            return .failed(.protocolFailure("unexpected SSL_get_error \(code)"))
        }
    }

    private static func isIPAddress(_ name: String) -> Bool {
        var storage = in6_addr()
        return inet_pton(AF_INET, name, &storage) == 1 || inet_pton(AF_INET6, name, &storage) == 1
    }
}
