import Activation
import Federation
import Foundation
import HTTPServer
import Support

/// The portal admin API for service-admin staff (docs/portals.md): list, register, read, replace, disable, enable,
/// rotate the client secret. Bearer staff sessions as in `StaffAPIRoutes`; any other role gets 403, recorded in the
/// audit log. Answers carry `Cache-Control: no-store`: some hold a client secret, shown that once.
struct PortalAPIRoutes {
    let staffAPI: StaffAPIRoutes
    let portals: PortalRegistry

    static let collection = "/staff/api/portals"

    func add(to router: inout Router) {
        router.get(Self.collection) { request in
            _ = try administrator(request, action: "list", clientID: nil)
            return try .json(PortalAPI.PortalListBody(portals: try portals.list().map { PortalAPI.PortalBody($0) })).noStore()
        }
        router.post(Self.collection) { request in
            let member = try administrator(request, action: "add", clientID: nil)
            let body = try request.decodeJSON(PortalAPI.PortalRequest.self)
            let added = try portals.add(body.draft(), actor: member.subject, source: CitizenAPIRoutes.source(request))
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
            let member = try administrator(request, action: "update", clientID: clientID)
            let body = try request.decodeJSON(PortalAPI.PortalRequest.self)
            let updated = try portals.update(clientID: clientID, with: body.draft(clientID: clientID), actor: member.subject,
                                             source: CitizenAPIRoutes.source(request))
            return try .json(PortalAPI.PortalBody(updated.portal, secret: updated.secret)).noStore()
        }
        router.post(Self.collection + "/:id/disable") { request in
            let clientID = try Self.clientID(request)
            let member = try administrator(request, action: "disable", clientID: clientID)
            let portal = try portals.disable(clientID: clientID, actor: member.subject, source: CitizenAPIRoutes.source(request))
            return try .json(PortalAPI.PortalBody(portal)).noStore()
        }
        router.post(Self.collection + "/:id/enable") { request in
            let clientID = try Self.clientID(request)
            let member = try administrator(request, action: "enable", clientID: clientID)
            let portal = try portals.enable(clientID: clientID, actor: member.subject, source: CitizenAPIRoutes.source(request))
            return try .json(PortalAPI.PortalBody(portal)).noStore()
        }
        router.post(Self.collection + "/:id/rotate-secret") { request in
            let clientID = try Self.clientID(request)
            let member = try administrator(request, action: "rotate-secret", clientID: clientID)
            // The body is optional: no body means no grace period.
            let grace = request.body.isEmpty ? 0 : try request.decodeJSON(PortalAPI.RotateRequest.self).graceSeconds ?? 0
            let rotation = try portals.rotateSecret(clientID: clientID, graceSeconds: grace, actor: member.subject,
                                                    source: CitizenAPIRoutes.source(request))
            return try .json(PortalAPI.PortalBody(rotation.portal, secret: rotation.secret)).noStore()
        }
    }

    /// The bearer session's staff member if they may run the service; 401 without a session, 403 (audited) otherwise.
    private func administrator(_ request: HTTPRequest, action: String, clientID: String?) throws -> StaffMember {
        let (_, member) = try staffAPI.authenticate(request)
        guard StaffAuthorization.canAdministerService(actor: member) else {
            try portals.recordDenied(action: action, clientID: clientID, actor: member.subject, source: CitizenAPIRoutes.source(request))
            throw StaffError.forbidden
        }
        return member
    }

    /// The `:id` of the path; a value that cannot be a client id names no portal.
    private static func clientID(_ request: HTTPRequest) throws -> String {
        guard let id = request.pathParameters["id"], PortalValidation.clientIDProblem(id) == nil else { throw PortalError.notFound }
        return id
    }
}
