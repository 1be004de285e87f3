import Foundation
import HeadCA
import HTTPServer
import PKI
import Support

/// `POST /api/v1/signatures/verify` (issue 5, item 6): a CMS signature (detached with its content, or attached) or a bare
/// certificate, checked against the trust store at the server's clock now, answered as a result value. Input that is
/// not a signature or certificate at all is an error (400); a signature or certificate that fails is a result with
/// `valid: false` and the reasons.
struct SignatureVerification {
    let trustStore: TrustStore
    var now: @Sendable () -> Date = { Date() }

    struct Request: Decodable {
        /// A CMS SignedData: base64 of DER, or PEM.
        var signature: String?
        /// The signed content, base64, for a detached signature.
        var content: String?
        /// A certificate alone: base64 of DER, or PEM.
        var certificate: String?
    }

    struct Failure: Encodable, Equatable {
        var code: String
        var description: String
    }

    struct Signer: Encodable {
        var subject: String
        var commonName: String
        var surname: String?
        var givenName: String?
        var organization: String?
        var snils: String?
        var inn: String?
        var ogrn: String?
        var ogrnip: String?
        var innle: String?
        var serial: String
        var issuer: String
        var notBefore: String
        var notAfter: String
        var sha1Thumbprint: String
    }

    struct Result: Encodable {
        /// signatureValid (when a signature was given) and trusted.
        var valid: Bool
        /// Absent for a bare certificate.
        var signatureValid: Bool?
        var trusted: Bool
        var failures: [Failure]
        /// Absent when the signature's signer could not be found.
        var signer: Signer?
        /// Subjects, the signer's first, as far as the chain was built.
        var chain: [String]
        /// The signature's digest algorithm (OpenSSL's name), when a signature verified.
        var digestAlgorithm: String?
        /// What the signature claims as its signing time: informational, never used for trust.
        var claimedSigningTime: String?
        var verifiedAt: String
    }

    func run(_ request: Request) throws -> Result {
        let at = now()
        switch (request.signature, request.certificate) {
        case (let signature?, nil):
            return try signatureResult(signature, content: request.content, at: at)
        case (nil, let certificate?):
            guard request.content == nil else {
                throw RequestDecodingError(.malformedJSON, detail: "content goes with a signature, not a certificate")
            }
            let parsed: Certificate
            do {
                parsed = try Certificate(bytes: Array(certificate.utf8))
            } catch let error as PKIInputError {
                throw SignatureLoginError.malformed(error.description)
            }
            return result(parsed, extra: [], signature: nil, at: at)
        default:
            throw RequestDecodingError(.malformedJSON, detail: "give either signature (with content when detached) or certificate")
        }
    }

    private func signatureResult(_ signature: String, content: String?, at: Date) throws -> Result {
        let message = try SignatureLogin.parse(Array(signature.utf8))
        let given = try content.map { text -> [UInt8] in
            guard let bytes = Self.base64(text) else { throw RequestDecodingError(.malformedJSON, detail: "content is not base64") }
            return bytes
        }
        if message.isDetached && given == nil {
            throw RequestDecodingError(.malformedJSON, detail: "the signature is detached: send the signed content as content (base64)")
        }
        if let embedded = message.embeddedContent, let given, embedded != given {
            return failed(Failure(code: "content_mismatch", description: "the content given is not the content inside the signature"), at: at)
        }
        do {
            let signed = try SignatureLogin.checkSignature(message, content: message.isDetached ? given : nil)
            return result(signed.signer, extra: SignatureLogin.others(message.certificates, than: signed.signer), signature: signed, at: at)
        } catch let error as SignatureLoginError {
            switch error {
            case .unsupportedAlgorithm(let name):
                return failed(Failure(code: "unsupported_algorithm", description: "unsupported algorithm: \(name)"), at: at)
            case .signatureInvalid(let reason):
                return failed(Failure(code: "signature_invalid", description: reason), at: at)
            default: throw error
            }
        }
    }

    private func failed(_ failure: Failure, at: Date) -> Result {
        Result(valid: false, signatureValid: false, trusted: false, failures: [failure], signer: nil, chain: [],
               digestAlgorithm: nil, claimedSigningTime: nil, verifiedAt: Timestamp.iso8601(at))
    }

    private func result(_ certificate: Certificate, extra: [Certificate], signature: VerifiedSignature?, at: Date) -> Result {
        let verdict = trustStore.verify(certificate, extraIntermediates: extra, at: at)
        let subject = SubjectIdentifiers.read(certificate)
        let signer = Signer(subject: certificate.subjectDescription, commonName: subject.commonName, surname: subject.surname,
                            givenName: subject.givenName, organization: subject.organization, snils: subject.snils, inn: subject.inn,
                            ogrn: subject.ogrn, ogrnip: subject.ogrnip, innle: subject.innle, serial: certificate.serialNumberHex,
                            issuer: certificate.issuerDescription, notBefore: Timestamp.iso8601(certificate.notBefore),
                            notAfter: Timestamp.iso8601(certificate.notAfter), sha1Thumbprint: certificate.sha1ThumbprintHex)
        return Result(valid: verdict.isTrusted, signatureValid: signature == nil ? nil : true, trusted: verdict.isTrusted,
                      failures: verdict.failures.map { Failure(code: $0.code, description: $0.description) }, signer: signer,
                      chain: verdict.chain.map(\.subjectDescription), digestAlgorithm: signature?.digestAlgorithm,
                      claimedSigningTime: signature?.claimedSigningTime.map(Timestamp.iso8601), verifiedAt: Timestamp.iso8601(at))
    }

    /// Standard or URL-safe base64, padded or not, whitespace ignored; nil for anything else.
    static func base64(_ text: String) -> [UInt8]? {
        var compact = String(text.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) })
        while compact.hasSuffix("=") { compact.removeLast() }
        return Base64URL.decode(compact.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_"))
    }
}
