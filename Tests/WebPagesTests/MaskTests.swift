import Testing
import WebPages

@Test func snilsShowsOnlyTheLastThreeDigitsAndTheCheckNumber() {
    #expect(Mask.snils("112-233-445 95") == "***-***-445 95")
    #expect(Mask.snils("11223344595") == "***-***-445 95")
    #expect(Mask.snils("123") == "***-***-*** **")
}

@Test func passportShowsOnlyTheLastTwoDigits() {
    #expect(Mask.passport("4508 123456") == "** ** ****56")
    #expect(Mask.passport("123456") == "** ** ****56")
    #expect(Mask.passport("12") == "** ** ******")
}

@Test func phoneShowsOperatorCodeAndLastTwoDigits() {
    #expect(Mask.phone("+79121234589") == "+7 912 ***-**-89")
    #expect(Mask.phone("8 (912) 123-45-89") == "+7 912 ***-**-89")
    #expect(Mask.phone("+44 20 7946 0958") == "***58")
    #expect(Mask.phone("1") == "***")
}

@Test func emailShowsTheStartAndTheDomain() {
    #expect(Mask.email("ivanov@example.ru") == "iv***@example.ru")
    #expect(Mask.email("ivan@example.ru") == "i***@example.ru")
    #expect(Mask.email("no-at-sign") == "***")
}
