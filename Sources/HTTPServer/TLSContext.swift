import COpenSSL

/// Whether a TLS server asks clients for a certificate.
public enum ClientCertificateMode: String, Sendable {
    /// Do not ask.
    case none
    /// Ask, but accept a connection without one.
    case optional
    /// Ask, and fail the handshake without one.
    case required
}

/// TLS settings and credentials (SSL_CTX), built once and shared by every connection; immutable after creation.
///
/// Both sides allow TLS 1.2 and 1.3 only, without compression or renegotiation; TLS 1.2 uses ECDHE with AEAD
/// ciphers only. The sessions expect non-blocking sockets (partial writes and moving write buffers are enabled).
public final class TLSContext: @unchecked Sendable {
    /// The SSL_CTX*, owned by this object.
    package let pointer: OpaquePointer
    /// True for a server context (sessions accept), false for a client one (sessions connect).
    package let isServer: Bool
    /// True when a client context verifies the server's certificate (then sessions need a server name);
    /// always false for a server, which never verifies client certificate chains itself.
    package let verifiesPeer: Bool

    /// TLS 1.2 suites: forward secrecy (ECDHE) and AEAD only, as in Mozilla's "intermediate" profile.
    private static let tls12Ciphers = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")

    /// Takes ownership of an SSL_CTX; for tests that need settings this type refuses to make.
    package init(taking pointer: OpaquePointer, isServer: Bool, verifiesPeer: Bool) {
        self.pointer = pointer
        self.isServer = isServer
        self.verifiesPeer = verifiesPeer
    }

    deinit { SSL_CTX_free(pointer) }

    /// A server context from a PEM certificate chain file (leaf first) and a PEM private key file.
    ///
    /// With `.optional` or `.required` client certificates the server asks for one, but does NOT verify its chain:
    /// the verify callback accepts every certificate, because client certificates are checked later against the
    /// head CA trust store (with revocation) by another module. The TLS handshake still proves the client holds
    /// the certificate's private key. If `clientCAFile` is given, its subject names are sent as acceptable CAs.
    public static func server(certificateChainFile: String, privateKeyFile: String,
                              clientCertificates: ClientCertificateMode = .none,
                              clientCAFile: String? = nil) throws -> TLSContext {
        let context = try make(method: TLS_server_method(), isServer: true, verifiesPeer: false)
        let ctx = context.pointer
        try context.useCredentials(certificateChainFile: certificateChainFile, privateKeyFile: privateKeyFile)
        // The client's preference order is not trusted to pick the strongest suite.
        SSL_CTX_set_options(ctx, shim_SSL_OP_CIPHER_SERVER_PREFERENCE())
        // Resumed sessions with client certificates need a session id context, or resumption fails.
        let sessionContext = Array("openesia".utf8)
        try check(SSL_CTX_set_session_id_context(ctx, sessionContext, UInt32(sessionContext.count)), "session id context")

        switch clientCertificates {
        case .none:
            break
        case .optional:
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, acceptAnyCertificate)
        case .required:
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, acceptAnyCertificate)
        }
        if let clientCAFile {
            guard let names = SSL_load_client_CA_file(clientCAFile) else {
                throw TLSError.configuration("cannot read CA names from \(clientCAFile): \(TLSError.drainReasons())")
            }
            SSL_CTX_set_client_CA_list(ctx, names)  // takes ownership of the list
        }
        return context
    }

    /// A client context verifying servers against `caFile` (a PEM bundle) or the system's default CA paths when
    /// nil; sessions check the server name given to them. `verifyPeer: false` turns all checks off (tests only).
    /// `certificateChainFile` and `privateKeyFile` (both or neither) give a certificate to present when asked.
    public static func client(caFile: String? = nil, verifyPeer: Bool = true,
                              certificateChainFile: String? = nil, privateKeyFile: String? = nil) throws -> TLSContext {
        let context = try make(method: TLS_client_method(), isServer: false, verifiesPeer: verifyPeer)
        let ctx = context.pointer
        if verifyPeer {
            if let caFile {
                try check(SSL_CTX_load_verify_file(ctx, caFile), "cannot load CA file \(caFile)")
            } else {
                try check(SSL_CTX_set_default_verify_paths(ctx), "cannot load the system CA paths")
            }
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        } else {
            SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
        }
        switch (certificateChainFile, privateKeyFile) {
        case (nil, nil):
            break
        case (let chain?, let key?):
            try context.useCredentials(certificateChainFile: chain, privateKeyFile: key)
        default:
            throw TLSError.configuration("a client certificate needs both a chain file and a private key file")
        }
        return context
    }

    /// The settings both sides share.
    private static func make(method: OpaquePointer?, isServer: Bool, verifiesPeer: Bool) throws -> TLSContext {
        ERR_clear_error()
        guard let ctx = SSL_CTX_new(method) else {
            throw TLSError.configuration("SSL_CTX_new: \(TLSError.drainReasons())")
        }
        let context = TLSContext(taking: ctx, isServer: isServer, verifiesPeer: verifiesPeer)  // frees ctx on throw
        try check(Int32(shim_SSL_CTX_set_min_proto_version(ctx, shim_TLS1_2_VERSION())), "minimum protocol version")
        try check(Int32(shim_SSL_CTX_set_max_proto_version(ctx, shim_TLS1_3_VERSION())), "maximum protocol version")
        SSL_CTX_set_options(ctx, shim_SSL_OP_NO_COMPRESSION() | shim_SSL_OP_NO_RENEGOTIATION())
        // Non-blocking sockets: SSL_write may report part of a buffer written, and the retry after WANT_WRITE
        // may pass the same bytes from a different address (Swift arrays move).
        _ = shim_SSL_CTX_set_mode(ctx, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER))
        try check(SSL_CTX_set_cipher_list(ctx, tls12Ciphers), "TLS 1.2 cipher list")
        // An encrypted key must fail to load, not prompt on the terminal.
        SSL_CTX_set_default_passwd_cb(ctx, refusePassword)
        return context
    }

    private func useCredentials(certificateChainFile: String, privateKeyFile: String) throws {
        ERR_clear_error()
        try Self.check(SSL_CTX_use_certificate_chain_file(pointer, certificateChainFile),
                       "cannot load certificate chain \(certificateChainFile)")
        try Self.check(SSL_CTX_use_PrivateKey_file(pointer, privateKeyFile, SSL_FILETYPE_PEM),
                       "cannot load private key \(privateKeyFile)")
        try Self.check(SSL_CTX_check_private_key(pointer), "private key does not match the certificate")
    }

    private static func check(_ result: Int32, _ what: String) throws {
        guard result == 1 else { throw TLSError.configuration("\(what): \(TLSError.drainReasons())") }
    }
}

/// Accepts every client certificate: its chain is verified later against the head CA trust store, not here.
private let acceptAnyCertificate: @convention(c) (Int32, OpaquePointer?) -> Int32 = { _, _ in 1 }

/// Supplies no password, so encrypted keys fail to load.
private let refusePassword: @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) -> Int32 = { _, _, _, _ in -1 }
