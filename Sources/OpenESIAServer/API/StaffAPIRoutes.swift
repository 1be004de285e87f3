import Activation
import Citizens
import Foundation
import HTTPServer
import Support

/// The staff API for programs, such as the post-office integration recording letters' progress. A staff member
/// logs in with password and TOTP and gets a session token for `Authorization: Bearer …`; the token is a staff
/// session like the console's (short idle timeout), so no cookie and no CSRF are involved.
struct StaffAPIRoutes {
    let staff: StaffDirectory
    let activation: ActivationService

    private struct LoginRequest: Decodable {
        var login: String?
        var password: String?
        var code: String?
    }

    private struct LetterStateRequest: Decodable {
        var state: String?
        var trackingNumber: String?
    }

    private struct SessionBody: Encodable {
        var token: String
        var expiresAt: String
    }

    func add(to router: inout Router) {
        router.post("/staff/api/sessions") { request in
            let body = try request.decodeJSON(LoginRequest.self)
            let login = try staff.login(login: body.login ?? "", password: body.password ?? "", totpCode: body.code ?? "",
                                        source: CitizenAPIRoutes.source(request))
            return try .json(SessionBody(token: login.sessionToken, expiresAt: Timestamp.iso8601(login.session.expiresAt)), status: .created)
                .noStore()
        }
        router.delete("/staff/api/sessions/current") { request in
            let (token, _) = try authenticate(request)
            try staff.logout(sessionToken: token, source: CitizenAPIRoutes.source(request))
            return HTTPResponse(status: .noContent)
        }
        // Letters are service-wide, so only a service-admin records their progress (as `openesia letters mark` does).
        router.post("/staff/api/letters/:id/state") { request in
            let (_, member) = try authenticate(request)
            guard StaffAuthorization.canAdministerService(actor: member) else { throw StaffError.forbidden }
            guard let text = request.pathParameters["id"], text.count <= 18, let id = Int64(text), id > 0 else { throw ActivationError(.notFound) }
            let body = try request.decodeJSON(LetterStateRequest.self)
            guard let state = body.state.flatMap(LetterState.init(rawValue:)), [.dispatched, .delivered, .returned].contains(state) else {
                throw StaffError.invalid([FieldError(field: "state", code: .notAllowed)])
            }
            try activation.markLetter(id: id, state: state, trackingNumber: body.trackingNumber, actor: "staff:\(member.id)",
                                      source: CitizenAPIRoutes.source(request))
            return HTTPResponse(status: .noContent)
        }
    }

    /// The bearer token of a live staff session, or 401. Internal so the other staff API routes (portals) authenticate
    /// the same way.
    func authenticate(_ request: HTTPRequest) throws -> (token: String, member: StaffMember) {
        guard let header = request.headers["Authorization"], header.lowercased().hasPrefix("bearer ") else { throw APIAuthenticationError() }
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        guard let member = try staff.member(sessionToken: token) else { throw APIAuthenticationError() }
        return (token, member)
    }
}
