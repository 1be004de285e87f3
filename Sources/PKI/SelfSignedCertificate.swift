import COpenSSL
import Crypto
import Support

/// Makes self-signed TLS server certificates, for development and first start.
public enum SelfSignedCertificate {
    /// Bad input to `makeTLS`.
    public struct InvalidInput: Error, Sendable, CustomStringConvertible {
        /// What is wrong.
        public let description: String
    }

    /// A new EC P-256 key and a self-signed X.509 v3 TLS server certificate for the given names, valid from
    /// five minutes ago (clock skew) for `validDays` days; subject CN is the first hostname (or IP address).
    public static func makeTLS(hostnames: [String], ipAddresses: [String], validDays: Int) throws
        -> (certificatePEM: String, privateKeyPEM: String)
    {
        guard let commonName = hostnames.first ?? ipAddresses.first else {
            throw InvalidInput(description: "a TLS certificate needs at least one hostname or IP address")
        }
        guard validDays > 0, validDays <= 36500 else {
            throw InvalidInput(description: "validDays \(validDays) outside 1...36500")
        }
        for hostname in hostnames where !isPlausibleHostname(hostname) {
            throw InvalidInput(description: "not a hostname: \(hostname)")
        }

        let key = try PrivateKey.generateP256()
        OpenSSLError.clearQueue()
        guard let x509 = X509_new() else { throw OpenSSLError.drain("X509_new") }
        let certificate = Certificate(taking: x509)  // frees x509 on every path

        guard X509_set_version(x509, 2) == 1 else { throw OpenSSLError.drain("X509_set_version") }  // 2 means v3
        try setRandomSerial(x509)
        guard X509_gmtime_adj(X509_getm_notBefore(x509), -300) != nil,
              X509_time_adj_ex(X509_getm_notAfter(x509), Int32(validDays), 0, nil) != nil
        else { throw OpenSSLError.drain("X509 validity") }
        try setSubjectAndIssuer(x509, commonName: commonName)
        guard X509_set_pubkey(x509, key.pointer) == 1 else { throw OpenSSLError.drain("X509_set_pubkey") }

        try addExtension(x509, NID_basic_constraints, "critical,CA:FALSE")
        try addExtension(x509, NID_key_usage, "critical,digitalSignature")
        try addExtension(x509, NID_ext_key_usage, "serverAuth")
        try addExtension(x509, NID_subject_key_identifier, "hash")
        try addSubjectAltNames(x509, hostnames: hostnames, ipAddresses: ipAddresses)

        guard X509_sign(x509, key.pointer, EVP_sha256()) > 0 else { throw OpenSSLError.drain("X509_sign") }
        return (try certificate.pem(), try key.pkcs8PEM())
    }

    /// Letters, digits, '-', '.', and a leading "*." wildcard: what a DNS name in a SAN may hold.
    private static func isPlausibleHostname(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        let body = name.hasPrefix("*.") ? name.dropFirst(2) : Substring(name)
        return !body.isEmpty && body.utf8.allSatisfy { c in
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
        }
    }

    /// 16 random bytes with the top bit cleared (positive, as RFC 5280 requires) and the next bit set (full length).
    private static func setRandomSerial(_ x509: OpaquePointer) throws {
        var bytes = SecureRandom.bytes(16)
        bytes[0] = (bytes[0] & 0x7f) | 0x40
        guard let bn = BN_bin2bn(bytes, Int32(bytes.count), nil) else { throw OpenSSLError.drain("BN_bin2bn") }
        defer { BN_free(bn) }
        guard let serial = BN_to_ASN1_INTEGER(bn, nil) else { throw OpenSSLError.drain("BN_to_ASN1_INTEGER") }
        defer { ASN1_INTEGER_free(serial) }
        guard X509_set_serialNumber(x509, serial) == 1 else { throw OpenSSLError.drain("X509_set_serialNumber") }
    }

    private static func setSubjectAndIssuer(_ x509: OpaquePointer, commonName: String) throws {
        guard let name = X509_NAME_new() else { throw OpenSSLError.drain("X509_NAME_new") }
        defer { X509_NAME_free(name) }
        let bytes = Array(commonName.utf8)
        guard X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, bytes, Int32(bytes.count), -1, 0) == 1 else {
            throw OpenSSLError.drain("X509_NAME_add_entry_by_txt")
        }
        // Both calls copy the name.
        guard X509_set_subject_name(x509, name) == 1, X509_set_issuer_name(x509, name) == 1 else {
            throw OpenSSLError.drain("X509_set_subject_name")
        }
    }

    /// Adds an extension from OpenSSL's configuration syntax (fixed strings only, never user input).
    private static func addExtension(_ x509: OpaquePointer, _ nid: Int32, _ value: String) throws {
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, x509, x509, nil, nil, 0)
        guard let ext = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
            throw OpenSSLError.drain("X509V3_EXT_conf_nid(\(value))")
        }
        defer { X509_EXTENSION_free(ext) }
        guard X509_add_ext(x509, ext, -1) == 1 else { throw OpenSSLError.drain("X509_add_ext") }
    }

    /// Builds subjectAltName as GENERAL_NAMES rather than a configuration string, so names cannot inject syntax.
    private static func addSubjectAltNames(_ x509: OpaquePointer, hostnames: [String], ipAddresses: [String]) throws {
        guard let names = GENERAL_NAMES_new() else { throw OpenSSLError.drain("GENERAL_NAMES_new") }
        defer { GENERAL_NAMES_free(names) }  // frees the pushed names too
        for hostname in hostnames {
            guard let ia5 = ASN1_IA5STRING_new() else { throw OpenSSLError.drain("ASN1_IA5STRING_new") }
            let bytes = Array(hostname.utf8)
            guard ASN1_STRING_set(ia5, bytes, Int32(bytes.count)) == 1 else {
                ASN1_IA5STRING_free(ia5)
                throw OpenSSLError.drain("ASN1_STRING_set")
            }
            try push(names, type: GEN_DNS, value: ia5)
        }
        for address in ipAddresses {
            guard let octets = a2i_IPADDRESS(address) else {
                OpenSSLError.clearQueue()
                throw InvalidInput(description: "not an IP address: \(address)")
            }
            try push(names, type: GEN_IPADD, value: octets)
        }
        guard X509_add1_ext_i2d(x509, NID_subject_alt_name, UnsafeMutableRawPointer(names), 0, UInt(X509V3_ADD_DEFAULT)) == 1 else {
            throw OpenSSLError.drain("X509_add1_ext_i2d(subjectAltName)")
        }
    }

    private static func push(_ names: OpaquePointer, type: Int32, value: UnsafeMutablePointer<ASN1_STRING>) throws {
        guard let name = GENERAL_NAME_new() else {
            ASN1_STRING_free(value)
            throw OpenSSLError.drain("GENERAL_NAME_new")
        }
        GENERAL_NAME_set0_value(name, type, UnsafeMutableRawPointer(value))  // name now owns value
        guard shim_sk_GENERAL_NAME_push(names, name) > 0 else {
            GENERAL_NAME_free(name)
            throw OpenSSLError.drain("sk_GENERAL_NAME_push")
        }
    }
}
