import Foundation
import Testing
@testable import WebPages

@Test func everyFederationTextHasRussianAndEnglish() {
    for key in OAuthText.allCases {
        let ru = Strings(.ru)[oauth: key], en = Strings(.en)[oauth: key]
        #expect(ru.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }, "ru \(key)")
        #expect(!en.isEmpty && ru != en, "en \(key)")
    }
}

@Test func theConsentPageListsExactlyTheScopesAskedFor() {
    let html = ConsentPage.render(ConsentModel(language: .en, csrfToken: "tok", portalName: "City <portal>", scopes: ["openid", "snils"],
                                               requestID: "req-1"))
    #expect(html.contains("City &lt;portal&gt;"))
    #expect(html.contains("Your OpenESIA identifier and account level") && html.contains("SNILS (individual insurance account number)"))
    #expect(!html.contains("Date of birth") && !html.contains("Postal address"))
    let buttons = tags("button", in: html)
    #expect(buttons.map { $0["value"] } == ["allow", "deny"])
    #expect(tags("form", in: html).first?["action"] == PagePath.oauthConsent)
    #expect(tags("input", in: html).contains { $0["name"] == "request" && $0["value"] == "req-1" })
    #expect(tags("input", in: html).contains { $0["name"] == "csrf" && $0["value"] == "tok" })
}

@Test func theAccountPageListsPortalsWithARevokeForm() {
    var model = AccountModel(csrfToken: "tok", surname: "Петрова", givenName: "Анна", birthDate: "1990-05-17", level: .standard)
    #expect(AccountPage.render(model).contains("Вы не давали порталам доступ"))
    model.portals = [AccountPortal(clientID: "web", name: "Городской портал", scopes: ["openid", "fullname"], since: Date(timeIntervalSince1970: 1_800_000_000))]
    let html = AccountPage.render(model)
    #expect(html.contains("Городской портал") && html.contains("Фамилия, имя и отчество"))
    #expect(tags("form", in: html).contains { $0["action"] == PagePath.revokePortal })
    #expect(tags("input", in: html).contains { $0["name"] == "client_id" && $0["value"] == "web" })
}

@Test func theLevelPageLinksBackToThePortalAndToTheAccount() {
    let html = LevelTooLowPage.render(LevelTooLowModel(language: .en, portalName: "Tax", required: .confirmed, current: .standard,
                                                       returnURL: "https://tax.example/cb?error=access_denied&state=a\"b"))
    #expect(html.contains("Confirmed") && html.contains("Standard"))
    let links = tags("a", in: html).compactMap { $0["href"] }
    #expect(links.contains(PagePath.account) && links.contains("https://tax.example/cb?error=access_denied&amp;state=a&quot;b"))
}

@Test func aPortalsOriginJoinsFormActionOnlyWhenGiven() {
    #expect(PageHeaders.contentSecurityPolicy(formActions: []) == PageHeaders.contentSecurityPolicy)
    #expect(PageHeaders.contentSecurityPolicy(formActions: ["https://a.example"]).contains("form-action 'self' https://a.example;"))
}
