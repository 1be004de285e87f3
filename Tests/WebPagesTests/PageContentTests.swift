import Testing
@testable import WebPages

@Test func userValuesAreEscapedOnEveryFormPage() {
    for (name, html) in formPages(value: hostile) {
        #expect(!html.contains("<script>"), "\(name)")
        #expect(!html.contains("alert(\"x\")"), "\(name)")
        let refilled = tags("input", in: html).filter { $0["type"] != "hidden" && $0.has("value") && $0["type"] != "radio" }
        // The confirm page's only field is the code, the password page has only passwords: neither is re-filled.
        #expect(refilled.isEmpty == (name == "confirm" || name == "password"), "\(name)")
        for input in refilled where input["type"] != "checkbox" {
            #expect(input["value"] == hostileEscaped, "\(name): \(input["name"]!)")
        }
    }
}

@Test func errorCodesFromOutsideAreNeverEchoed() {
    for (name, html) in formPages(code: "<img src=x onerror=alert(1)>") {
        #expect(!html.contains("<img"), "\(name)")
        #expect(!html.contains("onerror"), "\(name): an unknown code becomes a general sentence")
    }
    let login = LoginPage.render(LoginModel(csrfToken: "t", pageErrors: ["<b>x</b>"]))
    #expect(!login.contains("<b>x</b>") && !login.contains("&lt;b&gt;"))
}

@Test func accountEscapesNamesAndMasksDocuments() {
    let html = AccountPage.render(sampleAccount(surname: "<script>alert('x')</script>"))
    #expect(!html.contains("<script>"))
    #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Иван Иванович"))
    #expect(html.contains("***-***-445 95"))
    #expect(html.contains("** ** ****56"))
    #expect(!html.contains("112-233") && !html.contains("4508") && !html.contains("123456"))
    #expect(html.contains("15 марта 1990 г."))
    let logout = tags("form", in: html)
    #expect(logout.count == 1 && logout[0]["action"] == PagePath.logout && logout[0]["method"] == "post")
}

@Test func accountExplainsEachLevelAndTheNextStep() {
    let s = Strings(.en)
    let cases: [(AccountLevel, RegistryStatus, Strings.Key, String?)] = [
        (.simplified, .notSubmitted, .nextAddDocuments, PagePath.documents),
        (.simplified, .pending, .nextWaitForCheck, nil),
        (.simplified, .rejected(reason: "dataMismatch"), .nextFixDocuments, PagePath.documents),
        (.standard, .verified, .nextConfirm, PagePath.activation),
        (.confirmed, .verified, .nextNothing, nil),
    ]
    for (level, registry, next, link) in cases {
        let html = AccountPage.render(sampleAccount(language: .en, level: level, registry: registry))
        #expect(html.contains(s[next]), "\(level) \(registry)")
        if let link { #expect(html.contains("href=\"\(link)\""), "\(level)") }
        #expect(html.contains(AccountPage.allows(level, s)), "\(level)")
    }
}

@Test func registryRejectionShowsAReasonButNeverTheRawCode() {
    let known = AccountPage.render(sampleAccount(language: .en, registry: .rejected(reason: "snilsNotFound")))
    #expect(known.contains("Not confirmed: the SNILS was not found in the registry."))
    let unknown = AccountPage.render(sampleAccount(language: .en, registry: .rejected(reason: "<i>E42</i>")))
    #expect(unknown.contains("Not confirmed: the registry did not confirm your details."))
    #expect(!unknown.contains("E42"))
}

@Test func homeLinksToRegisterLoginAndServiceCentres() {
    let html = HomePage.render(HomeModel(language: .en))
    let hrefs = Set(tags("a", in: html).compactMap { $0["href"] })
    #expect(hrefs.isSuperset(of: [PagePath.register, PagePath.login, PagePath.serviceCentres]))
    let signedIn = HomePage.render(HomeModel(language: .en, signedIn: true))
    #expect(signedIn.contains("href=\"\(PagePath.account)\""))
    #expect(!signedIn.contains("href=\"\(PagePath.register)\""))
}

@Test func messagePageEscapesAndKeepsLinksOnThisSite() {
    let html = MessagePage.render(MessageModel(title: "<b>t</b>", message: "m & m",
                                               link: MessageLink(text: "go", href: "https://evil.example/")))
    #expect(html.contains("<h1>&lt;b&gt;t&lt;/b&gt;</h1>"))
    #expect(html.contains("m &amp; m"))
    #expect(html.contains("<a href=\"/\">go</a>"))
    let local = MessagePage.render(MessageModel(title: "t", message: "m", link: MessageLink(text: "a", href: "/account")))
    #expect(local.contains("<a href=\"/account\">a</a>"))
}

@Test func errorPageKeepsItsContent() {
    let html = ErrorPage.render(ErrorPageModel(statusCode: 503, title: "Busy", message: "Later", requestID: "req-9", language: .en))
    #expect(html.contains("<h1>Busy</h1>"))
    #expect(html.contains("req-9") && html.contains("503"))
    #expect(html.contains("hreflang=\"ru\""))
}
