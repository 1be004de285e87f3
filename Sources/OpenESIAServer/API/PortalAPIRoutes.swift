import Activation
import Federation
import Foundation
import HTTPServer
import Support

/// The portal admin API (docs/portals.md): list, register, read, replace, disable, enable, rotate the client secret.
/// For service-admin staff with a bearer session as in `StaffAPIRoutes` (any other role gets 403, recorded in the
/// audit log), and for programs: a portal's client credentials access token with the `admin` scope. Answers carry
/// `Cache-Control: no-store`: some hold a client secret, shown that once.
struct PortalAPIRoutes {
    let staffAPI: StaffAPIRoutes
    let portals: PortalRegistry
    let provider: OpenIDProvider

    static let collection = "/staff/api/portals"

    func add(to router: inout Router) {
        router.get(Self.collection) { request in
            _ = try administrator(request, action: "list", clientID: nil)
            return try .json(PortalAPI.PortalListBody(portals: try portals.list().map { PortalAPI.PortalBody($0) })).noStore()
        }
        router.post(Self.collection) { request in
            let caller = try administrator(request, action: "add", clientID: nil)
            let body = try request.decodeJSON(PortalAPI.PortalRequest.self)
            let added = try portals.add(body.draft(), actor: caller.auditName, source: CitizenAPIRoutes.source(request))
            var response = try HTTPResponse.json(PortalAPI.PortalBody(added.portal, secret: added.secret), status: .created).noStore()
            // Client ids hold only unreserved URI characters, so they go into a path as they are.
            response.headers.set("Location", Self.collection + "/" + added.portal.clientID)
            return response
        }
        router.get(Self.collection + "/:id") { request in
            let clientID = try Self.clientID(request)
            _ = try administrator(request, action: "show", clientID: clientID)
            guard let portal = try portals.portal(clientID: clientID) else { throw PortalError.notFound }
            return try .json(PortalAPI.PortalBody(portal)).noStore()
        }
        router.put(Self.collection + "/:id") { request in
            let clientID = try Self.clientID(request)
            let caller = try administrator(request, action: "update", clientID: clientID)
            let body = try request.decodeJSON(PortalAPI.PortalRequest.self)
            let updated = try portals.update(clientID: clientID, with: body.draft(clientID: clientID), actor: caller.auditName,
                                             source: CitizenAPIRoutes.source(request))
            return try .json(PortalAPI.PortalBody(updated.portal, secret: updated.secret)).noStore()
        }
        router.post(Self.collection + "/:id/disable") { request in
            let clientID = try Self.clientID(request)
            let caller = try administrator(request, action: "disable", clientID: clientID)
            let portal = try portals.disable(clientID: clientID, actor: caller.auditName, source: CitizenAPIRoutes.source(request))
            return try .json(PortalAPI.PortalBody(portal)).noStore()
        }
        router.post(Self.collection + "/:id/enable") { request in
            let clientID = try Self.clientID(request)
            let caller = try administrator(request, action: "enable", clientID: clientID)
            let portal = try portals.enable(clientID: clientID, actor: caller.auditName, source: CitizenAPIRoutes.source(request))
            return try .json(PortalAPI.PortalBody(portal)).noStore()
        }
        router.post(Self.collection + "/:id/rotate-secret") { request in
            let clientID = try Self.clientID(request)
            let caller = try administrator(request, action: "rotate-secret", clientID: clientID)
            // The body is optional: no body means no grace period.
            let grace = request.body.isEmpty ? 0 : try request.decodeJSON(PortalAPI.RotateRequest.self).graceSeconds ?? 0
            let rotation = try portals.rotateSecret(clientID: clientID, graceSeconds: grace, actor: caller.auditName,
                                                    source: CitizenAPIRoutes.source(request))
            return try .json(PortalAPI.PortalBody(rotation.portal, secret: rotation.secret)).noStore()
        }
    }

    /// The caller if they may administer portals: a service-admin staff member, or a portal whose token carries
    /// `admin`. 401 without valid credentials, 403 otherwise (audited for staff; OAuth `insufficient_scope` for tokens).
    private func administrator(_ request: HTTPRequest, action: String, clientID: String?) throws -> ServiceCaller {
        let caller = try ServiceCaller.of(request, staffAPI: staffAPI, provider: provider, scope: .admin)
        if case let .staff(member) = caller, !StaffAuthorization.canAdministerService(actor: member) {
            try portals.recordDenied(action: action, clientID: clientID, actor: member.subject, source: CitizenAPIRoutes.source(request))
            throw StaffError.forbidden
        }
        return caller
    }

    /// The `:id` of the path; a value that cannot be a client id names no portal.
    private static func clientID(_ request: HTTPRequest) throws -> String {
        guard let id = request.pathParameters["id"], PortalValidation.clientIDProblem(id) == nil else { throw PortalError.notFound }
        return id
    }
}
