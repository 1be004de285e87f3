import Foundation
import Testing
@testable import WebPages

private let bar = StaffBar(displayName: "<b>Оператор</b>", showsTeam: false, csrfToken: "tok")
private let citizen = StaffCitizenSummary(surname: "<script>x</script>", givenName: "Иван", patronymic: nil, birthDate: "1980-01-01",
                                          level: .standard)

@Test func staffStringsAreFilledInBothLanguages() {
    for key in StaffStrings.Key.allCases {
        #expect(!StaffStrings(.ru)[key].isEmpty && !StaffStrings(.en)[key].isEmpty, "\(key)")
        #expect(StaffStrings(.ru)[key].unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }, "\(key) in Russian")
    }
}

@Test func staffLoginRefillsOnlyTheLoginAndSaysOneThing() {
    let html = StaffLoginPage.render(StaffLoginModel(language: .en, csrfToken: "t", login: "\"><x>", failed: true))
    #expect(!html.contains("\"><x>"))
    let inputs = tags("input", in: html)
    // The password form, then the e-signature section's form, which holds only its csrf field.
    #expect(inputs.map { $0["name"] } == ["csrf", "login", "password", "totp", "csrf"])
    #expect(inputs.filter { $0.has("value") }.map { $0["name"] } == ["csrf", "login", "csrf"])
    #expect(tags("form", in: html).map { $0["action"] } == [PagePath.staffLogin, PagePath.staffSignatureLogin])
    #expect(html.contains("Wrong login, password or code."))
    #expect(tags("form", in: html).first?["action"] == PagePath.staffLogin)
}

@Test func staffSearchHasOneSNILSFieldAndNoneForServiceAdmins() {
    let html = StaffSearchPage.render(StaffSearchModel(bar: bar, outcome: .notFound))
    #expect(!html.contains("<b>Оператор</b>") && html.contains("&lt;b&gt;Оператор&lt;/b&gt;"))
    #expect(tags("input", in: html).filter { $0["type"] != "hidden" }.map { $0["name"] } == ["snils"])
    #expect(tags("form", in: html).map { $0["action"] } == [PagePath.staffLogout, PagePath.staffCheck])
    let admin = StaffSearchPage.render(StaffSearchModel(bar: bar, canCheck: false))
    #expect(tags("form", in: admin).map { $0["action"] } == [PagePath.staffLogout])
}

@Test func staffCheckShowsNameAndAsksForThePassportEmpty() {
    let html = StaffCheckPage.render(StaffCheckModel(bar: bar, citizen: citizen, snils: "112-233-445 95", stage: .mismatch))
    #expect(!html.contains("<script>x</script>"))
    #expect(html.contains("1 января 1980 г.") && html.contains("Стандартная"))
    let visible = tags("input", in: html).filter { $0["type"] != "hidden" }
    #expect(visible.map { $0["name"] } == ["passportSeries", "passportNumber", "passportIssueDate"])
    #expect(visible.allSatisfy { !$0.has("value") })
    #expect(html.contains(StaffStrings(.ru)[.mismatch]))
}

@Test func staffCheckOffersBothActionsCarryingThePassportAgain() {
    let passport = TypedPassport(series: "4500", number: "000009", issueDate: "2000-01-01")
    let html = StaffCheckPage.render(StaffCheckModel(bar: bar, citizen: citizen, snils: "s", stage: .matched, passport: passport))
    let forms = tags("form", in: html).filter { $0["action"] == PagePath.staffPassport }
    #expect(forms.count == 2)
    let actions = tags("input", in: html).filter { $0["name"] == "action" }.map { $0["value"] }
    #expect(actions == ["confirm", "slip"])
    #expect(tags("input", in: html).filter { $0["name"] == "passportNumber" }.allSatisfy { $0["value"] == "000009" })
    let done = StaffCheckPage.render(StaffCheckModel(bar: bar, citizen: citizen, snils: "s", stage: .alreadyConfirmed))
    #expect(tags("form", in: done).map { $0["action"] } == [PagePath.staffLogout])
}

@Test func staffSlipShowsCodeExpiryAndInstructionsForPrint() {
    let expires = Date(timeIntervalSince1970: 1_700_000_000)
    let html = StaffSlipPage.render(StaffSlipModel(language: .en, bar: bar, citizenName: "Иванов Иван", code: "ABCD-EFGH-JKLM",
                                                   expiresAt: expires, centreName: "МФЦ"))
    #expect(html.contains("<dd class=\"slip-code\">ABCD-EFGH-JKLM</dd>"))
    #expect(html.contains("15 November 2023"))
    #expect(html.contains(StaffStrings(.en)[.slipInstructions]))
    #expect(html.contains("class=\"staff-bar no-print\""))
    #expect(Stylesheet.css.contains(".slip-code") && Stylesheet.css.contains("@media print"))
}

@Test func staffTeamEscapesAndOffersActionsOnlyWhereAllowed() {
    let rows = [StaffTeamRow(id: 2, login: "oper.a", displayName: "<i>A</i>", role: .operator, active: true, manageable: true),
                StaffTeamRow(id: 1, login: "admin.a", displayName: "Admin", role: .centreAdmin, active: true, manageable: false)]
    let html = StaffTeamPage.render(StaffTeamModel(bar: bar, members: rows, canAdd: true, enrolmentURI: "otpauth://totp/x?secret=A&b=<c>"))
    #expect(!html.contains("<i>A</i>") && !html.contains("<c>"))
    #expect(html.contains("otpauth://totp/x?secret=A&amp;b=&lt;c&gt;"))
    let ids = tags("input", in: html).filter { $0["name"] == "staffID" }.map { $0["value"] }
    #expect(ids == ["2", "2"])
    #expect(tags("form", in: html).contains { $0["action"] == PagePath.staffTeamAdd })
    let password = tags("input", in: html).first { $0["name"] == "password" }
    #expect(password?["type"] == "password" && password?.has("value") == false)
    let noAdd = StaffTeamPage.render(StaffTeamModel(bar: bar, members: [], canAdd: false))
    #expect(!tags("form", in: noAdd).contains { $0["action"] == PagePath.staffTeamAdd })
}
