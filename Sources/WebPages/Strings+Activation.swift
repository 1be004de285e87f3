/// The text of the activation page and the service-centre page, kept apart from the main catalog so that each
/// page's wording is read in one place. Same rule: a `(ru:, en:)` pair per key in one `switch`.
public enum ActivationText: String, CaseIterable, Sendable {
    // The activation page
    case title, lead, confirmIdentityLink, notStandardYet, addDocumentsFirst, confirmedTitle, confirmedText
    case chooseTitle, chooseLead, letterChoice, letterChoiceText, letterButton, centreChoice, centreChoiceText, findCentreLink
    case letterTitle, letterRequested, letterPending, letterPrinted, letterDispatched, letterDelivered, letterReturned,
         trackingNumber, codeExpires, letterReplaceNote
    case centreCodeActive
    case codeTitle, codeLabel, codeHint, codeButton, attemptsLeft
    case endedExpired, endedExhausted, endedOther
    // Problems after a post
    case problemMalformed, problemWrong, problemExpired, problemExhausted, problemNoCode, problemThrottled, problemNotStandard,
         problemLetterLimit
    // The service-centre page
    case centresTitle, centresLead, centresSearchButton, allRegions, centresFound, centresNone, centresAddress,
         centresHours, centresCoordinates, centresBring
}

extension Strings {
    /// The text for an activation or centre page key: `s[activation: .title]`. Labelled, since the keys share names
    /// with the main catalog's (`codeHint`).
    public subscript(activation key: ActivationText) -> String { Self.pick(Self.activationPair(key), language) }

    static func activationPair(_ key: ActivationText) -> (ru: String, en: String) {
        switch key {
        case .title: ("Подтверждение личности", "Confirm your identity")
        case .lead: ("Подтверждённая учётная запись открывает все электронные услуги. Выберите удобный способ.",
                     "A confirmed account opens every online service. Choose the way that suits you.")
        case .confirmIdentityLink: ("Подтвердить личность", "Confirm your identity")
        case .notStandardYet: ("Подтвердить личность можно после проверки СНИЛС и паспорта (стандартная учётная запись).",
                               "You can confirm your identity once your SNILS and passport are checked (a standard account).")
        case .addDocumentsFirst: ("Добавить документы", "Add documents")
        case .confirmedTitle: ("Личность подтверждена", "Your identity is confirmed")
        case .confirmedText: ("Учётная запись подтверждена", "Account confirmed")

        case .chooseTitle: ("Как получить код подтверждения", "How to get a confirmation code")
        case .chooseLead: ("Выберите один из способов. Новый запрос отменяет прежний код.",
                           "Choose one way. A new request cancels the previous code.")
        case .letterChoice: ("Заказное письмо на мой почтовый адрес", "Registered letter to my address")
        case .letterChoiceText: ("Мы пришлём код заказным письмом Почты России на адрес, указанный в учётной записи. "
                                 + "Письмо вручают лично под подпись.",
                                 "We send the code by Russian Post registered letter to the address in your account. "
                                 + "It is handed to you in person against a signature.")
        case .letterButton: ("Заказать письмо с кодом", "Order a letter with a code")
        case .centreChoice: ("Визит в центр обслуживания", "Visit a service centre")
        case .centreChoiceText: ("Возьмите паспорт и СНИЛС. Оператор сверит документы и подтвердит личность сразу "
                                 + "или выдаст код подтверждения.",
                                 "Bring your passport and SNILS. The operator checks them and confirms your identity at once "
                                 + "or hands you a confirmation code.")
        case .findCentreLink: ("Найти центр обслуживания", "Find a service centre")

        case .letterTitle: ("Письмо с кодом", "Your letter with the code")
        case .letterRequested: ("Заказано", "Ordered")
        case .letterPending: ("Письмо заказано и ждёт печати.", "The letter is ordered and waiting to be printed.")
        case .letterPrinted: ("Письмо напечатано и готовится к отправке.", "The letter is printed and about to be posted.")
        case .letterDispatched: ("Письмо отправлено.", "The letter has been posted.")
        case .letterDelivered: ("Письмо вручено.", "The letter has been delivered.")
        case .letterReturned: ("Письмо вернулось к нам: его не удалось вручить. Код из него не действует. Выберите способ снова.",
                               "The letter came back to us undelivered. Its code does not work. Please choose again.")
        case .trackingNumber: ("Трек-номер Почты России", "Russian Post tracking number")
        case .codeExpires: ("Код действует до", "The code works until")
        case .letterReplaceNote: ("Если письмо не пришло, можно заказать новое: прежний код перестанет действовать.",
                                  "If the letter does not arrive, you can order a new one: the previous code will stop working.")

        case .centreCodeActive: ("Код, выданный в центре обслуживания, действует.", "The code handed to you at a service centre is valid.")

        case .codeTitle: ("Ввести код", "Enter the code")
        case .codeLabel: ("Код подтверждения личности", "Identity confirmation code")
        case .codeHint: ("12 букв и цифр, например K7QM-2XWD-9HTR; дефисы и пробелы можно не вводить.",
                         "12 letters and digits, like K7QM-2XWD-9HTR; dashes and spaces are optional.")
        case .codeButton: ("Подтвердить", "Confirm")
        case .attemptsLeft: ("Осталось попыток", "Attempts left")

        case .endedExpired: ("Срок действия кода истёк. Запросите новый код.", "The code has expired. Please request a new one.")
        case .endedExhausted: ("Код введён неверно слишком много раз и больше не действует. Запросите новый код.",
                               "The code was entered wrongly too many times and no longer works. Please request a new one.")
        case .endedOther: ("Прежний код больше не действует.", "The previous code no longer works.")

        case .problemMalformed: ("Это не код подтверждения: в нём 12 букв и цифр.",
                                 "This is not a confirmation code: it has 12 letters and digits.")
        case .problemWrong: ("Код неверный.", "The code is not right.")
        case .problemExpired: ("Срок действия кода истёк. Запросите новый код.", "The code has expired. Please request a new one.")
        case .problemExhausted: ("Слишком много неверных попыток: код больше не действует. Запросите новый код.",
                                 "Too many wrong entries: the code no longer works. Please request a new one.")
        case .problemNoCode: ("Сейчас нет действующего кода. Сначала запросите код.",
                              "There is no valid code now. Please request one first.")
        case .problemThrottled: ("Слишком много попыток. Попробуйте снова через", "Too many attempts. Try again in")
        case .problemLetterLimit: ("За 30 дней вам уже напечатали три письма. Подтвердите личность в центре обслуживания или закажите письмо через",
                                   "Three letters were printed for you in the last 30 days. Confirm your identity at a service centre, or order a letter again in")
        case .problemNotStandard: ("Сейчас запросить код нельзя: учётная запись не стандартная.",
                                   "A code cannot be requested now: the account is not at the standard level.")

        case .centresTitle: ("Центры обслуживания", "Service centres")
        case .centresLead: ("В центре обслуживания можно подтвердить личность с паспортом и СНИЛС.",
                            "At a service centre you can confirm your identity with your passport and SNILS.")
        case .centresSearchButton: ("Найти", "Search")
        case .allRegions: ("Все регионы", "All regions")
        case .centresFound: ("Найдено центров", "Centres found")
        case .centresNone: ("По вашему запросу центров не найдено. Измените регион или город.",
                            "No centres match your search. Try another region or city.")
        case .centresAddress: ("Адрес", "Address")
        case .centresHours: ("Часы работы", "Opening hours")
        case .centresCoordinates: ("Координаты", "Coordinates")
        case .centresBring: ("Возьмите с собой паспорт и СНИЛС.", "Bring your passport and SNILS.")
        }
    }
}
