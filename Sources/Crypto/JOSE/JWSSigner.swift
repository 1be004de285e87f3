import COpenSSL
import Support

/// Makes JWS compact serializations (RFC 7515 §7.1) with one private key, algorithm and key id.
///
/// The header is written in a fixed order: `alg`, `kid`, then `typ` if given, then the other extra parameters sorted
/// by name, so equal inputs give equal headers. The signing context is prepared once and copied per signature;
/// a signer is cheap to share between threads.
public struct JWSSigner: Sendable {
    /// The algorithm, written as the header's `alg`.
    public let algorithm: JWSAlgorithm
    /// The key id, written as the header's `kid`.
    public let keyID: String
    private let context: PreparedSignatureContext
    private let maxSignatureLength: Int

    /// A signer for `key`; throws `.keyMismatch` unless the key fits `algorithm` (family, P-256, RSA ≥ 2048 bits,
    /// GOST 2012-256), `.invalidHeader` for an empty key id.
    public init(key: PrivateKey, algorithm: JWSAlgorithm, keyID: String) throws(JWSError) {
        guard !keyID.isEmpty else { throw JWSError(code: .invalidHeader, message: "a key id must not be empty") }
        try algorithm.check(key: key.pointer)
        self.algorithm = algorithm
        self.keyID = keyID
        context = try PreparedSignatureContext(signing: true, key: key.pointer, keyOwner: key, digest: try algorithm.digest())
        maxSignatureLength = Int(EVP_PKEY_get_size(key.pointer))
    }

    /// Signs `payload` and returns `header.payload.signature`, each part base64url.
    /// - Parameter extraHeader: more header parameters, e.g. `["typ": "JWT"]` or ESIA's `["typ": "JWT", "sbt": "access", "ver": 1]`;
    ///   `alg`, `kid` and `crit` are refused with `.invalidHeader`.
    public func sign(payload: [UInt8], extraHeader: [String: JSONValue] = [:]) throws(JWSError) -> String {
        var out = try header(extraHeader)
        out.append(UInt8(ascii: "."))
        out += Base64URL.encodeBytes(payload)
        let signature = try self.signature(over: out)
        out.append(UInt8(ascii: "."))
        out += Base64URL.encodeBytes(signature)
        return String(decoding: out, as: UTF8.self)
    }

    /// The JWS signature over a signing input (`base64url(header) . base64url(payload)` as ASCII), in JWS form.
    public func signature(over signingInput: [UInt8]) throws(JWSError) -> [UInt8] {
        let produced = try context.sign(signingInput, maxSignatureLength: maxSignatureLength)
        return algorithm == .es256 ? try ECDSASignature.raw(fromDER: produced) : produced
    }

    /// The base64url of the header JSON.
    private func header(_ extra: [String: JSONValue]) throws(JWSError) -> [UInt8] {
        for reserved in ["alg", "kid", "crit"] where extra[reserved] != nil {
            throw JWSError(code: .invalidHeader, message: "the extra header must not set \(reserved)")
        }
        var json = [UInt8]()
        json.append(contentsOf: #"{"alg":"#.utf8)
        JSONText.appendString(algorithm.rawValue, to: &json)
        json.append(contentsOf: #","kid":"#.utf8)
        JSONText.appendString(keyID, to: &json)
        var names = JSONValue.sortedNames(extra.keys.filter { $0 != "typ" })
        if extra["typ"] != nil { names.insert("typ", at: 0) }
        for name in names {
            json.append(UInt8(ascii: ","))
            JSONText.appendString(name, to: &json)
            json.append(UInt8(ascii: ":"))
            extra[name]!.append(to: &json)
        }
        json.append(UInt8(ascii: "}"))
        return Base64URL.encodeBytes(json)
    }
}
