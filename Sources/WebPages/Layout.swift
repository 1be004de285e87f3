/// The one layout every page uses: head, skip link, header with the language switch, main, footer.
enum Layout {
    /// A whole document around `main`.
    /// - Parameters:
    ///   - hasErrors: prefixes the title with "Error:" so screen-reader users hear it first when the page loads.
    static func page(title: String, language: Language, currentPath: String, hasErrors: Bool = false, main: HTML) -> String {
        let s = Strings(language)
        let fullTitle = (hasErrors ? s[.errorPrefix] + " " : "") + title + " — " + s[.serviceName]
        let document: HTMLBuilder = """
            <!doctype html>
            <html lang="\(language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(fullTitle)</title>
            \(HTML.tag("link", [("rel", "stylesheet"), ("href", Stylesheet.path)]))
            </head>
            <body>
            <a class="skip-link" href="#main">\(s[.skipToContent])</a>
            <header class="site-header">
            <a class="service-name" href="\(PagePath.home)">\(s[.serviceName])</a>
            <nav class="language-switch" aria-label="\(s[.languageSwitch])">
            <ul>
            \(languageLinks(language, currentPath))
            </ul>
            </nav>
            </header>
            <main id="main" tabindex="-1">
            \(main)
            </main>
            <footer class="site-footer">
            <p>\(s[.footerText])</p>
            </footer>
            </body>
            </html>

            """
        return document.html.rendered
    }

    /// One link per language to the same page; each names its language in that language.
    static func languageLinks(_ current: Language, _ currentPath: String) -> HTML {
        HTML.join(Language.allCases.map { language in
            var attributes: [(String, String?)] = [
                ("href", PagePath.switching(currentPath, to: language)),
                ("hreflang", language.rawValue),
                ("lang", language.rawValue),
            ]
            if language == current { attributes.append(("aria-current", "true")) }
            let item: HTMLBuilder = "<li>\(HTML.tag("a", attributes))\(language.nativeName)</a></li>"
            return item.html
        })
    }
}

extension Layout {
    /// An account form page: the title, the error summary, a lead paragraph, the form, and the way back to the account.
    static func accountForm(_ model: some FormModel, title: String, lead: String, action: String, fields: [Field],
                            content: HTML) -> String {
        let s = Strings(model.language)
        let main: HTMLBuilder = """
            <h1>\(title)</h1>
            \(model.formView.errorSummary(order: fields, messages: model.pageErrorMessages))
            <p class="lead">\(lead)</p>
            \(FormView.form(action: action, csrfToken: model.csrfToken, content))
            <p><a href="\(PagePath.account)">\(s[.backToAccount])</a></p>
            """
        return page(title: title, language: model.language, currentPath: model.currentPath, hasErrors: model.hasErrors, main: main.html)
    }
}
