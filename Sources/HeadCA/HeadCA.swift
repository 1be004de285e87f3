import Foundation

/// The head certification authority module: the trust store of head CA roots and accredited CAs with their
/// accreditation periods, revocation lists and the trusted-list (TSL) import; see docs/headca.md.
///
/// The enum itself holds the trusted-list format (`TrustedList`, `TrustedListReader`, `TrustedListWriter`)
/// and small shared helpers; the services are `TrustStore`, `AccreditationRegistry`, `CRLRegistry` and `CRLRefresher`.
public enum HeadCA {
    /// Reads an ISO 8601 date as operators and trusted lists write it: `2026-03-01` (midnight UTC),
    /// `2026-03-01T12:00:00` (UTC), or with a fraction and a zone (`Z`, `+03:00`). Nil for anything else.
    public static func parseDate(_ text: String) -> Date? {
        ISODate.parse(text)
    }

    /// `2026-03-01T12:00:00Z`: whole seconds, UTC, as the trusted-list writer and `openesia ca list` write dates.
    public static func formatDate(_ date: Date) -> String {
        ISODate.format(date)
    }
}
