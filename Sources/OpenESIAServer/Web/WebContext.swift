import Citizens
import Foundation
import HTTPServer
import WebPages

/// What every HTML route needs to know about its request: the language, the cookies, where the page is,
/// and how to answer with a page or a redirect carrying the headers every page needs.
struct WebContext {
    /// The session cookie: the session token, HttpOnly, SameSite=Lax, no Max-Age (it ends with the browser).
    static let sessionCookie = "sid"
    /// The language choice, kept a year.
    static let languageCookie = "lang"
    /// A year, in seconds.
    static let languageCookieMaxAge = 365 * 24 * 3600

    /// The request being answered.
    let request: HTTPRequest
    /// Its cookies, parsed once.
    let cookies: Cookies
    /// The interface language: `?lang=` wins, then the `lang` cookie, then Accept-Language, else Russian.
    let language: Language
    /// Set when `?lang=` chose the language, so the answer stores the choice in the cookie.
    let chosenLanguage: Language?

    /// Reads the language and cookies of `request`.
    init(_ request: HTTPRequest) {
        self.request = request
        cookies = request.cookies()
        let query = (try? request.queryFields()) ?? FormFields()
        chosenLanguage = query.first("lang").flatMap(Language.init(rawValue:))
        if let chosenLanguage {
            language = chosenLanguage
        } else if let stored = cookies.first(Self.languageCookie).flatMap(Language.init(rawValue:)) {
            language = stored
        } else {
            language = (request.headers["Accept-Language"] ?? "").lowercased().hasPrefix("en") ? .en : .ru
        }
    }

    /// The path and query of this request, for the language switch.
    var currentPath: String {
        guard let query = request.query, !query.isEmpty else { return request.path }
        return request.path + "?" + query
    }

    /// A query parameter of this request.
    func query(_ name: String) -> String? {
        ((try? request.queryFields()) ?? FormFields()).first(name)
    }

    /// The session token the browser sent, if any.
    var sessionToken: String? { cookies.first(Self.sessionCookie) }

    /// An HTML page with the headers every page carries (no-store, CSP, nosniff, Referrer-Policy).
    /// - Parameter formActions: origins the page's forms may end up redirecting to (a portal), added to `form-action`.
    func page(_ html: String, status: HTTPStatus = .ok, formActions: [String] = []) -> HTTPResponse {
        var response = HTTPResponse(status: status, body: Array(html.utf8))
        for header in PageHeaders.all { response.headers.set(header.name, header.value) }
        if !formActions.isEmpty {
            response.headers.set("Content-Security-Policy", PageHeaders.contentSecurityPolicy(formActions: formActions))
        }
        return finish(response)
    }

    /// 303 See Other: after a POST the browser fetches the next page with GET (Post/Redirect/Get).
    func redirect(_ location: String) -> HTTPResponse {
        var response = HTTPResponse.redirect(to: location)
        response.headers.set("Cache-Control", PageHeaders.cacheControl)
        return finish(response)
    }

    /// The 403 page for a form whose anti-forgery token did not check out; nothing was changed.
    func forbidden() -> HTTPResponse {
        let s = Strings(language)
        let model = ErrorPageModel(statusCode: 403, title: s[.formExpiredTitle], message: s[.formExpiredText],
                                   requestID: request.requestID, language: language)
        return page(ErrorPage.render(model), status: .forbidden)
    }

    /// Sets the session cookie for a new session.
    func withSession(_ token: String, _ response: HTTPResponse) -> HTTPResponse {
        var response = response
        response.setCookie(SetCookie(name: Self.sessionCookie, value: token, path: "/", secure: request.isSecure,
                                     httpOnly: true, sameSite: .lax))
        return response
    }

    /// Deletes the session cookie.
    func withoutSession(_ response: HTTPResponse) -> HTTPResponse {
        var response = response
        response.setCookie(.removal(of: Self.sessionCookie, secure: request.isSecure, httpOnly: true, sameSite: .lax))
        return response
    }

    /// Stores a language chosen with `?lang=`.
    private func finish(_ response: HTTPResponse) -> HTTPResponse {
        guard let chosenLanguage else { return response }
        var response = response
        response.setCookie(SetCookie(name: Self.languageCookie, value: chosenLanguage.rawValue, path: "/",
                                     maxAge: Self.languageCookieMaxAge, secure: request.isSecure, httpOnly: true, sameSite: .lax))
        return response
    }
}
