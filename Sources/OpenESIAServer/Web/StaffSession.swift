import Activation
import Citizens
import HTTPServer
import WebPages

/// A browser's valid staff session, from the `staff_sid` cookie.
struct StaffWebSession {
    /// The staff session cookie: its own name and `Path=/staff`, so it never travels with citizen pages and a
    /// citizen's `sid` never opens the console; SameSite=Strict, since no other site ever links into the console.
    static let cookie = "staff_sid"

    /// The secret token from the cookie.
    let token: String
    /// The staff member as stored now (active; disabled accounts have no session).
    let member: StaffMember
    /// The token for this session's forms, bound to it.
    let csrfToken: String

    /// The bar at the top of console pages.
    var bar: StaffBar {
        StaffBar(displayName: member.displayName, showsTeam: member.role != .operator, csrfToken: csrfToken)
    }

    /// The session of the request's `staff_sid` cookie, or nil when there is none or it is not a live staff session.
    static func find(_ context: WebContext, staff: StaffDirectory) throws -> StaffWebSession? {
        guard let token = context.cookies.first(cookie), let member = try staff.member(sessionToken: token) else { return nil }
        return StaffWebSession(token: token, member: member, csrfToken: staff.sessions.csrfToken(for: token))
    }

    /// Sets the staff session cookie.
    static func set(_ token: String, _ context: WebContext, _ response: HTTPResponse) -> HTTPResponse {
        var response = response
        response.setCookie(SetCookie(name: cookie, value: token, path: PagePath.staffHome, secure: context.request.isSecure,
                                     httpOnly: true, sameSite: .strict))
        return response
    }

    /// Deletes the staff session cookie.
    static func remove(_ context: WebContext, _ response: HTTPResponse) -> HTTPResponse {
        var response = response
        response.setCookie(.removal(of: cookie, path: PagePath.staffHome, secure: context.request.isSecure, httpOnly: true,
                                    sameSite: .strict))
        return response
    }
}

/// Wraps console handlers with the checks they share.
///
/// ```
/// no live staff session (none, expired, a citizen's, disabled) ──▶ 303 /staff/login
/// POST with a csrf field not bound to the staff session ─────────▶ 403, nothing changes
/// ```
struct StaffGuard {
    let staff: StaffDirectory

    /// A console page for a signed-in staff member.
    func page(_ handler: @escaping @Sendable (WebContext, StaffWebSession) throws -> HTTPResponse) -> HTTPHandler {
        { [staff] request in
            let context = WebContext(request)
            guard let session = try StaffWebSession.find(context, staff: staff) else { return context.redirect(PagePath.staffLogin) }
            return try handler(context, session)
        }
    }

    /// A console form post; the csrf field must be the staff session's token.
    func form(_ handler: @escaping @Sendable (WebContext, StaffWebSession, FormFields) throws -> HTTPResponse) -> HTTPHandler {
        { [staff] request in
            let context = WebContext(request)
            let form = try request.formFields()
            guard let session = try StaffWebSession.find(context, staff: staff) else { return context.redirect(PagePath.staffLogin) }
            guard staff.sessions.verifyCSRF(form.first("csrf") ?? "", for: session.token) else { return context.forbidden() }
            return try handler(context, session, form)
        }
    }
}
