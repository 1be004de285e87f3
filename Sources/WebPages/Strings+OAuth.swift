/// The text of the pages portals send citizens to: consent, refusals, logout, the account's portal list. Kept apart
/// from the main catalog so each page's wording is read in one place; a `(ru:, en:)` pair per key in one `switch`.
public enum OAuthText: String, CaseIterable, Sendable {
    // Consent
    case consentTitle, consentLead, consentNote, consentAllow, consentDeny
    // Scopes in plain language
    case scopeOpenid, scopeFullname, scopeBirthdate, scopeGender, scopeSnils, scopeInn, scopeIdDoc, scopeEmail, scopeMobile,
         scopeContacts, scopeAddresses
    // Level too low
    case levelTitle, levelText, levelHave, levelRaise, backToPortal
    // Authorization error pages
    case badRequestTitle, missingClient, unknownClient, missingRedirect, unregisteredRedirect, duplicateParameter, unknownRequest,
         badLogoutHint, unregisteredLogoutRedirect
    // Logout
    case logoutTitle, logoutText, logoutButton, logoutCancel
    // The account page's list of portals
    case portalsTitle, portalsNone, portalsSince, portalsRevoke
}

extension Strings {
    /// The text for a federation page key: `s[oauth: .consentTitle]`.
    public subscript(oauth key: OAuthText) -> String { Self.pick(Self.oauthPair(key), language) }

    /// The plain-language description of a scope, or nil for a name this catalog does not know.
    public func scopeDescription(_ scope: String) -> String? {
        let key: OAuthText? = switch scope {
        case "openid": .scopeOpenid
        case "fullname": .scopeFullname
        case "birthdate": .scopeBirthdate
        case "gender": .scopeGender
        case "snils": .scopeSnils
        case "inn": .scopeInn
        case "id_doc": .scopeIdDoc
        case "email": .scopeEmail
        case "mobile": .scopeMobile
        case "contacts": .scopeContacts
        case "addresses": .scopeAddresses
        default: nil
        }
        return key.map { self[oauth: $0] }
    }

    static func oauthPair(_ key: OAuthText) -> (ru: String, en: String) {
        switch key {
        case .consentTitle: ("Доступ к вашим данным", "Access to your data")
        case .consentLead: ("просит доступ к данным вашей учётной записи:", "asks for access to the data of your account:")
        case .consentNote: ("Портал получит только эти данные. Отозвать доступ можно в любой момент в личном кабинете.",
                            "The portal gets only this data. You can withdraw access at any time in your account.")
        case .consentAllow: ("Разрешить", "Allow")
        case .consentDeny: ("Отказать", "Deny")

        case .scopeOpenid: ("Ваш идентификатор в OpenESIA и уровень учётной записи", "Your OpenESIA identifier and account level")
        case .scopeFullname: ("Фамилия, имя и отчество", "Surname, given name and patronymic")
        case .scopeBirthdate: ("Дата рождения", "Date of birth")
        case .scopeGender: ("Пол", "Gender")
        case .scopeSnils: ("СНИЛС", "SNILS (individual insurance account number)")
        case .scopeInn: ("ИНН", "INN (taxpayer number)")
        case .scopeIdDoc: ("Паспорт: серия, номер, дата выдачи и кем выдан", "Passport: series, number, date of issue and issuing office")
        case .scopeEmail: ("Подтверждённый адрес электронной почты", "Your confirmed e-mail address")
        case .scopeMobile: ("Подтверждённый номер мобильного телефона", "Your confirmed mobile phone number")
        case .scopeContacts: ("Все ваши телефоны и адреса почты с отметкой о подтверждении",
                              "All your phone numbers and e-mail addresses, and whether they are confirmed")
        case .scopeAddresses: ("Почтовый адрес", "Postal address")

        case .levelTitle: ("Недостаточный уровень учётной записи", "Your account level is not enough")
        case .levelText: ("принимает учётные записи уровня не ниже", "accepts accounts of at least this level:")
        case .levelHave: ("Уровень вашей учётной записи:", "Your account level:")
        case .levelRaise: ("Повысить уровень можно в личном кабинете.", "You can raise the level in your account.")
        case .backToPortal: ("Вернуться на портал", "Return to the portal")

        case .badRequestTitle: ("Не удалось выполнить вход на портал", "Logging in to the portal did not work")
        case .missingClient: ("В запросе портала не указан его идентификатор. Сообщите об ошибке владельцу портала.",
                              "The portal's request does not say which portal it is. Tell the portal's owner.")
        case .unknownClient: ("Портал, с которого вы пришли, не зарегистрирован или отключён.",
                              "The portal you came from is not registered or has been disabled.")
        case .missingRedirect: ("В запросе портала не указан адрес возврата. Сообщите об ошибке владельцу портала.",
                                "The portal's request does not say where to return. Tell the portal's owner.")
        case .unregisteredRedirect: ("Адрес возврата в запросе портала не зарегистрирован. Вас не перенаправят по нему: это может быть подделка.",
                                     "The return address in the portal's request is not registered. You will not be sent there: it may be forged.")
        case .duplicateParameter: ("Запрос портала повторяет свои параметры. Сообщите об ошибке владельцу портала.",
                                   "The portal's request repeats its parameters. Tell the portal's owner.")
        case .unknownRequest: ("Запрос на вход устарел или был начат в другом браузере. Вернитесь на портал и начните вход заново.",
                               "The login request has expired or was started in another browser. Go back to the portal and start again.")
        case .badLogoutHint: ("Запрос на выход содержит недействительный токен. Вы не вышли из учётной записи.",
                              "The logout request carries an invalid token. You have not been logged out.")
        case .unregisteredLogoutRedirect: ("Адрес возврата после выхода не зарегистрирован для портала. Вы не вышли из учётной записи.",
                                           "The address to return to after logout is not registered for the portal. You have not been logged out.")

        case .logoutTitle: ("Выход из учётной записи", "Log out")
        case .logoutText: ("Портал просит завершить ваш сеанс в OpenESIA. Вы выйдете на всех порталах, куда входили с этим сеансом.",
                           "A portal asks to end your OpenESIA session. You will be logged out of every portal you entered with it.")
        case .logoutButton: ("Выйти", "Log out")
        case .logoutCancel: ("Остаться в системе", "Stay logged in")

        case .portalsTitle: ("Порталы с доступом к вашим данным", "Portals with access to your data")
        case .portalsNone: ("Вы не давали порталам доступ к своим данным.", "You have not given any portal access to your data.")
        case .portalsSince: ("Доступ с", "Access since")
        case .portalsRevoke: ("Отозвать доступ", "Withdraw access")
        }
    }
}
