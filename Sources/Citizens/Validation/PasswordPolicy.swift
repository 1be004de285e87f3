import Foundation

/// What is known about the person choosing a password, so the policy can refuse passwords made of it.
public struct PasswordContext: Sendable {
    /// Surname, given name and patronymic, as typed or stored; nil or empty when not known.
    public var surname: String?
    /// Given name.
    public var givenName: String?
    /// Patronymic.
    public var patronymic: String?
    /// The SNILS; only its digits are used.
    public var snilsDigits: String?
    /// The birth date.
    public var birthDate: CalendarDate?

    /// A context; leave out what is not known yet (a simplified account has no SNILS).
    public init(surname: String? = nil, givenName: String? = nil, patronymic: String? = nil,
                snilsDigits: String? = nil, birthDate: CalendarDate? = nil) {
        self.surname = surname
        self.givenName = givenName
        self.patronymic = patronymic
        self.snilsDigits = snilsDigits
        self.birthDate = birthDate
    }
}

/// The rules a new password must meet.
public enum PasswordPolicy {
    /// The shortest password accepted, in characters.
    public static let minimumLength = 10
    /// The longest password accepted, in characters; the bound keeps hashing cost predictable.
    public static let maximumLength = 128
    /// Names shorter than this many letters are not looked for: "Ли" inside a password is not a leak.
    public static let minimumNameLetters = 3

    /// Every rule the password breaks, in a fixed order; empty when it is acceptable.
    ///
    /// `required` when empty; `tooShort` under 10 characters; `tooLong` over 128; `containsPersonalData` when,
    /// case-insensitively and ignoring spaces, hyphens and apostrophes, it contains a name of 3 or more letters
    /// (in Cyrillic or in the usual Latin transliterations), any 9-digit run of the SNILS, or the birth date as
    /// YYYYMMDD, DDMMYYYY, DD.MM.YYYY or YYYY-MM-DD; `commonPassword` when it is on the common list.
    public static func check(_ password: String, context: PasswordContext) -> [FieldErrorCode] {
        if password.isEmpty { return [.required] }
        var codes: [FieldErrorCode] = []
        if password.count < minimumLength { codes.append(.tooShort) }
        if password.count > maximumLength { codes.append(.tooLong) }
        if containsPersonalData(password, context: context) { codes.append(.containsPersonalData) }
        if CommonPasswords.contains(password) { codes.append(.commonPassword) }
        return codes
    }

    /// Checks a new password and its repetition on a form; throws every problem at once.
    ///
    /// A repetition that differs is `mismatch` on `passwordRepeat`.
    public static func validate(_ password: String, repeated: String, context: PasswordContext) throws(ValidationFailure) {
        var errors = check(password, context: context).map { FieldError(field: FieldName.password, code: $0) }
        if password != repeated { errors.append(FieldError(field: FieldName.passwordRepeat, code: .mismatch)) }
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }

    /// Whether the password holds a name, SNILS run or birth date of the person.
    static func containsPersonalData(_ password: String, context: PasswordContext) -> Bool {
        let folded = fold(password)
        return personalFragments(context).contains { folded.contains($0) }
    }

    /// The folded strings a password may not contain.
    static func personalFragments(_ context: PasswordContext) -> [String] {
        var fragments: [String] = []
        for name in [context.surname, context.givenName, context.patronymic].compactMap({ $0 }) {
            let cyrillic = fold(name)
            guard cyrillic.filter(\.isLetter).count >= minimumNameLetters else { continue }
            fragments.append(cyrillic)
            // People write their names in Latin letters in passwords more often than in Cyrillic.
            if cyrillic.contains(where: { transliterations.keys.contains($0) }) {
                fragments.append(transliterate(cyrillic, variant: 0))
                fragments.append(transliterate(cyrillic, variant: 1))
            }
        }
        if let snils = context.snilsDigits?.filter(TextRules.isASCIIDigit), snils.count >= 9 {
            let digits = Array(snils)
            for start in 0...(digits.count - 9) {
                fragments.append(String(digits[start..<(start + 9)]))
            }
        }
        if let date = context.birthDate {
            let yyyy = String(date.year).leftPadded(to: 4)
            let mm = String(date.month).leftPadded(to: 2)
            let dd = String(date.day).leftPadded(to: 2)
            // YYYY-MM-DD folds to YYYYMMDD, since hyphens are ignored.
            fragments += [yyyy + mm + dd, dd + mm + yyyy, dd + "." + mm + "." + yyyy]
        }
        return Array(Set(fragments.filter { !$0.isEmpty }))
    }

    /// Lower-cased, ё read as е, without spaces, hyphens and apostrophes: the form in which matches are looked for.
    static func fold(_ text: String) -> String {
        var out = ""
        for character in text.precomposedStringWithCanonicalMapping.lowercased() {
            if TextRules.isInlineSpace(character) || character.isNewline { continue }
            switch character {
            case "-", "\u{2010}", "\u{2011}", "'", "’", "‘", "ʼ": continue
            case "ё": out.append("е")
            default: out.append(character)
            }
        }
        return out
    }

    /// Latin spellings of the Russian letters: [passport (ICAO, as in Russian foreign passports), everyday].
    private static let transliterations: [Character: [String]] = [
        "а": ["a", "a"], "б": ["b", "b"], "в": ["v", "v"], "г": ["g", "g"], "д": ["d", "d"], "е": ["e", "e"],
        "ж": ["zh", "zh"], "з": ["z", "z"], "и": ["i", "i"], "й": ["i", "y"], "к": ["k", "k"], "л": ["l", "l"],
        "м": ["m", "m"], "н": ["n", "n"], "о": ["o", "o"], "п": ["p", "p"], "р": ["r", "r"], "с": ["s", "s"],
        "т": ["t", "t"], "у": ["u", "u"], "ф": ["f", "f"], "х": ["kh", "h"], "ц": ["ts", "ts"], "ч": ["ch", "ch"],
        "ш": ["sh", "sh"], "щ": ["shch", "sch"], "ъ": ["ie", ""], "ы": ["y", "y"], "ь": ["", ""], "э": ["e", "e"],
        "ю": ["iu", "yu"], "я": ["ia", "ya"],
    ]

    private static func transliterate(_ folded: String, variant: Int) -> String {
        folded.map { transliterations[$0]?[variant] ?? String($0) }.joined()
    }
}
