import Citizens
import HTTPServer
import WebPages

/// The home page and the site's stylesheet.
struct StaticRoutes {
    let service: CitizenService

    /// Adds `/` and the stylesheet.
    func add(to router: inout Router) {
        router.get(PagePath.home) { [service] request in
            let context = WebContext(request)
            let signedIn = try WebSession.find(context, sessions: service.sessions) != nil
            let model = HomeModel(language: context.language, currentPath: context.currentPath, signedIn: signedIn)
            return context.page(HomePage.render(model))
        }
        let css = Array(Stylesheet.css.utf8)
        router.get(Stylesheet.path) { _ in
            var response = HTTPResponse(status: .ok, body: css)
            response.headers.set("Content-Type", "text/css; charset=utf-8")
            // A year: the stylesheet changes only with a release. Its path carries no version, so a changed
            // stylesheet reaches returning browsers late; fingerprint the path if that starts to matter.
            response.headers.set("Cache-Control", "public, max-age=31536000")
            response.headers.set("X-Content-Type-Options", "nosniff")
            return response
        }
    }
}
