import Foundation

/// How far a citizen's identity has been established (DESIGN.md "Account levels"). Portals see it as the `acr` claim.
public enum AccountLevel: String, Sendable, Comparable, CaseIterable {
    /// Name, birth date, gender, a confirmed phone or e-mail and a password.
    case simplified
    /// Plus SNILS and passport, both verified against the state registries.
    case standard
    /// Plus identity proven: activation code, staff check at a service centre, or a qualified signature.
    case confirmed

    private var rank: Int { AccountLevel.allCases.firstIndex(of: self)! }
    public static func < (a: AccountLevel, b: AccountLevel) -> Bool { a.rank < b.rank }
}

/// Where a document stands with the state registries.
public enum VerificationStatus: String, Sendable {
    case notSubmitted = "not-submitted"
    case pending
    case verified
    case rejected
}

/// How and when the current level was reached; stored beside the level.
public struct LevelEvidence: Sendable, Equatable {
    /// `registration`, `registry`, `document-change`, `letter-code`, `centre-code`, `staff-check`, `signature`.
    public var method: String
    public var reachedAt: Date

    public init(method: String, reachedAt: Date) {
        self.method = method
        self.reachedAt = reachedAt
    }
}

/// The facts the level follows from. The level is never set directly: it is recomputed from these after every change.
public struct LevelFacts: Sendable, Equatable {
    public var contactConfirmed: Bool
    public var snils: VerificationStatus
    public var passport: VerificationStatus
    /// Identity proven in person, by letter or by signature, for the SNILS on file.
    public var identityConfirmed: Bool
    /// A qualified signature whose certificate carries the SNILS on file was checked. The accredited CA that issued
    /// the certificate saw the holder's documents, so this proves identity without a contact or a passport here.
    public var confirmedBySignature: Bool

    public init(contactConfirmed: Bool, snils: VerificationStatus, passport: VerificationStatus, identityConfirmed: Bool,
                confirmedBySignature: Bool = false) {
        self.contactConfirmed = contactConfirmed
        self.snils = snils
        self.passport = passport
        self.identityConfirmed = identityConfirmed
        self.confirmedBySignature = confirmedBySignature
    }

    /// The level these facts give, or nil while no contact is confirmed (the account is not usable yet).
    ///
    /// - A standard account whose passport changed is simplified until the new passport is verified.
    /// - A confirmed account whose passport changed keeps its confirmation, but portals see standard until the
    ///   new passport is verified.
    /// - A SNILS change clears `identityConfirmed` (done by the caller), so identity must be confirmed again.
    /// - A signature over a verified SNILS is confirmed whatever else is on file: no contact, no passport, a passport
    ///   still being checked or one the registry refused (the passport was no part of that proof; portals only ever
    ///   get verified documents). A SNILS not (or no longer) verified leaves the ordinary rules in force.
    public var level: AccountLevel? {
        if confirmedBySignature && snils == .verified { return .confirmed }
        guard contactConfirmed else { return nil }
        if snils == .verified && passport == .verified {
            return identityConfirmed ? .confirmed : .standard
        }
        if identityConfirmed && snils == .verified && passport == .pending {
            return .standard
        }
        return .simplified
    }
}
