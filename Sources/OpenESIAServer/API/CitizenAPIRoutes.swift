import Citizens
import Foundation
import HTTPServer
import Support

/// The citizens' JSON API under /api/v1 (docs/api.md). Authentication is a session token in
/// `Authorization: Bearer …`, as returned by registration and login; no cookies, so no CSRF.
struct CitizenAPIRoutes {
    let service: CitizenService

    func add(to router: inout Router) {
        router.post("/api/v1/citizens") { request in
            let body = try request.decodeJSON(CitizenAPI.RegisterRequest.self)
            let registration = try service.register(body.form, source: Self.source(request))
            return try .json(CitizenAPI.RegistrationResponse(
                id: registration.publicID,
                session: .init(token: registration.sessionToken, expiresAt: Timestamp.iso8601(registration.session.expiresAt)),
                contactsToConfirm: registration.contactsToConfirm.map { .init(kind: $0.kind.rawValue, value: $0.value, confirmed: false) }),
                status: .created).noStore()
        }
        router.post("/api/v1/sessions") { request in
            let body = try request.decodeJSON(CitizenAPI.LoginRequest.self)
            let result = try service.login(identifier: body.login ?? "", password: body.password ?? "", source: Self.source(request))
            return try .json(CitizenAPI.SessionBody(token: result.sessionToken, expiresAt: Timestamp.iso8601(result.session.expiresAt)),
                             status: .created).noStore()
        }
        router.delete("/api/v1/sessions/current") { request in
            let (token, _, _) = try authenticate(request)
            try service.logout(token: token, source: Self.source(request))
            return HTTPResponse(status: .noContent)
        }
        router.get("/api/v1/account") { request in
            let (_, _, citizenID) = try authenticate(request)
            return try .json(CitizenAPI.ProfileBody(try service.profile(citizenID: citizenID))).noStore()
        }
        router.post("/api/v1/account/contacts/confirm") { request in
            let (_, _, citizenID) = try authenticate(request)
            let body = try request.decodeJSON(CitizenAPI.ContactCodeRequest.self)
            try service.confirmContact(citizenID: citizenID, kind: try Self.kind(body.kind), code: body.code ?? "", source: Self.source(request))
            return HTTPResponse(status: .noContent)
        }
        router.post("/api/v1/account/contacts/resend") { request in
            let (_, _, citizenID) = try authenticate(request)
            let body = try request.decodeJSON(CitizenAPI.ContactCodeRequest.self)
            try service.resendCode(citizenID: citizenID, kind: try Self.kind(body.kind), source: Self.source(request))
            return HTTPResponse(status: .accepted)
        }
        router.post("/api/v1/account/contacts") { request in
            let (_, _, citizenID) = try authenticate(request)
            let body = try request.decodeJSON(CitizenAPI.ContactRequest.self)
            try Self.renamingFields(["phone": "value", "email": "value"]) {
                try service.changeContact(citizenID: citizenID, kind: try Self.kind(body.kind), value: body.value ?? "", source: Self.source(request))
            }
            return HTTPResponse(status: .accepted)
        }
        router.put("/api/v1/account/documents") { request in
            let (_, _, citizenID) = try authenticate(request)
            let body = try request.decodeJSON(CitizenAPI.DocumentsRequest.self)
            try Self.renamingFields(CitizenAPI.DocumentsRequest.fieldNames) {
                try service.submitDocuments(citizenID: citizenID, form: body.form, source: Self.source(request))
            }
            return try .json(CitizenAPI.ProfileBody(try service.profile(citizenID: citizenID)), status: .accepted).noStore()
        }
        router.post("/api/v1/account/password") { request in
            let (_, session, citizenID) = try authenticate(request)
            let body = try request.decodeJSON(CitizenAPI.PasswordChangeRequest.self)
            try Self.renamingFields(["password": "newPassword"]) {
                try service.changePassword(citizenID: citizenID, current: body.currentPassword ?? "", new: body.newPassword ?? "",
                                           newRepeat: nil, keepSession: session.handle, source: Self.source(request))
            }
            return HTTPResponse(status: .noContent)
        }
        router.get("/api/v1/account/sessions") { request in
            let (_, current, citizenID) = try authenticate(request)
            let list = try service.sessions.list(subject: "citizen:\(citizenID)").map {
                CitizenAPI.SessionListBody(handle: $0.handle, createdAt: Timestamp.iso8601($0.createdAt),
                                           lastSeenAt: Timestamp.iso8601($0.lastSeenAt), userAgent: $0.userAgent,
                                           sourceAddress: $0.sourceAddress, current: $0.handle == current.handle)
            }
            return try .json(list).noStore()
        }
        router.delete("/api/v1/account/sessions/:handle") { request in
            let (_, _, citizenID) = try authenticate(request)
            guard try service.endSession(citizenID: citizenID, handle: request.pathParameters["handle"] ?? "", source: Self.source(request)) else {
                throw RoutingError(.notFound)
            }
            return HTTPResponse(status: .noContent)
        }
    }

    /// The bearer session, or `APIAuthenticationError` (401 with `WWW-Authenticate`).
    /// Internal so that the other citizen API routes (activation) authenticate the same way.
    func authenticate(_ request: HTTPRequest) throws -> (token: String, session: Session, citizenID: Int64) {
        // The scheme name is case-insensitive (RFC 9110 §11.1): "bearer" is as good as "Bearer".
        guard let header = request.headers["Authorization"], header.prefix(7).lowercased() == "bearer " else { throw APIAuthenticationError() }
        let token = String(header.dropFirst(7).trimmingSpacesAndTabs())
        guard let session = try service.sessions.validate(token: token), session.subject.hasPrefix("citizen:"),
              let citizenID = Int64(session.subject.dropFirst("citizen:".count)) else { throw APIAuthenticationError() }
        return (token, session, citizenID)
    }

    static func source(_ request: HTTPRequest) -> RequestSource {
        RequestSource(address: ClientAddress.of(request), userAgent: request.headers["User-Agent"] ?? "")
    }

    /// Runs `body`, renaming the fields of its field errors to the JSON names of this request's body, so that every
    /// error points at what the client sent (the service names fields as the HTML forms do).
    private static func renamingFields(_ names: [String: String], _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as CitizensError {
            guard case .invalid(let errors) = error.code else { throw error }
            throw CitizensError.invalid(errors.map { FieldError(field: names[$0.field] ?? $0.field, code: $0.code) })
        }
    }

    private static func kind(_ text: String?) throws -> ContactKind {
        guard let text, let kind = ContactKind(rawValue: text) else { throw CitizensError.invalid("kind", .invalidFormat) }
        return kind
    }
}

/// No valid session token: 401 with a `WWW-Authenticate: Bearer` challenge (RFC 6750 §3).
struct APIAuthenticationError: Error {}

/// The client's IP address without the port.
enum ClientAddress {
    static func of(_ request: HTTPRequest) -> String {
        let remote = request.remoteAddress
        if remote.hasPrefix("["), let end = remote.firstIndex(of: "]") { return String(remote[remote.index(after: remote.startIndex)..<end]) }
        if let colon = remote.lastIndex(of: ":") { return String(remote[..<colon]) }
        return remote
    }
}

extension HTTPResponse {
    /// Marks a response that carries secrets or personal data as never to be stored by caches.
    func noStore() -> HTTPResponse {
        var copy = self
        copy.headers.set("Cache-Control", "no-store")
        return copy
    }
}
