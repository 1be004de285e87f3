/// The form fields of the citizen pages; the raw value is the form field name and the element id.
public enum Field: String, CaseIterable, Sendable {
    // Registration (simplified level)
    case surname, givenName, patronymic, birthDate, gender, phone, email, password, passwordRepeat, consent
    // One-time code for a contact
    case code
    // Documents (standard level)
    case snils, passportSeries, passportNumber, passportIssueDate, passportIssuer, passportIssuerCode
    case postalCode, region, city, street, house, building, flat
    // Login
    case login
    // Change password
    case currentPassword
}

extension Strings {
    /// The label of a form field.
    public static func label(_ field: Field, _ language: Language) -> String {
        pick(labelPair(field), language)
    }

    static func labelPair(_ field: Field) -> (ru: String, en: String) {
        switch field {
        case .surname: ("Фамилия", "Surname")
        case .givenName: ("Имя", "Given name")
        case .patronymic: ("Отчество", "Patronymic")
        case .birthDate: ("Дата рождения", "Date of birth")
        case .gender: ("Пол", "Gender")
        case .phone: ("Мобильный телефон", "Mobile phone")
        case .email: ("Электронная почта", "E-mail")
        case .password: ("Пароль", "Password")
        case .passwordRepeat: ("Пароль ещё раз", "Repeat the password")
        case .consent: ("Согласие на обработку персональных данных", "Consent to personal data processing")
        case .code: ("Код подтверждения", "Confirmation code")
        case .snils: ("СНИЛС", "SNILS (insurance number)")
        case .passportSeries: ("Серия", "Series")
        case .passportNumber: ("Номер", "Number")
        case .passportIssueDate: ("Дата выдачи", "Date of issue")
        case .passportIssuer: ("Кем выдан", "Issued by")
        case .passportIssuerCode: ("Код подразделения", "Issuer code")
        case .postalCode: ("Индекс", "Postal code")
        case .region: ("Регион", "Region")
        case .city: ("Город или населённый пункт", "City, town or village")
        case .street: ("Улица", "Street")
        case .house: ("Дом", "House")
        case .building: ("Корпус или строение", "Building")
        case .flat: ("Квартира", "Flat")
        case .login: ("СНИЛС, телефон или электронная почта", "SNILS, phone or e-mail")
        case .currentPassword: ("Текущий пароль", "Current password")
        }
    }

    /// A hint under the label, where the format is not obvious.
    public static func hint(_ field: Field, _ language: Language) -> String? {
        hintPair(field).map { pick($0, language) }
    }

    static func hintPair(_ field: Field) -> (ru: String, en: String)? {
        switch field {
        case .patronymic: ("Если есть в паспорте", "If your passport shows one")
        case .phone: ("Российский мобильный номер, например +7 912 345-67-89", "A Russian mobile number, like +7 912 345-67-89")
        case .email: ("Например, name@example.ru", "Like name@example.com")
        case .code: ("Только цифры из сообщения", "Only the digits from the message")
        case .snils: ("11 цифр, например 123-456-789 01", "11 digits, like 123-456-789 01")
        case .passportSeries: ("4 цифры, например 45 08", "4 digits, like 45 08")
        case .passportNumber: ("6 цифр", "6 digits")
        case .passportIssuer: ("Как написано в паспорте", "As written in the passport")
        case .passportIssuerCode: ("6 цифр, например 770-001", "6 digits, like 770-001")
        case .postalCode: ("6 цифр", "6 digits")
        case .login: ("СНИЛС — 11 цифр, телефон — начиная с +7", "SNILS is 11 digits; phone starts with +7")
        default: nil
        }
    }
}
