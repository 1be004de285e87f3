import Citizens
import Foundation
import Glibc
import Support

/// One letter as it goes to the print house: recipient, address and the code, which exists only here and in the files.
struct PrintedLetter {
    var letterID: Int64
    var fullName: String
    var address: AddressData
    var code: String
    var expiresAt: Date
}

/// An export file being written: created 0600 under a `.partial` name, appended in pages, fsynced per page, and
/// renamed to its final name only once the batch is complete.
final class ExportFile {
    let finalPath: String
    let partialPath: String
    private let fd: Int32

    /// Creates `path + ".partial"` exclusively with mode 0600 (never over an existing file).
    init(path: String) throws {
        finalPath = path
        partialPath = path + ".partial"
        fd = open(partialPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ActivationError(.exportFailed("cannot create \(partialPath): \(String(cString: strerror(errno)))")) }
        // The umask can only narrow the mode; set it outright anyway, so the code file is never wider than 0600.
        fchmod(fd, 0o600)
    }

    deinit { close(fd) }

    /// Appends bytes; throws on a short write.
    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ActivationError(.exportFailed("cannot write \(partialPath): \(String(cString: strerror(errno)))"))
            }
            offset += n
        }
    }

    /// Makes what was written durable, so a page is committed as printed only once its codes are on disk.
    func sync() throws {
        guard fsync(fd) == 0 else { throw ActivationError(.exportFailed("cannot sync \(partialPath): \(String(cString: strerror(errno)))")) }
    }

    /// Renames the finished file to its final name and syncs the folder.
    func publish() throws {
        try sync()
        guard rename(partialPath, finalPath) == 0 else {
            throw ActivationError(.exportFailed("cannot rename \(partialPath): \(String(cString: strerror(errno)))"))
        }
        syncFolder((finalPath as NSString).deletingLastPathComponent)
    }
}

/// fsyncs a folder so a new or renamed name in it survives a power cut; best effort.
func syncFolder(_ path: String) {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    fsync(fd)
    close(fd)
}

/// The CSV for the print house: RFC 4180, UTF-8, CRLF line ends, one row per letter.
enum LetterCSV {
    static let header = "letter_id,recipient,postal_code,region,city,street,house,building,flat,code\r\n"

    static func row(_ letter: PrintedLetter, to out: inout [UInt8]) {
        let a = letter.address
        let fields = [String(letter.letterID), letter.fullName, a.postalCode, a.region, a.city, a.street, a.house,
                      a.building ?? "", a.flat ?? "", letter.code]
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendField(field, to: &out)
        }
        out.append(contentsOf: [13, 10])
    }

    /// Quotes a field holding `,`, `"`, CR or LF, doubling inner quotes. A field that starts like a spreadsheet formula
    /// (`= + - @`, tab, CR) gets a leading `'` (OWASP CSV injection), in case the print house opens the file in one.
    static func appendField(_ field: String, to out: inout [UInt8]) {
        var text = field
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        let needsQuotes = text.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 13 || $0 == 10 }
        guard needsQuotes else { return out.append(contentsOf: text.utf8) }
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") { out.append(byte) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// The printable HTML: one A4 letter per page, every value escaped.
enum LetterHTML {
    static func head(batchID: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="ru">
        <head>
        <meta charset="utf-8">
        <title>OpenESIA: письма с кодами активации, партия \(escape(batchID))</title>
        <style>
        @page { size: A4; margin: 20mm; }
        body { font-family: "PT Serif", "Times New Roman", serif; font-size: 12pt; margin: 0; }
        .letter { page-break-after: always; break-after: page; min-height: 250mm; position: relative; }
        .letter:last-child { page-break-after: auto; break-after: auto; }
        .sender { font-size: 10pt; }
        .recipient { margin: 15mm 0 0 90mm; }
        .code { font-family: "DejaVu Sans Mono", monospace; font-size: 24pt; letter-spacing: 2pt; margin: 10mm 0; text-align: center; }
        .meta { position: absolute; bottom: 0; font-size: 8pt; color: #555; }
        </style>
        </head>
        <body>

        """
    }

    static let tail = "</body>\n</html>\n"

    static func letter(_ letter: PrintedLetter, batchID: String, to out: inout [UInt8]) {
        let a = letter.address
        var street = "\(a.street), д. \(a.house)"
        if let building = a.building { street += ", корп. \(building)" }
        if let flat = a.flat { street += ", кв. \(flat)" }
        let expires = lastFullDay(letter.expiresAt)
        let html = """
        <section class="letter">
        <p class="sender">OpenESIA — единая система идентификации и аутентификации</p>
        <div class="recipient">
        <p>\(escape(letter.fullName))<br>
        \(escape(street))<br>
        \(escape(a.city)), \(escape(a.region))<br>
        \(escape(a.postalCode))</p>
        </div>
        <h1>Код подтверждения личности</h1>
        <p>Здравствуйте! Вы заказали письмо с кодом, чтобы подтвердить свою учётную запись. Войдите в учётную запись
        и введите код на странице «Подтверждение личности»:</p>
        <p class="code">\(escape(letter.code))</p>
        <p>Код действует по \(escape(expires)) включительно. Его можно ввести один раз; после пяти ошибок он перестаёт
        действовать, и нужно заказать новый. Никому не сообщайте код: сотрудники никогда его не спрашивают.</p>
        <p>Если вы не заказывали это письмо, не вводите код и обратитесь в центр обслуживания.</p>
        <p class="meta">Письмо № \(letter.letterID) · партия \(escape(batchID))</p>
        </section>

        """
        out.append(contentsOf: html.utf8)
    }

    /// Escapes `& < > " '` so no value can become markup.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// `DD.MM.YYYY`, the UTC day before the expiry instant: that whole day, in any Russian time zone, ends before the
    /// code does, so "valid through" this date is never a promise the code breaks.
    static func lastFullDay(_ expiresAt: Date) -> String {
        let iso = Array(Timestamp.iso8601(expiresAt.addingTimeInterval(-86_400))) // YYYY-MM-DDT…
        return String(iso[8..<10]) + "." + String(iso[5..<7]) + "." + String(iso[0..<4])
    }
}
