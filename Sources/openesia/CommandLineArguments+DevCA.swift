import Foundation
import OpenESIAServer

/// A parsed development CA command; paths as given (relative ones are resolved when it runs).
enum DevCACommand: Equatable {
    /// `ca init-head`.
    case initHead(DevCANewCA)
    /// `ca init-accredited`.
    case initAccredited(DevCANewCA, head: String)
    /// `ca issue`.
    case issue(DevCAIssueRequest)
    /// `ca revoke`.
    case revoke(caDirectory: String, certificateFile: String, reason: DevCARevocationReason?, at: Date?)
    /// `ca crl`.
    case crl(caDirectory: String, days: Int, output: String?)
    /// `ca tsl`.
    case trustedList(caDirectories: [String], version: Int, from: Date?, output: String)
}

extension CommandLineArguments {
    /// The development CA commands' options, after `scan` has read them.
    static func parseDevCA(_ name: String, _ parsed: Scanned) throws(UsageError) -> DevCACommand {
        func required(_ option: String, _ placeholder: String) throws(UsageError) -> String {
            guard let value = parsed.values[option] else { throw UsageError(message: "\(name) needs \(option) \(placeholder)", command: name) }
            return value
        }
        func choice<T: RawRepresentable>(_ option: String, _ names: [String]) throws(UsageError) -> T? where T.RawValue == String {
            guard let text = parsed.values[option] else { return nil }
            guard let value = T(rawValue: text) else {
                throw UsageError(message: "\(option) must be one of \(names.joined(separator: ", "))" + hint(text, names), command: name)
            }
            return value
        }
        func algorithm() throws(UsageError) -> DevCAAlgorithm {
            _ = try required("--algorithm", "ALGORITHM")
            return try choice("--algorithm", DevCAAlgorithm.names)!
        }
        func date(_ option: String) throws(UsageError) -> Date? {
            guard let text = parsed.values[option] else { return nil }
            guard let date = parseISO8601(text) else {
                throw UsageError(message: "\(option) needs an ISO 8601 time such as 2025-01-01T00:00:00Z (or a date, 2025-01-01)",
                                 command: name)
            }
            return date
        }
        func days(_ defaultDays: Int) throws(UsageError) -> Int {
            try number(parsed, "--days", 1...DevCACommands.maximumDays, default: defaultDays, command: name)
        }
        func newCA(_ defaultDays: Int) throws(UsageError) -> DevCANewCA {
            DevCANewCA(directory: try required("--dir", "DIR"), algorithm: try algorithm(), commonName: parsed.values["--name"],
                       organization: parsed.values["--org"], ogrn: parsed.values["--ogrn"], innle: parsed.values["--innle"],
                       crlURL: parsed.values["--crl-url"], days: try days(defaultDays), notBefore: try date("--not-before"))
        }

        switch name {
        case "ca init-head":
            return .initHead(try newCA(DevCACommands.defaultHeadDays))
        case "ca init-accredited":
            let head = try required("--head", "HEADDIR")
            return .initAccredited(try newCA(DevCACommands.defaultAccreditedDays), head: head)
        case "ca issue":
            let ca = try required("--ca", "CADIR")
            _ = try required("--profile", "PROFILE")
            let profile: DevCALeafProfile = try choice("--profile", DevCALeafProfile.names)!
            return .issue(DevCAIssueRequest(
                caDirectory: ca, profile: profile, outputPrefix: try required("--out", "PREFIX"), algorithm: try algorithm(),
                commonName: try required("--cn", "NAME"), surname: parsed.values["--surname"], givenNames: parsed.values["--given-names"],
                snils: parsed.values["--snils"], inn: parsed.values["--inn"], ogrn: parsed.values["--ogrn"], ogrnip: parsed.values["--ogrnip"],
                innle: parsed.values["--innle"], organization: parsed.values["--org"], days: try days(DevCACommands.defaultLeafDays),
                notBefore: try date("--not-before"), allowBadChecksum: parsed.flags.contains("--allow-bad-checksum")))
        case "ca revoke":
            return .revoke(caDirectory: try required("--ca", "CADIR"), certificateFile: try required("--cert", "FILE"),
                           reason: try choice("--reason", DevCARevocationReason.names), at: try date("--at"))
        case "ca tsl":
            guard let directories = parsed.lists["--ca"] else { throw UsageError(message: "ca tsl needs at least one --ca CADIR", command: name) }
            return .trustedList(caDirectories: directories, version: try number(parsed, "--version", 1...1_000_000, default: 1, command: name),
                                from: try date("--from"), output: try required("--out", "FILE"))
        default:  // "ca crl"
            return .crl(caDirectory: try required("--ca", "CADIR"), days: try days(DevCACommands.defaultCRLDays),
                        output: parsed.values["--out"])
        }
    }

    /// An RFC 3339 / ISO 8601 time with a zone ("2025-01-01T00:00:00Z", "…+03:00"), or a date alone (midnight UTC).
    static func parseISO8601(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withFullDate]
        guard text.utf8.count == 10 else { return nil }
        return formatter.date(from: text)
    }
}

extension CommandSpec {
    /// The development CA commands (docs/dev-ca.md), listed together in the usage text.
    static let devCA: [CommandSpec] = {
        let algorithm = OptionSpec(name: "--algorithm", value: "ALG", summary: "key algorithm: \(DevCAAlgorithm.names.joined(separator: ", "))")
        let newCA = [
            OptionSpec(name: "--dir", value: "DIR", summary: "the CA folder to make: ca.crt, ca.key (0600), state.json, crl.pem, crl.der"),
            algorithm,
            OptionSpec(name: "--name", value: "CN", summary: "the CA's common name (default: OpenESIA development … CA (ALG))"),
            OptionSpec(name: "--org", value: "O", summary: "organisation (default: OpenESIA development (public test keys))"),
            OptionSpec(name: "--ogrn", value: "OGRN", summary: "the CA operator's OGRN, 13 digits"),
            OptionSpec(name: "--innle", value: "INNLE", summary: "the CA operator's INN, 10 digits"),
            OptionSpec(name: "--crl-url", value: "URL", summary: "where this CA's CRL is published; put into the certificates it issues"),
            OptionSpec(name: "--not-before", value: "TIME", summary: "start of validity, ISO 8601 (default now)"),
        ]
        return [
            CommandSpec(name: "ca init-head", arguments: "", summary: "make a development head CA: a self-signed root in a new folder (docs/dev-ca.md)",
                        options: newCA + [OptionSpec(name: "--days", value: "N", summary: "validity in days (default \(DevCACommands.defaultHeadDays))")]),
            CommandSpec(name: "ca init-accredited", arguments: "", summary: "make a development accredited CA certified by a head CA",
                        options: newCA + [
                            OptionSpec(name: "--head", value: "HEADDIR", summary: "the head CA's folder (made by ca init-head)"),
                            OptionSpec(name: "--days", value: "N", summary: "validity in days (default \(DevCACommands.defaultAccreditedDays))"),
                        ]),
            CommandSpec(name: "ca issue", arguments: "", summary: "issue a citizen, staff or portal certificate and key from a development CA",
                        options: [
                            OptionSpec(name: "--ca", value: "CADIR", summary: "the issuing CA's folder"),
                            OptionSpec(name: "--profile", value: "PROFILE", summary: DevCALeafProfile.names.joined(separator: ", ")),
                            OptionSpec(name: "--out", value: "PREFIX", summary: "writes PREFIX.crt and PREFIX.key (0600); never overwrites"),
                            algorithm,
                            OptionSpec(name: "--cn", value: "NAME", summary: "common name"),
                            OptionSpec(name: "--surname", value: "SN", summary: "surname"),
                            OptionSpec(name: "--given-names", value: "GN", summary: "given name and patronymic"),
                            OptionSpec(name: "--snils", value: "SNILS", summary: "SNILS, check number verified"),
                            OptionSpec(name: "--inn", value: "INN", summary: "a person's INN, 12 digits, check digits verified"),
                            OptionSpec(name: "--ogrn", value: "OGRN", summary: "OGRN, 13 digits"),
                            OptionSpec(name: "--ogrnip", value: "OGRNIP", summary: "OGRNIP, 15 digits"),
                            OptionSpec(name: "--innle", value: "INNLE", summary: "a legal entity's INN, 10 digits"),
                            OptionSpec(name: "--org", value: "O", summary: "organisation"),
                            OptionSpec(name: "--days", value: "N", summary: "validity in days (default \(DevCACommands.defaultLeafDays))"),
                            OptionSpec(name: "--not-before", value: "TIME", summary: "start of validity, ISO 8601 (default now; a past time makes an expired certificate)"),
                            OptionSpec(name: "--allow-bad-checksum", value: nil, summary: "accept SNILS and INN with wrong check digits (test certificates)"),
                        ]),
            CommandSpec(name: "ca tsl", arguments: "", summary: "write a trusted list (e-trust XML) naming development accredited CAs",
                        options: [
                            OptionSpec(name: "--ca", value: "CADIR", summary: "an accredited CA's folder; repeatable", repeatable: true),
                            OptionSpec(name: "--out", value: "FILE", summary: "the XML file to write"),
                            OptionSpec(name: "--version", value: "N", summary: "the list's version number (default 1)"),
                            OptionSpec(name: "--from", value: "TIME", summary: "start of every CA's accreditation, ISO 8601 (default now)"),
                        ]),
            CommandSpec(name: "ca revoke", arguments: "", summary: "record the revocation of a certificate a development CA issued",
                        options: [
                            OptionSpec(name: "--ca", value: "CADIR", summary: "the issuing CA's folder"),
                            OptionSpec(name: "--cert", value: "FILE", summary: "the certificate (PEM or DER)"),
                            OptionSpec(name: "--reason", value: "REASON", summary: DevCARevocationReason.names.joined(separator: ", ") + " (default none)"),
                            OptionSpec(name: "--at", value: "TIME", summary: "revocation time, ISO 8601, not in the future (default now)"),
                        ]),
            CommandSpec(name: "ca crl", arguments: "", summary: "sign a fresh CRL of a development CA (crlNumber + 1)",
                        options: [
                            OptionSpec(name: "--ca", value: "CADIR", summary: "the CA's folder"),
                            OptionSpec(name: "--days", value: "N", summary: "days until nextUpdate (default \(DevCACommands.defaultCRLDays))"),
                            OptionSpec(name: "--out", value: "FILE", summary: "write only FILE (PEM if it ends in .pem, else DER) instead of CADIR/crl.pem and crl.der"),
                        ]),
        ]
    }()
}
