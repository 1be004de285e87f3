/// The codes the domain reports against one field.
public enum FieldErrorCode: String, CaseIterable, Sendable {
    case required, tooLong, tooShort, invalidCharacters, invalidFormat, badChecksum, inFuture, tooEarly, tooYoung, tooOld,
         notAllowed, commonPassword, containsPersonalData, mismatch
}

/// The codes for problems that belong to the whole form, not one field.
public enum PageErrorCode: String, CaseIterable, Sendable {
    /// Never says whose account it is.
    case duplicateAccount
    /// Never says whether the account exists.
    case wrongCredentials
    case lockedOut, invalidCode, expiredCode
    /// Too many wrong codes: only a new code helps.
    case codeExhausted
    /// The phone or e-mail is already confirmed on another account; never says whose.
    case contactInUse
}

extension Strings {
    /// The message for a field error: specific to the field where that helps, else a sentence naming the field.
    /// An unknown field or code still gives a sensible sentence, never the code itself.
    public static func fieldError(field: String, code: String, language: Language) -> String {
        guard let code = FieldErrorCode(rawValue: code) else { return pick(unknownFieldError, language) }
        guard let field = Field(rawValue: field) else { return pick(genericFieldError(code, label: nil), language) }
        let pair = specificFieldError(field, code) ?? genericFieldError(code, label: labelPair(field))
        return pick(pair, language)
    }

    /// The message for a page-level error code.
    public static func pageError(_ code: String, language: Language) -> String {
        guard let code = PageErrorCode(rawValue: code) else { return pick(unknownPageError, language) }
        return pick(pageErrorPair(code), language)
    }

    static let unknownFieldError = ("Проверьте значение в этом поле", "Check what you entered here")
    static let unknownPageError = ("Что-то пошло не так. Проверьте данные и попробуйте ещё раз.",
                                   "Something went wrong. Check your details and try again.")

    static func pageErrorPair(_ code: PageErrorCode) -> (ru: String, en: String) {
        switch code {
        case .duplicateAccount: ("Учётная запись с такими данными уже существует. Если она ваша, восстановите доступ.",
                                 "An account with these details already exists. If it is yours, recover access.")
        case .wrongCredentials: ("Неверный логин или пароль.", "Wrong login or password.")
        case .lockedOut: ("Слишком много неудачных попыток входа. Попробуйте позже.",
                          "Too many failed attempts to log in. Try again later.")
        case .invalidCode: ("Неверный код. Проверьте код в сообщении и введите его ещё раз.",
                            "The code is wrong. Check the message and enter the code again.")
        case .expiredCode: ("Срок действия кода истёк. Запросите новый код.", "The code has expired. Request a new one.")
        case .codeExhausted: ("Слишком много неверных попыток. Запросите новый код.",
                              "Too many wrong attempts. Request a new code.")
        case .contactInUse: ("Этот телефон или адрес электронной почты уже подтверждён в другой учётной записи.",
                             "This phone or e-mail address is already confirmed on another account.")
        }
    }

    /// Messages that name the field: used when no specific message is written for the pair.
    static func genericFieldError(_ code: FieldErrorCode, label: (ru: String, en: String)?) -> (ru: String, en: String) {
        let ru = label.map { "«\($0.ru)»" } ?? "это поле"
        let en = label.map { "“\($0.en)”" } ?? "this field"
        let enCap = label.map { "“\($0.en)”" } ?? "This field"
        switch code {
        case .required: return ("Заполните поле \(ru)", "Fill in \(en)")
        case .tooLong: return ("Слишком длинное значение в поле \(ru)", "\(enCap) is too long")
        case .tooShort: return ("Слишком короткое значение в поле \(ru)", "\(enCap) is too short")
        case .invalidCharacters: return ("В поле \(ru) есть недопустимые символы", "\(enCap) contains characters that are not allowed")
        case .invalidFormat: return ("Проверьте формат поля \(ru)", "Check the format of \(en)")
        case .badChecksum: return ("Поле \(ru) заполнено с ошибкой: не сходится контрольное число",
                                   "\(enCap) has a typo: the check digits do not match")
        case .inFuture: return ("Дата в поле \(ru) не может быть в будущем", "\(enCap) must not be in the future")
        case .tooEarly: return ("Дата в поле \(ru) слишком ранняя, проверьте год", "\(enCap) is too early: check the year")
        case .tooYoung: return ("Регистрация доступна с 14 лет", "You must be at least 14 to register")
        case .tooOld: return ("Проверьте дату в поле \(ru): она слишком давняя", "Check \(en): it is too far in the past")
        case .notAllowed: return ("Это значение нельзя использовать в поле \(ru)", "This value cannot be used for \(en)")
        case .commonPassword: return ("Этот пароль слишком распространён, его легко подобрать. Придумайте другой",
                                      "This password is too common and easy to guess. Choose another one")
        case .containsPersonalData: return ("Пароль не должен содержать ваше имя, дату рождения, телефон или почту",
                                            "The password must not contain your name, date of birth, phone or e-mail")
        case .mismatch: return ("Значения не совпадают", "The values do not match")
        }
    }

    /// Messages written for one field and one code, where the generic sentence would not say what to do.
    static func specificFieldError(_ field: Field, _ code: FieldErrorCode) -> (ru: String, en: String)? {
        switch (field, code) {
        case (.surname, .required): ("Введите фамилию", "Enter your surname")
        case (.givenName, .required): ("Введите имя", "Enter your given name")
        case (.surname, .invalidCharacters), (.givenName, .invalidCharacters), (.patronymic, .invalidCharacters):
            ("Используйте только буквы, пробел, дефис и апостроф", "Use only letters, spaces, hyphens and apostrophes")
        case (.surname, .tooLong), (.givenName, .tooLong), (.patronymic, .tooLong):
            ("Слишком длинное значение: если оно не помещается, сократите так же, как в паспорте",
             "Too long: shorten it the same way as in your passport")
        case (.birthDate, .required): ("Введите дату рождения", "Enter your date of birth")
        case (.birthDate, .invalidFormat), (.passportIssueDate, .invalidFormat):
            ("Введите настоящую дату: день, месяц и год", "Enter a real date with a day, month and year")
        case (.birthDate, .inFuture): ("Дата рождения не может быть в будущем", "Your date of birth must be in the past")
        case (.birthDate, .tooEarly), (.birthDate, .tooOld):
            ("Проверьте год рождения: дата слишком давняя", "Check the year of birth: the date is too far in the past")
        case (.birthDate, .tooYoung): ("Регистрация доступна с 14 лет", "You must be at least 14 to register")
        case (.gender, .required), (.gender, .invalidFormat): ("Выберите пол", "Select your gender")
        case (.phone, .required), (.email, .required):
            ("Укажите мобильный телефон или электронную почту", "Enter a mobile phone number or an e-mail address")
        case (.phone, .invalidFormat), (.phone, .invalidCharacters), (.phone, .tooShort), (.phone, .tooLong):
            ("Введите мобильный номер в формате +7 912 345-67-89", "Enter a mobile number like +7 912 345-67-89")
        case (.phone, .notAllowed): ("Этот номер нельзя использовать: укажите российский мобильный номер",
                                     "This number cannot be used: enter a Russian mobile number")
        case (.email, .invalidFormat), (.email, .invalidCharacters):
            ("Введите адрес электронной почты в формате name@example.ru", "Enter an e-mail address like name@example.com")
        case (.email, .notAllowed): ("Этот адрес электронной почты нельзя использовать", "This e-mail address cannot be used")
        case (.password, .required): ("Введите пароль", "Enter your password")
        case (.password, .tooShort): ("Пароль слишком короткий: нужно не меньше 10 символов",
                                      "The password is too short: use at least 10 characters")
        case (.password, .tooLong): ("Пароль слишком длинный", "The password is too long")
        case (.passwordRepeat, .required): ("Введите пароль ещё раз", "Enter the password again")
        case (.passwordRepeat, .mismatch): ("Пароли не совпадают", "The passwords do not match")
        case (.consent, .required): ("Чтобы зарегистрироваться, дайте согласие на обработку персональных данных",
                                     "To register, agree to the processing of your personal data")
        case (.code, .required): ("Введите код из сообщения", "Enter the code from the message")
        case (.code, .invalidFormat), (.code, .invalidCharacters), (.code, .tooShort), (.code, .tooLong):
            ("Введите код из сообщения: только цифры", "Enter the code from the message: digits only")
        case (.snils, .required): ("Введите СНИЛС", "Enter your SNILS")
        case (.snils, .invalidFormat), (.snils, .invalidCharacters), (.snils, .tooShort), (.snils, .tooLong):
            ("СНИЛС — это 11 цифр, например 123-456-789 01", "A SNILS is 11 digits, like 123-456-789 01")
        case (.snils, .badChecksum): ("СНИЛС введён с ошибкой: не сходится контрольное число",
                                      "This SNILS has a typo: the check digits do not match")
        case (.passportSeries, .required): ("Введите серию паспорта", "Enter the passport series")
        case (.passportSeries, .invalidFormat), (.passportSeries, .invalidCharacters),
             (.passportSeries, .tooShort), (.passportSeries, .tooLong):
            ("Серия паспорта — 4 цифры", "The passport series is 4 digits")
        case (.passportNumber, .required): ("Введите номер паспорта", "Enter the passport number")
        case (.passportNumber, .invalidFormat), (.passportNumber, .invalidCharacters),
             (.passportNumber, .tooShort), (.passportNumber, .tooLong):
            ("Номер паспорта — 6 цифр", "The passport number is 6 digits")
        case (.passportIssueDate, .required): ("Введите дату выдачи паспорта", "Enter the date the passport was issued")
        case (.passportIssueDate, .inFuture): ("Дата выдачи не может быть в будущем", "The date of issue must not be in the future")
        case (.passportIssueDate, .tooEarly):
            ("Проверьте дату выдачи: паспорт выдают с 14 лет, а паспорта этого образца — с 1997 года",
             "Check the date of issue: passports are issued from age 14, and this kind only since 1997")
        case (.passportIssueDate, .tooOld):
            ("Паспорт просрочен: его нужно заменить в 20 и 45 лет", "This passport has expired: it must be replaced at 20 and 45")
        case (.passportIssuerCode, .required): ("Введите код подразделения", "Enter the issuer code")
        case (.passportIssuerCode, .invalidFormat), (.passportIssuerCode, .invalidCharacters),
             (.passportIssuerCode, .tooShort), (.passportIssuerCode, .tooLong):
            ("Код подразделения — 6 цифр, например 770-001", "The issuer code is 6 digits, like 770-001")
        case (.postalCode, .invalidFormat), (.postalCode, .invalidCharacters), (.postalCode, .tooShort), (.postalCode, .tooLong):
            ("Индекс — 6 цифр", "The postal code is 6 digits")
        case (.currentPassword, .required): ("Введите текущий пароль", "Enter your current password")
        case (.currentPassword, .mismatch): ("Текущий пароль введён неверно", "The current password is wrong")
        case (.login, .required): ("Введите СНИЛС, телефон или электронную почту", "Enter your SNILS, phone or e-mail")
        case (.login, .invalidFormat), (.login, .invalidCharacters):
            ("Введите СНИЛС (11 цифр), телефон (+7…) или адрес электронной почты",
             "Enter your SNILS (11 digits), phone (+7…) or e-mail address")
        default: nil
        }
    }
}
