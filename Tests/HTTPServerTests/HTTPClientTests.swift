import Foundation
import Glibc
@testable import HTTPServer
import PKI
import Synchronization
import Testing

// MARK: - Fixtures

/// What a canned server does after reading one request head.
private enum CannedReply {
    /// Writes the bytes, then closes.
    case respond([UInt8])
    /// Writes the bytes and keeps the connection open until the server stops (a silent or stalled server).
    case respondAndHold([UInt8])
}

/// A raw TCP (optionally TLS) server on 127.0.0.1 for behaviour the project's own server never shows: chunked and
/// until-close bodies, interim responses, silence, broken responses. Serves connections one at a time.
private final class CannedServer: Sendable {
    let port: Int
    private let listener: Int32
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let heads = Mutex<[String]>([])

    /// `readsRequest: false` answers at once, without waiting for a request head.
    init(tls: TLSContext? = nil, readsRequest: Bool = true, reply: @escaping @Sendable (_ requestHead: String, _ port: Int) -> CannedReply) throws {
        // A client that gives up mid-response must not kill the test process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, sa, &length) == 0
            }
        }
        guard fd >= 0, bound else { throw SocketError(operation: "canned server", errnoCode: errno) }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let port = port
        Thread { [self] in
            while !stopping.load(ordering: .acquiring) {
                var ready = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
                guard poll(&ready, 1, 20) > 0 else { continue }
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { continue }
                serve(connection, tls: tls, readsRequest: readsRequest) { reply($0, port) }
                close(connection)
            }
            close(listener)
            finished.signal()
        }.start()
    }

    /// Request heads received so far, in order.
    var requestHeads: [String] { heads.withLock { $0 } }

    /// Stops accepting and waits until the serving thread is gone.
    func stop() {
        stopping.store(true, ordering: .releasing)
        finished.wait()
    }

    private func serve(_ fd: Int32, tls: TLSContext?, readsRequest: Bool, reply: (String) -> CannedReply) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        guard let stream = try? ServerStream(fd: fd, tls: tls), stream.handshake() else { return }
        var received: [UInt8] = []
        while readsRequest && !received.containsHeadEnd {
            guard let more = stream.read(), !more.isEmpty else { return }
            received += more
        }
        let head = String(decoding: received, as: UTF8.self)
        heads.withLock { $0.append(head) }
        switch reply(head) {
        case .respond(let bytes):
            stream.write(bytes)
        case .respondAndHold(let bytes):
            stream.write(bytes)
            while !stopping.load(ordering: .acquiring) { usleep(10_000) }
        }
        stream.shutdown()
    }
}

/// The server end of a canned connection: blocking-style reads and writes over a non-blocking socket, 2 s at most each.
private final class ServerStream {
    let fd: Int32
    let tls: TLSSession?

    init(fd: Int32, tls context: TLSContext?) throws {
        self.fd = fd
        tls = try context.map { try TLSSession(context: $0, fd: fd, serverName: nil) }
    }

    func handshake() -> Bool {
        guard let tls else { return true }
        while true {
            switch tls.handshake() {
            case .done: return true
            case .wantRead: guard wait(POLLIN) else { return false }
            case .wantWrite: guard wait(POLLOUT) else { return false }
            case .closed, .failed: return false
            }
        }
    }

    /// Some bytes, [] at EOF, nil on error or after 2 s of nothing.
    func read() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            if let tls {
                switch buffer.withUnsafeMutableBytes({ tls.read(into: $0) }) {
                case .bytes(let n): return Array(buffer[0..<n])
                case .wantRead: guard wait(POLLIN) else { return nil }
                case .wantWrite: guard wait(POLLOUT) else { return nil }
                case .closed: return []
                case .failed: return nil
                }
                continue
            }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n >= 0 { return Array(buffer[0..<n]) }
            guard errno == EAGAIN || errno == EINTR, wait(POLLIN) else { return nil }
        }
    }

    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            if let tls {
                switch bytes.withUnsafeBytes({ tls.write(UnsafeRawBufferPointer(rebasing: $0[offset...])) }) {
                case .written(let n): offset += n
                case .wantRead: guard wait(POLLIN) else { return }
                case .wantWrite: guard wait(POLLOUT) else { return }
                case .failed: return
                }
                continue
            }
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n > 0 { offset += n; continue }
            guard errno == EAGAIN || errno == EINTR, wait(POLLOUT) else { return }
        }
    }

    func shutdown() { tls?.shutdown() }

    private func wait(_ events: Int32) -> Bool {
        var ready = pollfd(fd: fd, events: Int16(events), revents: 0)
        return poll(&ready, 1, 2000) > 0
    }
}

extension [UInt8] {
    fileprivate var containsHeadEnd: Bool {
        count >= 4 && (0...(count - 4)).contains { self[$0] == 13 && self[$0 + 1] == 10 && self[$0 + 2] == 13 && self[$0 + 3] == 10 }
    }
}

/// A certificate for localhost and 127.0.0.1 in a temporary folder, removed afterwards.
private final class LocalhostCertificate {
    let directory: String
    let certificate: String
    let key: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("client-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        certificate = directory + "/server.pem"
        key = directory + "/server.key"
        let made = try SelfSignedCertificate.makeTLS(hostnames: ["localhost"], ipAddresses: ["127.0.0.1"], validDays: 1)
        try made.certificatePEM.write(toFile: certificate, atomically: true, encoding: .utf8)
        try made.privateKeyPEM.write(toFile: key, atomically: true, encoding: .utf8)
    }

    func serverContext() throws -> TLSContext {
        try TLSContext.server(certificateChainFile: certificate, privateKeyFile: key)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }
}

/// A client whose every timeout fits the tests' one-second budget.
private func quickClient(_ configure: (inout HTTPClient.Options) -> Void = { _ in }) -> HTTPClient {
    var options = HTTPClient.Options()
    options.connectTimeout = 1
    options.totalTimeout = 1
    configure(&options)
    return HTTPClient(options: options)
}

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// The error a call threw, or nil (with an issue recorded) when it did not throw.
private func clientError(_ body: () throws -> HTTPClientResponse) -> HTTPClientError? {
    do {
        let response = try body()
        Issue.record("expected an error, got \(response.status)")
    } catch let error as HTTPClientError {
        return error
    } catch {
        Issue.record("not an HTTPClientError: \(error)")
    }
    return nil
}

/// The request path of a canned request head ("GET /x HTTP/1.1..." → "/x").
private func path(of head: String) -> String {
    String(head.split(separator: " ", maxSplits: 2).dropFirst().first ?? "")
}

// MARK: - URLs and request heads

@Test func clientURLParsesTheParts() throws {
    let plain = try ClientURL("http://Example.COM/crl/root.crl?x=1#part")
    #expect(plain.scheme == .http && plain.host == "example.com" && plain.port == 80)
    #expect(plain.target == "/crl/root.crl?x=1")
    #expect(plain.hostHeader == "example.com")

    let v6 = try ClientURL("https://[::1]:8443")
    #expect(v6.scheme == .https && v6.host == "::1" && v6.port == 8443 && v6.target == "/")
    #expect(v6.hostHeader == "[::1]:8443")

    #expect(try ClientURL("HTTPS://localhost:443?q").target == "/?q")
    #expect(try ClientURL("https://localhost:443?q").hostHeader == "localhost")
    #expect(try ClientURL("http://10.0.0.1:/a%20b").port == 80)
}

@Test func clientURLRejectsWhatItCannotSendSafely() {
    func code(_ url: String) -> HTTPClientError.Code? {
        do { _ = try ClientURL(url); return nil } catch { return error.code }
    }
    #expect(code("http://user:secret@example.com/") == .invalidURL)
    #expect(code("http://example.com/a b") == .invalidURL)
    #expect(code("http://example.com/\r\nX: y") == .invalidURL)
    #expect(code("http://пример.рф/") == .invalidURL)
    #expect(code("http://example.com/%zz") == .invalidURL)
    #expect(code("http://example.com:0/") == .invalidURL)
    #expect(code("http://example.com:65536/") == .invalidURL)
    #expect(code("http://[::1/") == .invalidURL)
    #expect(code("http://[nonsense]/") == .invalidURL)
    #expect(code("http:///path") == .invalidURL)
    #expect(code("http:example.com") == .invalidURL)
    #expect(code("/relative") == .invalidURL)
    #expect(code("") == .invalidURL)
    #expect(code("ftp://example.com/") == .unsupportedScheme)
    #expect(code("file:///etc/passwd") == .unsupportedScheme)
}

@Test func clientURLResolvesReferencesLikeRFC3986() throws {
    // RFC 3986 §5.4 examples, base "http://a/b/c/d;p?q".
    let base = try ClientURL("http://a/b/c/d;p?q")
    let cases: [(String, String)] = [
        ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"), ("/g", "http://a/g"),
        ("//g", "http://g/"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"), ("#s", "http://a/b/c/d;p?q"),
        ("", "http://a/b/c/d;p?q"), (".", "http://a/b/c/"), ("..", "http://a/b/"), ("../g", "http://a/b/g"),
        ("../../../g", "http://a/g"), ("/./g", "http://a/g"), ("g/../h", "http://a/b/c/h"),
        ("https://other:8443/x", "https://other:8443/x"),
    ]
    for (reference, expected) in cases {
        #expect(try base.resolving(reference).description == expected, "\(reference)")
    }
    #expect(throws: HTTPClientError(.unsupportedScheme, "")) { try base.resolving("javascript:alert(1)") }
}

@Test func requestHeadIsFramedByTheClient() throws {
    let url = try ClientURL("http://127.0.0.1:8080/path?q=1")
    let head = try HTTPClient.requestHead(method: .post, url: url,
                                          headers: ["Content-Length": "999", "Host": "evil", "X-Trace": "abc"], bodyCount: 3)
    #expect(String(decoding: head, as: UTF8.self) == "POST /path?q=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-Trace: abc\r\n"
        + "User-Agent: openesia\r\nContent-Length: 3\r\nConnection: close\r\n\r\n")
    let get = try HTTPClient.requestHead(method: .get, url: url, headers: ["User-Agent": "probe"], bodyCount: 0)
    #expect(String(decoding: get, as: UTF8.self) == "GET /path?q=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: probe\r\nConnection: close\r\n\r\n")
}

@Test func headerInjectionIsRefusedBeforeConnecting() {
    // Port 9 on loopback: nothing must even be tried.
    let client = quickClient()
    #expect(clientError { try client.get("http://127.0.0.1:9/", headers: ["X-A": "1\r\nX-Injected: 1"]) }?.code == .invalidRequest)
    #expect(clientError { try client.get("http://127.0.0.1:9/", headers: ["X-A": "1\nX"]) }?.code == .invalidRequest)
    #expect(clientError { try client.get("http://127.0.0.1:9/", headers: ["Bad Name": "1"]) }?.code == .invalidRequest)
    #expect(clientError { try client.send(HTTPClientRequest(method: HTTPMethod("GET /x"), url: "http://127.0.0.1:9/")) }?.code
        == .invalidRequest)
}

// MARK: - Against the project's own server

@Test func getPostAndHeadAgainstOwnServer() throws {
    let server = try startServer()
    defer { server.stop() }
    let client = quickClient()
    let base = "http://127.0.0.1:\(server.port)"

    let hello = try client.get(base + "/hello")
    #expect(hello.status.code == 200)
    #expect(hello.text == "hello\n")
    #expect(hello.headers["Content-Length"] == "6")

    let payload = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    let echo = try client.post(base + "/echo", body: payload, contentType: "application/octet-stream")
    #expect(echo.status.code == 200)
    #expect(echo.body == payload)

    let head = try client.send(HTTPClientRequest(method: .head, url: base + "/hello"))
    #expect(head.status.code == 200)
    #expect(head.body.isEmpty)

    #expect(try client.get(base + "/missing").status.code == 404)
    #expect(try client.get(base + "/worker?x=1").text == "worker x=1\n")
}

@Test func serverRefusalIsReadEvenWhenTheUploadIsCutShort() throws {
    let server = try startServer()
    defer { server.stop() }
    // /big-upload allows 4 KiB; the server answers 413 and closes while the client may still be writing.
    let response = try quickClient().post("http://127.0.0.1:\(server.port)/big-upload", body: [UInt8](repeating: 1, count: 8 << 20),
                                          contentType: "application/octet-stream")
    #expect(response.status.code == 413)
}

// MARK: - Against canned servers

@Test func earlyRefusalIsReturnedInsteadOfTheWriteError() throws {
    // The server answers after the head and closes without reading the body; the client's upload then fails.
    let server = try CannedServer { _, _ in .respond(bytes("HTTP/1.1 413 Content Too Large\r\nContent-Length: 3\r\n\r\nbig")) }
    defer { server.stop() }
    let response = try quickClient().post("http://127.0.0.1:\(server.port)/upload", body: [UInt8](repeating: 2, count: 8 << 20),
                                          contentType: "application/octet-stream")
    #expect(response.status.code == 413)
    #expect(response.text == "big")
}

@Test func chunkedAndUntilCloseBodies() throws {
    let chunked = try CannedServer { _, _ in
        .respond(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;x=y\r\n, world\r\n0\r\nX-T: 1\r\n\r\n"))
    }
    defer { chunked.stop() }
    let response = try quickClient().get("http://127.0.0.1:\(chunked.port)/c")
    #expect(response.text == "hello, world")
    #expect(chunked.requestHeads.first?.hasPrefix("GET /c HTTP/1.1\r\nHost: 127.0.0.1:\(chunked.port)\r\n") == true)

    let untilClose = try CannedServer { _, _ in .respond(bytes("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it")) }
    defer { untilClose.stop() }
    #expect(try quickClient().get("http://127.0.0.1:\(untilClose.port)/").text == "all of it")
}

@Test func interimResponsesAreSkipped() throws {
    let server = try CannedServer { _, _ in
        .respond(bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"))
    }
    defer { server.stop() }
    let response = try quickClient().post("http://127.0.0.1:\(server.port)/", body: bytes("x"), contentType: "text/plain")
    #expect(response.status.code == 201)
    #expect(response.text == "ok")
}

@Test func silentServerTimesOut() throws {
    let server = try CannedServer { _, _ in .respondAndHold([]) }
    defer { server.stop() }
    let started = ContinuousClock.now
    let error = clientError { try quickClient { $0.totalTimeout = 0.5 }.get("http://127.0.0.1:\(server.port)/") }
    #expect(error?.code == .timeout)
    let elapsed = ContinuousClock.now - started
    #expect(elapsed >= .milliseconds(450) && elapsed < .milliseconds(1500), "\(elapsed)")
}

@Test func stalledBodyTimesOut() throws {
    let server = try CannedServer { _, _ in .respondAndHold(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")) }
    defer { server.stop() }
    #expect(clientError { try quickClient { $0.totalTimeout = 0.3 }.get("http://127.0.0.1:\(server.port)/") }?.code == .timeout)
}

@Test func oversizedResponsesAreRefusedEarly() throws {
    // The server promises 20 MB and holds the connection: the client must give up at the head, not wait for it.
    let big = try CannedServer { _, _ in .respondAndHold(bytes("HTTP/1.1 200 OK\r\nContent-Length: 20000000\r\n\r\nxx")) }
    defer { big.stop() }
    let started = ContinuousClock.now
    #expect(clientError { try quickClient().get("http://127.0.0.1:\(big.port)/") }?.code == .responseTooLarge)
    #expect(ContinuousClock.now - started < .milliseconds(500))

    let chunked = try CannedServer { _, _ in
        .respond(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n") + [UInt8](repeating: 65, count: 1024) + bytes("\r\n0\r\n\r\n"))
    }
    defer { chunked.stop() }
    #expect(clientError { try quickClient { $0.maxResponseBodyBytes = 1000 }.get("http://127.0.0.1:\(chunked.port)/") }?.code
        == .responseTooLarge)

    let headers = try CannedServer { _, _ in
        .respond(bytes("HTTP/1.1 200 OK\r\nX-Big: \(String(repeating: "a", count: 5000))\r\nContent-Length: 0\r\n\r\n"))
    }
    defer { headers.stop() }
    #expect(clientError { try quickClient { $0.maxHeaderBytes = 4096 }.get("http://127.0.0.1:\(headers.port)/") }?.code
        == .responseTooLarge)
}

@Test func brokenResponsesAreErrorsNotCrashes() throws {
    let cases: [(String, HTTPClientError.Code)] = [
        ("HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n", .malformedResponse),
        ("SSH-2.0-OpenSSH_9.2\r\n\r\n", .malformedResponse),
        ("HTTP/1.1 200 OK\nContent-Length: 0\n\n", .malformedResponse),
        ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .malformedResponse),
        ("HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\nab", .malformedResponse),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .malformedResponse),
        ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", .malformedResponse),
        ("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", .connectionClosed),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", .connectionClosed),
        ("HTTP/1.1 200 OK\r\nContent-", .connectionClosed),
        ("", .connectionClosed),
    ]
    for (reply, expected) in cases {
        let server = try CannedServer { _, _ in .respond(bytes(reply)) }
        defer { server.stop() }
        #expect(clientError { try quickClient().get("http://127.0.0.1:\(server.port)/") }?.code == expected, "\(reply.debugDescription)")
    }
}

@Test func redirectsAreFollowedOnlyWhenAsked() throws {
    let server = try CannedServer { head, port in
        switch path(of: head) {
        case "/start": .respond(bytes("HTTP/1.1 302 Found\r\nLocation: /middle?step=2\r\nContent-Length: 0\r\n\r\n"))
        case "/middle?step=2": .respond(bytes("HTTP/1.1 307 Temporary Redirect\r\nLocation: http://localhost:\(port)/end\r\nContent-Length: 0\r\n\r\n"))
        case "/end": .respond(bytes("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone"))
        case "/form": .respond(bytes("HTTP/1.1 303 See Other\r\nLocation: end\r\nContent-Length: 0\r\n\r\n"))
        default: .respond(bytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))
        }
    }
    defer { server.stop() }
    let base = "http://127.0.0.1:\(server.port)"

    let unfollowed = try quickClient().get(base + "/start")
    #expect(unfollowed.status.code == 302)
    #expect(unfollowed.headers["Location"] == "/middle?step=2")

    let followed = try quickClient { $0.maxRedirects = 3 }.get(base + "/start", headers: ["Authorization": "Bearer t"])
    #expect(followed.status.code == 200)
    #expect(followed.text == "done")
    let heads = server.requestHeads
    #expect(heads.count == 4)
    #expect(heads.dropFirst(1).first?.contains("Authorization: Bearer t") == true)  // same origin keeps it
    #expect(heads.last?.contains("Host: localhost:\(server.port)\r\n") == true)
    #expect(heads.last?.contains("Authorization") == false)  // another origin does not get it

    #expect(clientError { try quickClient { $0.maxRedirects = 1 }.get(base + "/start") }?.code == .tooManyRedirects)

    // 303 turns a POST into a GET without body.
    let posted = try quickClient { $0.maxRedirects = 1 }.post(base + "/form", body: bytes("a=1"), contentType: "application/x-www-form-urlencoded")
    #expect(posted.text == "done")
    let last = try #require(server.requestHeads.last)
    #expect(last.hasPrefix("GET /end HTTP/1.1\r\n"))
    #expect(!last.contains("Content-Length") && !last.contains("Content-Type"))
}

@Test func redirectLoopEndsWithTooManyRedirects() throws {
    let server = try CannedServer { _, _ in .respond(bytes("HTTP/1.1 301 Moved Permanently\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n")) }
    defer { server.stop() }
    #expect(clientError { try quickClient { $0.maxRedirects = 5 }.get("http://127.0.0.1:\(server.port)/") }?.code == .tooManyRedirects)
    #expect(server.requestHeads.count == 6)
}

// MARK: - Connecting

@Test func closedPortFailsQuickly() throws {
    // Bind a port, then close it: nothing listens there now.
    let probe = try CannedServer { _, _ in .respond([]) }
    let port = probe.port
    probe.stop()
    let started = ContinuousClock.now
    #expect(clientError { try quickClient().get("http://127.0.0.1:\(port)/") }?.code == .connectFailed)
    #expect(ContinuousClock.now - started < .milliseconds(500))
    #expect(clientError { try quickClient().get("http://no-such-host.invalid/") }?.code == .resolutionFailed)
}

@Test func connectTimeoutOnAFullBacklog() throws {
    // A listener that never accepts, with its backlog filled: the kernel drops further SYNs, so connect hangs.
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(listener) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(listener, $0, length) == 0 && listen(listener, 0) == 0 && getsockname(listener, $0, &length) == 0
        }
    }
    try #require(bound)
    var fillers: [Int32] = []
    defer { fillers.forEach { close($0) } }
    for _ in 0..<8 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) } }
        fillers.append(fd)
    }
    usleep(50_000)
    let started = ContinuousClock.now
    let error = clientError { try quickClient { $0.connectTimeout = 0.3 }.get("http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))/") }
    #expect(error?.code == .connectTimeout)
    let elapsed = ContinuousClock.now - started
    #expect(elapsed >= .milliseconds(250) && elapsed < .milliseconds(900), "\(elapsed)")
}

// MARK: - TLS

@Test func httpsVerifiesTheServerCertificate() throws {
    let certificate = try LocalhostCertificate()
    let server = try CannedServer(tls: try certificate.serverContext()) { head, _ in
        path(of: head) == "/downgrade"
            ? .respond(bytes("HTTP/1.1 302 Found\r\nLocation: http://localhost/\r\nContent-Length: 0\r\n\r\n"))
            : .respond(bytes("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecret"))
    }
    defer { server.stop() }
    let trusting = quickClient { $0.tls = try? TLSContext.client(caFile: certificate.certificate) }

    let response = try trusting.get("https://localhost:\(server.port)/")
    #expect(response.text == "secret")
    #expect(try trusting.get("https://127.0.0.1:\(server.port)/").text == "secret")

    // The system CAs know nothing of this self-signed certificate.
    let error = clientError { try quickClient().get("https://localhost:\(server.port)/") }
    #expect(error?.code == .tls)
    #expect(error?.detail.contains("self-signed certificate") == true, "\(String(describing: error))")

    let downgrade = quickClient {
        $0.tls = try? TLSContext.client(caFile: certificate.certificate)
        $0.maxRedirects = 2
    }
    #expect(clientError { try downgrade.get("https://localhost:\(server.port)/downgrade") }?.code == .insecureRedirect)

    let misconfigured = quickClient { $0.tls = try? certificate.serverContext() }
    #expect(clientError { try misconfigured.get("https://localhost:\(server.port)/") }?.code == .tls)
}

@Test func plainServerBehindHTTPSIsATLSError() throws {
    let server = try CannedServer(readsRequest: false) { _, _ in .respond(bytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")) }
    defer { server.stop() }
    #expect(clientError { try quickClient().get("https://localhost:\(server.port)/") }?.code == .tls)
}

