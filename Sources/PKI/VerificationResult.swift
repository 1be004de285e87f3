import Foundation

/// How revocation is checked: `require` fails closed without a current CRL for every certificate in
/// the chain, `ifAvailable` checks the CRLs it has, `off` checks none (for chains that have no CRL).
public enum RevocationPolicy: Sendable {
    case require, ifAvailable, off
}

/// The outcome of a chain verification: trusted or not, and why not.
public struct VerificationResult: Sendable, Equatable {
    /// One reason a certificate is not trusted.
    public enum Failure: Sendable, Equatable {
        case expired
        case notYetValid
        case revoked(at: Date?, reason: String?)
        case unknownIssuer
        case badSignature
        case crlMissing
        case crlStale
        case wrongKeyUsage
        /// An issuing certificate is not a CA (basic constraints) or the path is too long.
        case notACA
        /// An algorithm no longer accepted at the verification time, named (GOST R 34.10-2001 from 2019 on).
        case algorithmNotAllowed(String)
        case malformed(String)
        case other(String)
    }

    /// True only when the chain was built to a trust anchor and nothing failed.
    public var isTrusted: Bool
    /// Why the certificate is not trusted, in the order found; empty when trusted.
    public var failures: [Failure]
    /// The chain OpenSSL built, leaf first (ending in the trust anchor when it got that far).
    public var chain: [Certificate]

    /// A result from its parts.
    public init(isTrusted: Bool, failures: [Failure], chain: [Certificate]) {
        self.isTrusted = isTrusted
        self.failures = failures
        self.chain = chain
    }

    /// Equal when trust and failures are equal and the chains hold the same certificates (by DER).
    public static func == (a: VerificationResult, b: VerificationResult) -> Bool {
        a.isTrusted == b.isTrusted && a.failures == b.failures
            && a.chain.map(\.derBytes) == b.chain.map(\.derBytes)
    }
}
