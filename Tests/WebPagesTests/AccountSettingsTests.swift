import Foundation
import Testing
@testable import WebPages

/// 17 May 2024 11:05 UTC, 14:05 in Moscow.
private let sampleInstant = Date(timeIntervalSince1970: 1_715_943_900)

private func accountWithSessions(language: Language = .en) -> AccountModel {
    var model = sampleAccount(language: language, level: .standard, registry: .verified)
    model.levelMethod = "registry"
    model.levelReachedAt = sampleInstant
    model.sessions = [
        AccountSession(handle: "current-handle", startedAt: sampleInstant, lastSeenAt: sampleInstant, userAgent: "Firefox",
                       sourceAddress: "192.0.2.1", isCurrent: true),
        AccountSession(handle: "other\"handle", startedAt: sampleInstant, lastSeenAt: sampleInstant, userAgent: "<b>Evil</b>",
                       sourceAddress: "192.0.2.2", isCurrent: false),
    ]
    return model
}

@Test func accountSaysHowAndWhenTheLevelWasReached() {
    let html = AccountPage.render(accountWithSessions())
    #expect(html.contains("Level reached: after the check with the state registries, 17 May 2024, 14:05."))
    let unknown = AccountPage.render({ var m = accountWithSessions(); m.levelMethod = "<x>"; return m }())
    #expect(unknown.contains("Level reached: in another way") && !unknown.contains("&lt;x&gt;"))
}

@Test func accountLinksToPasswordAndContactChanges() {
    let html = AccountPage.render(accountWithSessions())
    let hrefs = Set(tags("a", in: html).compactMap { $0["href"] })
    #expect(hrefs.isSuperset(of: [PagePath.changePassword, PagePath.changeContact]))
}

@Test func otherSessionsCanBeEndedButNotThisOne() {
    let html = AccountPage.render(accountWithSessions())
    let ends = tags("form", in: html).filter { $0["action"] == PagePath.endSession }
    #expect(ends.count == 1 && ends[0]["method"] == "post")
    let handles = tags("input", in: html).filter { $0["name"] == "handle" }.map { $0["value"] }
    #expect(handles == ["other&quot;handle"])
    #expect(html.contains("This session") && html.contains("End this session"))
    #expect(html.contains("&lt;b&gt;Evil&lt;/b&gt;") && !html.contains("<b>Evil"))
    #expect(html.contains("192.0.2.2"))
}

@Test func pendingContactLinksToItsCodeForm() {
    var model = sampleAccount(language: .en)
    model.awaitingCode = [.email]
    let html = AccountPage.render(model)
    #expect(html.contains("href=\"\(PagePath.confirmContact)?channel=email\""))
    #expect(html.contains("Enter the code sent to the new address"))
}

@Test func alreadyMaskedNumbersStayAsTheyAre() {
    #expect(Mask.snils("***-***-445 95") == "***-***-445 95")
    #expect(Mask.passport("** ** ****56") == "** ** ****56")
    #expect(Mask.snils("***-***-445 9") == "***-***-*** **")
}

@Test func dateTimesAreInMoscowTime() {
    #expect(Format.dateTime(sampleInstant, .ru) == "17 мая 2024 г., 14:05")
    #expect(Format.dateTime(sampleInstant, .en) == "17 May 2024, 14:05")
}

@Test func changePasswordPageLabelsTheNewPasswordAndRefillsNothing() {
    let html = ChangePasswordPage.render(ChangePasswordModel(language: .en, csrfToken: "t", errors: ["currentPassword": "mismatch"]))
    let labelled = labels(in: html)
    #expect(labelled["currentPassword"] == "Current password")
    #expect(labelled["password"] == "New password")
    #expect(labelled["passwordRepeat"] == "Repeat the new password")
    #expect(html.contains("The current password is wrong"))
    #expect(tags("form", in: html).first?["action"] == PagePath.changePassword)
    let locked = ChangePasswordPage.render(ChangePasswordModel(language: .en, csrfToken: "t", pageErrors: ["lockedOut"], lockoutMinutes: 2))
    #expect(locked.contains("Try again in 2 minutes."))
}

@Test func changeContactPagePostsPhoneAndEmail() {
    let html = ChangeContactPage.render(ChangeContactModel(language: .en, csrfToken: "t", values: ["phone": "+79120000000"],
                                                           pageErrors: ["contactInUse"]))
    #expect(tags("form", in: html).first?["action"] == PagePath.changeContact)
    #expect(tags("input", in: html).first { $0["name"] == "phone" }?["value"] == "+79120000000")
    #expect(html.contains("already confirmed on another account"))
}

@Test func documentsDuplicateOffersRecovery() {
    let html = DocumentsPage.render(DocumentsModel(csrfToken: "t", pageErrors: ["duplicateAccount"]))
    #expect(html.contains("href=\"\(PagePath.recover)\""))
    #expect(!DocumentsPage.render(DocumentsModel(csrfToken: "t")).contains("href=\"\(PagePath.recover)\""))
}

@Test func confirmFormNamesItsChannel() {
    let html = ConfirmContactPage.render(ConfirmContactModel(csrfToken: "t", channel: .email, destination: "a@b.ru"))
    let channels = tags("input", in: html).filter { $0["name"] == "channel" }
    #expect(channels.count == 2 && channels.allSatisfy { $0["value"] == "email" && $0["type"] == "hidden" })
}
