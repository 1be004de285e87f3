import Citizens
import Foundation
import WebPages

/// Turns the service's view of a citizen into the account page's model.
enum AccountView {
    /// The account page model for `profile`, with the citizen's sessions and this one marked.
    static func model(_ profile: CitizenProfile, sessions: [Session], current: WebSession, context: WebContext) -> AccountModel {
        let level = profile.level.flatMap { WebPages.AccountLevel(rawValue: $0.rawValue) } ?? .simplified
        var model = AccountModel(language: context.language, csrfToken: current.csrfToken, currentPath: context.currentPath,
                                 surname: profile.surname, givenName: profile.givenName, patronymic: profile.patronymic,
                                 birthDate: profile.birthDate, level: level, phone: contact(.phone, profile),
                                 email: contact(.email, profile), snils: profile.documents?.snilsMasked,
                                 passport: profile.documents?.passportMasked, registry: registry(profile.documents))
        if profile.level != nil {
            model.levelMethod = profile.evidence.method
            model.levelReachedAt = profile.evidence.reachedAt
        }
        model.awaitingCode = ContactKind.allCases.filter { kind in
            profile.contacts.contains { $0.kind == kind && $0.confirmedAt == nil }
        }.map { $0 == .phone ? .phone : .email }
        model.missing = profile.missingData.map(\.rawValue)
        model.hasPassword = profile.hasPassword
        model.sessions = sessions.map {
            AccountSession(handle: $0.handle, startedAt: $0.createdAt, lastSeenAt: $0.lastSeenAt, userAgent: $0.userAgent,
                           sourceAddress: $0.sourceAddress, isCurrent: $0.handle == current.session.handle)
        }
        return model
    }

    /// The confirmed contact of a kind, else the one waiting for its code.
    static func contact(_ kind: ContactKind, _ profile: CitizenProfile) -> AccountContact? {
        let ofKind = profile.contacts.filter { $0.kind == kind }
        guard let shown = ofKind.first(where: { $0.confirmedAt != nil }) ?? ofKind.last else { return nil }
        return AccountContact(value: shown.value, verified: shown.confirmedAt != nil)
    }

    /// Both documents' registry states as one: rejected if either is, verified when both are, else pending.
    static func registry(_ documents: DocumentsSummary?) -> RegistryStatus {
        guard let documents else { return .notSubmitted }
        if documents.snilsStatus == .rejected { return .rejected(reason: reason(documents.snilsReason, snils: true)) }
        if documents.passportStatus == .rejected { return .rejected(reason: reason(documents.passportReason, snils: false)) }
        if documents.snilsStatus == .verified && documents.passportStatus == .verified { return .verified }
        return .pending
    }

    /// The registry's reason codes (`RegistryRejection`) in the page's terms; anything else reads as a general refusal.
    static func reason(_ code: String?, snils: Bool) -> String {
        switch code {
        case RegistryRejection.notFound: snils ? "snilsNotFound" : "other"
        case RegistryRejection.passportInvalid: "passportInvalid"
        case RegistryRejection.nameMismatch, RegistryRejection.birthDateMismatch, RegistryRejection.passportNotOfPerson,
             RegistryRejection.issueDateMismatch: "dataMismatch"
        default: "other"
        }
    }
}
