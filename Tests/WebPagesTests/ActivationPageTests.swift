import Foundation
import Testing
@testable import WebPages

/// The activation page and the service-centre page: what each state shows, the forms, escaping, the catalog.

private let expiry = Date(timeIntervalSince1970: 1_800_000_000)

private func page(_ level: AccountLevel = .standard, language: Language = .en, liveCode: ActivationLiveCode? = nil,
                  letter: ActivationLetter? = nil, ended: String? = nil, problem: ActivationProblem? = nil) -> String {
    ActivationPage.render(ActivationModel(language: language, csrfToken: "tok\"en", level: level, levelMethod: level == .confirmed ? "letter-code" : nil,
                                          levelReachedAt: level == .confirmed ? expiry : nil, liveCode: liveCode, letter: letter,
                                          lastCodeEnded: ended, problem: problem))
}

private func actions(_ html: String) -> Set<String> { Set(tags("form", in: html).compactMap { $0["action"] }) }

@Test func withoutACodeBothChannelsAreOffered() {
    let html = page()
    let s = Strings(.en)
    #expect(html.contains(s[activation: .letterChoice]) && html.contains(s[activation: .centreChoice]))
    #expect(actions(html) == [PagePath.activationLetter])
    #expect(html.contains("href=\"\(PagePath.serviceCentres)\""))
    // Every post form carries the session's csrf token, escaped.
    let hidden = tags("input", in: html).filter { $0["name"] == "csrf" }
    #expect(hidden.count == 1 && hidden[0]["value"] == "tok&quot;en")
}

@Test func aPendingLetterIsNotOfferedAgainAndHasNoCodeForm() {
    let html = page(letter: ActivationLetter(state: .pending, requestedAt: expiry))
    #expect(html.contains("data-state=\"pending\""))
    #expect(actions(html).isEmpty)
    #expect(html.contains(Strings(.en)[activation: .letterPending]))
}

@Test func aLiveLetterCodeShowsTrackingExpiryAttemptsAndTheForm() {
    let html = page(liveCode: ActivationLiveCode(byLetter: true, expiresAt: expiry, attemptsLeft: 3),
                    letter: ActivationLetter(state: .dispatched, requestedAt: expiry, trackingNumber: "RA123456785RU", codeExpiresAt: expiry))
    #expect(html.contains("RA123456785RU"))
    #expect(html.contains("The code works until") && html.contains(Format.dateTime(expiry, .en)))
    #expect(html.contains("Attempts left: 3"))
    #expect(actions(html) == [PagePath.activationCode, PagePath.activationLetter])
    let input = tags("input", in: html).first { $0["name"] == "code" }
    #expect(input != nil && input?["value"] == nil, "the code field is never filled in")
    #expect(html.contains("<label for=\"code\">Identity confirmation code</label>"))
}

@Test func aWrongCodeMarksTheFieldAndSaysHowManyTriesAreLeft() {
    let html = page(liveCode: ActivationLiveCode(byLetter: false, expiresAt: expiry, attemptsLeft: 2), problem: .wrongCode(attemptsLeft: 2))
    #expect(html.contains("The code is not right. Attempts left: 2."))
    #expect(html.contains("class=\"error-summary\""))
    #expect(tags("input", in: html).first { $0["name"] == "code" }?["aria-invalid"] == "true")
    #expect(html.contains(Strings(.en)[activation: .centreCodeActive]))
}

@Test func aReturnedLetterSaysSoAndOffersTheChoiceAgain() {
    let html = page(letter: ActivationLetter(state: .returned, requestedAt: expiry, codeExpiresAt: expiry), ended: "returned")
    #expect(html.contains(Strings(.en)[activation: .letterReturned]))
    #expect(!html.contains("The code works until"), "a dead code's expiry would mislead")
    #expect(actions(html) == [PagePath.activationLetter])
}

@Test func anEndedCodeSaysWhy() {
    #expect(page(ended: "expired").contains(Strings(.en)[activation: .endedExpired]))
    #expect(page(ended: "exhausted").contains(Strings(.en)[activation: .endedExhausted]))
    #expect(!page(ended: "<b>x</b>").contains("<b>x</b>"))
}

@Test func confirmedAndSimplifiedAccountsGetNoForms() {
    let confirmed = page(.confirmed, language: .ru)
    #expect(confirmed.contains("Личность подтверждена") && confirmed.contains("кодом из заказного письма"))
    #expect(actions(confirmed).isEmpty)
    let simplified = page(.simplified)
    #expect(simplified.contains("href=\"\(PagePath.documents)\"") && actions(simplified).isEmpty)
}

@Test func everyActivationTextHasRussianAndEnglish() {
    for key in ActivationText.allCases {
        let ru = Strings(.ru)[activation: key]
        let en = Strings(.en)[activation: key]
        #expect(ru.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }, "ru \(key)")
        #expect(!en.isEmpty && !en.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }, "en \(key)")
        #expect(ru != en, "\(key)")
    }
}

@Test func centresPageListsEscapesAndOffersTheSearch() {
    let centres = [
        CentreEntry(name: "МФЦ <Тверской>", region: "Москва", city: "Москва", address: "ул. Примерная, д. 10",
                    openingHours: "пн–вс 8:00–20:00", latitude: 55.7652, longitude: 37.6045),
        CentreEntry(name: "МФЦ Казань", region: "Республика Татарстан", city: "Казань", address: "ул. Образцовая, 1", openingHours: "пн–пт"),
    ]
    let html = CentresPage.render(CentresModel(language: .en, regions: ["Москва", "Республика Татарстан"], region: "Москва",
                                               city: "\"><script>", centres: centres))
    #expect(html.contains("МФЦ &lt;Тверской&gt;") && !html.contains("<Тверской>"))
    #expect(html.contains("55.76520, 37.60450"))
    #expect(html.contains("Centres found: 2."))
    #expect(html.contains("<option value=\"Москва\" selected>Москва</option>"))
    #expect(!html.contains("<script>"))
    let form = tags("form", in: html)
    #expect(form.count == 1 && form[0]["method"] == "get" && form[0]["action"] == PagePath.serviceCentres)
    #expect(tags("input", in: html).allSatisfy { $0["name"] != "csrf" }, "a search changes nothing: no token")

    let none = CentresPage.render(CentresModel(language: .ru, regions: [], centres: []))
    #expect(none.contains("центров не найдено"))
}
