import Citizens
import HTTPServer
import WebPages

/// A browser's valid citizen session, from the `sid` cookie.
struct WebSession {
    /// The secret token from the cookie.
    let token: String
    /// The session as stored (handle, subject, times).
    let session: Session
    /// The citizen signed in.
    let citizenID: Int64
    /// The token for this session's forms, bound to it (`SessionStore.csrfToken`).
    let csrfToken: String

    /// The session of the request's cookie, or nil when there is none or it is not a live citizen session.
    static func find(_ context: WebContext, sessions: SessionStore) throws -> WebSession? {
        guard let token = context.sessionToken, let session = try sessions.validate(token: token),
              session.subject.hasPrefix("citizen:"), let citizenID = Int64(session.subject.dropFirst("citizen:".count))
        else { return nil }
        return WebSession(token: token, session: session, citizenID: citizenID, csrfToken: sessions.csrfToken(for: token))
    }
}

/// Wraps page handlers with the checks they share: a session, a confirmed contact, the form's anti-forgery token.
///
/// ```
/// no valid session ─────────────────────────────▶ 303 /login
/// session, no confirmed contact ─(other pages)──▶ 303 /contact/confirm   (confirm, resend and logout stay open)
/// POST with a wrong or missing csrf field ──────▶ 403, nothing changes
/// ```
struct WebGuard {
    /// Where sessions and profiles come from.
    let service: CitizenService

    /// A page for a signed-in citizen whose account is usable (a contact confirmed).
    func account(_ handler: @escaping @Sendable (WebContext, WebSession, CitizenProfile) throws -> HTTPResponse) -> HTTPHandler {
        session { context, session in
            let profile = try service.profile(citizenID: session.citizenID)
            guard profile.level != nil else { return context.redirect(PagePath.confirmContact) }
            return try handler(context, session, profile)
        }
    }

    /// A form post for a signed-in citizen whose account is usable; the csrf field is checked first.
    func accountForm(_ handler: @escaping @Sendable (WebContext, WebSession, CitizenProfile, FormFields) throws -> HTTPResponse)
        -> HTTPHandler {
        sessionForm { context, session, form in
            let profile = try service.profile(citizenID: session.citizenID)
            guard profile.level != nil else { return context.redirect(PagePath.confirmContact) }
            return try handler(context, session, profile, form)
        }
    }

    /// A page for any signed-in citizen, confirmed contact or not.
    func session(_ handler: @escaping @Sendable (WebContext, WebSession) throws -> HTTPResponse) -> HTTPHandler {
        { [service] request in
            let context = WebContext(request)
            guard let session = try WebSession.find(context, sessions: service.sessions) else {
                return context.redirect(PagePath.login)
            }
            do {
                return try handler(context, session)
            } catch let error as CitizensError where error.code == .notFound {
                // The session outlived its account: nothing to show, start over.
                return context.withoutSession(context.redirect(PagePath.login))
            }
        }
    }

    /// A form post for any signed-in citizen; the csrf field must be the session's token.
    func sessionForm(_ handler: @escaping @Sendable (WebContext, WebSession, FormFields) throws -> HTTPResponse) -> HTTPHandler {
        { [service] request in
            let context = WebContext(request)
            let form = try request.formFields()
            guard let session = try WebSession.find(context, sessions: service.sessions) else {
                return context.redirect(PagePath.login)
            }
            guard service.sessions.verifyCSRF(form.first("csrf") ?? "", for: session.token) else { return context.forbidden() }
            do {
                return try handler(context, session, form)
            } catch let error as CitizensError where error.code == .notFound {
                return context.withoutSession(context.redirect(PagePath.login))
            }
        }
    }

    /// A form post made before login (register, login): double-submit check of the csrf cookie against the field.
    func anonymousForm(_ handler: @escaping @Sendable (WebContext, FormFields) throws -> HTTPResponse) -> HTTPHandler {
        { request in
            let context = WebContext(request)
            let form = try request.formFields()
            guard AnonymousCSRF.verify(context, submitted: form.first("csrf")) else { return context.forbidden() }
            return try handler(context, form)
        }
    }
}
