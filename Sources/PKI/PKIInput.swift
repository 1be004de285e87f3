import COpenSSL
import Crypto
import Support

/// Bytes from outside (an uploaded file, a form field) that are not the expected structure in DER, PEM or
/// base64 text of DER. The description says what was wrong; it never holds the input itself.
public struct PKIInputError: Error, Sendable, CustomStringConvertible {
    /// What was wrong with the input.
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) {
        self.description = description
    }
}

/// Turns uploaded bytes into DER: raw DER, PEM, or base64/base64url text of DER.
enum PKIInput {
    /// The DER inside `bytes`. DER when the first byte opens a SEQUENCE (so DER holding PEM-looking text
    /// stays DER); PEM when the text holds "-----BEGIN" (the first block, whose label must be one of `pemLabels`);
    /// otherwise base64 or base64url text, whitespace ignored, padding optional. `what` names the structure in errors.
    static func der(_ bytes: [UInt8], pemLabels: Set<String>, what: String) throws -> [UInt8] {
        guard !bytes.isEmpty else { throw PKIInputError("empty input where \(what) was expected") }
        guard bytes.count <= Int(Int32.max) else { throw PKIInputError("input too large for \(what)") }
        if bytes[0] == 0x30 { return bytes }
        if contains(bytes, pemBegin) { return try pemBody(bytes, labels: pemLabels, what: what) }
        guard let decoded = base64(bytes) else {
            throw PKIInputError("\(what) expected in DER, PEM or base64 text; the input is none of these")
        }
        guard decoded.first == 0x30 else { throw PKIInputError("the base64 text does not hold DER \(what)") }
        return decoded
    }

    /// Runs `body` with a read-only memory BIO over `bytes`, without copying them (BIO_new_mem_buf);
    /// the BIO must not escape `body`.
    static func withReadOnlyBIO<T>(_ bytes: [UInt8], _ body: (OpaquePointer) throws -> T) throws -> T {
        guard bytes.count <= Int(Int32.max) else { throw PKIInputError("input too large") }
        func run(_ start: UnsafeRawPointer, _ count: Int) throws -> T {
            guard let bio = BIO_new_mem_buf(start, Int32(count)) else { throw OpenSSLError.drain("BIO_new_mem_buf") }
            defer { BIO_free(bio) }
            return try body(bio)
        }
        return try bytes.withUnsafeBytes { buffer in
            if let start = buffer.baseAddress { return try run(start, buffer.count) }
            // BIO_new_mem_buf refuses a NULL pointer, which an empty array gives.
            var zero: UInt8 = 0
            return try withUnsafeBytes(of: &zero) { try run($0.baseAddress!, 0) }
        }
    }

    private static let pemBegin = Array("-----BEGIN".utf8)

    /// The body of the first PEM block, through OpenSSL's PEM reader (which also checks the base64).
    private static func pemBody(_ bytes: [UInt8], labels: Set<String>, what: String) throws -> [UInt8] {
        OpenSSLError.clearQueue()
        defer { OpenSSLError.clearQueue() }
        return try withReadOnlyBIO(bytes) { bio in
            var name: UnsafeMutablePointer<CChar>? = nil
            var header: UnsafeMutablePointer<CChar>? = nil
            var data: UnsafeMutablePointer<UInt8>? = nil
            var length = 0
            let ok = PEM_read_bio(bio, &name, &header, &data, &length)
            defer {
                shim_OPENSSL_free(name)
                shim_OPENSSL_free(header)
                shim_OPENSSL_free(data)
            }
            guard ok == 1, let name, let data, length > 0 else {
                let reasons = OpenSSLError.drainQueue()
                throw PKIInputError("unreadable PEM where \(what) was expected" + (reasons.first.map { ": \($0)" } ?? ""))
            }
            let label = String(cString: name)
            guard labels.contains(label) else {
                throw PKIInputError("PEM \"\(label)\" where \(what) was expected (\(labels.sorted().joined(separator: " or ")))")
            }
            return Array(UnsafeBufferPointer(start: data, count: length))
        }
    }

    /// Standard or URL-safe base64 with whitespace anywhere and optional trailing padding; nil for anything else.
    private static func base64(_ bytes: [UInt8]) -> [UInt8]? {
        var text = [UInt8]()
        text.reserveCapacity(bytes.count)
        var padding = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                continue
            case UInt8(ascii: "="):
                padding += 1
                guard padding <= 2 else { return nil }
            case _ where padding > 0:
                return nil  // data after padding
            case UInt8(ascii: "+"): text.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): text.append(UInt8(ascii: "_"))
            default:
                // Base64URL.decode rejects everything outside the URL-safe alphabet.
                text.append(byte)
            }
        }
        guard !text.isEmpty, padding == 0 || (text.count + padding) % 4 == 0 else { return nil }
        return Base64URL.decode(bytes: text)
    }

    private static func contains(_ bytes: [UInt8], _ pattern: [UInt8]) -> Bool {
        guard bytes.count >= pattern.count else { return false }
        return (0...(bytes.count - pattern.count)).contains { start in
            bytes[start] == pattern[0] && bytes[start..<start + pattern.count].elementsEqual(pattern)
        }
    }
}
