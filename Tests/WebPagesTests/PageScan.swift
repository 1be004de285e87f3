import WebPages

/// One start tag found in a page: its name and attributes (values still escaped, as written).
struct Tag {
    let name: String
    let attributes: [String: String]

    subscript(_ attribute: String) -> String? { attributes[attribute] }
    func has(_ attribute: String) -> Bool { attributes[attribute] != nil }
}

/// A small scanner for the HTML the pages write: start tags with double-quoted or bare attributes.
/// Enough to check structure without snapshots; not a general HTML parser.
func tags(_ name: String, in html: String) -> [Tag] {
    var found: [Tag] = []
    var rest = html[...]
    while let open = rest.firstRange(of: "<" + name) {
        let after = rest[open.upperBound...]
        guard let next = after.first, next == " " || next == ">" else { rest = after; continue }
        guard let close = after.firstIndex(of: ">") else { break }
        found.append(Tag(name: name, attributes: parseAttributes(after[..<close])))
        rest = after[after.index(after: close)...]
    }
    return found
}

private func parseAttributes(_ text: Substring) -> [String: String] {
    var attributes: [String: String] = [:]
    var rest = text.drop(while: { $0 == " " })
    while !rest.isEmpty {
        let name = rest.prefix(while: { $0 != "=" && $0 != " " })
        rest = rest.dropFirst(name.count)
        if rest.first == "=" {
            rest = rest.dropFirst(2)  // ="
            let value = rest.prefix(while: { $0 != "\"" })
            attributes[String(name)] = String(value)
            rest = rest.dropFirst(value.count + 1)
        } else {
            attributes[String(name)] = ""
        }
        rest = rest.drop(while: { $0 == " " })
    }
    return attributes
}

/// The text of every `<label for="id">`, by id.
func labels(in html: String) -> [String: String] {
    var result: [String: String] = [:]
    var rest = html[...]
    while let open = rest.firstRange(of: "<label for=\"") {
        let after = rest[open.upperBound...]
        guard let quote = after.firstIndex(of: "\""), let end = after.firstRange(of: "</label>") else { break }
        let id = String(after[..<quote])
        let start = after.index(after: after.firstIndex(of: ">")!)
        result[id] = String(after[start..<end.lowerBound])
        rest = after[end.upperBound...]
    }
    return result
}

/// A value that tries to break out of text and attributes alike.
let hostile = "<script>alert(\"x\")</script>'\"&"
let hostileEscaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&quot;&amp;"

/// Every form page, filled with `value` in every field and `code` as the error of every field (nil: no errors).
func formPages(value: String = hostile, code: String? = "required", language: Language = .ru,
               csrf: String = "csrf-token-1") -> [(name: String, html: String)] {
    let values = Dictionary(uniqueKeysWithValues: Field.allCases.map { ($0.rawValue, value) })
    let errors = code.map { code in Dictionary(uniqueKeysWithValues: Field.allCases.map { ($0.rawValue, code) }) } ?? [:]
    return [
        ("register", RegisterPage.render(RegisterModel(language: language, csrfToken: csrf, values: values, errors: errors))),
        ("confirm", ConfirmContactPage.render(ConfirmContactModel(language: language, csrfToken: csrf, channel: .phone,
                                                                  destination: "+79121234589", values: values, errors: errors))),
        ("documents", DocumentsPage.render(DocumentsModel(language: language, csrfToken: csrf, values: values, errors: errors))),
        ("login", LoginPage.render(LoginModel(language: language, csrfToken: csrf, values: values, errors: errors))),
        ("password", ChangePasswordPage.render(ChangePasswordModel(language: language, csrfToken: csrf, errors: errors))),
        ("contact", ChangeContactPage.render(ChangeContactModel(language: language, csrfToken: csrf, values: values, errors: errors))),
    ]
}

/// An account with every part present.
func sampleAccount(language: Language = .ru, surname: String = "Иванов", level: AccountLevel = .simplified,
                   registry: RegistryStatus = .pending) -> AccountModel {
    AccountModel(language: language, csrfToken: "csrf-token-1", surname: surname, givenName: "Иван", patronymic: "Иванович",
                 birthDate: "1990-03-15", level: level, phone: AccountContact(value: "+79121234589", verified: true),
                 email: AccountContact(value: "ivan@example.ru", verified: false), snils: "112-233-445 95",
                 passport: "4508 123456", registry: registry)
}

/// Every page of the module, in one language.
func allPages(language: Language = .ru) -> [(name: String, html: String)] {
    formPages(code: nil, language: language) + [
        ("home", HomePage.render(HomeModel(language: language))),
        ("account", AccountPage.render(sampleAccount(language: language))),
        ("message", MessagePage.render(MessageModel(language: language, title: "Готово", message: "Всё",
                                                    link: MessageLink(text: "Дальше", href: "/account")))),
        ("error", ErrorPage.render(ErrorPageModel(statusCode: 404, title: "Нет", message: "Нет", requestID: "r",
                                                  language: language))),
    ]
}
