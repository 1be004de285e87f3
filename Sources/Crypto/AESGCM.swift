import COpenSSL

/// AES-256-GCM authenticated encryption through OpenSSL's EVP_CIPHER interface.
public enum AESGCM {
    /// Nonce length in bytes (96 bits, GCM's native IV size).
    public static let nonceByteCount = 12
    /// Authentication tag length in bytes (the full 128 bits).
    public static let tagByteCount = 16

    /// Encrypts and authenticates; output: 12-byte random nonce ‖ ciphertext ‖ 16-byte tag.
    public static func seal(_ plaintext: [UInt8], key: SymmetricKey, associatedData: [UInt8] = []) throws(CryptoError) -> [UInt8] {
        // Random 96-bit nonces: with one key, the collision risk stays below 2^-32 up to 2^32 seals,
        // far more personal-data fields than this service will ever encrypt under one data key.
        let nonce = randomBytes(nonceByteCount)
        let (ciphertext, tag) = try seal(plaintext, key: key, nonce: nonce, associatedData: associatedData)
        return nonce + ciphertext + tag
    }

    /// Checks and decrypts the output of `seal`; throws on a wrong key, altered bytes, wrong
    /// associated data, or input shorter than nonce + tag (28 bytes) — never returns unauthenticated bytes.
    public static func open(_ sealed: [UInt8], key: SymmetricKey, associatedData: [UInt8] = []) throws(CryptoError) -> [UInt8] {
        guard sealed.count >= nonceByteCount + tagByteCount else {
            throw CryptoError(code: .malformedInput,
                              message: "sealed data is \(sealed.count) bytes, shorter than nonce and tag (\(nonceByteCount + tagByteCount))")
        }
        let nonce = Array(sealed.prefix(nonceByteCount))
        let ciphertext = Array(sealed[nonceByteCount ..< sealed.count - tagByteCount])
        let tag = Array(sealed.suffix(tagByteCount))
        return try open(ciphertext, tag: tag, key: key, nonce: nonce, associatedData: associatedData)
    }

    /// The raw primitive with a caller-chosen nonce, for known-answer tests. Never reuse a nonce with one key.
    package static func seal(_ plaintext: [UInt8], key: SymmetricKey, nonce: [UInt8],
                             associatedData: [UInt8]) throws(CryptoError) -> (ciphertext: [UInt8], tag: [UInt8]) {
        precondition(nonce.count == nonceByteCount)
        OpenSSLError.clearQueue()
        let context = try Context(encrypting: true, key: key, nonce: nonce)
        try context.addAssociatedData(associatedData)
        var ciphertext = try context.update(plaintext)
        ciphertext += try context.finish()
        var tag = [UInt8](repeating: 0, count: tagByteCount)
        guard EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_GET_TAG, Int32(tagByteCount), &tag) == 1 else {
            throw CryptoError.openSSL("EVP_CTRL_GCM_GET_TAG")
        }
        return (ciphertext, tag)
    }

    /// The raw inverse of `seal(_:key:nonce:associatedData:)`; throws `.authenticationFailed` on a tag mismatch.
    package static func open(_ ciphertext: [UInt8], tag: [UInt8], key: SymmetricKey, nonce: [UInt8],
                             associatedData: [UInt8]) throws(CryptoError) -> [UInt8] {
        precondition(nonce.count == nonceByteCount && tag.count == tagByteCount)
        OpenSSLError.clearQueue()
        let context = try Context(encrypting: false, key: key, nonce: nonce)
        try context.addAssociatedData(associatedData)
        var plaintext = try context.update(ciphertext)
        var expected = tag
        guard EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_SET_TAG, Int32(tagByteCount), &expected) == 1 else {
            throw CryptoError.openSSL("EVP_CTRL_GCM_SET_TAG")
        }
        // DecryptFinal checks the tag; on a mismatch the decrypted bytes are wiped and not returned.
        var unused = [UInt8](repeating: 0, count: 16)
        var length: Int32 = 0
        guard EVP_DecryptFinal_ex(context.pointer, &unused, &length) == 1 else {
            OpenSSLError.clearQueue()
            for i in plaintext.indices { plaintext[i] = 0 }
            throw CryptoError(code: .authenticationFailed,
                              message: "sealed data failed authentication (wrong key, wrong associated data, or altered bytes)")
        }
        return plaintext
    }

    /// The cipher, fetched once: EVP_CIPHER objects are reference counted and shareable between threads.
    private final class Algorithm: @unchecked Sendable {
        let cipher: OpaquePointer
        init() {
            guard let cipher = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil) else {
                fatalError("EVP_CIPHER_fetch(AES-256-GCM) failed: \(OpenSSLError.drainQueue())")
            }
            self.cipher = cipher
        }
    }
    private static let algorithm = Algorithm()

    /// One EVP_CIPHER_CTX for one operation (contexts are not shareable); freed, key schedule wiped, on deinit.
    private final class Context {
        let pointer: OpaquePointer
        let encrypting: Bool

        init(encrypting: Bool, key: SymmetricKey, nonce: [UInt8]) throws(CryptoError) {
            guard let pointer = EVP_CIPHER_CTX_new() else { throw CryptoError.openSSL("EVP_CIPHER_CTX_new") }
            self.pointer = pointer
            self.encrypting = encrypting
            // The default GCM IV length is 12 bytes, the nonce length used here.
            let ok = key.bytes.withUnsafeBufferPointer { k in
                nonce.withUnsafeBufferPointer { n in
                    encrypting
                        ? EVP_EncryptInit_ex2(pointer, AESGCM.algorithm.cipher, k.baseAddress, n.baseAddress, nil)
                        : EVP_DecryptInit_ex2(pointer, AESGCM.algorithm.cipher, k.baseAddress, n.baseAddress, nil)
                }
            }
            guard ok == 1 else { throw CryptoError.openSSL(encrypting ? "EVP_EncryptInit_ex2" : "EVP_DecryptInit_ex2") }
        }

        func addAssociatedData(_ data: [UInt8]) throws(CryptoError) {
            guard !data.isEmpty else { return }
            var length: Int32 = 0
            let ok = data.withUnsafeBufferPointer { d in
                encrypting
                    ? EVP_EncryptUpdate(pointer, nil, &length, d.baseAddress, Int32(d.count))
                    : EVP_DecryptUpdate(pointer, nil, &length, d.baseAddress, Int32(d.count))
            }
            guard ok == 1 else { throw CryptoError.openSSL("associated data") }
        }

        func update(_ input: [UInt8]) throws(CryptoError) -> [UInt8] {
            guard !input.isEmpty else { return [] }
            guard input.count < Int(Int32.max) - 16 else {
                throw CryptoError(code: .malformedInput, message: "input of \(input.count) bytes is too large")
            }
            // GCM is a stream mode: output length equals input length.
            var output = [UInt8](repeating: 0, count: input.count)
            var length: Int32 = 0
            let ok = input.withUnsafeBufferPointer { i in
                encrypting
                    ? EVP_EncryptUpdate(pointer, &output, &length, i.baseAddress, Int32(i.count))
                    : EVP_DecryptUpdate(pointer, &output, &length, i.baseAddress, Int32(i.count))
            }
            guard ok == 1 else { throw CryptoError.openSSL(encrypting ? "EVP_EncryptUpdate" : "EVP_DecryptUpdate") }
            return Array(output.prefix(Int(length)))
        }

        func finish() throws(CryptoError) -> [UInt8] {
            var output = [UInt8](repeating: 0, count: 16)
            var length: Int32 = 0
            guard EVP_EncryptFinal_ex(pointer, &output, &length) == 1 else { throw CryptoError.openSSL("EVP_EncryptFinal_ex") }
            return Array(output.prefix(Int(length)))
        }

        deinit { EVP_CIPHER_CTX_free(pointer) }
    }
}
