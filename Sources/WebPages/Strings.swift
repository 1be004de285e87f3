/// The interface text in every language: `Strings(language)[.key]`.
///
/// Each entry is a `(ru:, en:)` pair in one `switch`, so a new key without text does not compile;
/// the tests check that no text is empty and that the Russian text is Russian.
public struct Strings: Sendable {
    /// The language this catalog answers in.
    public let language: Language

    /// A catalog for one language.
    public init(_ language: Language) { self.language = language }

    /// The text for `key`.
    public subscript(_ key: Key) -> String { Self.text(key, language) }

    /// The text for `key` in `language`.
    public static func text(_ key: Key, _ language: Language) -> String {
        pick(Self.pair(key), language)
    }

    static func pick(_ pair: (ru: String, en: String), _ language: Language) -> String {
        switch language {
        case .ru: pair.ru
        case .en: pair.en
        }
    }

    /// Identifiers of the interface text; field labels and error messages have their own catalogs.
    public enum Key: String, CaseIterable, Sendable {
        // Layout
        case serviceName, skipToContent, languageSwitch, footerText, homeLink, requestID
        // Forms in general
        case optionalMark, requiredNote, errorSummaryTitle, errorPrefix, notVerified, verified, notGiven
        // Home
        case homeTitle, homeLead, homeRegister, homeLogin, homeServiceCentres, homeAccount, homeLevelsTitle, homeLevels
        // Register
        case registerTitle, registerLead, genderMale, genderFemale, contactLegend, contactHint, passwordHint,
             consentText, registerButton, alreadyRegistered
        // Confirm contact
        case confirmTitle, confirmSentToPhone, confirmSentToEmail, confirmButton, resendButton, resendWait,
             codeResent, codeHint
        // Documents
        case documentsTitle, documentsLead, passportLegend, addressLegend, documentsButton
        // Login
        case loginTitle, loginButton, lockedOutMinutes, forgotPassword, noAccount
        // Account
        case accountTitle, nameLabel, birthDateLabel, levelLabel, contactsLabel, documentsLabel, registryLabel,
             logoutButton, levelSimplified, levelStandard, levelConfirmed, levelSimplifiedAllows, levelStandardAllows,
             levelConfirmedAllows, nextStepLabel, nextAddDocuments, nextWaitForCheck, nextFixDocuments, nextConfirm,
             nextNothing, addDocumentsLink, fixDocumentsLink, serviceCentresLink, registryNotSubmitted, registryPending,
             registryVerified, registryRejected, rejectedPassportInvalid, rejectedSnilsNotFound, rejectedDataMismatch,
             rejectedOther
        // Account: how the level was reached, settings, sessions
        case levelReachedLabel, levelByRegistration, levelByRegistry, levelByDocumentChange, levelByLetterCode,
             levelByCentreCode, levelByStaffCheck, levelBySignature, levelByOther, enterCodeForPhone, enterCodeForEmail,
             settingsLabel, changePasswordLink, changeContactLink, sessionsLabel, sessionStarted, sessionLastSeen,
             sessionAddress, sessionBrowser, thisSession, endSessionButton, unknownBrowser
        // Change password and contact
        case changePasswordTitle, changePasswordLead, newPasswordLabel, newPasswordRepeatLabel, changePasswordButton,
             changeContactTitle, changeContactLead, changeContactButton, backToAccount
        // A form sent without its anti-forgery token
        case formExpiredTitle, formExpiredText
        // Messages the server shows on MessagePage
        case registrationCompleteTitle, registrationCompleteText, documentsSubmittedTitle, documentsSubmittedText,
             loggedOutTitle, loggedOutText, goToAccount, goToLogin
    }

    // ru and en side by side, so a translator sees both at once.
    static func pair(_ key: Key) -> (ru: String, en: String) {
        switch key {
        case .serviceName: ("OpenESIA — единая учётная запись", "OpenESIA — single account")
        case .skipToContent: ("Перейти к содержанию", "Skip to main content")
        case .languageSwitch: ("Язык", "Language")
        case .footerText: ("OpenESIA — система идентификации и аутентификации для электронных госуслуг.",
                           "OpenESIA — identification and authentication for e-government services.")
        case .homeLink: ("На главную", "Home")
        case .requestID: ("Код запроса", "Request id")

        case .optionalMark: ("необязательно", "optional")
        case .requiredNote: ("Все поля обязательны, кроме отмеченных «необязательно».",
                             "All fields are required unless marked optional.")
        case .errorSummaryTitle: ("Проверьте данные", "There is a problem")
        case .errorPrefix: ("Ошибка:", "Error:")
        case .notVerified: ("не подтверждён", "not confirmed")
        case .verified: ("подтверждён", "confirmed")
        case .notGiven: ("не указан", "not given")

        case .homeTitle: ("Единая учётная запись для госуслуг", "One account for public services")
        case .homeLead: ("Одна учётная запись для входа на порталы государственных и муниципальных услуг. "
                         + "Зарегистрируйтесь один раз — и входите на любой подключённый портал.",
                         "One account to log in to state and municipal service portals. "
                         + "Register once and log in to any connected portal.")
        case .homeRegister: ("Зарегистрироваться", "Register")
        case .homeLogin: ("Войти", "Log in")
        case .homeServiceCentres: ("Центры обслуживания", "Service centres")
        case .homeAccount: ("Моя учётная запись", "My account")
        case .homeLevelsTitle: ("Уровни учётной записи", "Account levels")
        case .homeLevels: ("Упрощённая — после регистрации; стандартная — после проверки СНИЛС и паспорта; "
                           + "подтверждённая — после подтверждения личности.",
                           "Simplified after registration; standard once your SNILS and passport are checked; "
                           + "confirmed once your identity is proven.")

        case .registerTitle: ("Регистрация", "Register")
        case .registerLead: ("Укажите данные так, как они записаны в паспорте.",
                             "Enter your details exactly as they appear in your passport.")
        case .genderMale: ("Мужской", "Male")
        case .genderFemale: ("Женский", "Female")
        case .contactLegend: ("Контакт для подтверждения", "Contact for confirmation")
        case .contactHint: ("Укажите мобильный телефон, электронную почту или и то и другое. Мы пришлём код подтверждения.",
                            "Enter a mobile phone, an e-mail address or both. We will send you a confirmation code.")
        case .passwordHint: ("Не короче 10 символов. Не используйте имя, дату рождения, СНИЛС и пароли от других сайтов.",
                             "At least 10 characters. Do not use your name, date of birth, SNILS or a password from another site.")
        case .consentText: ("Я даю согласие на обработку моих персональных данных для регистрации и входа на порталы госуслуг",
                            "I agree to the processing of my personal data for registration and logging in to public service portals")
        case .registerButton: ("Зарегистрироваться", "Register")
        case .alreadyRegistered: ("Уже зарегистрированы? Войдите", "Already registered? Log in")

        case .confirmTitle: ("Введите код подтверждения", "Enter the confirmation code")
        case .confirmSentToPhone: ("Мы отправили SMS с кодом на номер", "We sent a text message with a code to")
        case .confirmSentToEmail: ("Мы отправили письмо с кодом на адрес", "We sent an e-mail with a code to")
        case .confirmButton: ("Подтвердить", "Confirm")
        case .resendButton: ("Отправить код ещё раз", "Send the code again")
        case .resendWait: ("Новый код можно запросить через", "You can request a new code in")
        case .codeResent: ("Мы отправили новый код. Предыдущий больше не действует.",
                           "We sent a new code. The previous one no longer works.")
        case .codeHint: ("Код действует ограниченное время. Никому его не сообщайте.",
                         "The code works for a limited time. Do not share it with anyone.")

        case .documentsTitle: ("Документы и адрес", "Documents and address")
        case .documentsLead: ("Мы проверим СНИЛС и паспорт в государственных реестрах. После проверки учётная запись станет стандартной.",
                              "We will check your SNILS and passport against the state registries. "
                              + "Once checked, your account becomes standard.")
        case .passportLegend: ("Паспорт гражданина РФ", "Russian passport")
        case .addressLegend: ("Почтовый адрес", "Postal address")
        case .documentsButton: ("Отправить на проверку", "Submit for checking")

        case .loginTitle: ("Вход", "Log in")
        case .loginButton: ("Войти", "Log in")
        case .lockedOutMinutes: ("Слишком много неудачных попыток входа. Попробуйте снова через",
                                 "Too many failed attempts to log in. Try again in")
        case .forgotPassword: ("Восстановить доступ", "Recover access")
        case .noAccount: ("Нет учётной записи? Зарегистрируйтесь", "No account? Register")

        case .accountTitle: ("Моя учётная запись", "My account")
        case .nameLabel: ("ФИО", "Name")
        case .birthDateLabel: ("Дата рождения", "Date of birth")
        case .levelLabel: ("Уровень учётной записи", "Account level")
        case .contactsLabel: ("Контакты", "Contacts")
        case .documentsLabel: ("Документы", "Documents")
        case .registryLabel: ("Проверка в реестрах", "Registry check")
        case .logoutButton: ("Выйти", "Log out")
        case .levelSimplified: ("Упрощённая", "Simplified")
        case .levelStandard: ("Стандартная", "Standard")
        case .levelConfirmed: ("Подтверждённая", "Confirmed")
        case .levelSimplifiedAllows: ("Доступны услуги, для которых не нужно подтверждать личность, например справочная информация.",
                                      "You can use services that do not need your identity, such as reference information.")
        case .levelStandardAllows: ("Доступны услуги, для которых достаточно проверенных СНИЛС и паспорта, например запись к врачу.",
                                    "You can use services that need a checked SNILS and passport, such as booking a doctor.")
        case .levelConfirmedAllows: ("Доступны все электронные госуслуги.", "You can use all online public services.")
        case .nextStepLabel: ("Что дальше", "What next")
        case .nextAddDocuments: ("Добавьте СНИЛС и паспорт, чтобы получить стандартную учётную запись.",
                                 "Add your SNILS and passport to get a standard account.")
        case .nextWaitForCheck: ("Дождитесь окончания проверки документов: учётная запись станет стандартной.",
                                 "Wait for the document check to finish: your account will become standard.")
        case .nextFixDocuments: ("Исправьте данные документов и отправьте их на проверку снова.",
                                 "Correct your document details and submit them again.")
        case .nextConfirm: ("Подтвердите личность, чтобы получить доступ ко всем услугам: кодом из заказного письма, "
                            + "в центре обслуживания с паспортом или входом по квалифицированной электронной подписи.",
                            "Prove your identity to use all services: with the code from a registered letter, "
                            + "at a service centre with your passport, or by logging in with a qualified e-signature.")
        case .nextNothing: ("Ничего делать не нужно.", "Nothing to do.")
        case .addDocumentsLink: ("Добавить документы", "Add documents")
        case .fixDocumentsLink: ("Исправить документы", "Correct documents")
        case .serviceCentresLink: ("Найти центр обслуживания", "Find a service centre")
        case .registryNotSubmitted: ("Документы ещё не отправлены на проверку.", "Documents have not been submitted yet.")
        case .registryPending: ("Идёт проверка в государственных реестрах. Мы сообщим о результате.",
                                "Being checked against the state registries. We will let you know the result.")
        case .registryVerified: ("Проверено: данные совпадают с государственными реестрами.",
                                 "Checked: your details match the state registries.")
        case .registryRejected: ("Не подтверждено:", "Not confirmed:")
        case .rejectedPassportInvalid: ("паспорт недействителен.", "the passport is not valid.")
        case .rejectedSnilsNotFound: ("СНИЛС не найден в реестре.", "the SNILS was not found in the registry.")
        case .rejectedDataMismatch: ("ФИО или дата рождения не совпадают с данными реестра.",
                                     "your name or date of birth does not match the registry.")
        case .rejectedOther: ("реестр не подтвердил данные.", "the registry did not confirm your details.")

        case .levelReachedLabel: ("Уровень получен", "Level reached")
        case .levelByRegistration: ("при регистрации", "at registration")
        case .levelByRegistry: ("после проверки в государственных реестрах", "after the check with the state registries")
        case .levelByDocumentChange: ("после изменения документов", "after a change of documents")
        case .levelByLetterCode: ("кодом из заказного письма", "with the code from a registered letter")
        case .levelByCentreCode: ("кодом из центра обслуживания", "with a code from a service centre")
        case .levelByStaffCheck: ("в центре обслуживания по паспорту", "at a service centre, with the passport")
        case .levelBySignature: ("входом по квалифицированной электронной подписи", "by logging in with a qualified e-signature")
        case .levelByOther: ("другим способом", "in another way")
        case .enterCodeForPhone: ("Введите код, отправленный на новый телефон", "Enter the code sent to the new phone")
        case .enterCodeForEmail: ("Введите код, отправленный на новый адрес", "Enter the code sent to the new address")
        case .settingsLabel: ("Настройки входа", "Login settings")
        case .changePasswordLink: ("Изменить пароль", "Change the password")
        case .changeContactLink: ("Изменить телефон или электронную почту", "Change the phone or e-mail")
        case .sessionsLabel: ("Активные сеансы", "Active sessions")
        case .sessionStarted: ("Вход", "Logged in")
        case .sessionLastSeen: ("Последнее действие", "Last active")
        case .sessionAddress: ("Адрес", "Address")
        case .sessionBrowser: ("Браузер", "Browser")
        case .thisSession: ("Этот сеанс", "This session")
        case .endSessionButton: ("Завершить этот сеанс", "End this session")
        case .unknownBrowser: ("неизвестен", "unknown")

        case .changePasswordTitle: ("Изменение пароля", "Change the password")
        case .changePasswordLead: ("После смены пароля все остальные сеансы будут завершены.",
                                   "Once the password is changed, all your other sessions end.")
        case .newPasswordLabel: ("Новый пароль", "New password")
        case .newPasswordRepeatLabel: ("Новый пароль ещё раз", "Repeat the new password")
        case .changePasswordButton: ("Изменить пароль", "Change the password")
        case .changeContactTitle: ("Изменение контактов", "Change contacts")
        case .changeContactLead: ("Укажите новый телефон или адрес. Мы пришлём на него код; новый контакт заменит прежний, "
                                  + "когда вы введёте код.",
                                  "Enter the new phone or address. We will send a code there; the new contact replaces the "
                                  + "old one once you enter the code.")
        case .changeContactButton: ("Получить код", "Send the code")
        case .backToAccount: ("Вернуться в учётную запись", "Back to my account")

        case .formExpiredTitle: ("Форма устарела", "The form has expired")
        case .formExpiredText: ("Откройте страницу заново и отправьте форму ещё раз. Ничего не изменено.",
                                "Open the page again and send the form once more. Nothing was changed.")

        case .registrationCompleteTitle: ("Регистрация завершена", "Registration complete")
        case .registrationCompleteText: ("Учётная запись создана. Теперь можно войти на портал госуслуг.",
                                         "Your account has been created. You can now log in to public service portals.")
        case .documentsSubmittedTitle: ("Документы отправлены на проверку", "Documents submitted")
        case .documentsSubmittedText: ("Мы проверяем СНИЛС и паспорт в государственных реестрах. Результат появится в учётной записи.",
                                       "We are checking your SNILS and passport with the state registries. "
                                       + "The result will appear in your account.")
        case .loggedOutTitle: ("Вы вышли", "You have logged out")
        case .loggedOutText: ("Вы вышли из учётной записи на этом устройстве.", "You have logged out of your account on this device.")
        case .goToAccount: ("Перейти в учётную запись", "Go to my account")
        case .goToLogin: ("Войти снова", "Log in again")
        }
    }
}
