/// RFC 5280 §5.3.1 CRLReason values a CA may give when it revokes a certificate (removeFromCRL belongs to
/// delta CRLs, which the development CA does not make).
public enum DevCARevocationReason: String, Sendable, CaseIterable, Codable {
    case unspecified, keyCompromise, cACompromise, affiliationChanged, superseded, cessationOfOperation,
         certificateHold, privilegeWithdrawn, aACompromise

    /// The names the command line accepts.
    public static let names = allCases.map(\.rawValue)

    /// The CRLReason code.
    var code: Int {
        switch self {
        case .unspecified: 0
        case .keyCompromise: 1
        case .cACompromise: 2
        case .affiliationChanged: 3
        case .superseded: 4
        case .cessationOfOperation: 5
        case .certificateHold: 6
        case .privilegeWithdrawn: 9
        case .aACompromise: 10
        }
    }
}
