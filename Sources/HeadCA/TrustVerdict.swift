import Foundation
import PKI

/// One reason a certificate is not trusted by the trust store.
public enum TrustFailure: Sendable, Equatable, CustomStringConvertible {
    /// The chain check itself failed (OpenSSL: validity, signature, revocation, CRLs, key usage, unknown issuer).
    case chain(VerificationResult.Failure)
    /// The certificate is not issued by a CA in the trust store that is issued by a head CA root.
    case issuerNotAccredited
    /// The issuing CA was not accredited at the certificate's issue time (its notBefore).
    case caNotAccreditedAtIssue
    /// The issuing CA is not accredited at the time of verification: suspended, or its period ended.
    case caAccreditationEnded
    /// The issuing CA's accreditation was terminated before the time of verification.
    case caTerminated

    /// A short stable code for APIs, logs and tests, e.g. "revoked", "ca_not_accredited".
    public var code: String {
        switch self {
        case .chain(let failure):
            switch failure {
            case .expired: "expired"
            case .notYetValid: "not_yet_valid"
            case .revoked: "revoked"
            case .unknownIssuer: "unknown_issuer"
            case .badSignature: "bad_signature"
            case .crlMissing: "crl_missing"
            case .crlStale: "crl_stale"
            case .wrongKeyUsage: "wrong_key_usage"
            case .notACA: "not_a_ca"
            case .malformed: "malformed"
            case .algorithmNotAllowed: "algorithm_not_allowed"
            case .other: "verification_error"
            }
        case .issuerNotAccredited: "issuer_not_accredited"
        case .caNotAccreditedAtIssue: "ca_not_accredited"
        case .caAccreditationEnded: "ca_accreditation_ended"
        case .caTerminated: "ca_terminated"
        }
    }

    /// One sentence for people (operators, the login page's details).
    public var description: String {
        switch self {
        case .chain(let failure):
            switch failure {
            case .expired: "the certificate (or one above it) has expired"
            case .notYetValid: "the certificate (or one above it) is not valid yet"
            case .revoked(let at, let reason):
                "the certificate (or one above it) is revoked" + (at.map { " since " + ISODate.format($0) } ?? "")
                    + (reason.map { " (\($0))" } ?? "")
            case .unknownIssuer: "the certificate does not chain to a head CA root in the trust store"
            case .badSignature: "a signature in the chain or on a CRL does not verify"
            case .crlMissing: "no revocation list is at hand for a certificate in the chain"
            case .crlStale: "a revocation list is out of date (past its next update, or older than headca.maxCRLAgeHours)"
            case .wrongKeyUsage: "the certificate is not for signing (key usage)"
            case .notACA: "an issuing certificate is not a CA"
            case .malformed(let detail): "a certificate or CRL is malformed: \(detail)"
            case .algorithmNotAllowed(let detail): "an algorithm in the chain is not allowed at this time: \(detail)"
            case .other(let detail): "verification failed: \(detail)"
            }
        case .issuerNotAccredited: "the issuing CA is not an accredited CA in the trust store"
        case .caNotAccreditedAtIssue: "the issuing CA was not accredited when the certificate was issued"
        case .caAccreditationEnded: "the issuing CA is not accredited at the time of verification (suspended or ended)"
        case .caTerminated: "the issuing CA's accreditation was terminated"
        }
    }
}

/// The trust store's answer for one certificate.
public struct TrustVerdict: Sendable {
    /// True only when the chain leaf → accredited CA → head CA root verified and every accreditation rule held.
    public let isTrusted: Bool
    /// Why not, in the order found; empty when trusted.
    public let failures: [TrustFailure]
    /// The chain OpenSSL built, leaf first (ending in the head CA root when it got that far).
    public let chain: [Certificate]
    /// The accredited CA that issued the certificate, when the chain reached one in the store.
    public let accreditedCA: AccreditedCA?

    /// The failures' codes, e.g. ["revoked"].
    public var codes: [String] { failures.map(\.code) }
}
