import Citizens
import Foundation
import Storage
import Support

/// A code just issued: the only moment its plaintext exists outside a letter batch's files.
public struct IssuedCode: Sendable, CustomStringConvertible {
    /// The code as printed, `XXXX-XXXX-XXXX`. Hand it to the citizen; never log or store it.
    public let code: String
    /// The code's row id, as audit records name it.
    public let codeID: Int64
    /// When the code stops working.
    public let expiresAt: Date

    /// Hides the code, so string interpolation into a log line cannot leak it.
    public var description: String { "IssuedCode(id: \(codeID))" }
}

extension ActivationService {
    /// Issues a service-centre code for the printed slip; returns its plaintext once (issue 4, channel 4).
    ///
    /// The caller (the staff console) has found the citizen by SNILS and matched the passport. Replaces the
    /// citizen's live code and cancels a letter not yet printed.
    /// - Parameters:
    ///   - staff: the acting staff member, `staff:<id>`, for the audit log.
    ///   - centre: the staff member's service centre id, for the audit log.
    public func issueCentreCode(citizenID: Int64, staff: String, centre: String?, source: RequestSource?) throws -> IssuedCode {
        try requireStandardLevel(citizenID: citizenID)
        let code = ActivationCode.generate()
        let normalised = ActivationCode.normalise(code)!
        let now = clock.now()
        let expires = now.addingTimeInterval(settings.centreCodeLifetime)
        let id = try database.write { db in
            try self.endPrevious(citizenID: citizenID, reason: "replaced", actor: staff, source: source, using: db)
            let id = try CodeRow.insert(citizenID: citizenID, channel: .centre, normalised: normalised, key: self.codeKey,
                                        now: Millis.from(now), expiresAt: Millis.from(expires), letterID: nil, using: db)
            var details = ["code": String(id), "channel": "centre", "expiresAt": Timestamp.iso8601(expires)]
            if let centre { details["centre"] = centre }
            try self.record("activation.code.issued", actor: staff, citizenID: citizenID, source: source, details: details, using: db)
            return id
        }
        return IssuedCode(code: code, codeID: id, expiresAt: Millis.date(Millis.from(expires)))
    }
}
