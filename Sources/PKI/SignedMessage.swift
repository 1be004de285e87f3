import COpenSSL
import Crypto
import Foundation
import Synchronization

/// A parsed CMS (PKCS#7) SignedData. Accepts DER, PEM ("-----BEGIN CMS-----" or "PKCS7"), and base64/base64url
/// text of DER (padding optional, whitespace ignored). Anything else throws PKIInputError (a clean error, never a crash).
/// Safe to share between threads: verification, which lets OpenSSL record the signer in the structure, is serialised.
public final class SignedMessage: @unchecked Sendable {
    /// True when the content is not inside the message (a detached signature).
    public let isDetached: Bool
    /// The signed content carried inside an attached signature; nil for a detached one.
    public let embeddedContent: [UInt8]?

    private let pointer: OpaquePointer  // CMS_ContentInfo*, owned
    /// CMS_verify and CMS_set1_signers_certs write the signer certificate into the SignerInfo.
    private let verifying = Mutex(())

    /// Parses `bytes`; throws PKIInputError unless they hold exactly one CMS SignedData.
    public init(bytes: [UInt8]) throws {
        let der = try PKIInput.der(bytes, pemLabels: ["CMS", "PKCS7"], what: "a CMS signature")
        try? GOSTEngine.load()  // so GOST certificates inside decode their keys
        OpenSSLError.clearQueue()
        defer { OpenSSLError.clearQueue() }
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            guard let start = buffer.baseAddress else { return nil }
            var cursor: UnsafePointer<UInt8>? = start
            guard let cms = d2i_CMS_ContentInfo(nil, &cursor, buffer.count) else { return nil }
            if cursor != start + buffer.count {
                CMS_ContentInfo_free(cms)
                return nil
            }
            return cms
        }
        guard let parsed else {
            let reasons = OpenSSLError.drainQueue()
            throw PKIInputError("not exactly one DER CMS structure" + (reasons.first.map { ": \($0)" } ?? ""))
        }
        guard OBJ_obj2nid(CMS_get0_type(parsed)) == NID_pkcs7_signed, let content = CMS_get0_content(parsed) else {
            CMS_ContentInfo_free(parsed)
            throw PKIInputError("the CMS structure is not SignedData")
        }
        pointer = parsed
        if let octets = content.pointee {
            isDetached = false
            let length = Int(ASN1_STRING_length(octets))
            embeddedContent = length > 0 ? Array(UnsafeBufferPointer(start: ASN1_STRING_get0_data(octets), count: length)) : []
        } else {
            isDetached = true
            embeddedContent = nil
        }
    }

    deinit { CMS_ContentInfo_free(pointer) }

    /// All certificates embedded in the message, in message order.
    public var certificates: [Certificate] {
        guard let stack = CMS_get1_certs(pointer) else { return [] }  // each element up-referenced for us
        defer { shim_sk_X509_free(stack) }  // the stack only: the Certificates own the references
        return (0..<shim_sk_X509_num(stack)).compactMap { index in
            shim_sk_X509_value(stack, index).map { Certificate(taking: $0) }
        }
    }

    /// How many SignerInfos the message has.
    public var signerCount: Int {
        guard let infos = CMS_get0_SignerInfos(pointer) else { return 0 }
        return Int(shim_sk_CMS_SignerInfo_num(infos))
    }

    /// Checks the one signer's signature over `content` (or the embedded content when nil) WITHOUT chain checks
    /// (CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY); the signer certificate is looked up in `extraCertificates`
    /// first, then among the embedded ones. Exactly one signer is required. Trust in the signer certificate is
    /// the caller's next step (ChainVerifier), at the server's time, never at the claimed signing time.
    public func verifySignature(content: [UInt8]?, extraCertificates: [Certificate] = []) throws -> VerifiedSignature {
        try verifying.withLock { _ throws(SignatureError) -> VerifiedSignature in
            OpenSSLError.clearQueue()
            defer { OpenSSLError.clearQueue() }
            return try verifyLocked(content: content, extraCertificates: extraCertificates)
        }
    }

    private func verifyLocked(content: [UInt8]?, extraCertificates: [Certificate]) throws(SignatureError) -> VerifiedSignature {
        guard let infos = CMS_get0_SignerInfos(pointer) else { throw .noSigner }
        switch shim_sk_CMS_SignerInfo_num(infos) {
        case 0: throw .noSigner
        case 1: break
        default: throw .multipleSigners
        }
        guard let info = shim_sk_CMS_SignerInfo_value(infos, 0) else { throw .noSigner }

        // Forget a signer found by an earlier call, which may have had other extra certificates.
        CMS_SignerInfo_set1_signer_cert(info, nil)
        if extraCertificates.isEmpty {
            _ = CMS_set1_signers_certs(pointer, nil, 0)
        } else {
            guard let stack = shim_sk_X509_new_null() else { throw .badSignature }
            defer { shim_sk_X509_free(stack) }  // the stack only; the SignerInfo takes its own reference
            for certificate in extraCertificates { _ = shim_sk_X509_push(stack, certificate.pointer) }
            _ = CMS_set1_signers_certs(pointer, stack, 0)
        }
        var signerPointer: OpaquePointer? = nil
        var digestAlgorithm: UnsafeMutablePointer<X509_ALGOR>? = nil
        CMS_SignerInfo_get0_algs(info, nil, &signerPointer, &digestAlgorithm, nil)
        guard let signerPointer else { throw .signerCertificateMissing }
        X509_up_ref(signerPointer)
        let signer = Certificate(taking: signerPointer)

        let digestName = try Self.acceptedDigest(digestAlgorithm)
        switch signer.keyFamily {
        case .rsa, .ecdsa, .gost2012_256, .gost2012_512, .gost2001: break
        case .other: throw .unsupportedAlgorithm("signer key \(Self.name(ofKeyIn: signer))")
        }

        let flags = UInt32(CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY)
        let verified: [UInt8]
        if let content {
            let ok = try? PKIInput.withReadOnlyBIO(content) { memory -> Int32 in
                // Given a memory BIO, OpenSSL 3.0's CMS_verify reads through a second one it makes, and leaks that
                // one when CMS_dataInit fails (an unknown algorithm in digestAlgorithms; found by PKIInputFuzz).
                // A pass-through filter on top makes it read ours directly, still without copying the content.
                guard let filter = BIO_new(BIO_f_null()) else { return 0 }
                BIO_push(filter, memory)
                defer {
                    BIO_pop(filter)
                    BIO_free(filter)
                }
                return CMS_verify(pointer, nil, nil, filter, nil, flags)
            }
            guard ok == 1 else { throw .badSignature }
            verified = content
        } else {
            guard let embeddedContent else { throw .contentMissing }
            guard CMS_verify(pointer, nil, nil, nil, nil, flags) == 1 else { throw .badSignature }
            verified = embeddedContent
        }
        return VerifiedSignature(signer: signer, claimedSigningTime: Self.signingTime(info), content: verified,
                                 digestAlgorithm: digestName)
    }

    /// SHA-2 (256/384/512), Streebog (256/512) and, for historical GOST R 34.10-2001 signatures, GOST R 34.11-94;
    /// the digest must also be available (GOST ones need the engine). Returns OpenSSL's short name.
    private static func acceptedDigest(_ algorithm: UnsafeMutablePointer<X509_ALGOR>?) throws(SignatureError) -> String {
        var object: OpaquePointer? = nil
        if let algorithm { X509_ALGOR_get0(&object, nil, nil, algorithm) }
        let nid = object.map { OBJ_obj2nid($0) } ?? NID_undef
        switch nid {
        case NID_sha256, NID_sha384, NID_sha512, NID_id_GostR3411_2012_256, NID_id_GostR3411_2012_512, NID_id_GostR3411_94:
            let name = String(cString: OBJ_nid2sn(nid))
            guard EVP_get_digestbyname(name) != nil else { throw .unsupportedAlgorithm("digest \(name) (GOST engine missing?)") }
            return name
        default:
            throw .unsupportedAlgorithm("digest \(object.map(dottedName) ?? "missing")")
        }
    }

    private static func name(ofKeyIn certificate: Certificate) -> String {
        var algorithm: OpaquePointer? = nil
        guard let publicKey = X509_get_X509_PUBKEY(certificate.pointer),
              X509_PUBKEY_get0_param(&algorithm, nil, nil, nil, publicKey) == 1, let algorithm
        else { return "unknown" }
        return dottedName(algorithm)
    }

    /// The short name when OpenSSL knows the object, else its dotted OID.
    private static func dottedName(_ object: OpaquePointer) -> String {
        let nid = OBJ_obj2nid(object)
        if nid != NID_undef, let short = OBJ_nid2sn(nid) { return String(cString: short) }
        var buffer = [CChar](repeating: 0, count: 128)
        let length = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
        guard length > 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The signingTime signed attribute (UTCTime or GeneralizedTime), if present and readable.
    private static func signingTime(_ info: OpaquePointer) -> Date? {
        let index = CMS_signed_get_attr_by_NID(info, NID_pkcs9_signingTime, -1)
        guard index >= 0, let attribute = CMS_signed_get_attr(info, index) else { return nil }
        for type in [V_ASN1_UTCTIME, V_ASN1_GENERALIZEDTIME] {
            guard let value = X509_ATTRIBUTE_get0_data(attribute, 0, type, nil) else { continue }
            var parts = tm()
            guard ASN1_TIME_to_tm(value.assumingMemoryBound(to: ASN1_TIME.self), &parts) == 1 else { return nil }
            return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
        }
        return nil
    }
}

/// A signature that checked out cryptographically (not yet a trusted signer: see ChainVerifier).
public struct VerifiedSignature: Sendable {
    /// The certificate whose key made the signature.
    public let signer: Certificate
    /// The signingTime attribute: what the signer claims, informational only, never used for trust.
    public let claimedSigningTime: Date?
    /// The content the signature covers (the given content, or the embedded one).
    public let content: [UInt8]
    /// OpenSSL's short name of the message digest: "SHA256", "md_gost12_256", ...
    public let digestAlgorithm: String

    /// A verified signature from its parts (for tests and fakes).
    public init(signer: Certificate, claimedSigningTime: Date?, content: [UInt8], digestAlgorithm: String = "") {
        self.signer = signer
        self.claimedSigningTime = claimedSigningTime
        self.content = content
        self.digestAlgorithm = digestAlgorithm
    }
}

/// Why a CMS signature did not verify.
public enum SignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message has no SignerInfo.
    case noSigner
    /// More than one SignerInfo; exactly one is accepted.
    case multipleSigners
    /// The signer's certificate is neither embedded nor among the extra certificates.
    case signerCertificateMissing
    /// The signature does not match the content (or the signed attributes), or could not be checked.
    case badSignature
    /// A detached signature was checked without content.
    case contentMissing
    /// A digest or key algorithm that is not accepted, named.
    case unsupportedAlgorithm(String)

    /// A short English reason.
    public var description: String {
        switch self {
        case .noSigner: return "the signature has no signer"
        case .multipleSigners: return "the signature has more than one signer"
        case .signerCertificateMissing: return "the signer's certificate is not in the signature"
        case .badSignature: return "the signature does not match the content"
        case .contentMissing: return "the signature is detached and no content was given"
        case .unsupportedAlgorithm(let name): return "unsupported algorithm: \(name)"
        }
    }
}
