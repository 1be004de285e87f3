import COpenSSL
import Crypto
import Foundation

/// OpenSSL's own path for a detached signature and its chain in one call: `d2i_CMS_ContentInfo` and `CMS_verify` against
/// an `X509_STORE` of roots and CRLs (`X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL`, purpose any), the
/// intermediates taken from the message. The benchmark's reference for what a signature login costs at the least.
///
/// The service does not use it: it checks the signature (`SignedMessage`) and then the chain with the trust store's
/// accreditation rules, at its own clock. The store is built once and only read, so `verify` runs on many threads.
public final class BareCMSVerifier: @unchecked Sendable {
    private let store: OpaquePointer  // X509_STORE*, owned

    /// A store of `roots` (trust anchors) and `crls`.
    public init(roots: [Certificate], crls: [CRL]) throws {
        try? GOSTEngine.load()
        guard let store = X509_STORE_new() else { throw OpenSSLError.drain("X509_STORE_new") }
        for root in roots { _ = X509_STORE_add_cert(store, root.pointer) }
        for crl in crls { _ = X509_STORE_add_crl(store, crl.pointer) }
        _ = X509_STORE_set_flags(store, UInt(X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL))
        _ = X509_STORE_set_purpose(store, X509_PURPOSE_ANY)
        self.store = store
    }

    deinit { X509_STORE_free(store) }

    /// Parses `der` and verifies its signature over `content` and the signer's chain with revocation, now.
    public func verify(_ der: [UInt8], content: [UInt8]) -> Bool {
        defer { OpenSSLError.clearQueue() }
        return der.withUnsafeBufferPointer { buffer -> Bool in
            guard let start = buffer.baseAddress else { return false }
            var cursor: UnsafePointer<UInt8>? = start
            guard let cms = d2i_CMS_ContentInfo(nil, &cursor, buffer.count) else { return false }
            defer { CMS_ContentInfo_free(cms) }
            return content.withUnsafeBytes { bytes -> Bool in
                guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { return false }
                defer { BIO_free(bio) }
                return CMS_verify(cms, nil, store, bio, nil, UInt32(CMS_BINARY)) == 1
            }
        }
    }
}
