/// The staff console's text in every language: `StaffStrings(language)[.key]`; kept apart from the citizens' catalog.
public struct StaffStrings: Sendable {
    /// The language this catalog answers in.
    public let language: Language

    /// A catalog for one language.
    public init(_ language: Language) { self.language = language }

    /// The text for `key`.
    public subscript(_ key: Key) -> String { Strings.pick(Self.pair(key), language) }

    /// Identifiers of the staff console's text.
    public enum Key: String, CaseIterable, Sendable {
        case consoleName, loginTitle, loginLead, loginField, passwordField, totpField, loginButton, loginFailed, lockedOut,
             logoutButton, searchNav, teamNav, signedInAs
        case searchTitle, searchLead, snilsField, searchButton, notFound, snilsInvalid, noCentre
        case checkTitle, surnameLabel, givenNameLabel, patronymicLabel, birthDateLabel, levelLabel, passportLegend,
             passportLead, seriesField, numberField, issueDateField, compareButton, mismatch, matched, confirmButton,
             slipButton, alreadyConfirmed, notStandard, confirmedDone, newSearch
        case slipTitle, slipCodeLabel, slipExpiresLabel, slipInstructions, slipOnce, printHint
        case teamTitle, teamLead, teamEmpty, roleLabel, statusLabel, active, disabled, disableButton, resetButton,
             addTitle, displayNameField, newPasswordField, addButton, enrolTitle, enrolText, roleOperator, roleCentreAdmin,
             roleServiceAdmin, teamInvalid, teamLoginTaken, forbiddenTitle, forbiddenText
    }

    static func pair(_ key: Key) -> (ru: String, en: String) {
        switch key {
        case .consoleName: ("Консоль центра обслуживания", "Service centre console")
        case .loginTitle: ("Вход для сотрудников", "Staff login")
        case .loginLead: ("Введите логин, пароль и код из приложения-аутентификатора.",
                          "Enter your login, password and the code from your authenticator app.")
        case .loginField: ("Логин", "Login")
        case .passwordField: ("Пароль", "Password")
        case .totpField: ("Одноразовый код", "One-time code")
        case .loginButton: ("Войти", "Log in")
        case .loginFailed: ("Неверный логин, пароль или код.", "Wrong login, password or code.")
        case .lockedOut: ("Слишком много неудачных попыток. Подождите и попробуйте снова.",
                          "Too many failed attempts. Wait and try again.")
        case .logoutButton: ("Выйти", "Log out")
        case .searchNav: ("Проверка личности", "Identity check")
        case .teamNav: ("Сотрудники центра", "Centre staff")
        case .signedInAs: ("Сотрудник:", "Signed in as")
        case .searchTitle: ("Поиск гражданина по СНИЛС", "Find a citizen by SNILS")
        case .searchLead: ("Введите СНИЛС полностью, как в документе гражданина. Частичный поиск не предусмотрен.",
                           "Type the whole SNILS from the citizen's document. There is no partial search.")
        case .snilsField: ("СНИЛС", "SNILS")
        case .searchButton: ("Найти", "Find")
        case .notFound: ("Гражданин с таким СНИЛС не найден.", "No citizen has this SNILS.")
        case .snilsInvalid: ("Это не похоже на СНИЛС: нужно 11 цифр с верной контрольной суммой.",
                             "This is not a valid SNILS: 11 digits with a correct checksum are needed.")
        case .noCentre: ("Проверку личности проводят сотрудники центров обслуживания; у вашей роли нет центра.",
                         "Identity checks are made by service-centre staff; your role has no centre.")
        case .checkTitle: ("Проверка паспорта", "Passport check")
        case .surnameLabel: ("Фамилия", "Surname")
        case .givenNameLabel: ("Имя", "Given name")
        case .patronymicLabel: ("Отчество", "Patronymic")
        case .birthDateLabel: ("Дата рождения", "Date of birth")
        case .levelLabel: ("Уровень учётной записи", "Account level")
        case .passportLegend: ("Паспорт, предъявленный лично", "Passport shown in person")
        case .passportLead: ("Перепишите данные из паспорта, который держите в руках.",
                             "Copy the data from the passport you are holding.")
        case .seriesField: ("Серия", "Series")
        case .numberField: ("Номер", "Number")
        case .issueDateField: ("Дата выдачи (ГГГГ-ММ-ДД)", "Date of issue (YYYY-MM-DD)")
        case .compareButton: ("Сверить", "Compare")
        case .mismatch: ("Данные паспорта не совпадают с сохранёнными. Ничего не изменено; попытка записана в журнал.",
                         "The passport data does not match what is stored. Nothing was changed; the attempt was recorded.")
        case .matched: ("Паспорт совпадает. Выберите действие.", "The passport matches. Choose what to do.")
        case .confirmButton: ("Подтвердить учётную запись сейчас", "Confirm the account now")
        case .slipButton: ("Напечатать код активации", "Print an activation code slip")
        case .alreadyConfirmed: ("Учётная запись уже подтверждена.", "The account is already confirmed.")
        case .notStandard: ("Подтвердить можно только стандартную учётную запись.", "Only a standard account can be confirmed.")
        case .confirmedDone: ("Учётная запись подтверждена.", "The account is confirmed.")
        case .newSearch: ("Новый поиск", "New search")
        case .slipTitle: ("Код активации учётной записи", "Account activation code")
        case .slipCodeLabel: ("Код", "Code")
        case .slipExpiresLabel: ("Действует до", "Valid until")
        case .slipInstructions: ("Войдите в свою учётную запись, откройте раздел подтверждения личности и введите этот код. "
                                 + "Никому не сообщайте код.",
                                 "Log in to your account, open the identity confirmation section and enter this code. "
                                 + "Do not tell the code to anyone.")
        case .slipOnce: ("Код показан один раз: напечатайте страницу сейчас.", "The code is shown once: print this page now.")
        case .printHint: ("Напечатайте страницу и отдайте лист гражданину.", "Print this page and hand the slip to the citizen.")
        case .teamTitle: ("Сотрудники центра", "Centre staff")
        case .teamLead: ("Операторы вашего центра обслуживания.", "The operators of your service centre.")
        case .teamEmpty: ("Сотрудников нет.", "No staff yet.")
        case .roleLabel: ("Роль", "Role")
        case .statusLabel: ("Состояние", "Status")
        case .active: ("Активен", "Active")
        case .disabled: ("Отключён", "Disabled")
        case .disableButton: ("Отключить", "Disable")
        case .resetButton: ("Сбросить аутентификатор", "Reset authenticator")
        case .addTitle: ("Новый оператор", "New operator")
        case .displayNameField: ("Имя для консоли", "Display name")
        case .newPasswordField: ("Начальный пароль (не короче 12 символов)", "Initial password (12 characters or more)")
        case .addButton: ("Добавить оператора", "Add the operator")
        case .enrolTitle: ("Подключение аутентификатора", "Authenticator enrolment")
        case .enrolText: ("Добавьте эту ссылку в приложение-аутентификатор сотрудника. Она показана один раз.",
                          "Add this link to the staff member's authenticator app. It is shown once.")
        case .roleOperator: ("Оператор", "Operator")
        case .roleCentreAdmin: ("Администратор центра", "Centre administrator")
        case .roleServiceAdmin: ("Администратор сервиса", "Service administrator")
        case .teamInvalid: ("Проверьте поля: логин 3–64 символа (a–z, 0–9, . _ -), имя, пароль не короче 12 символов.",
                            "Check the fields: login of 3–64 characters (a–z, 0–9, . _ -), a name, a password of 12+ characters.")
        case .teamLoginTaken: ("Этот логин уже занят.", "This login is taken.")
        case .forbiddenTitle: ("Недостаточно прав", "Not allowed")
        case .forbiddenText: ("Ваша роль не позволяет это действие.", "Your role does not allow this.")
        }
    }
}
