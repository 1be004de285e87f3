import OpenESIAServer

/// A parsed signature command: `sign` and the signature benchmark's helpers; paths as given.
enum SignatureCommand: Equatable {
    /// `sign`.
    case sign(SignOptions)
    /// `dev measure-cms-verify`.
    case measureCMSVerify(folder: String, seconds: Double, threads: Int)
    /// `dev measure-signature-logins`.
    case measureSignatureLogins(port: Int, key: String, certificate: String, chain: String?, count: Int, threads: Int)
    /// `dev measure-crl-load`.
    case measureCRLLoad(entries: Int)
}

extension CommandLineArguments {
    /// The signature commands' options, after `scan` has read them.
    static func parseSignature(_ name: String, _ parsed: Scanned) throws(UsageError) -> SignatureCommand {
        func required(_ option: String, _ placeholder: String) throws(UsageError) -> String {
            guard let value = parsed.values[option] else { throw UsageError(message: "\(name) needs \(option) \(placeholder)", command: name) }
            return value
        }
        switch name {
        case "sign":
            var options = SignOptions(keyFile: try required("--key", "FILE"), certificateFile: try required("--cert", "FILE"),
                                      inputFile: parsed.positionals[0])
            options.chainFile = parsed.values["--chain"]
            options.attached = parsed.flags.contains("--attached")
            options.signedAttributes = !parsed.flags.contains("--no-attributes")
            options.outputFile = parsed.values["--out"]
            return .sign(options)
        case "dev measure-cms-verify":
            return .measureCMSVerify(folder: try required("--pki", "DIR"),
                                     seconds: Double(try number(parsed, "--seconds", 1...600, default: 5, command: name)),
                                     threads: try number(parsed, "--threads", 1...64, default: 2, command: name))
        case "dev measure-signature-logins":
            return .measureSignatureLogins(port: try number(parsed, "--port", 1...65_535, default: 8080, command: name),
                                           key: try required("--key", "FILE"), certificate: try required("--cert", "FILE"),
                                           chain: parsed.values["--chain"],
                                           count: try number(parsed, "--count", 1...10_000_000, default: 1000, command: name),
                                           threads: try number(parsed, "--threads", 1...64, default: 2, command: name))
        default:
            return .measureCRLLoad(entries: try number(parsed, "--entries", 1...10_000_000, default: 100_000, command: name))
        }
    }

    /// The signature commands' specifications, for the parser and the usage text.
    static let signatureCommands: [CommandSpec] = [
        CommandSpec(name: "sign", arguments: "FILE",
                    summary: "sign FILE as a CMS (DER) for the e-signature login: detached, to standard output (docs/signature-login.md)",
                    options: [
                        OptionSpec(name: "--key", value: "FILE", summary: "the signer's private key (PEM, not encrypted)"),
                        OptionSpec(name: "--cert", value: "FILE", summary: "the signer's certificate (PEM or DER)"),
                        OptionSpec(name: "--chain", value: "FILE", summary: "more certificates to embed, PEM (the issuing CA)"),
                        OptionSpec(name: "--attached", value: nil, summary: "embed the content (default: detached)"),
                        OptionSpec(name: "--no-attributes", value: nil, summary: "no signed attributes (CMS_NOATTR)"),
                        OptionSpec(name: "--out", value: "FILE", summary: "write the signature to FILE instead of standard output"),
                    ]),
        CommandSpec(name: "dev measure-cms-verify", arguments: "",
                    summary: "the reference rate: CMS_verify with chain and CRLs on T threads for S seconds; prints JSON", options: [
            OptionSpec(name: "--pki", value: "DIR", summary: "a hierarchy as keys-example/pki/<alg> (head/, accredited/ with crl.der, citizen.*)"),
            OptionSpec(name: "--seconds", value: "S", summary: "how long (1 to 600, default 5)"),
            OptionSpec(name: "--threads", value: "T", summary: "how many threads (1 to 64, default 2)"),
        ], hidden: true),
        CommandSpec(name: "dev measure-signature-logins", arguments: "",
                    summary: "load generator: N challenges issued and signed first, then submitted over T keep-alive connections; prints JSON",
                    options: [
            OptionSpec(name: "--port", value: "P", summary: "the server on 127.0.0.1 (default 8080)"),
            OptionSpec(name: "--key", value: "FILE", summary: "the citizen's private key"),
            OptionSpec(name: "--cert", value: "FILE", summary: "the citizen's certificate"),
            OptionSpec(name: "--chain", value: "FILE", summary: "the issuing CA to embed (PEM)"),
            OptionSpec(name: "--count", value: "N", summary: "how many logins (default 1000)"),
            OptionSpec(name: "--threads", value: "T", summary: "connections, one thread each (default 2)"),
        ], hidden: true),
        CommandSpec(name: "dev measure-crl-load", arguments: "",
                    summary: "time and memory of parsing and importing a CRL of N entries; prints JSON", options: [
            OptionSpec(name: "--entries", value: "N", summary: "revoked serials in the CRL (default 100000)"),
        ], hidden: true),
    ]
}
