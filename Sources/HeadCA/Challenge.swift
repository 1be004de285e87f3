import Foundation

/// What a challenge may be used for; a challenge issued for one purpose is refused for the other.
public enum ChallengePurpose: String, Sendable, CaseIterable {
    /// A citizen logging in (or registering) with a qualified certificate.
    case citizenLogin = "citizen-login"
    /// A staff member logging in to the console with a qualified certificate.
    case staffLogin = "staff-login"
}

/// A one-time challenge for an e-signature login: the signer signs `text` as a detached CMS, byte for byte.
///
/// The text is short, human-readable UTF-8, one `key: value` line each after a title, ending in a newline:
///
///     OpenESIA: вход по электронной подписи / login with an e-signature
///     purpose: citizen-login
///     id: 3q2-7wX1bL0yQ8mC4nT9vA
///     nonce: kH3x…(43 characters: 32 random bytes, base64url)
///     issued: 2027-01-15T08:00:00.000Z
///     expires: 2027-01-15T08:05:00.000Z
///
/// Signers sign the file as it is, e.g. `openssl cms -sign -binary -in challenge.txt -outform DER …`; no line-ending
/// or charset conversion may happen on the way.
public struct Challenge: Sendable, Equatable {
    /// 16 random bytes, base64url (22 characters): safe in URLs, file names and form fields.
    public let id: String
    /// The exact bytes to sign.
    public let text: [UInt8]
    /// What the challenge may be used for.
    public let purpose: ChallengePurpose
    /// When it was issued.
    public let issuedAt: Date
    /// When it stops working.
    public let expiresAt: Date

    /// The text as a string, for showing or offering as a download; sign `text`, not a re-encoding of this.
    public var textString: String { String(decoding: text, as: UTF8.self) }
}
