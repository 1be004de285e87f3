import COpenSSL
import Support

/// A public JSON Web Key (RFC 7517) for the algorithms published in a JWKS: EC P-256 (ES256) and RSA (RS256).
///
/// Made from a `PublicKey` or `PrivateKey` (the public half only, ever) or read from JSON, e.g. a portal's key set
/// for `private_key_jwt`; turned back into a `PublicKey` with `publicKey()`. GOST keys have no registered JWK form
/// and are refused.
public struct JSONWebKey: Sendable, Equatable {
    /// The `kty` values supported.
    public enum KeyType: String, Sendable {
        case ec = "EC"
        case rsa = "RSA"
    }

    /// `kty`.
    public let keyType: KeyType
    /// `crv` for EC keys: always "P-256" here.
    public let curve: String?
    /// `x` and `y` for EC keys: 32 bytes each, big-endian.
    public let x: [UInt8]?
    public let y: [UInt8]?
    /// `n` and `e` for RSA keys: big-endian, without leading zero bytes.
    public let modulus: [UInt8]?
    public let exponent: [UInt8]?
    /// `kid`; when made from a key, the RFC 7638 thumbprint unless another is given.
    public var keyID: String?
    /// `use`: "sig" for the service's own keys.
    public var use: String?
    /// `alg`, if the key names one (kept as text: a portal's key may name an algorithm this service does not use).
    public var algorithm: String?

    /// The most bytes accepted in an RSA modulus (8192 bits) and exponent, so a hostile key set stays cheap.
    static let maxModulusBytes = 1024
    static let maxExponentBytes = 8

    /// The JWK of an EC P-256 or RSA public key; `keyID` nil means the RFC 7638 thumbprint.
    /// Throws `.invalidKey` for any other kind of key.
    public init(publicKey: PublicKey, keyID: String? = nil, use: String? = "sig", algorithm: JWSAlgorithm? = nil) throws(JWSError) {
        try self.init(evpKey: publicKey.pointer, keyID: keyID, use: use, algorithm: algorithm)
    }

    /// The JWK of a private key's public half; the private members are never written.
    public init(privateKey: PrivateKey, keyID: String? = nil, use: String? = "sig", algorithm: JWSAlgorithm? = nil) throws(JWSError) {
        try self.init(evpKey: privateKey.pointer, keyID: keyID, use: use, algorithm: algorithm)
    }

    private init(evpKey key: OpaquePointer, keyID: String?, use: String?, algorithm: JWSAlgorithm?) throws(JWSError) {
        switch KeyFamily(key: key) {
        case .ecdsa:
            guard JWSAlgorithm.groupName(key) == "prime256v1" else { throw JWSError(code: .invalidKey, message: "only P-256 EC keys have a JWK here") }
            // The uncompressed point: 0x04 ‖ x ‖ y.
            let point = try Self.octetParameter(key, shim_OSSL_PKEY_PARAM_PUB_KEY(), maxLength: 133)
            guard point.count == 65, point[0] == 0x04 else { throw JWSError(code: .invalidKey, message: "unexpected EC point encoding") }
            keyType = .ec
            curve = "P-256"
            x = Array(point[1...32])
            y = Array(point[33...64])
            modulus = nil
            exponent = nil
        case .rsa:
            keyType = .rsa
            curve = nil
            x = nil
            y = nil
            modulus = try Self.bigNumberParameter(key, shim_OSSL_PKEY_PARAM_RSA_N())
            exponent = try Self.bigNumberParameter(key, shim_OSSL_PKEY_PARAM_RSA_E())
        case let family:
            throw JWSError(code: .invalidKey, message: "\(family.rawValue) keys have no JWK form")
        }
        self.use = use
        self.algorithm = algorithm?.rawValue
        self.keyID = keyID ?? thumbprint()
    }

    /// Reads a public JWK. Refuses (`.invalidKey`) an unknown `kty` or `crv`, missing or non-string members, bad
    /// base64url, EC coordinates that are not 32 bytes, RSA values over 8192 bits, and any private member (`d`, `p`, …):
    /// a key set that publishes a private key is a mistake not to be stored.
    public init(json: JSONValue) throws(JWSError) {
        guard let members = json.objectValue else { throw JWSError(code: .invalidKey, message: "a JWK is a JSON object") }
        for name in ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] where members[name] != nil {
            throw JWSError(code: .invalidKey, message: "the JWK holds private key material (\(name))")
        }
        func text(_ name: String, required: Bool) throws(JWSError) -> String? {
            guard let value = members[name] else {
                if required { throw JWSError(code: .invalidKey, message: "the JWK has no \(name)") }
                return nil
            }
            guard let string = value.stringValue else { throw JWSError(code: .invalidKey, message: "the JWK's \(name) is not a string") }
            return string
        }
        func bytes(_ name: String) throws(JWSError) -> [UInt8] {
            guard let decoded = Base64URL.decode(try text(name, required: true)!) else {
                throw JWSError(code: .invalidKey, message: "the JWK's \(name) is not base64url")
            }
            return decoded
        }
        guard let type = KeyType(rawValue: try text("kty", required: true)!) else {
            throw JWSError(code: .invalidKey, message: "unsupported kty")
        }
        keyType = type
        switch type {
        case .ec:
            guard try text("crv", required: true) == "P-256" else { throw JWSError(code: .invalidKey, message: "unsupported crv") }
            let x = try bytes("x")
            let y = try bytes("y")
            // RFC 7518 §6.2.1.2: each coordinate is the full size of the field, 32 bytes for P-256.
            guard x.count == 32, y.count == 32 else { throw JWSError(code: .invalidKey, message: "P-256 coordinates are 32 bytes") }
            curve = "P-256"
            self.x = x
            self.y = y
            modulus = nil
            exponent = nil
        case .rsa:
            let n = Array(try bytes("n").drop { $0 == 0 })
            let e = Array(try bytes("e").drop { $0 == 0 })
            guard !n.isEmpty, n.count <= Self.maxModulusBytes, !e.isEmpty, e.count <= Self.maxExponentBytes else {
                throw JWSError(code: .invalidKey, message: "RSA modulus or exponent out of bounds")
            }
            curve = nil
            x = nil
            y = nil
            modulus = n
            exponent = e
        }
        keyID = try text("kid", required: false)
        use = try text("use", required: false)
        algorithm = try text("alg", required: false)
    }

    /// The JWK as a JSON object (members in sorted order when encoded).
    public var json: JSONValue {
        var members: [String: JSONValue] = ["kty": .string(keyType.rawValue)]
        members.merge(requiredMembers) { a, _ in a }
        if let keyID { members["kid"] = .string(keyID) }
        if let use { members["use"] = .string(use) }
        if let algorithm { members["alg"] = .string(algorithm) }
        return .object(members)
    }

    /// The RFC 7638 thumbprint: base64url of SHA-256 over the required members (`crv`, `kty`, `x`, `y` for EC;
    /// `e`, `kty`, `n` for RSA) as JSON with sorted names and no whitespace.
    public func thumbprint() -> String {
        var members = requiredMembers
        members["kty"] = .string(keyType.rawValue)
        return Base64URL.encode(Digest.sha256(JSONValue.object(members).encoded()))
    }

    private var requiredMembers: [String: JSONValue] {
        switch keyType {
        case .ec: ["crv": .string(curve!), "x": .string(Base64URL.encode(x!)), "y": .string(Base64URL.encode(y!))]
        case .rsa: ["n": .string(Base64URL.encode(modulus!)), "e": .string(Base64URL.encode(exponent!))]
        }
    }

    /// The key as an OpenSSL public key (EVP_PKEY_fromdata); `.invalidKey` when OpenSSL refuses it, e.g. an EC point
    /// that is not on the curve.
    public func publicKey() throws(JWSError) -> PublicKey {
        OpenSSLError.clearQueue()
        guard let builder = OSSL_PARAM_BLD_new() else { throw .openSSL("OSSL_PARAM_BLD_new") }
        defer { OSSL_PARAM_BLD_free(builder) }
        // The builder keeps pointers to what it is given until OSSL_PARAM_BLD_to_param copies them: every buffer
        // and BIGNUM below lives until after that call. The names are static C strings from the shim.
        var bigNumbers: [OpaquePointer] = []
        defer { bigNumbers.forEach { BN_free($0) } }
        let typeName: String
        let point: [UInt8] = keyType == .ec ? [0x04] + x! + y! : []
        var curveName = Array("P-256".utf8CString)
        switch keyType {
        case .ec:
            typeName = "EC"
            let ok = curveName.withUnsafeMutableBufferPointer { c in
                OSSL_PARAM_BLD_push_utf8_string(builder, shim_OSSL_PKEY_PARAM_GROUP_NAME(), c.baseAddress, 0) == 1
            }
            guard ok else { throw .openSSL("OSSL_PARAM_BLD_push_utf8_string") }
            let pushed = point.withUnsafeBytes { p in
                OSSL_PARAM_BLD_push_octet_string(builder, shim_OSSL_PKEY_PARAM_PUB_KEY(), p.baseAddress, p.count) == 1
            }
            guard pushed else { throw .openSSL("OSSL_PARAM_BLD_push_octet_string") }
        case .rsa:
            typeName = "RSA"
            for (name, value) in [(shim_OSSL_PKEY_PARAM_RSA_N(), modulus!), (shim_OSSL_PKEY_PARAM_RSA_E(), exponent!)] {
                guard let bn = BN_bin2bn(value, Int32(value.count), nil) else { throw .openSSL("BN_bin2bn") }
                bigNumbers.append(bn)
                guard OSSL_PARAM_BLD_push_BN(builder, name, bn) == 1 else { throw .openSSL("OSSL_PARAM_BLD_push_BN") }
            }
        }
        guard let params = OSSL_PARAM_BLD_to_param(builder) else { throw .openSSL("OSSL_PARAM_BLD_to_param") }
        defer { OSSL_PARAM_free(params) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, typeName, nil) else { throw .openSSL("EVP_PKEY_CTX_new_from_name") }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_fromdata_init(context) == 1 else { throw .openSSL("EVP_PKEY_fromdata_init") }
        var key: OpaquePointer? = nil
        guard EVP_PKEY_fromdata(context, &key, shim_EVP_PKEY_PUBLIC_KEY(), params) == 1, let key else {
            throw JWSError(code: .invalidKey, message: OpenSSLError.drain("EVP_PKEY_fromdata").description)
        }
        return PublicKey(taking: key)
    }

    /// A BIGNUM parameter of a key as big-endian bytes.
    private static func bigNumberParameter(_ key: OpaquePointer, _ name: UnsafePointer<CChar>) throws(JWSError) -> [UInt8] {
        OpenSSLError.clearQueue()
        var bn: OpaquePointer? = nil
        guard EVP_PKEY_get_bn_param(key, name, &bn) == 1, let bn else { throw .openSSL("EVP_PKEY_get_bn_param") }
        defer { BN_free(bn) }
        var out = [UInt8](repeating: 0, count: Int((BN_num_bits(bn) + 7) / 8))
        BN_bn2bin(bn, &out)
        return out
    }

    /// An octet-string parameter of a key.
    private static func octetParameter(_ key: OpaquePointer, _ name: UnsafePointer<CChar>, maxLength: Int) throws(JWSError) -> [UInt8] {
        OpenSSLError.clearQueue()
        var out = [UInt8](repeating: 0, count: maxLength)
        var length = 0
        guard EVP_PKEY_get_octet_string_param(key, name, &out, out.count, &length) == 1 else {
            throw .openSSL("EVP_PKEY_get_octet_string_param")
        }
        return Array(out.prefix(length))
    }
}
