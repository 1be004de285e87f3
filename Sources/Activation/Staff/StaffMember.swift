import Citizens
import Foundation

/// What a staff member may do: run the counter at a centre, manage a centre's operators, or run the service.
public enum StaffRole: String, Sendable, CaseIterable {
    /// Finds citizens by SNILS, checks passports in person, confirms identities, hands out codes; bound to one centre.
    case `operator` = "operator"
    /// An operator who also manages the operators of the same centre.
    case centreAdmin = "centre-admin"
    /// Runs the whole service (portals, centres, accredited CAs, any staff); bound to no centre.
    case serviceAdmin = "service-admin"

    /// Whether members of this role belong to exactly one service centre.
    public var needsCentre: Bool { self != .serviceAdmin }
}

/// A staff account as the application sees it; password hash, TOTP secret and SNILS never leave the store.
public struct StaffMember: Sendable, Equatable {
    /// The account's number.
    public let id: Int64
    /// Lower-case login name.
    public let login: String
    /// The name shown in the console and audit views.
    public let displayName: String
    /// The role.
    public let role: StaffRole
    /// The service centre's id; nil exactly for service admins.
    public let centreID: String?
    /// When the account was created.
    public let createdAt: Date
    /// When the account was disabled; nil while it is active.
    public let disabledAt: Date?
    /// Whether a SNILS is on file (for certificate login later); the number itself is not part of this value.
    public let hasSNILS: Bool

    /// Makes a value; the directory builds these, tests may too.
    public init(id: Int64, login: String, displayName: String, role: StaffRole, centreID: String?, createdAt: Date,
                disabledAt: Date?, hasSNILS: Bool) {
        self.id = id
        self.login = login
        self.displayName = displayName
        self.role = role
        self.centreID = centreID
        self.createdAt = createdAt
        self.disabledAt = disabledAt
        self.hasSNILS = hasSNILS
    }

    /// Whether the account may log in and act.
    public var isActive: Bool { disabledAt == nil }

    /// The session and audit subject, "staff:<id>".
    public var subject: String { StaffMember.subject(id) }

    /// "staff:<id>".
    public static func subject(_ id: Int64) -> String { "staff:\(id)" }

    /// The id in a "staff:<id>" subject, or nil for any other subject (a citizen's, say).
    public static func id(fromSubject subject: String) -> Int64? {
        guard subject.hasPrefix("staff:") else { return nil }
        let digits = subject.dropFirst("staff:".count)
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return Int64(digits)
    }
}

/// Who performs a staff-management action: the command line (the operator of the machine), or a logged-in staff member.
public enum StaffActor: Sendable, Equatable {
    /// `openesia staff …` on the server: trusted like the database itself.
    case commandLine
    /// A staff member acting through the console or the admin API; checked against roles and centres.
    case staff(StaffMember)

    /// The audit log's actor: "operator" for the command line (as other operator commands record it), else "staff:<id>".
    public var auditName: String {
        switch self {
        case .commandLine: "operator"
        case .staff(let member): member.subject
        }
    }
}

/// A new staff account and its authenticator enrolment URI, which holds the TOTP secret: show it once, never store it.
public struct StaffEnrolment: Sendable {
    /// The new account's id.
    public let staffID: Int64
    /// `otpauth://totp/…` for the authenticator app.
    public let totpURI: String
}

/// A successful staff login: who, and the session with its secret token for the cookie.
public struct StaffLogin: Sendable {
    /// Who logged in.
    public let member: StaffMember
    /// The session token for the cookie; never log it.
    public let sessionToken: String
    /// The session.
    public let session: Session
}

extension SessionPolicy {
    /// Staff sessions: 10 minutes idle, 8 hours (a working day) at most. The console shows personal data,
    /// so an unattended counter must lock itself quickly.
    public static let staff = SessionPolicy(idleTimeout: 10 * 60, absoluteTimeout: 8 * 3600, touchInterval: 30)
}
