import Foundation
import Testing
@testable import WebPages

/// The e-signature login pages: the challenge page and its upload form, problems, the registration offer, the login
/// pages' sections, account completion, and the catalog.

private let expiry = Date(timeIntervalSince1970: 1_800_000_000)

private func challengePage(console: Bool = false, problem: SignatureProblem? = nil, language: Language = .en) -> String {
    SignatureChallengePage.render(SignatureChallengeModel(
        language: language, csrfToken: "tok\"en", currentPath: "/login/signature/abc", console: console,
        challengeText: "OpenESIA: <login>\nid: abc\n", expiresAt: expiry, downloadPath: "/login/signature/abc/challenge.txt",
        uploadPath: "/login/signature/abc", restartPath: "/login/signature", problem: problem))
}

@Test func theChallengePageShowsTheTextTheDownloadTheCommandsAndAMultipartUpload() {
    let html = challengePage()
    #expect(html.contains("OpenESIA: &lt;login&gt;\nid: abc\n"))
    #expect(html.contains("openesia sign --key my.key --cert my.crt challenge.txt &gt; challenge.sig"))
    #expect(html.contains("openssl cms -sign -binary -outform DER -in challenge.txt"))
    let links = tags("a", in: html).compactMap { $0["href"] }
    #expect(links.contains("/login/signature/abc/challenge.txt"))
    let upload = tags("form", in: html).first { $0["action"] == "/login/signature/abc" }
    #expect(upload?["enctype"] == "multipart/form-data" && upload?["method"] == "post")
    let file = tags("input", in: html).first { $0["type"] == "file" }
    #expect(file?["name"] == "signature" && file?.has("required") == true && file?["aria-invalid"] == nil)
    #expect(tags("input", in: html).filter { $0["name"] == "csrf" }.allSatisfy { $0["value"] == "tok&quot;en" })
    #expect(tags("form", in: html).contains { $0["action"] == "/login/signature" })
    #expect(!html.contains("error-summary"))
}

@Test func aProblemMarksTheFileFieldAndNamesTheTrustFailures() {
    let html = challengePage(problem: SignatureProblem(code: "untrusted", failures: ["revoked", "ca_not_accredited", "whatever"]))
    let file = tags("input", in: html).first { $0["type"] == "file" }
    #expect(file?["aria-invalid"] == "true")
    #expect(file?["aria-describedby"]?.contains("signature-error") == true)
    #expect(html.contains("certificate revoked") && html.contains("issuing CA not accredited at issue time"))
    #expect(html.contains("the certificate did not pass the check"))
    #expect(!html.contains("whatever") && !html.contains("ca_not_accredited"))
    #expect(html.contains("<title>Error:"))
    let russian = challengePage(problem: SignatureProblem(code: "untrusted", failures: ["revoked"]), language: .ru)
    #expect(russian.contains("сертификат отозван"))
}

@Test func theConsoleVersionUsesTheStaffChrome() {
    let html = challengePage(console: true)
    #expect(html.contains("Service centre console"))
    #expect(tags("a", in: html).contains { $0["href"] == PagePath.staffLogin })
}

@Test func bothLoginPagesOfferTheSignature() {
    let citizen = LoginPage.render(LoginModel(language: .en, csrfToken: "t"))
    #expect(tags("form", in: citizen).contains { $0["action"] == PagePath.signatureLogin })
    #expect(citizen.contains("Sign in with an e-signature"))
    let staff = StaffLoginPage.render(StaffLoginModel(language: .en, csrfToken: "t"))
    #expect(tags("form", in: staff).contains { $0["action"] == PagePath.staffSignatureLogin })
    let throttled = LoginPage.render(LoginModel(language: .en, csrfToken: "t", signatureProblem: SignatureProblem(code: "throttled")))
    #expect(throttled.contains("Too many challenges") && throttled.contains("role=\"alert\""))
}

@Test func theRegistrationOfferSendsOnlyItsIDAndMasksTheSNILS() {
    let html = CertificateRegistrationPage.render(CertificateRegistrationModel(
        language: .en, csrfToken: "t", currentPath: PagePath.login, offerID: "offer-id", holder: "Иванов Иван <script>",
        snils: "00200000014", hasINN: true, issuer: "CN=УЦ", notAfter: expiry))
    let form = tags("form", in: html).first { $0["action"] == PagePath.signatureRegister }
    #expect(form != nil)
    let fields = tags("input", in: html).compactMap { $0["name"] }
    #expect(Set(fields) == ["csrf", "offer"])
    #expect(!html.contains("00200000014") && !html.contains("<script>"))
}

@Test func theAccountPageAsksForWhatACertificateAccountLacks() {
    var model = AccountModel(language: .en, csrfToken: "t", surname: "Иванов", givenName: "Иван", birthDate: nil, level: .confirmed)
    model.missing = ["contact", "password", "passport", "birthDate", "gender"]
    model.hasPassword = false
    let html = AccountPage.render(model)
    let links = tags("a", in: html).compactMap { $0["href"] }
    #expect(links.contains(PagePath.changeContact) && links.contains(PagePath.setPassword) && links.contains(PagePath.personalDetails))
    #expect(!links.contains(PagePath.documents), "the passport waits for the birth date")
    #expect(!links.contains(PagePath.changePassword))
    model.missing = ["passport"]
    model.hasPassword = true
    let later = AccountPage.render(model)
    #expect(tags("a", in: later).contains { $0["href"] == PagePath.documents })
    model.missing = []
    #expect(!AccountPage.render(model).contains("Complete your account"))
}

@Test func theCompletionFormsPostWhereTheServerListens() {
    let password = SetPasswordPage.render(SetPasswordModel(language: .en, csrfToken: "t"))
    #expect(tags("form", in: password).contains { $0["action"] == PagePath.setPassword })
    #expect(!tags("input", in: password).contains { $0["name"] == "currentPassword" })
    let details = PersonalDetailsPage.render(PersonalDetailsModel(language: .ru, csrfToken: "t", errors: ["birthDate": "required"]))
    #expect(tags("form", in: details).contains { $0["action"] == PagePath.personalDetails })
    #expect(tags("input", in: details).contains { $0["name"] == "gender" && $0["value"] == "female" })
    #expect(details.contains("aria-invalid=\"true\""))
}

@Test func everySignatureTextHasRussianAndEnglish() {
    for key in SignatureText.allCases {
        let ru = Strings(.ru)[signature: key]
        let en = Strings(.en)[signature: key]
        #expect(ru.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }, "ru \(key)")
        #expect(!en.isEmpty && !en.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }, "en \(key)")
        #expect(ru != en, "\(key)")
    }
}
