import Foundation
import HeadCA
import PKI

extension DevCACommands {
    /// Writes a trusted list (the e-trust subset `openesia ca import-tsl` reads, docs/headca.md) naming the given
    /// development accredited CAs, each accredited from `from` with no end and with its own CRL address. This is how
    /// keys-example/pki/tsl-example.xml is made.
    /// - Returns: how many CAs the list names.
    /// - Throws: `DevCAError` (`.invalidInput` for a head CA or a version below 1); nothing is written then.
    @discardableResult
    public static func trustedList(caDirectories: [String], version: Int, from: Date, output: String, now: Date) throws(DevCAError) -> Int {
        guard version >= 1 else { throw DevCAError(.invalidInput, "the list version must be 1 or more") }
        guard !caDirectories.isEmpty else { throw DevCAError(.invalidInput, "name at least one accredited CA folder") }
        var entries: [HeadCA.TrustedListWriter.Entry] = []
        for (index, directory) in caDirectories.enumerated() {
            let ca = try DevCAFolder(path: directory).load()
            guard ca.state.role == .accredited else {
                throw DevCAError(.invalidInput, "\(directory) is a head CA; a trusted list names accredited CAs")
            }
            let subject = SubjectIdentifiers.read(ca.certificate)
            entries.append(HeadCA.TrustedListWriter.Entry(
                name: subject.commonName,
                // Synthetic registry numbers: the real registry has three-digit numbers, these start at 900.
                registryNumber: String(900 + index),
                ogrn: subject.ogrn ?? "",
                inn: subject.innle ?? "",
                periods: [AccreditationPeriod(from: from)],
                crlURLs: ca.state.crlURL.map { [$0] } ?? [],
                certificates: [ca.certificate]))
        }
        let text = HeadCA.TrustedListWriter.write(version: version, date: now, authorities: entries)
        try DevCAFiles().replace(output, Array(text.utf8), mode: 0o644)
        return entries.count
    }
}
