import Crypto
import Foundation
import Storage
import Support

/// A successful login: the session and its secret token for the cookie.
public struct LoginResult: Sendable {
    public var citizenID: Int64
    public var sessionToken: String
    public var session: Session
}

extension CitizenService {
    /// Logs in with SNILS, phone or e-mail and a password.
    ///
    /// One answer for a wrong password and an unknown account (`.wrongCredentials`), with the same work done for both:
    /// an unknown account is throttled under a key derived from the identifier and still costs one scrypt check.
    /// Throttling applies per account and per source address before the password is looked at.
    public func login(identifier: String, password: String, source: RequestSource) throws -> LoginResult {
        let lookup = FormValidation.loginIdentifier(identifier)
        let citizen: CitizenStore.CitizenRow? = try database.read { db in
            var id: Int64?
            if let snils = lookup.snils { id = try self.store.citizenID(snilsIndex: self.vault.blindIndex("snils", snils), using: db) }
            if id == nil, let phone = lookup.phone { id = try self.store.citizenID(confirmedContact: .phone, value: phone, using: db) }
            if id == nil, let email = lookup.email { id = try self.store.citizenID(confirmedContact: .email, value: email, using: db) }
            return try id.flatMap { try self.store.citizen(id: $0, using: db) }
        }
        let accountKey = citizen.map { "account:\($0.id)" }
            ?? "login:" + Hex.encode(HMAC.sha256(key: codeKey.bytes, message: Array("login:\(lookup.normalised)".utf8)))
        let keys = [accountKey, "address:\(source.address)"]
        switch try throttle.check(keys: keys) {
        case .allowed: break
        case .delayed(let until), .lockedOut(let until):
            throw CitizensError(.throttled(retryAfterSeconds: retryAfter(until)))
        }
        let matches = try PasswordHash.verify(password: password, encoded: citizen?.passwordHash ?? unknownAccountHash)
        guard let citizen, matches, citizen.level != nil else {
            let subject = citizen.map { Self.subject($0.id) }
            try write { db in
                try self.throttle.recordFailure(keys: keys, using: db)
                try self.record("login.failed", actor: "anonymous", subject: subject, source: source, details: ["method": "pwd"], using: db)
            }
            throw CitizensError(.wrongCredentials)
        }
        var upgraded: String?
        if let stored = citizen.passwordHash, PasswordHash.parameters(of: stored) != settings.passwordParameters {
            upgraded = try PasswordHash.make(password: password, parameters: settings.passwordParameters)
        }
        let newHash = upgraded
        return try write { db in
            try self.throttle.recordSuccess(key: accountKey, using: db)
            if let newHash { try self.store.updatePasswordHash(citizenID: citizen.id, hash: newHash, using: db) }
            let (token, session) = try self.sessions.create(subject: Self.subject(citizen.id), method: "pwd", userAgent: source.userAgent,
                                                            sourceAddress: source.address, using: db)
            try self.record("login.succeeded", actor: Self.subject(citizen.id), subject: Self.subject(citizen.id), source: source,
                            details: ["method": "pwd", "rehashed": newHash == nil ? "no" : "yes"], using: db)
            return LoginResult(citizenID: citizen.id, sessionToken: token, session: session)
        }
    }

    /// Ends the session of this token; audited when it existed.
    public func logout(token: String, source: RequestSource) throws {
        guard let session = try sessions.validate(token: token) else { return }
        try sessions.end(token: token)
        try write { db in
            try self.record("logout", actor: session.subject, subject: session.subject, source: source, using: db)
        }
    }
}

extension CitizenService {
    /// Ends one of the citizen's own sessions ("end this session" on the account page); audited.
    /// - Returns: false when the handle is not one of the citizen's active sessions.
    @discardableResult
    public func endSession(citizenID: Int64, handle: String, source: RequestSource) throws -> Bool {
        guard try sessions.end(handle: handle, subject: Self.subject(citizenID)) else { return false }
        try write { db in
            try self.record("session.ended", actor: Self.subject(citizenID), subject: Self.subject(citizenID), source: source, using: db)
        }
        return true
    }
}
