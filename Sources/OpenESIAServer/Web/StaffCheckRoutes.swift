import Activation
import Audit
import Citizens
import Foundation
import HTTPServer
import Storage
import WebPages

/// The operator's identity check: exact SNILS → name, birth date, level → passport typed from the document →
/// on a match, confirm now or print an activation-code slip.
///
/// Nothing identifies the citizen between steps but the SNILS the operator typed, sent again in a hidden field and
/// looked up again in every request; the actions (`action=confirm|slip`) re-compare the passport in the same request
/// before acting, so no post can confirm or issue a code without a passport match, whatever its fields say.
struct StaffCheckRoutes {
    let staff: StaffDirectory
    let citizens: CitizenService
    let activation: ActivationService
    let centres: CentreDirectory
    let audit: AuditLog
    let database: Database

    /// Adds GET /staff, POST /staff/check and POST /staff/check/passport.
    func add(to router: inout Router) {
        let guarded = StaffGuard(staff: staff)
        router.get(PagePath.staffHome, guarded.page { context, session in
            Self.searchPage(context, session)
        })
        router.post(PagePath.staffCheck, guarded.form { [self] context, session, form in
            let source = CitizenAPIRoutes.source(context.request)
            try requireCentre(session, action: "citizen-lookup", source: source)
            let snils = String((form.first("snils") ?? "").prefix(32))
            guard (try? SNILS(parsing: snils)) != nil else {
                return Self.searchPage(context, session, outcome: .invalid, status: .unprocessableContent)
            }
            let view = try citizens.staffView(snils: snils)
            try record("staff.citizen-lookup", session, citizenID: view?.citizenID, source: source,
                       details: ["found": view == nil ? "no" : "yes"])
            guard let view else { return Self.searchPage(context, session, outcome: .notFound, status: .notFound) }
            return checkPage(context, session, view, snils: snils, stage: Self.stage(view) ?? .enterPassport)
        })
        router.post(PagePath.staffPassport, guarded.form { [self] context, session, form in
            let source = CitizenAPIRoutes.source(context.request)
            try requireCentre(session, action: "passport-check", source: source)
            let snils = String((form.first("snils") ?? "").prefix(32))
            guard let view = try citizens.staffView(snils: snils) else {
                return Self.searchPage(context, session, outcome: .notFound, status: .notFound)
            }
            // Nothing to compare for an account that cannot change: no passport check, no action.
            if let stage = Self.stage(view) { return checkPage(context, session, view, snils: snils, stage: stage) }
            let passport = TypedPassport(series: String((form.first("passportSeries") ?? "").prefix(16)),
                                         number: String((form.first("passportNumber") ?? "").prefix(16)),
                                         issueDate: String((form.first("passportIssueDate") ?? "").prefix(16)))
            let action = form.first("action") ?? "compare"
            guard try citizens.passportMatches(citizenID: view.citizenID, series: passport.series, number: passport.number,
                                               issueDate: passport.issueDate) else {
                try record("staff.passport-mismatch", session, citizenID: view.citizenID, source: source, details: ["action": action])
                return checkPage(context, session, view, snils: snils, stage: .mismatch, status: .unprocessableContent)
            }
            try record("staff.passport-matched", session, citizenID: view.citizenID, source: source, details: ["action": action])
            switch action {
            case "confirm":
                try citizens.confirmIdentityByStaff(citizenID: view.citizenID, staffID: session.member.id,
                                                    centreID: session.member.centreID, source: source)
                // A code or letter still waiting is of no use now, and must not stay usable.
                try activation.cancel(citizenID: view.citizenID, actor: session.member.subject, source: source)
                let confirmed = try citizens.staffView(snils: snils) ?? view
                return checkPage(context, session, confirmed, snils: snils, stage: .confirmed)
            case "slip":
                let issued = try activation.issueCentreCode(citizenID: view.citizenID, staff: session.member.subject,
                                                            centre: session.member.centreID, source: source)
                let centreName = try session.member.centreID.flatMap { try centres.centre(id: $0)?.name } ?? ""
                let name = [view.surname, view.givenName, view.patronymic].compactMap { $0 }.joined(separator: " ")
                let model = StaffSlipModel(language: context.language, bar: session.bar, citizenName: name, code: issued.code,
                                           expiresAt: issued.expiresAt, centreName: centreName)
                return context.page(StaffSlipPage.render(model))
            default:
                return checkPage(context, session, view, snils: snils, stage: .matched, passport: passport)
            }
        })
    }

    /// Staff without a centre (service admins) may not check identities: refused and audited.
    private func requireCentre(_ session: StaffWebSession, action: String, source: RequestSource) throws {
        guard session.member.centreID == nil else { return }
        try record("staff.denied", session, citizenID: nil, source: source, details: ["action": action])
        throw StaffError.forbidden
    }

    /// The stage for an account that cannot be confirmed here, or nil when the check may go on.
    private static func stage(_ view: StaffCitizenView) -> StaffCheckStage? {
        if view.identityConfirmed || view.level == .confirmed { return .alreadyConfirmed }
        return view.level == .standard ? nil : .notEligible
    }

    /// Audits a step of the check with the staff id, their centre, the citizen and the source address.
    private func record(_ kind: String, _ session: StaffWebSession, citizenID: Int64?, source: RequestSource,
                        details: [String: String] = [:]) throws {
        var details = details
        details["centre"] = session.member.centreID ?? "-"
        details["role"] = session.member.role.rawValue
        try audit.append(AuditEvent(kind: kind, actor: session.member.subject, subject: citizenID.map { "citizen:\($0)" },
                                    sourceAddress: source.address, details: details), to: database)
    }

    static func searchPage(_ context: WebContext, _ session: StaffWebSession, outcome: StaffSearchOutcome = .none,
                           status: HTTPStatus = .ok) -> HTTPResponse {
        let model = StaffSearchModel(language: context.language, currentPath: PagePath.staffHome, bar: session.bar,
                                     canCheck: session.member.centreID != nil, outcome: outcome)
        return context.page(StaffSearchPage.render(model), status: status)
    }

    private func checkPage(_ context: WebContext, _ session: StaffWebSession, _ view: StaffCitizenView, snils: String,
                           stage: StaffCheckStage, passport: TypedPassport? = nil, status: HTTPStatus = .ok) -> HTTPResponse {
        let citizen = StaffCitizenSummary(surname: view.surname, givenName: view.givenName, patronymic: view.patronymic,
                                          birthDate: view.birthDate,
                                          level: view.level.flatMap { WebPages.AccountLevel(rawValue: $0.rawValue) })
        let model = StaffCheckModel(language: context.language, bar: session.bar, citizen: citizen, snils: snils, stage: stage,
                                    passport: passport)
        return context.page(StaffCheckPage.render(model), status: status)
    }
}
