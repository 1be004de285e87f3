import COpenSSL
import Support

/// Reading JWS compact serializations (RFC 7515 §7.1).
public enum JWS {
    /// The longest compact serialization accepted, in bytes (64 KiB): far above any token this service meets,
    /// low enough that parsing junk costs little.
    public static let maxCompactLength = 65_536

    /// Splits, decodes and checks a compact JWS without verifying its signature.
    ///
    /// Refuses (RFC 7515 §5.2): more than `maxCompactLength` bytes, anything but three base64url parts (no padding,
    /// canonical), a header that is not a JSON object without duplicate names, `alg` missing or not a string,
    /// `alg: none` (`.unsecured`), any algorithm outside `JWSAlgorithm` (`.unsupportedAlgorithm`, HS256 included),
    /// a `crit` parameter (`.criticalHeader`), and `kid` or `typ` that are not strings.
    public static func parse(_ compact: String) throws(JWSError) -> ParsedJWS {
        let bytes = Array(compact.utf8)
        guard bytes.count <= maxCompactLength else {
            throw JWSError(code: .tooLarge, message: "a JWS of \(bytes.count) bytes is over the limit of \(maxCompactLength)")
        }
        let dots = bytes.indices.filter { bytes[$0] == UInt8(ascii: ".") }
        guard dots.count == 2 else { throw .malformed("a compact JWS has three parts, not \(dots.count + 1)") }
        let headerPart = bytes[..<dots[0]]
        let payloadPart = bytes[(dots[0] + 1)..<dots[1]]
        let signaturePart = bytes[(dots[1] + 1)...]
        guard let headerBytes = Base64URL.decode(bytes: headerPart) else { throw .malformed("the header is not base64url") }
        guard let payload = Base64URL.decode(bytes: payloadPart) else { throw .malformed("the payload is not base64url") }
        guard let signature = Base64URL.decode(bytes: signaturePart) else { throw .malformed("the signature is not base64url") }

        let header: [String: JSONValue]
        do {
            guard let object = try JSONValue.parse(headerBytes, maxDepth: 8).objectValue else {
                throw JWSError.malformed("the header is not a JSON object")
            }
            header = object
        } catch let error as JWSError {
            throw error
        } catch {
            throw .malformed("the header is not valid JSON: \(error)")
        }
        guard case .string(let name)? = header["alg"] else { throw .malformed("the header has no alg string") }
        guard let algorithm = JWSAlgorithm(rawValue: name) else {
            // RFC 7518 §3.6: the unsecured JWS must be refused unless explicitly wanted; here it never is.
            if name.lowercased() == "none" { throw JWSError(code: .unsecured, message: "alg none is never accepted") }
            throw JWSError(code: .unsupportedAlgorithm, message: "alg \(name.prefix(40)) is not supported")
        }
        // RFC 7515 §4.1.11: no extension is understood here, so any crit makes the JWS invalid.
        guard header["crit"] == nil else { throw JWSError(code: .criticalHeader, message: "crit header parameters are not supported") }
        for name in ["kid", "typ", "cty"] {
            if let value = header[name], value.stringValue == nil {
                throw JWSError(code: .invalidHeader, message: "\(name) must be a string")
            }
        }
        return ParsedJWS(header: header, algorithm: algorithm, payload: payload,
                         signingInput: Array(bytes[..<dots[1]]), signature: signature)
    }
}

/// A JWS split and decoded by `JWS.parse`; nothing in it is trusted until `verify` succeeds.
public struct ParsedJWS: Sendable {
    /// The protected header's parameters.
    public let header: [String: JSONValue]
    /// The header's `alg`.
    public let algorithm: JWSAlgorithm
    /// The decoded payload.
    public let payload: [UInt8]
    /// The ASCII bytes `base64url(header) . base64url(payload)` the signature covers.
    public let signingInput: [UInt8]
    /// The decoded signature, in JWS form (raw r ‖ s for ES256).
    public let signature: [UInt8]

    /// The header's `kid`, if present.
    public var keyID: String? { header["kid"]?.stringValue }
    /// The header's `typ`, if present.
    public var type: String? { header["typ"]?.stringValue }

    /// Checks the signature with `key` under the header's algorithm.
    ///
    /// Throws `.keyMismatch` when the key does not fit the header's `alg` (an RS256 token offered to an EC key, an RSA
    /// key under 2048 bits), `.malformed` for a signature of the wrong length, `.invalidSignature` when it does not verify.
    /// To pin the algorithm rather than take it from the token, use `JWSVerifier`.
    public func verify(with key: PublicKey) throws(JWSError) {
        try algorithm.check(key: key.pointer)
        let context = try PreparedSignatureContext(signing: false, key: key.pointer, keyOwner: key, digest: try algorithm.digest())
        try Self.verify(self, algorithm: algorithm, key: key, context: context)
    }

    /// The signature check shared with `JWSVerifier`; `context` is prepared for `key` and `algorithm`.
    static func verify(_ jws: ParsedJWS, algorithm: JWSAlgorithm, key: PublicKey, context: PreparedSignatureContext) throws(JWSError) {
        let signature: [UInt8]
        switch algorithm {
        case .es256:
            signature = try ECDSASignature.der(fromRaw: jws.signature)
        case .rs256:
            let length = Int(EVP_PKEY_get_size(key.pointer))
            guard jws.signature.count == length else { throw .malformed("an RS256 signature with this key is \(length) bytes, not \(jws.signature.count)") }
            signature = jws.signature
        case .gost3410_2012_256:
            guard jws.signature.count == 64 else { throw .malformed("a GOST3410_2012_256 signature is 64 bytes, not \(jws.signature.count)") }
            signature = jws.signature
        }
        guard try context.verify(signature, jws.signingInput) else {
            throw JWSError(code: .invalidSignature, message: "the \(algorithm.rawValue) signature does not verify")
        }
    }
}

/// Verifies JWSs against one public key with a pinned algorithm (RFC 8725 §3.1: never take the algorithm from the
/// token alone). The verification context is prepared once and copied per check; shareable between threads.
public struct JWSVerifier: Sendable {
    /// The only algorithm accepted.
    public let algorithm: JWSAlgorithm
    /// When set, a token whose header names another `kid` is refused; a token without `kid` is accepted.
    public let keyID: String?
    private let key: PublicKey
    private let context: PreparedSignatureContext

    /// A verifier for `key` under `algorithm`; throws `.keyMismatch` if the key does not fit the algorithm.
    public init(key: PublicKey, algorithm: JWSAlgorithm, keyID: String? = nil) throws(JWSError) {
        try algorithm.check(key: key.pointer)
        self.algorithm = algorithm
        self.keyID = keyID
        self.key = key
        context = try PreparedSignatureContext(signing: false, key: key.pointer, keyOwner: key, digest: try algorithm.digest())
    }

    /// Parses and verifies `compact`; returns it parsed. Throws what `JWS.parse` throws, `.keyMismatch` for another
    /// `alg` or `kid` than this verifier's, `.malformed` or `.invalidSignature` for a bad signature.
    public func verify(_ compact: String) throws(JWSError) -> ParsedJWS {
        let jws = try JWS.parse(compact)
        try verify(jws)
        return jws
    }

    /// Verifies an already parsed JWS.
    public func verify(_ jws: ParsedJWS) throws(JWSError) {
        guard jws.algorithm == algorithm else {
            throw JWSError(code: .keyMismatch, message: "expected alg \(algorithm.rawValue), the token says \(jws.algorithm.rawValue)")
        }
        if let keyID, let tokenKeyID = jws.keyID, tokenKeyID != keyID {
            throw JWSError(code: .keyMismatch, message: "the token names another key id")
        }
        try ParsedJWS.verify(jws, algorithm: algorithm, key: key, context: context)
    }
}
