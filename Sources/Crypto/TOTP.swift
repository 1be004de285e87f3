import Foundation

/// Time-based one-time passwords (RFC 6238) over HOTP (RFC 4226), as authenticator apps compute them.
public enum TOTP {
    /// The HMAC behind the codes; authenticator apps expect SHA-1 unless told otherwise.
    public enum Algorithm: String, Sendable, CaseIterable {
        case sha1 = "SHA1"
        case sha256 = "SHA256"
        case sha512 = "SHA512"
    }

    /// Digits per code, as most apps show them.
    public static let defaultDigits = 6
    /// Seconds per time step.
    public static let defaultPeriod = 30
    /// Secret length in bytes: 160 bits, the HMAC-SHA-1 output size that RFC 4226 recommends.
    public static let secretByteCount = 20

    /// The HOTP value (RFC 4226 §5.3) for one counter, left-padded with zeros to `digits`.
    public static func hotp(secret: [UInt8], counter: UInt64, digits: Int = defaultDigits, algorithm: Algorithm = .sha1) -> String {
        precondition((6...9).contains(digits), "HOTP codes have 6 to 9 digits")
        var message = [UInt8](repeating: 0, count: 8)
        for i in 0..<8 { message[i] = UInt8(truncatingIfNeeded: counter >> (56 - 8 * UInt64(i))) }
        let mac: [UInt8] = switch algorithm {
        case .sha1: HMAC.sha1(key: secret, message: message)
        case .sha256: HMAC.sha256(key: secret, message: message)
        case .sha512: HMAC.sha512(key: secret, message: message)
        }
        // Dynamic truncation: the low 4 bits of the last byte pick where 31 bits are read from.
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary = (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// The time step of an instant: whole periods since 1970 (negative before it).
    public static func step(time: Date, period: Int = defaultPeriod) -> Int64 {
        precondition(period > 0, "the TOTP period must be positive")
        return Int64((time.timeIntervalSince1970 / Double(period)).rounded(.down))
    }

    /// The code an authenticator app shows at `time`.
    public static func code(secret: [UInt8], time: Date, digits: Int = defaultDigits, period: Int = defaultPeriod,
                            algorithm: Algorithm = .sha1) -> String {
        hotp(secret: secret, counter: UInt64(bitPattern: step(time: time, period: period)), digits: digits, algorithm: algorithm)
    }

    /// Checks a typed code against the steps within `window` of `time` (clock drift, typing time) and
    /// returns the step it matched, or nil. Steps at or before `lastUsedStep` are never accepted, so a
    /// code seen once (over a shoulder, in a proxy log) cannot be used again: store the returned step.
    ///
    /// Spaces and hyphens in the typed code are ignored ("123 456"). Every candidate is compared in
    /// constant time and all of them are computed, so timing does not tell which step was near.
    public static func verify(_ code: String, secret: [UInt8], time: Date, window: Int = 1, lastUsedStep: Int64?,
                              digits: Int = defaultDigits, period: Int = defaultPeriod, algorithm: Algorithm = .sha1) -> Int64? {
        precondition(window >= 0, "the window cannot be negative")
        let typed = Array(code.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "-") })
        guard typed.count == digits, typed.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        let current = step(time: time, period: period)
        var matched: Int64?
        for candidate in (current - Int64(window))...(current + Int64(window)) {
            let expected = Array(hotp(secret: secret, counter: UInt64(bitPattern: candidate), digits: digits, algorithm: algorithm).utf8)
            let usable = candidate >= 0 && candidate > (lastUsedStep ?? Int64.min)
            if ConstantTime.equals(expected, typed) && usable && matched == nil { matched = candidate }
        }
        return matched
    }

    /// A fresh random secret of 20 bytes from OpenSSL's CSPRNG.
    public static func newSecret() -> [UInt8] {
        randomBytes(secretByteCount)
    }

    /// The `otpauth://` URI an authenticator app enrols from (usually shown as a QR code):
    /// `otpauth://totp/Issuer:account?secret=BASE32&issuer=Issuer&algorithm=SHA1&digits=6&period=30`.
    /// Issuer and account are percent-encoded; the secret is base32 without padding.
    public static func provisioningURI(secret: [UInt8], account: String, issuer: String, digits: Int = defaultDigits,
                                       period: Int = defaultPeriod, algorithm: Algorithm = .sha1) -> String {
        let label = percentEncoded(issuer) + ":" + percentEncoded(account)
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(percentEncoded(issuer))"
            + "&algorithm=\(algorithm.rawValue)&digits=\(digits)&period=\(period)"
    }

    /// Every byte but RFC 3986's unreserved characters as %XX, so ':', '&', '?', '/' and spaces in a name
    /// cannot change the URI's structure.
    static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Base32 (RFC 4648 §6), the encoding of TOTP secrets in otpauth URIs.
public enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// Upper-case base32 without '=' padding, as otpauth URIs carry it.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count * 8 + 4) / 5)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(alphabet[Int((buffer >> UInt32(bits)) & 31)])
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes base32 in either case, with or without trailing padding; nil for any other character
    /// or a length no encoding produces.
    public static func decode(_ text: String) -> [UInt8]? {
        var symbols = Array(text.utf8)
        while symbols.last == UInt8(ascii: "=") { symbols.removeLast() }
        // 1, 3 and 6 leftover symbols cannot come from whole bytes.
        guard ![1, 3, 6].contains(symbols.count % 8) else { return nil }
        var out = [UInt8]()
        var buffer: UInt32 = 0
        var bits = 0
        for symbol in symbols {
            let value: UInt8
            switch symbol {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = symbol - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = symbol - UInt8(ascii: "a")
            case UInt8(ascii: "2")...UInt8(ascii: "7"): value = symbol - UInt8(ascii: "2") + 26
            default: return nil
            }
            buffer = (buffer << 5) | UInt32(value)
            bits += 5
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return out
    }
}
