/// Why a trust-store change was refused. Facts about the domain only; the command line and the server map them.
public struct HeadCAError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Equatable {
        /// The certificate is not a CA certificate (basicConstraints CA:TRUE).
        case notACA
        /// The certificate is not issued directly by one of the configured head CA roots (or no root is configured).
        case notIssuedByHeadRoot
        /// The certificate is self-signed (a head CA root itself), not an accredited CA's.
        case selfSigned
        /// No accredited CA has this id or thumbprint.
        case unknownCA
        /// The CA's accreditation was terminated; it cannot be accredited, suspended or terminated again.
        case terminated
        /// The CA has no accreditation period open now, so there is nothing to suspend.
        case notAccredited
        /// The new period overlaps one the CA already has.
        case periodOverlaps
        /// The period ends before it starts.
        case invalidPeriod
        /// The certificate file or bytes could not be read as a certificate.
        case unreadableCertificate(String)
        /// The trusted list is not usable; nothing was imported.
        case invalidTrustedList(String)
    }

    /// The reason.
    public let code: Code

    /// An error with this reason.
    public init(_ code: Code) { self.code = code }

    /// One line for an operator.
    public var description: String {
        switch code {
        case .notACA: "the certificate is not a CA certificate (basicConstraints CA:TRUE)"
        case .notIssuedByHeadRoot: "the certificate is not issued by a configured head CA root (headca.roots)"
        case .selfSigned: "the certificate is self-signed (a root), not an accredited CA's certificate"
        case .unknownCA: "no accredited CA has that id or thumbprint"
        case .terminated: "the CA's accreditation was terminated; it cannot be accredited again"
        case .notAccredited: "the CA has no accreditation period open now"
        case .periodOverlaps: "the period overlaps an accreditation period the CA already has"
        case .invalidPeriod: "the accreditation period must end after it starts"
        case .unreadableCertificate(let reason): "not a certificate: \(reason)"
        case .invalidTrustedList(let reason): "the trusted list was not imported, nothing changed: \(reason)"
        }
    }
}
