import Foundation
import Storage

/// One active login session as the application sees it; the secret token is never part of it.
public struct Session: Sendable, Equatable {
    /// A random public id for the "end this session" button; knowing it does not let anyone use the session.
    public let handle: String
    /// Who is logged in: "citizen:<id>" or "staff:<id>".
    public let subject: String
    /// When the session was created (login).
    public let createdAt: Date
    /// The last recorded use; lags real use by up to the policy's touch interval.
    public let lastSeenAt: Date
    /// When the session ends if it is not used again: the earlier of the idle and the absolute deadline.
    public let expiresAt: Date
    /// The browser's User-Agent at login, at most 256 characters, for the account page.
    public let userAgent: String
    /// The client's address at login.
    public let sourceAddress: String
    /// How the subject authenticated: "pwd", "pwd+otp" (staff), "signature" (a qualified certificate), "registration".
    public let authenticationMethod: String

    /// Makes a session value.
    public init(handle: String, subject: String, createdAt: Date, lastSeenAt: Date, expiresAt: Date,
                userAgent: String, sourceAddress: String, authenticationMethod: String) {
        self.handle = handle
        self.subject = subject
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.userAgent = userAgent
        self.sourceAddress = sourceAddress
        self.authenticationMethod = authenticationMethod
    }

    /// Whether `subject` has the form "citizen:<id>" or "staff:<id>" with a non-empty id.
    public static func isValidSubject(_ subject: String) -> Bool {
        for prefix in ["citizen:", "staff:"] where subject.hasPrefix(prefix) {
            return subject.count > prefix.count
        }
        return false
    }
}

/// Why a session operation was refused (storage failures arrive as `StorageError`).
public enum SessionError: Error, Equatable, Sendable {
    /// The subject is not "citizen:<id>" or "staff:<id>".
    case invalidSubject
}

/// Times are stored as integer milliseconds since 1970: exact, comparable in SQL, and portable to PostgreSQL's bigint.
enum Millis {
    static func from(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func from(seconds: Double) -> Int64 { Int64((seconds * 1000).rounded(.down)) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}
