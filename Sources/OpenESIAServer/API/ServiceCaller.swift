import Activation
import Federation
import HTTPServer

/// Who calls one of the service's own APIs (signature verification, portal administration): a staff member with a
/// bearer session, or a registered portal with a client credentials access token carrying the API's service scope.
/// The two bearer kinds cannot be confused: access tokens are JWTs (with dots), staff session tokens base64url.
enum ServiceCaller {
    case staff(StaffMember)
    case portal(clientID: String)

    /// The actor written into audit records: `staff:<id>` or `portal:<client id>`.
    var auditName: String {
        switch self {
        case let .staff(member): member.subject
        case let .portal(clientID): "portal:" + clientID
        }
    }

    /// The caller of `request`. - Throws: the staff API's 401 without a valid session; for a portal token the OAuth
    /// `invalid_token` (401) or `insufficient_scope` (403) with their `WWW-Authenticate` challenge.
    static func of(_ request: HTTPRequest, staffAPI: StaffAPIRoutes, provider: OpenIDProvider, scope: Scope) throws -> ServiceCaller {
        if let token = OIDCRoutes.bearer(request), token.utf8.contains(UInt8(ascii: ".")) {
            return .portal(clientID: try provider.authorizeServiceCall(accessToken: token, scope: scope))
        }
        return .staff(try staffAPI.authenticate(request).member)
    }
}
