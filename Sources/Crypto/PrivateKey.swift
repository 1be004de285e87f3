import COpenSSL

/// A private key (EVP_PKEY): EC P-256, RSA or GOST R 34.10-2012; shareable read-only between threads once made.
public final class PrivateKey: @unchecked Sendable {
    /// The EVP_PKEY*, owned by this object; for other OpenSSL wrappers in the package.
    package let pointer: OpaquePointer

    /// Takes ownership of an EVP_PKEY reference.
    package init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    /// A new EC key on the P-256 curve (for ES256 and TLS).
    public static func generateP256() throws -> PrivateKey {
        // set_group_name copies the name into the generation context, so a temporary C string is enough.
        try generate(algorithm: "EC") { EVP_PKEY_CTX_set_group_name($0, "P-256") }
    }

    /// A new RSA key of `bits` bits (at least 2048).
    public static func generateRSA(bits: Int) throws -> PrivateKey {
        guard bits >= 2048, bits <= 16384 else {
            throw OpenSSLError(operation: "generateRSA", reasons: ["RSA key size \(bits) outside 2048...16384"])
        }
        return try generate(algorithm: "RSA") { EVP_PKEY_CTX_set_rsa_keygen_bits($0, Int32(bits)) }
    }

    /// A new GOST R 34.10-2012 key: 256 bits on parameter set A (TC26), or 512 bits on parameter set A.
    /// Needs the GOST engine (loaded here); the key is made by the engine's key method.
    public static func generateGOST2012(bits: Int) throws -> PrivateKey {
        let nid: Int32
        switch bits {
        case 256: nid = NID_id_GostR3410_2012_256
        case 512: nid = NID_id_GostR3410_2012_512
        default: throw OpenSSLError(operation: "generateGOST2012", reasons: ["GOST R 34.10-2012 keys are 256 or 512 bits, not \(bits)"])
        }
        try GOSTEngine.load()
        OpenSSLError.clearQueue()
        // The engine registers its key methods by NID; the provider lookup by name would not find them.
        guard let context = EVP_PKEY_CTX_new_id(nid, nil) else { throw OpenSSLError.drain("EVP_PKEY_CTX_new_id(gost2012_\(bits))") }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw OpenSSLError.drain("EVP_PKEY_keygen_init") }
        guard EVP_PKEY_CTX_ctrl_str(context, "paramset", "A") > 0 else { throw OpenSSLError.drain("paramset A") }
        var key: OpaquePointer? = nil
        guard EVP_PKEY_keygen(context, &key) == 1, let key else { throw OpenSSLError.drain("EVP_PKEY_keygen") }
        return PrivateKey(taking: key)
    }

    /// The key algorithm family, for choosing signing digests and profiles.
    public var family: KeyFamily { KeyFamily(key: pointer) }

    /// Reads a PEM private key (PKCS#8, or a traditional EC/RSA key); encrypted keys are refused. A GOST key is read
    /// through the GOST engine, loaded here when the first attempt fails (GOST key types exist only through it).
    public convenience init(pem: String) throws {
        func read() throws -> OpaquePointer? {
            OpenSSLError.clearQueue()
            let bio = try MemoryBIO(bytes: pem.utf8)
            // A password callback that refuses, so an encrypted key fails instead of prompting on the terminal.
            return PEM_read_bio_PrivateKey(bio.pointer, nil, { _, _, _, _ in -1 }, nil)
        }
        if let key = try read() {
            self.init(taking: key)
            return
        }
        let failure = OpenSSLError.drain("PEM_read_bio_PrivateKey")
        guard (try? GOSTEngine.load()) != nil, let key = try read() else { throw failure }
        self.init(taking: key)
    }

    /// The key as unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY"); handle the result as a secret.
    public func pkcs8PEM() throws -> String {
        OpenSSLError.clearQueue()
        let bio = try MemoryBIO()
        guard PEM_write_bio_PrivateKey(bio.pointer, pointer, nil, nil, 0, nil, nil) == 1 else {
            throw OpenSSLError.drain("PEM_write_bio_PrivateKey")
        }
        return bio.string()
    }

    /// The public half as SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY").
    public func publicKeyPEM() throws -> String {
        OpenSSLError.clearQueue()
        let bio = try MemoryBIO()
        guard PEM_write_bio_PUBKEY(bio.pointer, pointer) == 1 else {
            throw OpenSSLError.drain("PEM_write_bio_PUBKEY")
        }
        return bio.string()
    }

    /// OpenSSL's name for the key type: "EC" or "RSA".
    public var algorithmName: String {
        EVP_PKEY_get0_type_name(pointer).map { String(cString: $0) } ?? "unknown"
    }

    /// The key size in bits (256 for P-256, the modulus size for RSA).
    public var bits: Int {
        Int(EVP_PKEY_get_bits(pointer))
    }

    deinit { EVP_PKEY_free(pointer) }

    /// EVP_PKEY_Q_keygen is variadic and cannot be called from Swift, hence the explicit steps.
    private static func generate(algorithm: String, configure: (OpaquePointer) -> Int32) throws -> PrivateKey {
        OpenSSLError.clearQueue()
        guard let context = EVP_PKEY_CTX_new_from_name(nil, algorithm, nil) else {
            throw OpenSSLError.drain("EVP_PKEY_CTX_new_from_name(\(algorithm))")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw OpenSSLError.drain("EVP_PKEY_keygen_init") }
        guard configure(context) == 1 else { throw OpenSSLError.drain("key generation parameters") }
        var key: OpaquePointer? = nil
        guard EVP_PKEY_generate(context, &key) == 1, let key else { throw OpenSSLError.drain("EVP_PKEY_generate") }
        return PrivateKey(taking: key)
    }
}

/// Families of keys the service can hold or meet in certificates.
public enum KeyFamily: String, Sendable, CaseIterable {
    case rsa, ecdsa
    case gost2012_256 = "gost2012-256"
    case gost2012_512 = "gost2012-512"
    /// GOST R 34.10-2001: verification of historical signatures only.
    case gost2001
    case other

    /// The family of an EVP_PKEY.
    package init(key: OpaquePointer) {
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_RSA: self = .rsa
        case EVP_PKEY_EC: self = .ecdsa
        case NID_id_GostR3410_2012_256: self = .gost2012_256
        case NID_id_GostR3410_2012_512: self = .gost2012_512
        case NID_id_GostR3410_2001: self = .gost2001
        default: self = .other
        }
    }

    /// The digest a signature by this key family uses: SHA-256 for RSA and ECDSA, Streebog of the key's
    /// size for GOST 2012, GOST R 34.11-94 for GOST 2001; nil when unknown. Needs the GOST engine for GOST.
    public var signingDigestName: String? {
        switch self {
        case .rsa, .ecdsa: return "SHA256"
        case .gost2012_256: return "md_gost12_256"
        case .gost2012_512: return "md_gost12_512"
        case .gost2001: return "md_gost94"
        case .other: return nil
        }
    }
}
