import Citizens
import HTTPServer

/// Double-submit CSRF protection for the forms shown before login: a random value in a cookie and the same
/// value in the form's hidden `csrf` field. A forged cross-site post cannot read or set the cookie, so it
/// cannot send a matching pair.
enum AnonymousCSRF {
    /// Over TLS the cookie takes the `__Host-` prefix, so a sibling subdomain cannot plant its own value
    /// (RFC 6265bis §4.1.3.2). The prefix requires `Secure`, which a browser refuses on plain HTTP, so
    /// development over HTTP uses the plain name.
    static func cookieName(secure: Bool) -> String { secure ? "__Host-csrf" : "csrf" }

    /// The token for a form: the browser's existing cookie value if well formed, else a new one with the
    /// `Set-Cookie` to send. Keeping the value lets several open tabs of the form all work.
    static func token(_ context: WebContext) -> (token: String, cookie: SetCookie?) {
        let name = cookieName(secure: context.request.isSecure)
        if let existing = context.cookies.first(name), CSRF.verifyAnonymous(cookie: existing, submitted: existing) {
            return (existing, nil)
        }
        let fresh = CSRF.newAnonymousToken()
        // Strict: the cookie is never needed on a cross-site request, since only this site's forms use it.
        let cookie = SetCookie(name: name, value: fresh, path: "/", secure: context.request.isSecure, httpOnly: true, sameSite: .strict)
        return (fresh, cookie)
    }

    /// Whether the submitted field equals the cookie, in constant time.
    static func verify(_ context: WebContext, submitted: String?) -> Bool {
        CSRF.verifyAnonymous(cookie: context.cookies.first(cookieName(secure: context.request.isSecure)), submitted: submitted)
    }

    /// `response` with the cookie added when one was made.
    static func attach(_ cookie: SetCookie?, to response: HTTPResponse) -> HTTPResponse {
        guard let cookie else { return response }
        var response = response
        response.setCookie(cookie)
        return response
    }
}
