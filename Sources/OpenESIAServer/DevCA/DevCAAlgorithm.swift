import Crypto

/// The key algorithms the development CA makes keys for.
public enum DevCAAlgorithm: String, Sendable, CaseIterable, Codable {
    /// RSA, 2048 bits: the smallest size allowed, enough for development and fast to make.
    case rsa
    /// ECDSA on P-256.
    case ecdsa
    /// GOST R 34.10-2012, 256 bits (parameter set A), signing with Streebog-256.
    case gost256
    /// GOST R 34.10-2012, 512 bits (parameter set A), signing with Streebog-512.
    case gost512

    /// The names the command line accepts.
    public static let names = allCases.map(\.rawValue)

    /// A new key of this algorithm.
    func generateKey() throws(DevCAError) -> PrivateKey {
        do {
            switch self {
            case .rsa: return try PrivateKey.generateRSA(bits: 2048)
            case .ecdsa: return try PrivateKey.generateP256()
            case .gost256: return try PrivateKey.generateGOST2012(bits: 256)
            case .gost512: return try PrivateKey.generateGOST2012(bits: 512)
            }
        } catch {
            throw DevCAError(.crypto, "cannot make a \(rawValue) key: \(error)")
        }
    }

    /// The algorithm of a key the CA holds; nil for families it never makes.
    init?(family: KeyFamily) {
        switch family {
        case .rsa: self = .rsa
        case .ecdsa: self = .ecdsa
        case .gost2012_256: self = .gost256
        case .gost2012_512: self = .gost512
        case .gost2001, .other: return nil
        }
    }
}
