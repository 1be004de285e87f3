import Foundation

/// Which browser origins may call the token, revocation and userinfo endpoints from script (CORS): the origins of
/// the redirect URIs of enabled OpenID Connect portals. A single-page app with PKCE lives at one of them, and nobody
/// else has a use for those endpoints from a browser. No cookies are involved (the token endpoint takes a form, the
/// others a bearer token), so the answers never allow credentials.
struct WebOrigins: Sendable {
    let registry: PortalRegistry

    /// Whether `origin` (the request's `Origin` header) is the origin of a redirect URI of `clientID`, or of any
    /// enabled OIDC portal when `clientID` is nil (a preflight, which carries no body and so no client).
    func allows(_ origin: String, clientID: String?) -> Bool {
        guard let wanted = Self.normalized(origin), let portals = try? registry.list() else { return false }
        return portals.contains { portal in
            portal.enabled && portal.settings.dialect == .oidc && (clientID == nil || portal.clientID == clientID)
                && portal.settings.redirectURIs.contains { Self.origin(of: $0) == wanted }
        }
    }

    /// `scheme://host[:port]` of an http(s) URI, lowercased, without the scheme's default port; nil for anything else.
    static func origin(of uri: String) -> String? {
        guard let url = URLComponents(string: uri), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = url.host?.lowercased(), !host.isEmpty else { return nil }
        let defaultPort = scheme == "https" ? 443 : 80
        let port = url.port.flatMap { $0 == defaultPort ? nil : $0 }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return scheme + "://" + bracketed + (port.map { ":\($0)" } ?? "")
    }

    /// An `Origin` header normalised like `origin(of:)`; nil unless it is exactly an origin (no path, query or user).
    static func normalized(_ header: String) -> String? {
        guard header.utf8.count <= 300, let url = URLComponents(string: header), url.path.isEmpty, url.query == nil,
              url.fragment == nil, url.user == nil else { return nil }
        return origin(of: header)
    }
}
