/// The personal part of the registration form: names, birth date and gender, every field checked.
public struct PersonDetails: Sendable, Hashable {
    /// Surname.
    public let surname: PersonName
    /// Given name.
    public let givenName: PersonName
    /// Patronymic, if the person has one.
    public let patronymic: PersonName?
    /// Birth date, at least 14 years before today.
    public let birthDate: CalendarDate
    /// Gender.
    public let gender: Gender

    /// Parses the form fields; throws every problem at once.
    public init(surname: String, givenName: String, patronymic: String, birthDate: String, gender: String,
                today: CalendarDate) throws(ValidationFailure) {
        var errors = FieldErrorCollector()
        let surname = errors.parse { () throws(FieldError) in try PersonName(parsing: surname, field: FieldName.surname) }
        let givenName = errors.parse { () throws(FieldError) in
            try PersonName(parsing: givenName, field: FieldName.givenName)
        }
        let patronymic = errors.parse { () throws(FieldError) in try PersonName.parseOptional(patronymic) }
        let birthDate = errors.parse { () throws(FieldError) in try DateRules.parseBirthDate(birthDate, today: today) }
        let gender = errors.parse { () throws(FieldError) in try Gender(parsing: gender) }
        try errors.throwIfAny()
        self.surname = surname!
        self.givenName = givenName!
        self.patronymic = patronymic!
        self.birthDate = birthDate!
        self.gender = gender!
    }

    /// What the password policy needs to know about this person.
    public var passwordContext: PasswordContext {
        PasswordContext(surname: surname.value, givenName: givenName.value, patronymic: patronymic?.value,
                        birthDate: birthDate)
    }
}
