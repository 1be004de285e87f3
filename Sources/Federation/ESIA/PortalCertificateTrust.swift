import Foundation
import HeadCA
import PKI

/// Decides whether a portal's registered certificate may authenticate requests at a time.
///
/// A pinned certificate (the administrator vouched for it at registration) needs only to be inside its validity
/// period; any other must be trusted by the head CA trust store: a qualified certificate of an accredited CA,
/// not revoked.
public protocol PortalCertificateTrust: Sendable {
    /// Whether `certificate`, not pinned, is trusted at `time`; `intermediates` came with the signature.
    /// Returns the trust store's failure codes when it is not (empty when trusted).
    func failures(of certificate: Certificate, intermediates: [Certificate], at time: Date) -> [String]
}

extension TrustStore: PortalCertificateTrust {
    public func failures(of certificate: Certificate, intermediates: [Certificate], at time: Date) -> [String] {
        let verdict = verify(certificate, extraIntermediates: intermediates, at: time)
        return verdict.isTrusted ? [] : (verdict.codes.isEmpty ? ["untrusted"] : verdict.codes)
    }
}
