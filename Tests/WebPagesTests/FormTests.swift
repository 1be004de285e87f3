import Testing
@testable import WebPages

/// Inputs a person sees and fills in.
private func visibleInputs(_ html: String) -> [Tag] {
    tags("input", in: html).filter { $0["type"] != "hidden" }
}

@Test func everyFormPostsWithACSRFToken() {
    for (name, html) in allPages() {
        let forms = tags("form", in: html)
        let tokens = tags("input", in: html).filter { $0["name"] == "csrf" }
        #expect(forms.count == tokens.count, "\(name)")
        for form in forms { #expect(form["method"] == "post", "\(name)") }
        for token in tokens {
            #expect(token["type"] == "hidden", "\(name)")
            #expect(token["value"] == "csrf-token-1", "\(name)")
        }
    }
}

@Test func csrfTokenIsEscaped() {
    let html = LoginPage.render(LoginModel(csrfToken: "a\"><b"))
    #expect(html.contains("name=\"csrf\" value=\"a&quot;&gt;&lt;b\""))
}

@Test func everyInputHasAMatchingLabel() {
    for (name, html) in formPages() + allPages() {
        let labelled = labels(in: html)
        for input in visibleInputs(html) {
            let id = input["id"] ?? ""
            #expect(!id.isEmpty, "\(name): input without id")
            #expect(!(labelled[id] ?? "").isEmpty, "\(name): no label for \(id)")
        }
        // And no label points at nothing.
        let ids = Set(visibleInputs(html).compactMap { $0["id"] })
        for id in labelled.keys { #expect(ids.contains(id), "\(name): label for missing \(id)") }
    }
}

@Test func fieldErrorsAreTiedToTheirFields() {
    for (name, html) in formPages(code: "invalidFormat") {
        for input in visibleInputs(html) {
            let field = input["name"]!
            #expect(input["aria-invalid"] == "true", "\(name): \(field)")
            let described = (input["aria-describedby"] ?? "").split(separator: " ")
            #expect(described.contains("\(field)-error"[...]), "\(name): \(field)")
            #expect(html.contains("id=\"\(field)-error\""), "\(name): \(field)")
            #expect(html.contains("<a href=\"#\(field)\">"), "\(name): summary links to \(field)")
        }
        let summary = tags("div", in: html).filter { $0["class"] == "error-summary" }
        #expect(summary.count == 1 && summary[0]["role"] == "alert", "\(name)")
    }
}

@Test func fieldsWithoutErrorsCarryNoErrorAttributes() {
    for (name, html) in formPages(code: nil) {
        #expect(!html.contains("aria-invalid"), "\(name)")
        #expect(!html.contains("-error\""), "\(name)")
        #expect(!html.contains("error-summary"), "\(name)")
    }
}

@Test func hintIsTiedToItsField() {
    let html = DocumentsPage.render(DocumentsModel(csrfToken: "t", errors: ["snils": "badChecksum"]))
    let snils = tags("input", in: html).first { $0["name"] == "snils" }!
    #expect(snils["aria-describedby"] == "snils-hint snils-error")
    #expect(html.contains("id=\"snils-hint\""))
    #expect(html.contains("СНИЛС введён с ошибкой: не сходится контрольное число"))
}

@Test func passwordsAndCodesAreNeverRefilled() {
    for (name, html) in formPages(value: "secret-value-42") {
        for input in visibleInputs(html) where input["type"] == "password" || input["name"] == "code" {
            #expect(!input.has("value"), "\(name): \(input["name"]!)")
        }
        #expect(!html.contains("secret-value-42\" autocomplete=\"new-password"))
    }
    let register = RegisterPage.render(RegisterModel(csrfToken: "t", values: ["password": "hunter2pass", "passwordRepeat": "hunter2pass"]))
    #expect(!register.contains("hunter2pass"))
    let login = LoginPage.render(LoginModel(csrfToken: "t", values: ["login": "ivan@example.ru", "password": "hunter2pass"]))
    #expect(!login.contains("hunter2pass"))
    #expect(login.contains("value=\"ivan@example.ru\""))
    let confirm = ConfirmContactPage.render(ConfirmContactModel(csrfToken: "t", channel: .email, destination: "a@b.ru",
                                                                values: ["code": "731904"]))
    #expect(!confirm.contains("731904"))
}

@Test func otherValuesAreRefilled() {
    let html = RegisterPage.render(RegisterModel(csrfToken: "t", values: ["surname": "Петров", "gender": "female", "consent": "yes"]))
    #expect(tags("input", in: html).first { $0["name"] == "surname" }?["value"] == "Петров")
    #expect(tags("input", in: html).first { $0["id"] == "gender-female" }?.has("checked") == true)
    #expect(tags("input", in: html).first { $0["id"] == "gender" }?.has("checked") == false)
    #expect(tags("input", in: html).first { $0["name"] == "consent" }?.has("checked") == true)
}

@Test func requiredFieldsAreMarkedAndOptionalOnesAreNot() {
    let html = RegisterPage.render(RegisterModel(csrfToken: "t"))
    let inputs = Dictionary(visibleInputs(html).map { ($0["id"]!, $0) }, uniquingKeysWith: { first, _ in first })
    for id in ["surname", "givenName", "birthDate", "password", "passwordRepeat", "consent"] {
        #expect(inputs[id]?.has("required") == true, "\(id)")
        #expect(inputs[id]?["aria-required"] == "true", "\(id)")
    }
    for id in ["patronymic", "phone", "email"] { #expect(inputs[id]?.has("required") == false, "\(id)") }
    #expect(labels(in: html)["patronymic"]?.contains("(необязательно)") == true)
    // One of the two is needed, so neither is called optional.
    #expect(labels(in: html)["phone"] == "Мобильный телефон")
    #expect(labels(in: html)["email"] == "Электронная почта")
    #expect(inputs["gender"]?.has("required") == true)
    #expect(html.contains("<fieldset role=\"radiogroup\" aria-required=\"true\">"))
}

@Test func autocompleteTokensHelpBrowsersFillIn() {
    let register = RegisterPage.render(RegisterModel(csrfToken: "t"))
    let expected = ["surname": "family-name", "givenName": "given-name", "patronymic": "additional-name", "birthDate": "bday",
                    "phone": "tel", "email": "email", "password": "new-password", "passwordRepeat": "new-password"]
    for input in visibleInputs(register) where expected[input["id"]!] != nil {
        #expect(input["autocomplete"] == expected[input["id"]!], "\(input["id"]!)")
    }
    let birth = visibleInputs(register).first { $0["id"] == "birthDate" }
    #expect(birth?["type"] == "date")
    let login = LoginPage.render(LoginModel(csrfToken: "t"))
    #expect(visibleInputs(login).first { $0["id"] == "password" }?["autocomplete"] == "current-password")
    let confirm = ConfirmContactPage.render(ConfirmContactModel(csrfToken: "t", channel: .phone, destination: "+79121234589"))
    #expect(visibleInputs(confirm).first { $0["id"] == "code" }?["autocomplete"] == "one-time-code")
    let documents = DocumentsPage.render(DocumentsModel(csrfToken: "t"))
    #expect(visibleInputs(documents).first { $0["id"] == "postalCode" }?["autocomplete"] == "postal-code")
    #expect(visibleInputs(documents).first { $0["id"] == "snils" }?["autocomplete"] == "off")
}

@Test func errorSummaryListsFieldsInFormOrderAfterPageErrors() {
    let html = RegisterPage.render(RegisterModel(language: .en, csrfToken: "t",
                                                 errors: ["consent": "required", "surname": "required", "unknownField": "tooLong"],
                                                 pageErrors: ["duplicateAccount"]))
    let duplicate = html.firstRange(of: "An account with these details already exists. If it is yours, recover access.")!
    let surname = html.firstRange(of: "<a href=\"#surname\">Enter your surname</a>")!
    let consent = html.firstRange(of: "<a href=\"#consent\">")!
    #expect(duplicate.lowerBound < surname.lowerBound && surname.lowerBound < consent.lowerBound)
    #expect(html.contains("<li>This field is too long</li>"))
    #expect(html.contains("href=\"\(PagePath.recover)\""))
}

@Test func loginErrorNeverSaysWhetherTheAccountExists() {
    let html = LoginPage.render(LoginModel(language: .ru, csrfToken: "t", values: ["login": "ivan@example.ru"],
                                           pageErrors: ["wrongCredentials"]))
    #expect(html.contains("Неверный логин или пароль."))
    #expect(!html.contains("aria-invalid"), "neither field is singled out")
}

@Test func lockoutSaysHowLongToWait() {
    let ru = LoginPage.render(LoginModel(language: .ru, csrfToken: "t", pageErrors: ["lockedOut"], lockoutMinutes: 21))
    #expect(ru.contains("Попробуйте снова через 21 минуту."))
    #expect(!ru.contains("Попробуйте позже"), "the minutes replace the general sentence")
    let en = LoginPage.render(LoginModel(language: .en, csrfToken: "t", lockoutMinutes: 5))
    #expect(en.contains("Try again in 5 minutes."))
    #expect(en.contains("role=\"alert\""))
}

@Test func confirmPageShowsTheMaskedDestinationAndAResendForm() {
    let html = ConfirmContactPage.render(ConfirmContactModel(language: .ru, csrfToken: "t", channel: .phone,
                                                             destination: "+7 912 123-45-89", codeResent: true,
                                                             resendWaitSeconds: 42))
    #expect(html.contains("+7 912 ***-**-89"))
    #expect(!html.contains("123-45"))
    #expect(tags("form", in: html).map { $0["action"] } == [PagePath.confirmContact, PagePath.resendCode])
    #expect(html.contains("role=\"status\""))
    #expect(html.contains("через 42 секунды"))
    let email = ConfirmContactPage.render(ConfirmContactModel(language: .en, csrfToken: "t", channel: .email,
                                                              destination: "ivanov@example.ru", pageErrors: ["expiredCode"]))
    #expect(email.contains("iv***@example.ru"))
    #expect(email.contains("The code has expired. Request a new one."))
}
