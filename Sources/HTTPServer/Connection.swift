import CLinuxSys
import Glibc
import Support

/// One client connection, driven by its event loop's thread only.
///
/// ```
///  handshake (TLS) ─▶ idle ─▶ head ─▶ body ─▶ (handler inline | processing on a worker) ─▶ idle …
///                                 └──────────── any error / Connection: close ─▶ closing ─▶ lingering ─▶ closed
/// ```
/// Requests are answered strictly in order: while one is on a worker, later pipelined bytes wait in `pending`.
final class Connection {
    enum Phase { case handshake, idle, head, body, processing, closing, lingering, closed }

    let fd: Int32
    let generation: UInt64
    let remoteAddress: String
    private let transport: any Transport
    private unowned let loop: EventLoop
    private var context: ServerContext { loop.context }

    private var phase: Phase = .idle
    private var deadline: UInt64 = 0
    private var writeDeadline: UInt64 = 0
    private var pending: [UInt8] = []
    private var headParser: HTTPRequestHeadParser
    private var head: HTTPRequestHead?
    private var route: ResolvedRoute?
    private var bodyDecoder: HTTPBodyDecoder?
    private var body: [UInt8] = []
    private var requestStart: UInt64 = 0
    private var requestID = ""
    private var writeBuffer: [UInt8] = []
    private var writeOffset = 0
    private var interest: UInt32 = EPOLLIN.rawValue
    private var transportWantsWrite = false
    private var transportWantsRead = false
    private var handshakeWants: UInt32 = EPOLLIN.rawValue

    /// Bytes of unsent responses after which pipelined requests wait until the client reads.
    private static let writeBacklogLimit = 256 * 1024
    private static let lingerNanoseconds: UInt64 = 2_000_000_000

    init(fd: Int32, generation: UInt64, remoteAddress: String, transport: any Transport, loop: EventLoop) {
        self.fd = fd
        self.generation = generation
        self.remoteAddress = remoteAddress
        self.transport = transport
        self.loop = loop
        headParser = HTTPRequestHeadParser(limits: loop.context.limits)
    }

    /// A new connection waits for its first request under the header timeout, so idle sockets cannot hoard slots.
    func start() {
        phase = transport.isSecure ? .handshake : .idle
        deadline = loop.now &+ seconds(context.limits.headerReadTimeout)
    }

    // MARK: Events

    func handle(events: UInt32) {
        if events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 && events & EPOLLIN.rawValue == 0 {
            close()
            return
        }
        if phase == .handshake {
            continueHandshake()
            if phase == .handshake || phase == .closed { return }
        }
        if events & EPOLLOUT.rawValue != 0 {
            if transportWantsWrite { transportWantsWrite = false; readAvailable() }
            flush()
        }
        if events & EPOLLIN.rawValue != 0 {
            if transportWantsRead { transportWantsRead = false; flush() }
            readAvailable()
        }
        updateInterest()
    }

    private func continueHandshake() {
        switch transport.handshake() {
        case .done:
            phase = .idle
            handshakeWants = 0
            readAvailable()
        case .wantRead: handshakeWants = EPOLLIN.rawValue
        case .wantWrite: handshakeWants = EPOLLOUT.rawValue
        case .failed(let reason):
            context.logger.debug("TLS handshake failed", ["remote": remoteAddress, "reason": reason])
            close()
            return
        }
        updateInterest()
    }

    private var canRead: Bool {
        switch phase {
        case .idle, .head, .body, .lingering: return writeBuffer.count - writeOffset < Self.writeBacklogLimit
        default: return false
        }
    }

    private func readAvailable() {
        repeat {
            guard canRead else { break }
            let result = transport.read(into: loop.readScratch)
            switch result {
            case .bytes(let n):
                if phase == .lingering { continue }
                ingest(UnsafeRawBufferPointer(rebasing: loop.readScratch[0..<n]))
            case .wouldBlock(let wantWrite):
                transportWantsWrite = wantWrite
                return
            case .closed:
                peerClosed()
                return
            case .failed:
                close()
                return
            }
        } while transport.hasBufferedData
        flush()
    }

    /// Parses what arrived; keeps whatever could not be used yet in `pending`.
    private func ingest(_ bytes: UnsafeRawBufferPointer) {
        if pending.isEmpty {
            let used = consume(bytes)
            if used < bytes.count && phase != .closed && phase != .closing && phase != .lingering {
                pending.append(contentsOf: bytes[used...])
            }
        } else {
            pending.append(contentsOf: bytes)
            resume()
        }
        flush()
    }

    /// Continues with pipelined bytes held back while a request was on a worker or the client was not reading.
    private func resume() {
        guard !pending.isEmpty else { return }
        let data = pending
        pending = []
        let used = data.withUnsafeBytes { consume($0) }
        if used < data.count && phase != .closed && phase != .closing && phase != .lingering {
            pending = Array(data[used...])
        }
    }

    // MARK: Requests

    /// Runs requests out of `buffer` until it needs more bytes or must wait; returns the bytes used.
    private func consume(_ buffer: UnsafeRawBufferPointer) -> Int {
        var offset = 0
        while true {
            switch phase {
            case .idle, .head:
                guard offset < buffer.count else { return offset }
                if writeBuffer.count - writeOffset >= Self.writeBacklogLimit { return offset }
                if phase == .idle {
                    phase = .head
                    deadline = loop.now &+ seconds(context.limits.headerReadTimeout)
                }
                switch headParser.parse(UnsafeRawBufferPointer(rebasing: buffer[offset...])) {
                case .needMore:
                    return offset
                case .failure(let error):
                    reject(error)
                    return buffer.count
                case .head(let parsed, let framing, let used):
                    offset += used
                    begin(parsed, framing: framing)
                }
            case .body:
                switch bodyDecoder!.decode(UnsafeRawBufferPointer(rebasing: buffer[offset...]), into: &body) {
                case .needMore(let used):
                    offset += used
                    deadline = loop.now &+ seconds(context.limits.headerReadTimeout)
                    return offset
                case .complete(let used):
                    offset += used
                    dispatch()
                case .failure(let error):
                    reject(error)
                    return buffer.count
                }
            case .processing, .handshake:
                return offset
            case .closing, .lingering, .closed:
                return buffer.count
            }
        }
    }

    /// A head has been read: pick the route, check the body against its limit, answer `Expect`.
    private func begin(_ parsed: HTTPRequestHead, framing: BodyFraming) {
        requestStart = MonotonicTime.nanoseconds()
        let route = context.responder.resolve(parsed)
        head = parsed
        self.route = route
        let maxBody = route.maxBodyBytes ?? context.limits.maxBodyBytes
        var sendContinue = false
        if let expect = parsed.headers["Expect"] {
            // RFC 9110 §10.1.1: only 100-continue is defined; an HTTP/1.0 client's expectation is ignored.
            if expect.lowercased() == "100-continue" {
                sendContinue = parsed.version == .http1_1
            } else if parsed.version == .http1_1 {
                respondAndClose(.expectationFailed, "Only 100-continue is supported.")
                return
            }
        }
        if case .contentLength(let length) = framing, length > maxBody {
            // RFC 9110 §15.5.14: refuse before reading; close because the client may send the body anyway.
            respondAndClose(.contentTooLarge, "The request body is larger than \(maxBody) bytes.")
            return
        }
        switch framing {
        case .none, .contentLength(0):
            dispatch()
        default:
            bodyDecoder = HTTPBodyDecoder(framing: framing, maxBodyBytes: maxBody, limits: context.limits)
            phase = .body
            if sendContinue { writeBuffer.append(contentsOf: ResponseEncoder.continueResponse) }
        }
    }

    private func dispatch() {
        guard let head, let route else { return }
        if let given = head.headers["X-Request-Id"], RequestIDGenerator.isAcceptable(given) {
            requestID = given
        } else {
            requestID = loop.requestIDs.next()
        }
        let request = HTTPRequest(head: head, body: body, remoteAddress: remoteAddress, requestID: requestID,
                                  pathParameters: route.pathParameters, clientCertificateDER: transport.peerCertificateDER,
                                  isSecure: transport.isSecure)
        body = []
        bodyDecoder = nil
        var execution = route.execution
        if case let .perRequest(choose) = execution { execution = choose(request) }
        switch execution {
        case .eventLoop:
            finish(Self.run(route.handler, request, context.responder))
        case .workerPool, .perRequest:
            phase = .processing
            deadline = 0
            let loop = self.loop, fd = self.fd, generation = self.generation
            let handler = route.handler, responder = context.responder
            let queued = context.workerPool.submit({
                loop.post(Completion(fd: fd, generation: generation, response: Connection.run(handler, request, responder)))
            }, expired: {
                loop.post(Completion(fd: fd, generation: generation, response: Connection.busyResponse()))
            })
            if !queued {
                // The queue is full: answer at once rather than let latency grow (the connection stays usable).
                finish(Self.busyResponse())
            }
        }
    }

    /// 503 with `Retry-After` (RFC 9110 §15.6.4): the worker queue is full or the request waited in it too long.
    static func busyResponse() -> HTTPResponse {
        var busy = HTTPResponse.text("The service is busy; retry shortly.\n", status: .serviceUnavailable)
        busy.headers.set("Retry-After", "1")
        return busy
    }

    private static func run(_ handler: HTTPHandler, _ request: HTTPRequest, _ responder: any HTTPResponder) -> HTTPResponse {
        do {
            return try handler(request)
        } catch {
            return responder.response(for: error, to: request)
        }
    }

    /// A worker finished this connection's request.
    func complete(with response: HTTPResponse) {
        guard phase == .processing else { return }
        finish(response)
        resume()
        flush()
        if transport.hasBufferedData { readAvailable() }
        updateInterest()
    }

    /// Queues the response, records it, and readies the connection for the next request or for closing.
    private func finish(_ response: HTTPResponse) {
        guard let head, let route else { return }
        let keepAlive = head.keepAlive && !loop.isDraining
        let id = requestID
        ResponseEncoder.encode(response, requestID: id, date: loop.dateBytes, keepAlive: keepAlive,
                               omitBody: head.method == .head, into: &writeBuffer)
        record(method: head.method.rawValue, path: head.path, route: route.label, status: response.status.code, requestID: id)
        self.head = nil
        self.route = nil
        headParser.reset()
        if keepAlive {
            phase = .idle
            deadline = loop.now &+ seconds(context.limits.idleTimeout)
        } else {
            phase = .closing
            deadline = 0
        }
    }

    private func record(method: String, path: String, route: String, status: Int, requestID: String) {
        let elapsed = MonotonicTime.nanoseconds() &- requestStart
        loop.metrics.record(route: route, status: status, nanoseconds: elapsed)
        loop.accessLog?.record(wallMilliseconds: loop.wallMilliseconds(), requestID: requestID, method: method, path: path,
                               route: route, status: status, durationNanoseconds: elapsed, remoteAddress: remoteAddress)
    }

    /// The parser refused the request: answer 4xx/5xx with `Connection: close` (RFC 9112 §9.6) and stop reading requests.
    private func reject(_ error: HTTPParseError) {
        context.metrics.malformedRequests.wrappingAdd(1, ordering: .relaxed)
        context.logger.debug("malformed request", ["remote": remoteAddress, "reason": error.detail])
        respondAndClose(error.status, "\(error.status.reason): \(error.detail)")
    }

    /// A protocol-level answer the server gives itself, followed by closing the connection.
    private func respondAndClose(_ status: HTTPStatus, _ message: String) {
        if requestStart == 0 || head == nil { requestStart = MonotonicTime.nanoseconds() }
        let id = loop.requestIDs.next()
        ResponseEncoder.encode(HTTPResponse.text(message + "\n", status: status), requestID: id, date: loop.dateBytes,
                               keepAlive: false, omitBody: head?.method == .head, into: &writeBuffer)
        record(method: head?.method.rawValue ?? "-", path: head?.path ?? "-", route: route?.label ?? "(rejected)",
               status: status.code, requestID: id)
        head = nil
        route = nil
        bodyDecoder = nil
        body = []
        pending = []
        phase = .closing
        deadline = 0
    }

    // MARK: Writing and closing

    private func flush() {
        while writeOffset < writeBuffer.count {
            let result = writeBuffer.withUnsafeBytes { transport.write(UnsafeRawBufferPointer(rebasing: $0[writeOffset...])) }
            switch result {
            case .written(let n):
                writeOffset += n
            case .wouldBlock(let wantRead):
                transportWantsRead = wantRead
                if writeDeadline == 0 { writeDeadline = loop.now &+ seconds(context.limits.idleTimeout) }
                return
            case .failed:
                close()
                return
            }
        }
        writeBuffer.removeAll(keepingCapacity: writeBuffer.capacity <= 64 * 1024)
        writeOffset = 0
        writeDeadline = 0
        if phase == .closing { startLingering() }
    }

    /// After the last response: half-close and read away what the client still sends, so the kernel does not
    /// answer unread data with a reset that could destroy the response in flight.
    private func startLingering() {
        transport.shutdown()
        if transport.isSecure {
            close()
            return
        }
        Glibc.shutdown(fd, Int32(SHUT_WR))
        phase = .lingering
        pending = []
        deadline = loop.now &+ Self.lingerNanoseconds
    }

    private func peerClosed() {
        switch phase {
        case .processing:
            // Half-closed after sending its request: still answer it, then close.
            head?.keepAlive = false
        default:
            close()
        }
    }

    /// Shutdown began: idle connections close now, busy ones answer with `Connection: close`.
    func drain() {
        switch phase {
        case .idle, .handshake:
            if writeOffset >= writeBuffer.count { close() } else { phase = .closing }
        default:
            break
        }
    }

    /// Called on every loop tick: enforces read, idle and write timeouts.
    func checkDeadline() {
        let now = loop.now
        if writeDeadline != 0 && now >= writeDeadline {
            close()
            return
        }
        guard deadline != 0, now >= deadline else { return }
        switch phase {
        case .idle, .head, .body:
            // RFC 9110 §15.5.9: 408 tells the client the server closed an unused or too slow connection.
            context.metrics.timedOutConnections.wrappingAdd(1, ordering: .relaxed)
            respondAndClose(.requestTimeout, "The request was not received in time.")
            flush()
            if phase != .closed { close() }
        case .handshake, .closing, .lingering:
            close()
        case .processing, .closed:
            break
        }
    }

    private func updateInterest() {
        guard phase != .closed else { return }
        var desired: UInt32 = 0
        if phase == .handshake {
            desired = handshakeWants
        } else {
            if canRead || transportWantsRead { desired |= EPOLLIN.rawValue }
            if writeOffset < writeBuffer.count || transportWantsWrite { desired |= EPOLLOUT.rawValue }
        }
        if desired != interest {
            interest = desired
            loop.modify(fd, events: desired)
        }
    }

    func close() {
        guard phase != .closed else { return }
        phase = .closed
        Glibc.close(fd)
        loop.remove(self)
        pending = []
        writeBuffer = []
    }

    private func seconds(_ value: Double) -> UInt64 { UInt64(max(0, value) * 1e9) }
}
