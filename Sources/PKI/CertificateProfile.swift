/// What a certificate is for; decides basicConstraints, keyUsage and extendedKeyUsage.
public enum CertificateProfile: Sendable, Equatable {
    /// The head CA (root or a head CA key certified by another head CA key); nil means no path length limit.
    case headCA(pathLength: Int?)
    /// An accredited CA: issues end-entity certificates only (pathlen 0).
    case accreditedCA
    /// A citizen's signing certificate.
    case citizen
    /// A staff member's signing certificate.
    case staff
    /// A portal (relying party) certificate for signed requests and TLS client authentication.
    case portal
    /// The service's own token-signing key, published as a certificate (the ESIA dialect, docs/esia.md).
    case tokenSigning

    /// True for the CA profiles.
    public var isCA: Bool {
        switch self {
        case .headCA, .accreditedCA: return true
        case .citizen, .staff, .portal, .tokenSigning: return false
        }
    }

    /// basicConstraints in OpenSSL's configuration syntax; always critical (RFC 5280 §4.2.1.9 for CAs).
    var basicConstraints: String {
        switch self {
        case .headCA(let pathLength?): return "critical,CA:TRUE,pathlen:\(pathLength)"
        case .headCA(nil): return "critical,CA:TRUE"
        case .accreditedCA: return "critical,CA:TRUE,pathlen:0"
        case .citizen, .staff, .portal, .tokenSigning: return "critical,CA:FALSE"
        }
    }

    /// keyUsage in OpenSSL's configuration syntax. keyEncipherment only makes sense for an RSA key.
    func keyUsage(rsa: Bool) -> String {
        switch self {
        case .headCA, .accreditedCA: return "critical,keyCertSign,cRLSign"
        case .citizen, .staff: return "critical,digitalSignature,nonRepudiation"
        case .portal: return rsa ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature"
        case .tokenSigning: return "critical,digitalSignature"
        }
    }

    /// extendedKeyUsage, or nil for CAs (an EKU on a CA would restrict every certificate below it).
    /// Signing certificates also carry emailProtection, as real qualified certificates do, so CMS
    /// signatures pass OpenSSL's default S/MIME purpose check.
    var extendedKeyUsage: String? {
        switch self {
        case .headCA, .accreditedCA: return nil
        case .citizen, .staff: return "clientAuth,emailProtection"
        case .portal: return "clientAuth"
        case .tokenSigning: return nil
        }
    }
}
