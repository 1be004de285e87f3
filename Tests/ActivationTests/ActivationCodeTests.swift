@testable import Activation
import Crypto
import Foundation
import Testing

@Test func codesAreTwelveSymbolsOfTheAlphabetInGroupsOfFour() {
    for _ in 0..<200 {
        let code = ActivationCode.generate()
        let groups = code.split(separator: "-", omittingEmptySubsequences: false)
        #expect(groups.count == 3 && groups.allSatisfy { $0.count == 4 })
        #expect(code.filter { $0 != "-" }.allSatisfy { ActivationCode.alphabet.contains($0) })
    }
}

@Test func alphabetHasNoConfusableSymbolsAndEnoughEntropy() {
    #expect(ActivationCode.alphabet.count == 31)
    #expect(Set(ActivationCode.alphabet).count == 31)
    for confusable: Character in ["0", "O", "1", "I", "L"] { #expect(!ActivationCode.alphabet.contains(confusable)) }
    let bits = Double(ActivationCode.length) * log2(Double(ActivationCode.alphabet.count))
    #expect(bits >= 40)
    #expect(abs(bits - ActivationCode.entropyBits) < 0.01)
}

@Test func codesSpreadOverTheWholeAlphabet() {
    var seen = [Character: Int]()
    for _ in 0..<500 { for c in ActivationCode.generate() where c != "-" { seen[c, default: 0] += 1 } }
    // 6,000 symbols over 31: each appears about 194 times; a missing or rare one would mean a biased generator.
    #expect(seen.count == 31)
    #expect(seen.values.allSatisfy { $0 > 120 && $0 < 280 })
}

@Test func typedCodesAreNormalised() {
    #expect(ActivationCode.normalise("K7QM-2XWD-9HTR") == "K7QM2XWD9HTR")
    #expect(ActivationCode.normalise("k7qm 2xwd 9htr") == "K7QM2XWD9HTR")
    #expect(ActivationCode.normalise(" k7-qm2x—wd9h.tr ") == "K7QM2XWD9HTR")
    // Cyrillic look-alikes typed on a Russian keyboard: Х Т Р Е К М Н С А В У.
    #expect(ActivationCode.normalise("ХТРЕ КМНС АВУ2") == "XTPEKMHCABY2")
    #expect(ActivationCode.normalise("K7QM-2XWD-9HT") == nil)
    #expect(ActivationCode.normalise("K7QM-2XWD-9HTRR") == nil)
    #expect(ActivationCode.normalise("K7QM-2XWD-9HT0") == nil)
    #expect(ActivationCode.normalise("K7QM-2XWD-9HTO") == nil)
    #expect(ActivationCode.normalise("K7QM-2XWD-9HTI") == nil)
    #expect(ActivationCode.normalise("K7QM-2XWD-9HTß") == nil)
    #expect(ActivationCode.normalise("") == nil)
}

@Test func hashIsKeyedAndBoundToTheCodeID() throws {
    let key = SymmetricKey.random()
    let hash = ActivationCode.hash(codeID: 7, normalised: "K7QM2XWD9HTR", key: key)
    #expect(ActivationCode.matches("k7qm-2xwd-9htr", codeID: 7, storedHash: hash, key: key))
    #expect(!ActivationCode.matches("K7QM-2XWD-9HTR", codeID: 8, storedHash: hash, key: key))
    #expect(!ActivationCode.matches("K7QM-2XWD-9HTR", codeID: 7, storedHash: hash, key: .random()))
    #expect(!ActivationCode.matches("K7QM-2XWD-9HTS", codeID: 7, storedHash: hash, key: key))
}

@Test func trackingNumbers() {
    #expect(TrackingNumber.normalise("10100012345678") == "10100012345678")
    #expect(TrackingNumber.normalise("ra 123456785 ru") == "RA123456785RU")
    #expect(TrackingNumber.normalise("RA123456784RU") == nil) // wrong check digit
    #expect(TrackingNumber.normalise("1010001234567") == nil)
    #expect(TrackingNumber.normalise("") == nil)
}
