import HTTPServer
import Testing

private let boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"

/// A part as a browser writes it.
private func part(_ name: String, filename: String? = nil, contentType: String? = nil, _ content: [UInt8]) -> [UInt8] {
    var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\""
    if let filename { head += "; filename=\"\(filename)\"" }
    head += "\r\n"
    if let contentType { head += "Content-Type: \(contentType)\r\n" }
    head += "\r\n"
    return Array(head.utf8) + content + Array("\r\n".utf8)
}

private func close() -> [UInt8] { Array("--\(boundary)--\r\n".utf8) }

private func request(_ body: [UInt8], contentType: String = "multipart/form-data; boundary=\(boundary)") -> HTTPRequest {
    let head = HTTPRequestHead(method: .post, target: "/u", path: "/u", query: nil, version: .http1_1,
                               headers: ["Content-Type": contentType])
    return HTTPRequest(head: head, body: body)
}

private func parse(_ body: [UInt8], limits: MultipartLimits = MultipartLimits()) throws -> MultipartForm {
    try request(body).multipartForm(limits: limits)
}

private func code(_ body: [UInt8], limits: MultipartLimits = MultipartLimits()) -> RequestDecodingError.Code? {
    do {
        _ = try parse(body, limits: limits)
        return nil
    } catch {
        return (error as? RequestDecodingError)?.code
    }
}

@Test func textFieldsAndFilesAreSeparated() throws {
    let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF]
    let body = part("comment", Array("Привет, мир".utf8)) + part("empty", [])
        + part("scan", filename: "паспорт.png", contentType: "image/png", png)
        + part("comment", Array("second".utf8)) + close()
    let form = try parse(body)
    #expect(form.fields.values("comment") == ["Привет, мир", "second"])
    #expect(form.fields.first("empty") == "")
    #expect(form.files == [MultipartFile(fieldName: "scan", filename: "паспорт.png", contentType: "image/png", bytes: png)])
    #expect(form.files("scan").count == 1)
}

@Test func binaryFilesKeepCRLFAndBoundaryLikeBytes() throws {
    // Everything a naive parser trips on, short of the real delimiter (CRLF, "--", the boundary itself).
    var file: [UInt8] = Array("\r\n--\r\n--\(boundary.dropLast())\r\n\(boundary)\r\n-".utf8)
    file += (0...255).map { UInt8($0) }
    file += Array("\r\n\r\n--".utf8)
    let body = part("cert", filename: "c.der", contentType: "application/pkix-cert", file) + close()
    let form = try parse(body)
    #expect(form.files.first?.bytes == file)
    #expect(form.fields.isEmpty)
}

@Test func quotedBoundaryPreambleEpilogueAndPaddingAreAccepted() throws {
    var body = Array("preamble to ignore\r\n".utf8) + part("a", Array("1".utf8))
    body += Array("--\(boundary)--  \r\nepilogue to ignore".utf8)
    let form = try request(body, contentType: "Multipart/Form-Data; charset=utf-8; boundary=\"\(boundary)\"").multipartForm()
    #expect(form.fields.first("a") == "1")
    // No trailing CRLF after the close delimiter, and an unquoted Content-Disposition name.
    let tight = Array("--\(boundary)\r\nContent-Disposition: form-data; name=b\r\n\r\n2\r\n--\(boundary)--".utf8)
    #expect(try parse(tight).fields.first("b") == "2")
}

@Test func limitsNameTheField() {
    let big = [UInt8](repeating: 0x41, count: 65)
    let limits = MultipartLimits(maxParts: 3, maxFieldBytes: 64, maxFileBytes: 128, maxPartHeaderBytes: 200)
    #expect(code(part("note", big) + close(), limits: limits) == .fieldTooLarge("note"))
    #expect(code(part("note", Array(big.dropLast())) + close(), limits: limits) == nil)
    #expect(code(part("f", filename: "x", big + big) + close(), limits: limits) == .fieldTooLarge("f"))
    #expect(code(part("f", filename: "x", big) + close(), limits: limits) == nil)
    let four = part("a", []) + part("b", []) + part("c", []) + part("d", []) + close()
    #expect(code(four, limits: limits) == .tooManyFields)
    let longHeader = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(String(repeating: "n", count: 300))\"\r\n\r\nv\r\n".utf8)
    #expect(code(longHeader + close(), limits: limits) == .malformedMultipart)
    #expect(RequestDecodingError.fieldTooLarge("x").status == .contentTooLarge)
}

@Test func malformedBodiesAreRejected() {
    let cases: [(String, [UInt8])] = [
        ("empty body", []),
        ("no delimiter", Array("just text".utf8)),
        ("missing final delimiter", part("a", Array("1".utf8))),
        ("truncated mid-part", Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nabc".utf8)),
        ("no Content-Disposition", Array("--\(boundary)\r\nContent-Type: text/plain\r\n\r\nx\r\n".utf8) + close()),
        ("not form-data", Array("--\(boundary)\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n".utf8) + close()),
        ("no name", Array("--\(boundary)\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nx\r\n".utf8) + close()),
        ("bare LF header", Array("--\(boundary)\nContent-Disposition: form-data; name=\"a\"\n\nx\r\n".utf8) + close()),
        ("LF inside headers", Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"a\"\n\r\nx\r\n".utf8) + close()),
        ("headers never end", Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"a\"\r\n".utf8)),
        ("folded header", Array("--\(boundary)\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\nx\r\n".utf8) + close()),
        ("two dispositions", Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nx\r\n".utf8) + close()),
        ("text not UTF-8", part("a", [0xC3, 0x28]) + close()),
        ("junk after delimiter", Array("--\(boundary)junk\r\n".utf8) + close()),
    ]
    for (label, body) in cases {
        #expect(code(body) == .malformedMultipart, "\(label)")
    }
}

@Test func boundaryMustBePresentAndValid() {
    let body = part("a", Array("1".utf8)) + close()
    for contentType in ["multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"",
                        "multipart/form-data; boundary=\(String(repeating: "b", count: 71))",
                        "multipart/form-data; boundary=\"ends with space \"", "multipart/form-data; boundary=semi{colon}"] {
        let error = #expect(throws: RequestDecodingError.self, "\(contentType)") { try request(body, contentType: contentType).multipartForm() }
        #expect(error?.code == .malformedMultipart)
    }
    for contentType in ["multipart/mixed; boundary=\(boundary)", "application/x-www-form-urlencoded", ""] {
        let error = #expect(throws: RequestDecodingError.self) { try request(body, contentType: contentType).multipartForm() }
        #expect(error?.code == .unsupportedMediaType)
    }
    #expect(throws: RequestDecodingError.malformedMultipart) { try MultipartForm(parsing: body, boundary: "") }
    #expect(throws: Never.self) { try MultipartForm(parsing: body, boundary: boundary) }
}

@Test func aLargeBodyParsesInLinearTime() throws {
    // CR-dash runs everywhere: a quadratic delimiter search would take minutes on 1 MiB.
    let file = [UInt8](Array("\r\n-".utf8) + Array(boundary.utf8.dropLast()), count: 1024 * 1024)
    let body = part("f", filename: "f.bin", file) + close()
    let clock = ContinuousClock()
    let start = clock.now
    let form = try parse(body, limits: MultipartLimits(maxFileBytes: 2 * 1024 * 1024))
    #expect(clock.now - start < .seconds(5))
    #expect(form.files.first?.bytes == file)
}

private extension Array where Element == UInt8 {
    /// The pattern repeated until the array holds at least `count` bytes.
    init(_ pattern: [UInt8], count: Int) {
        self.init()
        while self.count < count { append(contentsOf: pattern) }
    }
}
