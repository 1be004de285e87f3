import Foundation
import HTTPServer
import PKI
import Support
import Testing
import TestSupport

@Suite struct ServerTLSTests {
    /// A server certificate, a client certificate and their files in a temporary folder.
    struct Material {
        let folder: URL
        var serverCert: String { folder.appendingPathComponent("server.crt").path }
        var serverKey: String { folder.appendingPathComponent("server.key").path }
        var clientCert: String { folder.appendingPathComponent("client.crt").path }
        var clientKey: String { folder.appendingPathComponent("client.key").path }

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let server = try SelfSignedCertificate.makeTLS(hostnames: ["localhost"], ipAddresses: ["127.0.0.1"], validDays: 1)
            let client = try SelfSignedCertificate.makeTLS(hostnames: ["client.test"], ipAddresses: [], validDays: 1)
            try server.certificatePEM.write(toFile: serverCert, atomically: true, encoding: .utf8)
            try server.privateKeyPEM.write(toFile: serverKey, atomically: true, encoding: .utf8)
            try client.certificatePEM.write(toFile: clientCert, atomically: true, encoding: .utf8)
            try client.privateKeyPEM.write(toFile: clientKey, atomically: true, encoding: .utf8)
        }
    }

    private func start(_ material: Material, mode: ClientCertificateMode) throws -> HTTPServer {
        var table = TableResponder()
        table.add("/who") { request in
            guard let der = request.clientCertificateDER else { return .text("anonymous secure=\(request.isSecure)") }
            let certificate = try Certificate(der: der)
            return .text("subject=\(certificate.subjectDescription)")
        }
        let context = try TLSContext.server(certificateChainFile: material.serverCert, privateKeyFile: material.serverKey,
                                            clientCertificates: mode)
        return try startServer(table) { $0.useTLS(context) }
    }

    @Test func optionalClientCertificateReachesTheHandler() throws {
        let material = try Material()
        defer { try? FileManager.default.removeItem(at: material.folder) }
        let server = try start(material, mode: .optional)
        defer { server.stop() }

        let withCertificate = try TLSContext.client(caFile: material.serverCert, certificateChainFile: material.clientCert,
                                                    privateKeyFile: material.clientKey)
        let identified = try TLSTestClient(port: server.port, context: withCertificate, serverName: "localhost")
        try identified.send("GET /who HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try identified.receive(until: "subject=").contains("subject=CN=client.test"))

        let anonymous = try TLSTestClient(port: server.port, context: try TLSContext.client(caFile: material.serverCert),
                                          serverName: "localhost")
        try anonymous.send("GET /who HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try anonymous.receive(until: "secure=true").contains("anonymous secure=true"))
    }

    @Test func requiredClientCertificateRefusesAnonymousClients() throws {
        let material = try Material()
        defer { try? FileManager.default.removeItem(at: material.folder) }
        let server = try start(material, mode: .required)
        defer { server.stop() }
        // TLS 1.3 reports the refusal on the client's first read, not in its handshake.
        #expect(throws: (any Error).self) {
            let client = try TLSTestClient(port: server.port, context: try TLSContext.client(caFile: material.serverCert),
                                           serverName: "localhost")
            try client.send("GET /who HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let answer = try client.receive(until: "HTTP/1.1")
            if !answer.contains("HTTP/1.1") { throw TLSTestClient.Failure(reason: "closed without an answer") }
        }
    }
}
