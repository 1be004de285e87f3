import Citizens
import HTTPServer

/// Every HTML route for citizens; `Application` adds them with one call.
struct WebRoutes {
    let service: CitizenService

    /// Adds the home page, the stylesheet, the citizen pages and the account pages.
    func add(to router: inout Router) {
        StaticRoutes(service: service).add(to: &router)
        CitizenPageRoutes(service: service).add(to: &router)
        AccountPageRoutes(service: service).add(to: &router)
        AccountCompletionRoutes(service: service).add(to: &router)
    }
}
