import Foundation

/// What a development CA remembers between commands, kept as state.json beside ca.crt and ca.key:
/// the next serial number, the latest CRL number, what it issued and what it revoked.
struct DevCAState: Codable, Equatable {
    /// Where the CA sits in the hierarchy.
    enum Role: String, Codable { case head, accredited }

    /// A certificate this CA signed.
    struct Issued: Codable, Equatable {
        /// Serial number in lower-case hex, as `Certificate.serialNumberHex` gives it.
        var serial: String
        /// Subject in RFC 2253 form.
        var subject: String
        /// accreditedCA, citizen, staff or portal.
        var profile: String
        var notBefore: Date
        var notAfter: Date
        /// SHA-256 of the certificate's DER in hex: `revoke` checks a file against it.
        var sha256: String
    }

    /// A revocation, listed on every CRL made after it.
    struct Revoked: Codable, Equatable {
        var serial: String
        var revokedAt: Date
        var reason: DevCARevocationReason?
    }

    /// The layout version of this file.
    var format = DevCAState.currentFormat
    var role: Role
    var algorithm: DevCAAlgorithm
    /// The CA's own subject in RFC 2253 form; must match ca.crt.
    var subject: String
    /// Where this CA's CRL is published; written as the CRL distribution point of every certificate it issues.
    var crlURL: String?
    /// Serial numbers count up from 1 per CA (the root's own certificate is 1); readable, and unique per issuer.
    var nextSerial: Int
    /// The crlNumber of the latest CRL; the next one gets this plus one.
    var crlNumber: Int
    var issued: [Issued] = []
    var revoked: [Revoked] = []

    static let currentFormat = 1

    /// The JSON text: sorted keys and ISO 8601 dates, so regenerating it gives small diffs.
    func jsonText() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var data = try encoder.encode(self)
        data.append(0x0a)
        return data
    }

    /// Reads state.json text.
    static func decode(_ data: Data) throws -> DevCAState {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(DevCAState.self, from: data)
    }
}
