import Crypto
import Foundation
import PKI
import Support

/// Checks ESIA's `client_secret`: a signature over the request fields made with the key of the portal's registered
/// certificate (ESIA-PROTOCOL §4.3, §5.4). Every failure is ESIA-007053 (or 007014 for a missing parameter, 007002
/// for a portal that cannot sign), with a reason a portal's developer can act on.
///
/// The certificate that counts is always the registered one: a signature by another certificate, even a trusted
/// one with the same subject, is refused. The registered certificate must be valid at the server's time: pinned,
/// within its validity period; otherwise trusted by the head CA trust store (accredited CA, not revoked).
public struct ESIAClientAuthenticator: Sendable {
    /// The longest `client_secret` looked at (a CMS with a certificate chain is a few KiB).
    public static let maxSecretLength = 16_384

    private let trust: (any PortalCertificateTrust)?

    /// `trust` checks certificates that are not pinned; nil refuses them all (no trust store configured).
    public init(trust: (any PortalCertificateTrust)?) {
        self.trust = trust
    }

    /// The portal's certificate when the portal may use the ESIA endpoints: enabled, of the ESIA dialect, with
    /// `esia_signature` and a certificate; else ESIA-007002.
    public static func certificate(of portal: Portal?) throws(ESIAError) -> PortalCertificate {
        guard let portal, portal.enabled else { throw ESIAError(.unknownClient, "no active information system has this client_id") }
        guard portal.settings.dialect == .esia, portal.settings.authMethods.contains(.esiaSignature),
              let certificate = portal.settings.certificate
        else { throw ESIAError(.unknownClient, "this client_id is not registered for the ESIA endpoints (no certificate)") }
        return certificate
    }

    /// Legacy flow: `client_secret` is a CMS SignedData (detached; attached tolerated when it carries exactly `message`)
    /// by the registered certificate, RSA with SHA-256 or GOST R 34.10-2012 with Streebog, with or without signed
    /// attributes, base64url with or without padding (standard base64 accepted too).
    public func verifyCMS(clientSecret: String?, message: [UInt8], portal: Portal, at now: Date) throws(ESIAError) {
        let registered = try Self.certificate(of: portal)
        let bytes = try Self.decodeSecret(clientSecret)
        let certificate = try Self.parse(registered)
        let signed: SignedMessage
        do {
            signed = try SignedMessage(bytes: bytes)
        } catch {
            throw ESIAError(.invalidClientSecret, "client_secret is not a CMS (PKCS#7) signature")
        }
        let verified: VerifiedSignature
        do {
            if signed.isDetached {
                verified = try signed.verifySignature(content: message, extraCertificates: [certificate])
            } else {
                verified = try signed.verifySignature(content: nil, extraCertificates: [certificate])
                guard verified.content == message else {
                    throw ESIAError(.invalidClientSecret, "client_secret carries content other than the signed request fields")
                }
            }
        } catch let error as ESIAError {
            throw error
        } catch {
            throw ESIAError(.invalidClientSecret, "client_secret does not verify: \(error)")
        }
        guard verified.signer.derBytes == registered.der else {
            throw ESIAError(.invalidClientSecret, "client_secret is signed with a certificate other than the registered one")
        }
        switch (verified.signer.keyFamily, verified.digestAlgorithm) {
        case (.rsa, "SHA256"), (.gost2012_256, "md_gost12_256"), (.gost2012_512, "md_gost12_512"):
            break
        default:
            throw ESIAError(.invalidClientSecret,
                            "client_secret must be RSA with SHA-256 or GOST R 34.10-2012 with GOST R 34.11-2012, not \(verified.digestAlgorithm)")
        }
        try checkValidity(certificate, pinned: portal.settings.certificatePinned, intermediates: signed.certificates, at: now)
    }

    /// Current flow: `client_certificate_hash` names the registered certificate (`ESIACertificateHash`), and
    /// `client_secret` is base64url of the raw GOST R 34.10-2012 signature (s ‖ r, as the gost engine makes it) over `message`.
    public func verifyRawGOST(clientSecret: String?, certificateHash: String?, message: [UInt8], portal: Portal,
                              at now: Date) throws(ESIAError) {
        let registered = try Self.certificate(of: portal)
        guard let certificateHash, !certificateHash.isEmpty else {
            throw ESIAError(.missingParameter, "client_certificate_hash is required")
        }
        guard ESIACertificateHash.matches(certificateHash, der: registered.der) else {
            throw ESIAError(.invalidClientSecret, "client_certificate_hash does not match the registered certificate "
                            + "(GOST R 34.11-2012-256 of its DER, upper-case hex)")
        }
        let certificate = try Self.parse(registered)
        let expectedLength: Int
        switch certificate.keyFamily {
        case .gost2012_256: expectedLength = 64
        case .gost2012_512: expectedLength = 128
        default: throw ESIAError(.invalidClientSecret, "the registered certificate has no GOST R 34.10-2012 key, which this endpoint requires")
        }
        let signature = try Self.decodeSecret(clientSecret)
        guard signature.count == expectedLength else {
            throw ESIAError(.invalidClientSecret, "client_secret must be a raw \(expectedLength)-byte GOST R 34.10-2012 signature, "
                            + "not \(signature.count) bytes")
        }
        guard RawSignature.verify(signature, message: message, certificate: certificate) else {
            throw ESIAError(.invalidClientSecret, "client_secret does not verify with the registered certificate's key")
        }
        try checkValidity(certificate, pinned: portal.settings.certificatePinned, intermediates: [], at: now)
    }

    /// Decodes base64url with or without padding; standard base64 (`+`, `/`) too, and a `+` that form decoding turned
    /// into a space. ESIA-007014 when absent, 007053 when not base64.
    static func decodeSecret(_ text: String?) throws(ESIAError) -> [UInt8] {
        guard let text, !text.isEmpty else { throw ESIAError(.missingParameter, "client_secret is required") }
        guard text.utf8.count <= maxSecretLength else { throw ESIAError(.invalidClientSecret, "client_secret is too long") }
        var bytes = Array(text.utf8)
        while bytes.last == UInt8(ascii: "=") { bytes.removeLast() }
        for index in bytes.indices {
            switch bytes[index] {
            case UInt8(ascii: "+"), UInt8(ascii: " "): bytes[index] = UInt8(ascii: "-")
            case UInt8(ascii: "/"): bytes[index] = UInt8(ascii: "_")
            default: break
            }
        }
        guard text.utf8.count - bytes.count <= 2, let decoded = Base64URL.decode(bytes: bytes), !decoded.isEmpty else {
            throw ESIAError(.invalidClientSecret, "client_secret is not base64url")
        }
        return decoded
    }

    private static func parse(_ registered: PortalCertificate) throws(ESIAError) -> Certificate {
        do {
            return try Certificate(der: registered.der)
        } catch {
            throw ESIAError(.invalidClientSecret, "the registered certificate cannot be read")
        }
    }

    private func checkValidity(_ certificate: Certificate, pinned: Bool, intermediates: [Certificate], at now: Date) throws(ESIAError) {
        if pinned {
            guard certificate.notBefore <= now, now <= certificate.notAfter else {
                throw ESIAError(.invalidClientSecret, "the registered certificate is not valid now (valid "
                                + "\(Timestamp.iso8601(certificate.notBefore)) to \(Timestamp.iso8601(certificate.notAfter)))")
            }
            return
        }
        guard let trust else {
            throw ESIAError(.invalidClientSecret, "the registered certificate is not pinned and no trust store is configured")
        }
        let failures = trust.failures(of: certificate, intermediates: intermediates, at: now)
        guard failures.isEmpty else {
            throw ESIAError(.invalidClientSecret, "the registered certificate is not trusted now: \(failures.joined(separator: ", "))")
        }
    }
}
