import COpenSSL
import Crypto
import Foundation
import Support

extension Certificate {
    /// The SHA-1 thumbprint of the DER encoding in upper-case hex (40 digits), as trusted lists and
    /// Windows show it. OpenSSL caches this hash when it decodes the certificate, so this is cheap.
    public var sha1ThumbprintHex: String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(pointer, EVP_sha1(), &digest, &length) == 1 else {
            OpenSSLError.clearQueue()
            return ""  // only on allocation failure
        }
        return Hex.encode(digest.prefix(Int(length))).uppercased()
    }

    /// The subjectKeyIdentifier in upper-case hex, or nil when the certificate has none.
    public var subjectKeyIdentifierHex: String? {
        guard let identifier = X509_get0_subject_key_id(pointer) else { return nil }
        return Self.hex(identifier)
    }

    /// The keyIdentifier of the authorityKeyIdentifier in upper-case hex, or nil when absent.
    public var authorityKeyIdentifierHex: String? {
        guard let identifier = X509_get0_authority_key_id(pointer) else { return nil }
        return Self.hex(identifier)
    }

    /// Whether basicConstraints says CA:TRUE (X509_check_ca, which also accepts old v1 self-signed roots).
    public var isCA: Bool { X509_check_ca(pointer) != 0 }

    /// Whether the certificate names itself as issuer and its signature verifies with its own key.
    public var isSelfSigned: Bool { X509_self_signed(pointer, 1) == 1 }

    /// The http(s), ldap and other URIs of the full names in the CRL distribution points extension,
    /// in certificate order; empty when there is no such extension.
    public var crlDistributionPointURLs: [String] {
        var critical: Int32 = 0
        guard let raw = X509_get_ext_d2i(pointer, NID_crl_distribution_points, &critical, nil) else {
            OpenSSLError.clearQueue()
            return []
        }
        let points = OpaquePointer(raw)
        defer { CRL_DIST_POINTS_free(points) }
        var urls: [String] = []
        for index in 0..<shim_sk_DIST_POINT_num(points) {
            // Only full names (type 0) hold URIs; a relative name is a piece of the issuer's DN.
            guard let point = shim_sk_DIST_POINT_value(points, index), let name = point.pointee.distpoint,
                  name.pointee.type == 0, let names = name.pointee.name.fullname
            else { continue }
            for n in 0..<shim_sk_GENERAL_NAME_num(names) {
                guard let general = shim_sk_GENERAL_NAME_value(names, n), general.pointee.type == GEN_URI,
                      let uri = general.pointee.d.uniformResourceIdentifier, let data = ASN1_STRING_get0_data(uri)
                else { continue }
                let bytes = UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(uri)))
                urls.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        return urls
    }

    /// Whether `issuer` issued this certificate: names and key identifiers match (X509_check_issued) and the
    /// signature verifies with the issuer's public key.
    public func isIssued(by issuer: Certificate) -> Bool {
        defer { OpenSSLError.clearQueue() }
        guard X509_check_issued(issuer.pointer, pointer) == X509_V_OK else { return false }
        guard let key = X509_get0_pubkey(issuer.pointer) else { return false }
        return X509_verify(pointer, key) == 1
    }

    private static func hex(_ string: UnsafePointer<ASN1_OCTET_STRING>) -> String? {
        guard let data = ASN1_STRING_get0_data(string) else { return nil }
        let length = Int(ASN1_STRING_length(string))
        guard length > 0 else { return nil }
        return Hex.encode(UnsafeBufferPointer(start: data, count: length)).uppercased()
    }
}

extension Certificate {
    /// The subject public key, for verifying what the holder signed (a JWT, say); nil when OpenSSL cannot decode it.
    public var publicKey: PublicKey? {
        guard let key = X509_get_pubkey(pointer) else { return nil }
        return PublicKey(taking: key)
    }
}
