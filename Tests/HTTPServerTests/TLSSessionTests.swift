import COpenSSL
import Foundation
import Glibc
@testable import HTTPServer
import PKI
import Testing

/// Server and client credentials made once per test in a temporary folder, removed afterwards.
private final class TLSFiles {
    let directory: String
    let serverCertificate: String
    let serverKey: String
    let clientCertificate: String
    let clientKey: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        serverCertificate = directory + "/server.pem"
        serverKey = directory + "/server.key"
        clientCertificate = directory + "/client.pem"
        clientKey = directory + "/client.key"
        let server = try SelfSignedCertificate.makeTLS(hostnames: ["localhost"], ipAddresses: ["127.0.0.1"], validDays: 1)
        try server.certificatePEM.write(toFile: serverCertificate, atomically: true, encoding: .utf8)
        try server.privateKeyPEM.write(toFile: serverKey, atomically: true, encoding: .utf8)
        let client = try SelfSignedCertificate.makeTLS(hostnames: ["client.test"], ipAddresses: [], validDays: 1)
        try client.certificatePEM.write(toFile: clientCertificate, atomically: true, encoding: .utf8)
        try client.privateKeyPEM.write(toFile: clientKey, atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }
}

/// A connected, non-blocking socket pair with a TLS session on each end.
private final class TLSPair {
    let clientFD: Int32
    let serverFD: Int32
    let client: TLSSession
    let server: TLSSession

    init(server serverContext: TLSContext, client clientContext: TLSContext, serverName: String? = "localhost") throws {
        // A write to a closed peer must come back as EPIPE, not kill the test process.
        signal(SIGPIPE, SIG_IGN)
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else { throw TLSError.system(errno) }
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        clientFD = fds[0]
        serverFD = fds[1]
        do {
            client = try TLSSession(context: clientContext, fd: clientFD, serverName: serverName)
            server = try TLSSession(context: serverContext, fd: serverFD, serverName: nil)
        } catch {
            close(fds[0])
            close(fds[1])
            throw error
        }
    }

    deinit {
        close(clientFD)
        close(serverFD)
    }

    /// Drives both handshakes alternately in this thread until each is finished one way or another.
    func handshake() -> (client: TLSProgress, server: TLSProgress) {
        var clientState = TLSProgress.wantWrite
        var serverState = TLSProgress.wantRead
        for _ in 0..<1000 {
            if !clientState.isFinished { clientState = client.handshake() }
            if !serverState.isFinished { serverState = server.handshake() }
            if clientState.isFinished && serverState.isFinished { break }
        }
        return (clientState, serverState)
    }

    /// Sends `message` from `writer` to `reader`, alternating writes and reads; returns what arrived and
    /// whether any write was partial or had to wait (what non-blocking sockets must survive).
    func transfer(_ message: [UInt8], from writer: TLSSession, to reader: TLSSession) -> (received: [UInt8], interrupted: Bool) {
        var sent = 0
        var received: [UInt8] = []
        var interrupted = false
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var rounds = 0
        while received.count < message.count, rounds < 100_000 {
            rounds += 1
            if sent < message.count {
                let result = message.withUnsafeBytes { writer.write(UnsafeRawBufferPointer(rebasing: $0[sent...])) }
                switch result {
                case .written(let n):
                    if n < message.count - sent { interrupted = true }
                    sent += n
                case .wantRead, .wantWrite: interrupted = true
                case .failed(let error): Issue.record("write failed: \(error)"); return (received, interrupted)
                }
            }
            readLoop: while true {
                let result = buffer.withUnsafeMutableBytes { reader.read(into: $0) }
                switch result {
                case .bytes(let n): received += buffer[0..<n]
                case .wantRead, .wantWrite: break readLoop
                case .closed, .failed: Issue.record("read ended: \(result)"); return (received, interrupted)
                }
                if !reader.hasBufferedPlaintext && received.count >= message.count { break readLoop }
            }
        }
        return (received, interrupted)
    }
}

extension TLSProgress {
    fileprivate var isFinished: Bool {
        switch self {
        case .wantRead, .wantWrite: false
        case .done, .closed, .failed: true
        }
    }
}

@Test func tls13HandshakeAndEchoBothWays() throws {
    let files = try TLSFiles()
    let server = try TLSContext.server(certificateChainFile: files.serverCertificate, privateKeyFile: files.serverKey)
    let client = try TLSContext.client(caFile: files.serverCertificate)
    let pair = try TLSPair(server: server, client: client)

    let states = pair.handshake()
    #expect(states.client == .done)
    #expect(states.server == .done)
    #expect(pair.client.negotiatedProtocolVersion == "TLSv1.3")
    #expect(pair.server.negotiatedProtocolVersion == "TLSv1.3")
    #expect(pair.server.peerCertificateDER == nil)
    let serverDER = try Certificate.loadChain(pemFile: files.serverCertificate)[0].derBytes
    #expect(pair.client.peerCertificateDER == serverDER)

    let hello = Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
    #expect(pair.transfer(hello, from: pair.client, to: pair.server).received == hello)
    let reply = Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8)
    #expect(pair.transfer(reply, from: pair.server, to: pair.client).received == reply)

    // 1 MiB is far more than a socket buffer holds: writes must come back partial or wanting to wait.
    let big = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
    // Compared as Bools so a failure does not print a megabyte.
    let upstream = pair.transfer(big, from: pair.client, to: pair.server)
    let upstreamIntact = upstream.received == big, upstreamInterrupted = upstream.interrupted
    #expect(upstreamIntact)
    #expect(upstreamInterrupted)
    let downstreamIntact = pair.transfer(big, from: pair.server, to: pair.client).received == big
    #expect(downstreamIntact)
}

@Test func closeNotifyAndEOFReadAsClosed() throws {
    let files = try TLSFiles()
    let server = try TLSContext.server(certificateChainFile: files.serverCertificate, privateKeyFile: files.serverKey)
    let client = try TLSContext.client(caFile: files.serverCertificate)
    var buffer = [UInt8](repeating: 0, count: 1024)

    let polite = try TLSPair(server: server, client: client)
    #expect(polite.handshake() == (.done, .done))
    polite.server.shutdown()
    #expect(buffer.withUnsafeMutableBytes { polite.client.read(into: $0) } == .closed)
    #expect(buffer.withUnsafeMutableBytes { polite.server.read(into: $0) } == .wantRead)

    let abrupt = try TLSPair(server: server, client: client)
    #expect(abrupt.handshake() == (.done, .done))
    Glibc.shutdown(abrupt.serverFD, Int32(SHUT_RDWR))
    #expect(buffer.withUnsafeMutableBytes { abrupt.client.read(into: $0) } == .closed)
    abrupt.client.shutdown()  // must not raise or block after EOF
}

@Test func tls11ClientIsRefused() throws {
    let files = try TLSFiles()
    let server = try TLSContext.server(certificateChainFile: files.serverCertificate, privateKeyFile: files.serverKey)
    // A client this module would never build: TLS 1.1 at most, at security level 0 so it really offers it.
    let raw = try #require(SSL_CTX_new(TLS_client_method()))
    let client = TLSContext(taking: raw, isServer: false, verifiesPeer: false)
    SSL_CTX_set_security_level(raw, 0)
    #expect(shim_SSL_CTX_set_min_proto_version(raw, 0) == 1)
    #expect(shim_SSL_CTX_set_max_proto_version(raw, shim_TLS1_1_VERSION()) == 1)

    let states = try TLSPair(server: server, client: client).handshake()
    guard case .failed(.protocolFailure(let reason)) = states.server else {
        Issue.record("server accepted TLS 1.1: \(states.server)")
        return
    }
    #expect(reason.contains("unsupported protocol"))
    guard case .failed = states.client else { Issue.record("client: \(states.client)"); return }
}

@Test func hostnameMismatchFailsVerification() throws {
    let files = try TLSFiles()
    let server = try TLSContext.server(certificateChainFile: files.serverCertificate, privateKeyFile: files.serverKey)
    let client = try TLSContext.client(caFile: files.serverCertificate)

    let wrongName = try TLSPair(server: server, client: client, serverName: "other.test").handshake()
    #expect(wrongName.client == .failed(.verification("hostname mismatch")))
    #expect(try TLSPair(server: server, client: client, serverName: "127.0.0.1").handshake().client == .done)
    #expect(try TLSPair(server: server, client: client, serverName: "127.0.0.2").handshake().client
        == .failed(.verification("IP address mismatch")))
    // A verifying client without a name to check is refused outright.
    #expect(throws: TLSError.self) { try TLSPair(server: server, client: client, serverName: nil) }

    // Trusting some other certificate: the chain does not verify.
    let untrusting = try TLSContext.client(caFile: files.clientCertificate)
    let untrusted = try TLSPair(server: server, client: untrusting).handshake()
    #expect(untrusted.client == .failed(.verification("self-signed certificate")))
}

@Test func optionalClientCertificate() throws {
    let files = try TLSFiles()
    let server = try TLSContext.server(certificateChainFile: files.serverCertificate, privateKeyFile: files.serverKey,
                                       clientCertificates: .optional, clientCAFile: files.clientCertificate)

    let anonymous = try TLSPair(server: server, client: try TLSContext.client(caFile: files.serverCertificate))
    #expect(anonymous.handshake() == (.done, .done))
    #expect(anonymous.server.peerCertificateDER == nil)

    let presenting = try TLSContext.client(caFile: files.serverCertificate, certificateChainFile: files.clientCertificate,
                                           privateKeyFile: files.clientKey)
    let identified = try TLSPair(server: server, client: presenting)
    #expect(identified.handshake() == (.done, .done))
    let clientDER = try Certificate.loadChain(pemFile: files.clientCertificate)[0].derBytes
    // Accepted although nothing vouches for this self-signed certificate: the chain is checked elsewhere.
    #expect(identified.server.peerCertificateDER == clientDER)
    let message = Array("ping".utf8)
    #expect(identified.transfer(message, from: identified.client, to: identified.server).received == message)
}

@Test func requiredClientCertificate() throws {
    let files = try TLSFiles()
    let server = try TLSContext.server(certificateChainFile: files.serverCertificate, privateKeyFile: files.serverKey,
                                       clientCertificates: .required)

    let anonymous = try TLSPair(server: server, client: try TLSContext.client(caFile: files.serverCertificate))
    let states = anonymous.handshake()
    guard case .failed(.protocolFailure(let reason)) = states.server else {
        Issue.record("server accepted a client without a certificate: \(states.server)")
        return
    }
    #expect(reason.contains("certificate"))
    // In TLS 1.3 the client finishes first and learns of the refusal from the alert on its next read.
    if states.client == .done {
        var buffer = [UInt8](repeating: 0, count: 256)
        let read = buffer.withUnsafeMutableBytes { anonymous.client.read(into: $0) }
        guard case .failed = read else { Issue.record("client read: \(read)"); return }
    }

    let presenting = try TLSContext.client(caFile: files.serverCertificate, certificateChainFile: files.clientCertificate,
                                           privateKeyFile: files.clientKey)
    let identified = try TLSPair(server: server, client: presenting)
    #expect(identified.handshake() == (.done, .done))
    #expect(identified.server.peerCertificateDER != nil)
}

@Test func badCredentialsAreConfigurationErrors() throws {
    let files = try TLSFiles()
    #expect(throws: TLSError.self) {
        try TLSContext.server(certificateChainFile: files.directory + "/missing.pem", privateKeyFile: files.serverKey)
    }
    #expect(throws: TLSError.self) {
        // The client's key does not belong to the server's certificate.
        try TLSContext.server(certificateChainFile: files.serverCertificate, privateKeyFile: files.clientKey)
    }
    #expect(throws: TLSError.self) { try TLSContext.client(caFile: files.directory + "/missing.pem") }
    #expect(throws: TLSError.self) { try TLSContext.client(certificateChainFile: files.clientCertificate) }
}
