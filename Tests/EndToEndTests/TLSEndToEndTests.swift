import Foundation
import COpenSSL
import Glibc
@testable import HTTPServer
import Testing
import TestSupport

/// The service on a TLS port with the example certificate, spoken to through the project's TLS session code.
@Suite struct TLSEndToEndTests {
    static let keys = OpenESIABinary.packageRoot.appendingPathComponent("keys-example/tls")

    private func startTLS(clientCertificates: String = "none") throws -> TestApplication {
        try TestApplication { configuration in
            configuration.tls.certificateFile = Self.keys.appendingPathComponent("localhost.crt").path
            configuration.tls.privateKeyFile = Self.keys.appendingPathComponent("localhost.key").path
        }
    }

    @Test func handshakeWithExampleCertificateThenHTTP() throws {
        let app = try startTLS()
        defer { app.stop() }
        let context = try TLSContext.client(caFile: Self.keys.appendingPathComponent("localhost.crt").path)
        let connection = try TLSTestClient(port: app.port, context: context, serverName: "localhost")
        #expect(connection.session.negotiatedProtocolVersion == "TLSv1.3")
        try connection.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let text = try connection.receive(until: "{\"status\":\"ok\"}")
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(text.contains("X-Request-Id: "))
    }

    @Test func plainHTTPOnTheTLSPortGetsNoHTTPAnswer() throws {
        let app = try startTLS()
        defer { app.stop() }
        let client = try RawClient(port: app.port, timeout: 2)
        try client.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let bytes = client.readToEnd()
        #expect(!String(decoding: bytes, as: UTF8.self).contains("HTTP/1.1 200"))
    }

    @Test func clientCapAtTLS11IsRefused() throws {
        let app = try startTLS()
        defer { app.stop() }
        let raw = SSL_CTX_new(TLS_client_method())!
        _ = shim_SSL_CTX_set_max_proto_version(raw, shim_TLS1_1_VERSION())
        SSL_CTX_set_verify(raw, SSL_VERIFY_NONE, nil)
        let context = TLSContext(taking: raw, isServer: false, verifiesPeer: false)
        #expect(throws: (any Error).self) { _ = try TLSTestClient(port: app.port, context: context, serverName: nil) }
    }
}
