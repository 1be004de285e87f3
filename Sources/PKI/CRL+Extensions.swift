import COpenSSL
import Crypto
import Foundation
import Support

extension CRL {
    /// Whether the CRL's signature verifies with `issuer`'s public key (X509_CRL_verify). Names are not compared:
    /// see `isIssued(by:)`.
    public func verifySignature(issuer: Certificate) -> Bool {
        defer { OpenSSLError.clearQueue() }
        guard let key = X509_get0_pubkey(issuer.pointer) else { return false }
        return X509_CRL_verify(pointer, key) == 1
    }

    /// Whether the CRL names `issuer`'s subject as its issuer (X509_NAME_cmp).
    public func namesIssuer(_ issuer: Certificate) -> Bool {
        guard let name = X509_CRL_get_issuer(pointer) else { return false }
        return X509_NAME_cmp(name, X509_get_subject_name(issuer.pointer)) == 0
    }

    /// Whether `issuer` issued this CRL: its name is the CRL's issuer and the signature verifies with its key.
    public func isIssued(by issuer: Certificate) -> Bool {
        namesIssuer(issuer) && verifySignature(issuer: issuer)
    }

    /// The crlNumber extension in upper-case hex without leading zeros ("0" for zero), or nil when absent.
    public var numberHex: String? {
        var critical: Int32 = 0
        guard let raw = X509_CRL_get_ext_d2i(pointer, NID_crl_number, &critical, nil) else {
            OpenSSLError.clearQueue()
            return nil
        }
        let integer = raw.assumingMemoryBound(to: ASN1_INTEGER.self)
        defer { ASN1_INTEGER_free(integer) }
        guard let bn = ASN1_INTEGER_to_BN(integer, nil) else { return nil }
        defer { BN_free(bn) }
        guard let hex = BN_bn2hex(bn) else { return nil }
        defer { shim_OPENSSL_free(hex) }
        return String(cString: hex).uppercased()
    }

    /// Compares two crlNumber values given as hex (as `numberHex`): negative, zero or positive like strcmp.
    public static func compareNumbers(_ a: String, _ b: String) -> Int {
        let x = a.drop { $0 == "0" }.uppercased(), y = b.drop { $0 == "0" }.uppercased()
        if x.count != y.count { return x.count < y.count ? -1 : 1 }
        return x == y ? 0 : (x < y ? -1 : 1)
    }
}
