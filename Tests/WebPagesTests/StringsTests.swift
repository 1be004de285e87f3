import Testing
@testable import WebPages

/// Russian text must contain Cyrillic: catches English pasted into the Russian column.
private func looksRussian(_ text: String) -> Bool {
    text.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }
}

private func looksEnglish(_ text: String) -> Bool {
    !looksRussian(text) && text.unicodeScalars.contains { ("a"..."z").contains($0) }
}

private func checkTranslation(_ ru: String, _ en: String, _ what: String) {
    #expect(looksRussian(ru), "ru text missing or not Russian: \(what)")
    #expect(looksEnglish(en), "en text missing or not English: \(what)")
    #expect(ru != en, "untranslated: \(what)")
}

@Test func everyCatalogKeyHasRussianAndEnglish() {
    for key in Strings.Key.allCases {
        checkTranslation(Strings.text(key, .ru), Strings.text(key, .en), key.rawValue)
        for language in Language.allCases { #expect(!Strings(language)[key].isEmpty, "\(key) \(language)") }
    }
}

@Test func everyFieldHasALabelInEveryLanguage() {
    for field in Field.allCases {
        // "СНИЛС" has no Latin letters in Russian; the English label spells it out.
        checkTranslation(Strings.label(field, .ru), Strings.label(field, .en), field.rawValue)
        if let ru = Strings.hint(field, .ru) { checkTranslation(ru, Strings.hint(field, .en)!, "hint \(field)") }
    }
}

@Test func everyFieldErrorHasAMessageInEveryLanguage() {
    for field in Field.allCases {
        for code in FieldErrorCode.allCases {
            let ru = Strings.fieldError(field: field.rawValue, code: code.rawValue, language: .ru)
            let en = Strings.fieldError(field: field.rawValue, code: code.rawValue, language: .en)
            checkTranslation(ru, en, "\(field).\(code)")
            #expect(!ru.contains(code.rawValue) && !en.contains(code.rawValue), "code leaked: \(field).\(code)")
        }
    }
}

@Test func everyPageErrorHasAMessageInEveryLanguage() {
    for code in PageErrorCode.allCases {
        checkTranslation(Strings.pageError(code.rawValue, language: .ru), Strings.pageError(code.rawValue, language: .en),
                         code.rawValue)
    }
}

@Test func specificMessagesSayWhatIsWrong() {
    #expect(Strings.fieldError(field: "snils", code: "badChecksum", language: .ru)
            == "СНИЛС введён с ошибкой: не сходится контрольное число")
    #expect(Strings.fieldError(field: "snils", code: "badChecksum", language: .en)
            == "This SNILS has a typo: the check digits do not match")
    #expect(Strings.fieldError(field: "birthDate", code: "tooYoung", language: .ru) == "Регистрация доступна с 14 лет")
    #expect(Strings.fieldError(field: "passwordRepeat", code: "mismatch", language: .en) == "The passwords do not match")
    #expect(Strings.fieldError(field: "passportIssuer", code: "required", language: .ru) == "Заполните поле «Кем выдан»")
    #expect(Strings.pageError("duplicateAccount", language: .en)
            == "An account with these details already exists. If it is yours, recover access.")
}

@Test func unknownFieldsAndCodesGetAGeneralSentence() {
    #expect(Strings.fieldError(field: "nope", code: "required", language: .en) == "Fill in this field")
    #expect(Strings.fieldError(field: "surname", code: "nope", language: .ru) == "Проверьте значение в этом поле")
    #expect(Strings.pageError("nope", language: .en).hasPrefix("Something went wrong"))
}

@Test func russianPluralsFollowTheLastDigits() {
    let expected = [1: "1 минуту", 2: "2 минуты", 4: "4 минуты", 5: "5 минут", 11: "11 минут", 12: "12 минут",
                    14: "14 минут", 21: "21 минуту", 22: "22 минуты", 25: "25 минут", 101: "101 минуту", 111: "111 минут"]
    for (count, text) in expected { #expect(Format.minutes(count, .ru) == text) }
    #expect(Format.minutes(1, .en) == "1 minute")
    #expect(Format.minutes(3, .en) == "3 minutes")
}

@Test func datesAreWrittenForPeople() {
    #expect(Format.date(iso: "1990-03-15", .ru) == "15 марта 1990 г.")
    #expect(Format.date(iso: "2001-12-01", .en) == "1 December 2001")
    #expect(Format.date(iso: "not a date", .en) == "not a date")
}
