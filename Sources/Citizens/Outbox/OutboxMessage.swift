import Foundation

/// How a message reaches the citizen.
public enum MessageChannel: String, Sendable, CaseIterable {
    case sms, email
}

/// A message to a citizen: a contact confirmation code or a notice.
///
/// The body may hold a one-time code: never log it or put it in an error.
public struct OutboxMessage: Sendable, Equatable {
    /// SMS or e-mail.
    public var channel: MessageChannel
    /// A phone number in international form (`+79991234567`) for SMS, an e-mail address for e-mail.
    public var recipient: String
    /// One line; e-mail only (SMS transports ignore it, the file transport shows it).
    public var subject: String
    /// The text itself.
    public var body: String

    /// Makes a message; `enqueue` checks it.
    public init(channel: MessageChannel, recipient: String, subject: String, body: String) {
        self.channel = channel
        self.recipient = recipient
        self.subject = subject
        self.body = body
    }

    /// Throws when the message could not be delivered safely.
    ///
    /// Recipient and subject become mail headers and environment values, so a line break in them
    /// would let one header smuggle in another (a `Bcc:`, say): control characters are refused.
    public func validate() throws(OutboxError) {
        switch channel {
        case .sms:
            let digits = recipient.utf8.dropFirst()
            guard recipient.utf8.first == UInt8(ascii: "+"), (8...15).contains(digits.count),
                  digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
                throw .invalidRecipient
            }
        case .email:
            let parts = recipient.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, recipient.utf8.count <= 254,
                  !recipient.unicodeScalars.contains(where: { $0.properties.isWhitespace || Self.isControl($0) }) else {
                throw .invalidRecipient
            }
        }
        guard subject.utf8.count <= 998, !subject.unicodeScalars.contains(where: Self.isControl) else {
            throw .invalidSubject
        }
        guard !body.isEmpty, !body.unicodeScalars.contains("\0") else { throw .invalidBody }
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}

/// A message as the outbox holds it, with its delivery state.
public struct StoredMessage: Sendable, Equatable {
    /// The outbox row's id; logs name messages by it.
    public var id: Int64
    /// The message; its body is empty once delivered or given up.
    public var message: OutboxMessage
    /// Delivery attempts made so far.
    public var attempts: Int
    /// When it was enqueued.
    public var createdAt: Date
    /// When it is next due.
    public var nextAttemptAt: Date
}

/// Why the outbox refused a message or a configuration.
public enum OutboxError: Error, Equatable, Sendable {
    /// Not a phone number in international form (SMS) or not a plain e-mail address.
    case invalidRecipient
    /// Longer than a mail header line allows, or holding a control character.
    case invalidSubject
    /// Empty, or holding a NUL.
    case invalidBody
    /// A command transport needs at least the program's path and a positive timeout.
    case invalidCommand
}
