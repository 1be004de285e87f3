import Activation
import Citizens
import HTTPServer
import WebPages

/// Centre-admins manage their centre's operators. Every action goes through `StaffDirectory`, which checks the
/// actor's role and centre as stored now and audits both the action and any refusal; this layer only shows pages.
struct StaffTeamRoutes {
    let staff: StaffDirectory

    /// Adds GET /staff/team and its three POSTs.
    func add(to router: inout Router) {
        let guarded = StaffGuard(staff: staff)
        router.get(PagePath.staffTeam, guarded.page { [self] context, session in
            try requireManager(session)
            return try teamPage(context, session)
        })
        router.post(PagePath.staffTeamAdd, guarded.form { [self] context, session, form in
            try requireManager(session)
            let values = ["login": form.first("login") ?? "", "displayName": form.first("displayName") ?? ""]
                .mapValues { String($0.prefix(200)) }
            do {
                // Operators only, and only at the actor's own centre: the directory refuses anything else.
                let enrolment = try staff.add(login: values["login"]!, displayName: values["displayName"]!, role: .operator,
                                              centreID: session.member.centreID, snils: nil, password: form.first("password") ?? "",
                                              by: .staff(session.member), source: CitizenAPIRoutes.source(context.request))
                return try teamPage(context, session, enrolmentURI: enrolment.totpURI)
            } catch StaffError.invalid {
                return try teamPage(context, session, problem: .invalid, values: values, status: .unprocessableContent)
            } catch StaffError.loginTaken {
                return try teamPage(context, session, problem: .loginTaken, values: values, status: .conflict)
            }
        })
        router.post(PagePath.staffTeamDisable, guarded.form { [self] context, session, form in
            try staff.disable(staffID: try Self.staffID(form), by: .staff(session.member), source: CitizenAPIRoutes.source(context.request))
            return context.redirect(PagePath.staffTeam)
        })
        router.post(PagePath.staffTeamResetTOTP, guarded.form { [self] context, session, form in
            let uri = try staff.resetTOTP(staffID: try Self.staffID(form), by: .staff(session.member),
                                          source: CitizenAPIRoutes.source(context.request))
            return try teamPage(context, session, enrolmentURI: uri)
        })
    }

    /// Operators have no team page.
    private func requireManager(_ session: StaffWebSession) throws {
        guard session.member.role != .operator else { throw StaffError.forbidden }
    }

    /// The `staffID` field; a missing or malformed one names nobody.
    private static func staffID(_ form: FormFields) throws -> Int64 {
        guard let text = form.first("staffID"), text.count <= 18, let id = Int64(text) else { throw StaffError.notFound }
        return id
    }

    /// The team as the actor may see it (`members(visibleTo:)`), with the actions they may take on each.
    private func teamPage(_ context: WebContext, _ session: StaffWebSession, enrolmentURI: String? = nil,
                          problem: StaffTeamProblem? = nil, values: [String: String] = [:], status: HTTPStatus = .ok) throws
        -> HTTPResponse {
        let actor = session.member
        let rows = try staff.members(visibleTo: actor).map { member in
            StaffTeamRow(id: member.id, login: member.login, displayName: member.displayName,
                         role: StaffRoleName(rawValue: member.role.rawValue) ?? .operator, active: member.isActive,
                         manageable: member.id != actor.id && StaffAuthorization.canManage(actor: actor, target: member))
        }
        let model = StaffTeamModel(language: context.language, currentPath: PagePath.staffTeam, bar: session.bar, members: rows,
                                   canAdd: actor.centreID != nil && StaffAuthorization.canCreate(actor: actor, role: .operator,
                                                                                                 centreID: actor.centreID),
                                   enrolmentURI: enrolmentURI, problem: problem, values: values)
        return context.page(StaffTeamPage.render(model), status: status)
    }
}
