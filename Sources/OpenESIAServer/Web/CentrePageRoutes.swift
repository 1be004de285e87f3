import Activation
import HTTPServer
import WebPages

/// The public service-centre page: a search by region and city. A GET form changes nothing, so it needs no session
/// and no CSRF token.
struct CentrePageRoutes {
    let centres: CentreDirectory

    /// Adds the page's route.
    func add(to router: inout Router) {
        router.get(PagePath.serviceCentres) { [centres] request in
            let context = WebContext(request)
            let region = context.query("region") ?? ""
            let city = context.query("city") ?? ""
            let found = try centres.search(region: region, city: city).map {
                CentreEntry(name: $0.name, region: $0.region, city: $0.city, address: $0.address, openingHours: $0.openingHours,
                            latitude: $0.latitude, longitude: $0.longitude)
            }
            let model = CentresModel(language: context.language, currentPath: context.currentPath, regions: try centres.regions(),
                                     region: region, city: city, centres: found)
            return context.page(CentresPage.render(model))
        }
    }
}
