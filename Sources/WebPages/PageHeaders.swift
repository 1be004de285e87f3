/// The response headers every page needs; the server sets them, WebPages says what they are.
public enum PageHeaders {
    /// Pages carry personal data and CSRF tokens: no cache may keep them.
    public static let cacheControl = "no-store"
    /// The pages use no scripts, no inline styles and only the site stylesheet, and post only to this site.
    public static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    /// The policy of a page whose form answer ends in a redirect to a portal: browsers check `form-action` on every
    /// redirect after a form post (CSP Level 3), so the portal's origin (`https://portal.example`, or `scheme:` for an
    /// app's custom scheme) must be allowed beside the site's own.
    public static func contentSecurityPolicy(formActions: [String]) -> String {
        guard !formActions.isEmpty else { return contentSecurityPolicy }
        return contentSecurityPolicy.replacingOccurrences(of: "form-action 'self'",
                                                          with: "form-action 'self' " + formActions.joined(separator: " "))
    }
    /// Pages are UTF-8 HTML.
    public static let contentType = "text/html; charset=utf-8"
    /// All of them, in the order they are usually written.
    public static let all: [(name: String, value: String)] = [
        ("Content-Type", contentType),
        ("Cache-Control", cacheControl),
        ("Content-Security-Policy", contentSecurityPolicy),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
    ]
}
