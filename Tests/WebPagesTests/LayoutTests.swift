import Testing
@testable import WebPages

@Test(arguments: Language.allCases)
func everyPageHasTheLayout(language: Language) {
    for (name, html) in allPages(language: language) {
        #expect(html.hasPrefix("<!doctype html>"), "\(name)")
        #expect(html.contains("<html lang=\"\(language.rawValue)\">"), "\(name)")
        #expect(html.contains("<meta charset=\"utf-8\">"), "\(name)")
        #expect(html.contains("name=\"viewport\""), "\(name)")
        #expect(html.contains("<title>") && html.contains("</title>"), "\(name)")
        #expect(html.contains("<a class=\"skip-link\" href=\"#main\">"), "\(name)")
        #expect(html.contains("<main id=\"main\""), "\(name)")
        #expect(html.contains("<header") && html.contains("<footer"), "\(name)")
        #expect(html.contains("href=\"\(Stylesheet.path)\""), "\(name)")
        #expect(!html.contains("<script"), "\(name): pages work without scripts")
        #expect(!html.contains("style=\""), "\(name): no inline styles, so the CSP can forbid them")
        #expect(tags("h1", in: html).count == 1, "\(name): one heading per page")
    }
}

@Test func languageSwitchKeepsThePathAndMarksTheCurrentLanguage() {
    let html = LoginPage.render(LoginModel(language: .en, csrfToken: "t", currentPath: "/login?return=%2Faccount&lang=ru"))
    let links = tags("a", in: html).filter { $0.has("hreflang") }
    #expect(links.count == 2)
    let ru = links.first { $0["hreflang"] == "ru" }
    let en = links.first { $0["hreflang"] == "en" }
    #expect(ru?["href"] == "/login?return=%2Faccount&amp;lang=ru")
    #expect(en?["href"] == "/login?return=%2Faccount&amp;lang=en")
    #expect(en?["aria-current"] == "true")
    #expect(ru?.has("aria-current") == false)
    #expect(ru?["lang"] == "ru")
}

@Test func languageSwitchNeverLeadsToAnotherHost() {
    for path in ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "", "/a\nb"] {
        #expect(PagePath.switching(path, to: .en) == "/?lang=en", "\(path)")
    }
    #expect(PagePath.switching("/account#top", to: .ru) == "/account?lang=ru")
}

@Test func languageSwitchEscapesTheCurrentPath() {
    let html = HomePage.render(HomeModel(currentPath: "/\"><script>x</script>"))
    #expect(!html.contains("<script>"))
    #expect(html.contains("/&quot;&gt;&lt;script&gt;x&lt;/script&gt;?lang=en"))
}

@Test func errorSummaryAddsErrorToTheTitle() {
    let html = LoginPage.render(LoginModel(language: .en, csrfToken: "t", pageErrors: ["wrongCredentials"]))
    #expect(html.contains("<title>Error: Log in — "))
    let clean = LoginPage.render(LoginModel(language: .en, csrfToken: "t"))
    #expect(clean.contains("<title>Log in — "))
}

@Test func stylesheetIsSelfContained() {
    #expect(Stylesheet.path == "/static/site.css")
    #expect(!Stylesheet.css.contains("@import"))
    #expect(!Stylesheet.css.contains("url("), "no external fonts or images")
    #expect(Stylesheet.css.contains(":focus-visible"))
    #expect(Stylesheet.css.contains("@media print"))
}

@Test func pageHeadersForbidCachingAndScripts() {
    #expect(PageHeaders.cacheControl == "no-store")
    #expect(PageHeaders.contentSecurityPolicy.contains("default-src 'none'"))
    #expect(PageHeaders.contentSecurityPolicy.contains("form-action 'self'"))
    #expect(!PageHeaders.contentSecurityPolicy.contains("script-src"))
}
