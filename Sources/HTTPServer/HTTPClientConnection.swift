import CLinuxSys
import Glibc

/// One outgoing TCP connection, plain or TLS, for one request. The socket is non-blocking and every wait goes
/// through poll(2) with the exchange's deadline, so a silent or slow server costs at most the time allowed.
/// Not thread-safe; closed by `close()` or when released.
final class HTTPClientConnection {
    private let fd: Int32
    private let tls: TLSSession?
    private let deadline: ContinuousClock.Instant
    private var isClosed = false

    private init(fd: Int32, tls: TLSSession?, deadline: ContinuousClock.Instant) {
        self.fd = fd
        self.tls = tls
        self.deadline = deadline
    }

    deinit { close() }

    /// Resolves the host, connects to its addresses in turn (each bounded by `connectTimeout`) and, for https,
    /// completes the TLS handshake with `tlsContext`, checking the certificate against the URL's host.
    static func open(_ url: ClientURL, connectTimeout: Double, tlsContext: TLSContext?,
                     deadline: ContinuousClock.Instant) throws(HTTPClientError) -> HTTPClientConnection {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        // getaddrinfo cannot be bounded by the deadline; the resolver's own timeouts apply (see resolv.conf).
        let status = getaddrinfo(url.host, String(url.port), &hints, &list)
        guard status == 0 else {
            throw HTTPClientError(.resolutionFailed, "\(url.host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }

        var lastError = HTTPClientError(.connectFailed, "\(url.host) has no addresses")
        var cursor = list
        while let info = cursor {
            cursor = info.pointee.ai_next
            do {
                let fd = try connect(info.pointee, connectTimeout: connectTimeout, deadline: deadline)
                let connection = HTTPClientConnection(fd: fd, tls: try session(for: url, fd: fd, context: tlsContext),
                                                      deadline: deadline)
                try connection.handshake()
                return connection
            } catch {
                // The deadline and TLS failures end the attempt; a refused or slow address lets the next one try.
                guard error.code == .connectFailed || error.code == .connectTimeout else { throw error }
                lastError = error
            }
        }
        throw lastError
    }

    /// Sends all of `bytes`.
    func send(_ bytes: [UInt8]) throws(HTTPClientError) {
        var offset = 0
        while offset < bytes.count {
            if let tls {
                // After wantRead/wantWrite OpenSSL needs the same bytes again, which the loop passes.
                switch bytes.withUnsafeBytes({ tls.write(UnsafeRawBufferPointer(rebasing: $0[offset...])) }) {
                case .written(let n): offset += n
                case .wantRead: try wait(for: POLLIN)
                case .wantWrite: try wait(for: POLLOUT)
                case .failed(let error): throw Self.error(error, while: "sending")
                }
                continue
            }
            do {
                offset += try SystemCall.retrying("send") {
                    bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
                }
            } catch let error as SocketError where error.errnoCode == EAGAIN || error.errnoCode == EWOULDBLOCK {
                try wait(for: POLLOUT)
            } catch {
                throw HTTPClientError(.connectionClosed, "sending: \(error)")
            }
        }
    }

    /// Reads what has arrived into `buffer`, waiting for at least one byte; 0 means the server closed the connection.
    func receive(into buffer: UnsafeMutableRawBufferPointer) throws(HTTPClientError) -> Int {
        while true {
            if let tls {
                // A read is tried before every poll, so plaintext OpenSSL already holds is never left waiting.
                switch tls.read(into: buffer) {
                case .bytes(let n): return n
                case .wantRead: try wait(for: POLLIN)
                case .wantWrite: try wait(for: POLLOUT)
                case .closed: return 0
                case .failed(let error): throw Self.error(error, while: "receiving")
                }
                continue
            }
            do {
                return try SystemCall.retrying("recv") { recv(fd, buffer.baseAddress, buffer.count, 0) }
            } catch let error as SocketError where error.errnoCode == EAGAIN || error.errnoCode == EWOULDBLOCK {
                try wait(for: POLLIN)
            } catch {
                // A reset is not an end of stream: a body read until close would be silently cut short.
                throw HTTPClientError(.connectionClosed, "receiving: \(error)")
            }
        }
    }

    /// `receive(into:)` for a whole array, which keeps the typed error that `withUnsafeMutableBytes` would lose.
    func receive(into buffer: inout [UInt8]) throws(HTTPClientError) -> Int {
        try buffer.withUnsafeMutableBytes { raw in Result { () throws(HTTPClientError) in try receive(into: raw) } }.get()
    }

    /// Sends TLS close_notify if it can without waiting, then closes the socket.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        tls?.shutdown()
        Glibc.close(fd)
    }

    /// One address: a non-blocking connect, waited for with poll.
    private static func connect(_ info: addrinfo, connectTimeout: Double,
                                deadline: ContinuousClock.Instant) throws(HTTPClientError) -> Int32 {
        let fd: Int32
        do {
            fd = try SystemCall.retrying("socket") {
                socket(info.ai_family, Int32(SOCK_STREAM.rawValue) | clinux_SOCK_NONBLOCK() | clinux_SOCK_CLOEXEC(), info.ai_protocol)
            }
        } catch {
            throw HTTPClientError(.connectFailed, "\(error)")
        }
        let address = describe(info)
        do throws(HTTPClientError) {
            let connectDeadline = min(ContinuousClock.now + .milliseconds(Int64(max(0, connectTimeout) * 1000)), deadline)
            do {
                // Not through SystemCall.retrying: a connect interrupted by a signal goes on in the background,
                // and calling it again would fail with EALREADY; poll below waits for it either way.
                if Glibc.connect(fd, info.ai_addr, info.ai_addrlen) != 0 {
                    let code = errno
                    guard code == EINPROGRESS || code == EINTR else {
                        throw SocketError(operation: "connect", errnoCode: code)
                    }
                    try waitForConnect(fd, until: connectDeadline, overall: deadline, address: address)
                    var pending: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    try SystemCall.retrying("getsockopt(SO_ERROR)") { getsockopt(fd, SOL_SOCKET, SO_ERROR, &pending, &length) }
                    if pending != 0 { throw SocketError(operation: "connect", errnoCode: pending) }
                }
            } catch let error as HTTPClientError {
                throw error
            } catch {
                throw HTTPClientError(.connectFailed, "\(address): \(error)")
            }
            return fd
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    private static func waitForConnect(_ fd: Int32, until connectDeadline: ContinuousClock.Instant,
                                       overall deadline: ContinuousClock.Instant, address: String) throws(HTTPClientError) {
        do {
            try wait(fd, for: POLLOUT, until: connectDeadline)
        } catch {
            // Which limit ran out decides the code: the connect timeout lets the next address try.
            if connectDeadline < deadline { throw HTTPClientError(.connectTimeout, "connecting to \(address)") }
            throw HTTPClientError(.timeout, "deadline reached while connecting to \(address)")
        }
    }

    /// A TLS session for https, nil for http.
    private static func session(for url: ClientURL, fd: Int32, context: TLSContext?) throws(HTTPClientError) -> TLSSession? {
        guard url.scheme == .https else { return nil }
        guard let context else {
            Glibc.close(fd)
            throw HTTPClientError(.tls, "no TLS context for \(url.origin)")
        }
        // OpenSSL writes to the socket with write(2): a peer that hangs up must give EPIPE, not kill the process.
        _ = ignoreSIGPIPE
        do {
            return try TLSSession(context: context, fd: fd, serverName: url.host)
        } catch {
            Glibc.close(fd)
            throw HTTPClientError(.tls, "\(error)")
        }
    }

    /// Drives the TLS handshake to its end; nothing to do for plain connections.
    private func handshake() throws(HTTPClientError) {
        guard let tls else { return }
        while true {
            switch tls.handshake() {
            case .done: return
            case .wantRead: try wait(for: POLLIN)
            case .wantWrite: try wait(for: POLLOUT)
            case .closed: throw HTTPClientError(.tls, "the server closed the connection during the TLS handshake")
            case .failed(let error): throw HTTPClientError(.tls, error.description)
            }
        }
    }

    private func wait(for events: Int32) throws(HTTPClientError) {
        do {
            try Self.wait(fd, for: events, until: deadline)
        } catch {
            throw HTTPClientError(.timeout, "no progress from the server before the deadline")
        }
    }

    /// Waits until `fd` is ready for `events` (or has an error or hang-up for the next call to find); throws at the
    /// deadline. Errors of poll itself are reported as a timeout too: the connection cannot go on either way.
    private static func wait(_ fd: Int32, for events: Int32, until deadline: ContinuousClock.Instant) throws(HTTPClientError) {
        var descriptor = pollfd(fd: fd, events: Int16(events), revents: 0)
        while true {
            let milliseconds = remainingMilliseconds(until: deadline)
            guard milliseconds > 0 else { throw HTTPClientError(.timeout, "deadline reached") }
            let ready: Int32
            do {
                ready = try SystemCall.retrying("poll") { poll(&descriptor, 1, remainingMilliseconds(until: deadline)) }
            } catch {
                throw HTTPClientError(.timeout, "\(error)")
            }
            if ready > 0 { return }
        }
    }

    /// Time left, rounded up so poll never returns just before the deadline and spins.
    private static func remainingMilliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let (seconds, attoseconds) = (deadline - .now).components
        guard seconds >= 0, seconds > 0 || attoseconds > 0 else { return 0 }
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }

    /// TLS failures are `.tls`, except a reset or an early close, which are `.connectionClosed`.
    private static func error(_ error: TLSError, while action: String) -> HTTPClientError {
        switch error {
        case .closed, .system: HTTPClientError(.connectionClosed, "\(action): \(error)")
        default: HTTPClientError(.tls, "\(action): \(error)")
        }
    }

    private static func describe(_ info: addrinfo) -> String {
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { destination in
            destination.copyMemory(from: UnsafeRawBufferPointer(start: info.ai_addr, count: min(Int(info.ai_addrlen), destination.count)))
        }
        return withUnsafePointer(to: &storage) { SocketAddress.describe($0) }
    }
}

/// Set once per process, the first time a TLS connection is made (a global's initializer runs exactly once).
private let ignoreSIGPIPE: Void = clinux_ignore_sigpipe()
