import Citizens
import Federation
import HTTPServer

/// Every HTML route for citizens; `Application` adds them with one call.
struct WebRoutes {
    let service: CitizenService
    /// The OpenID provider, for the login's return to a portal, logout notices and the account's portal list.
    var provider: OpenIDProvider?

    /// Adds the home page, the stylesheet, the citizen pages and the account pages.
    func add(to router: inout Router) {
        StaticRoutes(service: service).add(to: &router)
        var pages = CitizenPageRoutes(service: service)
        if let provider {
            pages.returnOrigins = { context, path in Self.returnOrigins(context, path, provider) }
            pages.sessionEnded = { [service] handle, citizenID in
                provider.sessionEnded(handle: handle, publicID: try? service.profile(citizenID: citizenID).publicID)
            }
        }
        pages.add(to: &router)
        AccountPageRoutes(service: service, provider: provider).add(to: &router)
    }

    /// The origin of the redirect URI of the pending request a login page returns to.
    static func returnOrigins(_ context: WebContext, _ path: String, _ provider: OpenIDProvider) -> [String] {
        guard let id = path.split(separator: "=", maxSplits: 1).last.map(String.init), let browser = OAuthBrowser.existingBinding(context),
              let pending = try? provider.pendingAuthorization(id: id, browser: browser),
              let origin = OAuthBrowser.origin(of: pending.request.redirectURI) else { return [] }
        return [origin]
    }
}
