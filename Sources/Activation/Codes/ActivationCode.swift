import Crypto
import Support

/// The shape of activation codes: alphabet, length, grouping, input normalisation and the keyed hash.
///
/// Alphabet (31 symbols): `23456789ABCDEFGHJKMNPQRSTUVWXYZ`. Left out: `0 O` (zero and O), `1 I L` (one, I, L), so
/// no two symbols are easily mixed up on paper or read aloud. A code is 12 symbols printed as three groups of four,
/// `XXXX-XXXX-XXXX`: 12 × log2(31) ≈ 59.45 bits of entropy, above the 40, so even millions of live codes
/// leave a guess, capped at 5 tries per code, a chance below 2^-37.
///
/// Typed input is normalised before checking (issue 4, "codes"):
/// - Latin lower case becomes upper case;
/// - spaces, tabs, `-`, `–`, `—`, `_`, `.` anywhere are dropped;
/// - Cyrillic letters that look like Latin ones (А В Е К М Н Р С Т Х У, either case) become those Latin letters,
///   since a Russian keyboard is the likeliest one to type on;
/// - nothing else is guessed: `0 O 1 I L` and any other character make the input malformed. Mapping `O`→`0` would
///   not help (neither is in the alphabet), and guessing between `1`, `I` and `L` would only widen what matches.
public enum ActivationCode {
    /// The symbols a code is made of.
    public static let alphabet: [Character] = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    /// Symbols in a code, separators aside.
    public static let length = 12
    /// Symbols per printed group.
    public static let groupSize = 4
    /// log2(31^12), rounded down to two places; see the type's documentation.
    public static let entropyBits = 59.45

    private static let alphabetSet = Set(alphabet)

    /// A fresh code from the kernel's CSPRNG, grouped for reading aloud: `K7QM-2XWD-9HTR`.
    public static func generate() -> String {
        var symbols = [Character]()
        symbols.reserveCapacity(length)
        for _ in 0..<length {
            symbols.append(alphabet[Int(SecureRandom.uniform(UInt32(alphabet.count)))])
        }
        return grouped(symbols)
    }

    /// The 12 symbols of a typed code, or nil when it is not one (see the normalisation rules above).
    public static func normalise(_ text: String) -> String? {
        var symbols = [Character]()
        for character in text {
            if separators.contains(character) { continue }
            // uppercased() may give several characters ("ß" → "SS"); none of those is a symbol.
            let upper = character.uppercased()
            guard let mapped = lookalikes[character] ?? (upper.count == 1 ? upper.first : nil), alphabetSet.contains(mapped) else {
                return nil
            }
            symbols.append(mapped)
            if symbols.count > length { return nil }
        }
        return symbols.count == length ? String(symbols) : nil
    }

    /// The stored form: HMAC-SHA-256 under the token-hash secret of the code bound to its row, so a hash copied to
    /// another row matches nothing there.
    public static func hash(codeID: Int64, normalised: String, key: SymmetricKey) -> [UInt8] {
        HMAC.sha256(key: key.bytes, message: "activation-code:\(codeID):\(normalised)")
    }

    /// Whether typed input is the code behind `storedHash`: normalises, hashes and compares in constant time.
    public static func matches(_ typed: String, codeID: Int64, storedHash: [UInt8], key: SymmetricKey) -> Bool {
        guard let normalised = normalise(typed) else { return false }
        return ConstantTime.equals(hash(codeID: codeID, normalised: normalised, key: key), storedHash)
    }

    private static func grouped(_ symbols: [Character]) -> String {
        var out = ""
        for (index, symbol) in symbols.enumerated() {
            if index > 0 && index % groupSize == 0 { out.append("-") }
            out.append(symbol)
        }
        return out
    }

    private static let separators: Set<Character> = [" ", "\t", "-", "\u{2010}", "\u{2011}", "\u{2013}", "\u{2014}", "_", "."]

    /// Cyrillic letters that look like Latin letters of the alphabet.
    private static let lookalikes: [Character: Character] = [
        "А": "A", "а": "A", "В": "B", "в": "B", "Е": "E", "е": "E", "К": "K", "к": "K", "М": "M", "м": "M",
        "Н": "H", "н": "H", "Р": "P", "р": "P", "С": "C", "с": "C", "Т": "T", "т": "T", "Х": "X", "х": "X",
        "У": "Y", "у": "Y",
    ]
}
