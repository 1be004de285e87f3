/// One security-relevant event, as the caller describes it before it is appended to the log.
///
/// The log is kept for years and shown to staff: `details` holds small facts such as a client id,
/// a level or a reason code, and NEVER personal data (names, passport, SNILS, INN, phone, e-mail),
/// activation or authorization codes, passwords or tokens. Refer to people by id in `actor`/`subject`.
public struct AuditEvent: Sendable, Equatable {
    /// Dotted event name such as `citizen.registered`, `login.failed`, `code.issued`: 1–64 of `[a-z0-9._-]`.
    public var kind: String
    /// Who acted: `citizen:<id>`, `staff:<id>`, `system` or `anonymous`; 1–128 characters.
    public var actor: String
    /// Whom the event concerns, such as `citizen:<id>` or `portal:<client_id>`; 1–128 characters.
    public var subject: String?
    /// The client's IP address without port; at most 64 characters.
    public var sourceAddress: String?
    /// Small facts, at most 16; keys 1–64 of `[A-Za-z0-9._-]`, values at most 256 characters. No personal data or secrets.
    public var details: [String: String]

    /// Makes an event; it is validated when appended.
    public init(kind: String, actor: String, subject: String? = nil, sourceAddress: String? = nil,
                details: [String: String] = [:]) {
        self.kind = kind
        self.actor = actor
        self.subject = subject
        self.sourceAddress = sourceAddress
        self.details = details
    }

    static let maxKindLength = 64
    static let maxPartyLength = 128
    static let maxSourceAddressLength = 64
    static let maxDetails = 16
    static let maxDetailKeyLength = 64
    static let maxDetailValueLength = 256

    /// Throws the first rule the event breaks. Lengths count Unicode scalars, so a stored field is bounded in bytes too.
    func validate() throws(AuditError) {
        guard Self.isName(kind, maxLength: Self.maxKindLength, allowUpperCase: false) else { throw .invalidKind }
        guard Self.fits(actor, Self.maxPartyLength) else { throw .invalidActor }
        if let subject, !Self.fits(subject, Self.maxPartyLength) { throw .invalidSubject }
        if let sourceAddress, !Self.fits(sourceAddress, Self.maxSourceAddressLength) { throw .invalidSourceAddress }
        guard details.count <= Self.maxDetails else { throw .tooManyDetails(count: details.count) }
        for (key, value) in details {
            guard Self.isName(key, maxLength: Self.maxDetailKeyLength, allowUpperCase: true) else { throw .invalidDetailKey }
            guard value.unicodeScalars.count <= Self.maxDetailValueLength else { throw .detailValueTooLong(key: key) }
        }
    }

    private static func fits(_ text: String, _ maxLength: Int) -> Bool {
        !text.isEmpty && text.unicodeScalars.count <= maxLength
    }

    private static func isName(_ text: String, maxLength: Int, allowUpperCase: Bool) -> Bool {
        guard !text.isEmpty, text.utf8.count <= maxLength else { return false }
        return text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                return allowUpperCase
            default:
                return false
            }
        }
    }
}
