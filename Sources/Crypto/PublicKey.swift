import COpenSSL

/// A public key (an EVP_PKEY holding no private half): EC, RSA or GOST R 34.10-2012; shareable read-only between
/// threads once made. Read from SubjectPublicKeyInfo (PEM or DER), taken from a `PrivateKey`, or imported from a
/// JSON Web Key (`JSONWebKey.publicKey()`).
public final class PublicKey: @unchecked Sendable {
    /// The EVP_PKEY*, owned by this object; for other OpenSSL wrappers in the package.
    package let pointer: OpaquePointer

    /// Takes ownership of an EVP_PKEY reference.
    package init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    /// Reads a PEM SubjectPublicKeyInfo ("BEGIN PUBLIC KEY").
    public convenience init(pem: String) throws(OpenSSLError) {
        let key = try Self.parse(operation: "PEM_read_bio_PUBKEY") { () throws(OpenSSLError) -> OpaquePointer? in
            let bio = try MemoryBIO(opensslBytes: Array(pem.utf8))
            return PEM_read_bio_PUBKEY(bio.pointer, nil, nil, nil)
        }
        self.init(taking: key)
    }

    /// Reads a DER SubjectPublicKeyInfo; trailing bytes are refused.
    public convenience init(der: [UInt8]) throws(OpenSSLError) {
        let key = try Self.parse(operation: "d2i_PUBKEY") { () throws(OpenSSLError) -> OpaquePointer? in
            der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
                var cursor = buffer.baseAddress
                guard let key = d2i_PUBKEY(nil, &cursor, buffer.count) else { return nil }
                guard cursor == buffer.baseAddress.map({ $0 + buffer.count }) else {
                    EVP_PKEY_free(key)
                    return nil
                }
                return key
            }
        }
        self.init(taking: key)
    }

    /// The public half of `privateKey`.
    public convenience init(_ privateKey: PrivateKey) throws(OpenSSLError) {
        try self.init(der: try Self.spki(privateKey.pointer))
    }

    /// The key algorithm family.
    public var family: KeyFamily { KeyFamily(key: pointer) }

    /// The key size in bits (256 for P-256, the modulus size for RSA).
    public var bits: Int { Int(EVP_PKEY_get_bits(pointer)) }

    /// OpenSSL's name for the key type: "EC", "RSA", or the GOST engine's name.
    public var algorithmName: String {
        EVP_PKEY_get0_type_name(pointer).map { String(cString: $0) } ?? "unknown"
    }

    /// The DER SubjectPublicKeyInfo.
    public func der() throws(OpenSSLError) -> [UInt8] { try Self.spki(pointer) }

    /// The PEM SubjectPublicKeyInfo ("BEGIN PUBLIC KEY").
    public func pem() throws(OpenSSLError) -> String {
        OpenSSLError.clearQueue()
        let bio: MemoryBIO
        do { bio = try MemoryBIO() } catch { throw OpenSSLError.drain("BIO_new") }
        guard PEM_write_bio_PUBKEY(bio.pointer, pointer) == 1 else { throw OpenSSLError.drain("PEM_write_bio_PUBKEY") }
        return bio.string()
    }

    deinit { EVP_PKEY_free(pointer) }

    /// The DER SubjectPublicKeyInfo of any EVP_PKEY.
    static func spki(_ key: OpaquePointer) throws(OpenSSLError) -> [UInt8] {
        OpenSSLError.clearQueue()
        let length = i2d_PUBKEY(key, nil)
        guard length > 0 else { throw OpenSSLError.drain("i2d_PUBKEY") }
        var out = [UInt8](repeating: 0, count: Int(length))
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_PUBKEY(key, &cursor)
        }
        guard written == length else { throw OpenSSLError.drain("i2d_PUBKEY") }
        return out
    }

    /// Runs a parse; when it fails, loads the GOST engine (GOST key types exist only through it) and tries once more.
    private static func parse(operation: String, _ body: () throws(OpenSSLError) -> OpaquePointer?) throws(OpenSSLError) -> OpaquePointer {
        OpenSSLError.clearQueue()
        if let key = try body() { return key }
        let reasons = OpenSSLError.drainQueue()
        guard (try? GOSTEngine.load()) != nil else { throw OpenSSLError(operation: operation, reasons: reasons) }
        if let key = try body() { return key }
        throw OpenSSLError.drain(operation)
    }
}

extension MemoryBIO {
    /// A BIO holding `bytes`, with BIO failures reported as `OpenSSLError`.
    convenience init(opensslBytes bytes: [UInt8]) throws(OpenSSLError) {
        do { try self.init(bytes: bytes) } catch let error as OpenSSLError { throw error } catch { throw OpenSSLError(operation: "BIO", reasons: []) }
    }
}
