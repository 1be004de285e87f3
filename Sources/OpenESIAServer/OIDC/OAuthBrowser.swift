import Citizens
import Federation
import Foundation
import HTTPServer
import Support
import WebPages

/// What the authorization pages need from the browser: its binding cookie, its citizen login, where to send it.
enum OAuthBrowser {
    /// The cookie binding pending authorizations to this browser: random, HttpOnly, Lax (it must come along on the
    /// top-level navigation back from the login page), only for /oauth2.
    static let cookie = "oauth_browser"

    /// The browser's binding value, and the `Set-Cookie` making one when it has none (or a malformed one).
    static func binding(_ context: WebContext) -> (value: String, cookie: SetCookie?) {
        if let value = context.cookies.first(cookie), value.utf8.count == 43, Base64URL.decode(value)?.count == 32 { return (value, nil) }
        let fresh = Base64URL.encode(SecureRandom.bytes(32))
        return (fresh, SetCookie(name: cookie, value: fresh, path: "/oauth2", secure: context.request.isSecure, httpOnly: true, sameSite: .lax))
    }

    /// The browser's existing binding value; nil when it has none.
    static func existingBinding(_ context: WebContext) -> String? {
        context.cookies.first(cookie)
    }

    /// The citizen logged in in this browser, with a usable account (a confirmed contact); nil otherwise.
    static func login(_ context: WebContext, service: CitizenService) throws -> (CitizenLogin, WebSession)? {
        guard let session = try WebSession.find(context, sessions: service.sessions) else { return nil }
        guard let standing = try service.standing(citizenID: session.citizenID), let level = standing.level else { return nil }
        let login = CitizenLogin(citizenID: session.citizenID, publicID: standing.publicID, level: level,
                                 authenticatedAt: session.session.createdAt, method: session.session.authenticationMethod,
                                 sessionHandle: session.session.handle)
        return (login, session)
    }

    /// The login page, coming back to the pending request `id` afterwards.
    static func loginLocation(pendingID: String, hint: String?) -> String {
        var location = PagePath.login + "?return=" + RedirectURL.encode(resumePath(pendingID))
        if let hint { location += "&login_hint=" + RedirectURL.encode(hint) }
        return location
    }

    /// `/oauth2/resume?request=<id>`.
    static func resumePath(_ pendingID: String) -> String {
        PagePath.oauthResume + "?request=" + pendingID
    }

    /// A `return` value the login page accepts: only the resumption of a pending request, so the login form cannot be
    /// turned into an open redirector.
    static func validReturn(_ value: String?) -> String? {
        guard let value, value.hasPrefix(PagePath.oauthResume + "?request="),
              value.utf8.count <= 200 else { return nil }
        let id = value.dropFirst((PagePath.oauthResume + "?request=").count)
        return id.utf8.allSatisfy { $0 < 0x80 && (Character(Unicode.Scalar($0)).isLetter || Character(Unicode.Scalar($0)).isNumber || $0 == 0x2D || $0 == 0x5F) }
            ? value : nil
    }

    /// The CSP source of a redirect URI's origin: `https://host:port`, or `scheme:` for a custom scheme; nil when the URI
    /// has characters a policy cannot hold.
    static func origin(of uri: String) -> String? {
        guard let url = URLComponents(string: uri), let scheme = url.scheme?.lowercased() else { return nil }
        let plain: (String) -> Bool = { $0.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || ".-+[]:".unicodeScalars.contains($0)) } }
        guard plain(scheme) else { return nil }
        guard scheme == "http" || scheme == "https" else { return scheme + ":" }
        guard let host = url.host, !host.isEmpty, plain(host) else { return nil }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return scheme + "://" + bracketed + (url.port.map { ":\($0)" } ?? "")
    }
}
