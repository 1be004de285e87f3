import Foundation
import Glibc
import Support

extension Configuration {
    /// Every problem with these values, empty when the configuration can be used.
    ///
    /// Ranges come from `ConfigurationKey.all`; the rest are rules across keys and checks that named files can be read.
    /// Call it on a loaded configuration, whose paths are absolute; relative paths are checked against the current directory.
    public func validate() -> [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        func problem(_ key: String, _ message: String) { problems.append(ConfigurationProblem(key: key, message: message)) }

        for key in ConfigurationKey.all {
            switch (key.kind, key.value(in: self)) {
            case (.integer(let range), .integer(let value)) where !range.contains(value):
                problem(key.path, "must be \(range.lowerBound)...\(range.upperBound), got \(value)")
            case (.number(let range), .number(let value)) where !range.contains(value):
                problem(key.path, "must be \(ConfigurationValue.number(range.lowerBound).jsonLiteral)...\(ConfigurationValue.number(range.upperBound).jsonLiteral), got \(value)")
            default:
                break
            }
        }

        if http.host.isEmpty || http.host.contains(where: \.isWhitespace) {
            problem("http.host", "must be an IP address or host name, got \(JSONText.quoted(http.host))")
        }

        // TLS: a certificate without its key (or the reverse) is a mistake, not a request for plain HTTP.
        switch (tls.certificateFile.isEmpty, tls.privateKeyFile.isEmpty) {
        case (false, true): problem("tls.privateKeyFile", "must be set when tls.certificateFile is set")
        case (true, false): problem("tls.certificateFile", "must be set when tls.privateKeyFile is set")
        default: break
        }
        if !tls.certificateFile.isEmpty { checkReadable("tls.certificateFile", tls.certificateFile, &problems) }
        if !tls.privateKeyFile.isEmpty { checkReadable("tls.privateKeyFile", tls.privateKeyFile, &problems) }
        if tls.clientCertificate != .none {
            if !tls.isEnabled { problem("tls.clientCertificate", "\(tls.clientCertificate.rawValue) needs TLS; set tls.certificateFile") }
            if tls.clientCAFile.isEmpty { problem("tls.clientCAFile", "must be set when tls.clientCertificate is \(tls.clientCertificate.rawValue)") }
        }
        if !tls.clientCAFile.isEmpty { checkReadable("tls.clientCAFile", tls.clientCAFile, &problems) }

        if database.path.isEmpty {
            problem("database.path", "must not be empty")
        } else if database.path == ":memory:" {
            problem("database.path", "must be a file: write-ahead logging and several connections need one")
        } else {
            let folder = (database.path as NSString).deletingLastPathComponent
            if !folder.isEmpty && !Self.isDirectory(folder) { problem("database.path", "folder \(folder) does not exist") }
        }

        if registry.adapter == .http {
            if !(registry.url.hasPrefix("https://") || registry.url.hasPrefix("http://")) {
                problem("registry.url", "must be an http or https URL when registry.adapter is http")
            }
        }
        if citizens.sessionAbsoluteTimeoutSeconds < citizens.sessionIdleTimeoutSeconds {
            problem("citizens.sessionAbsoluteTimeoutSeconds", "must not be shorter than citizens.sessionIdleTimeoutSeconds")
        }
        if outbox.command.isEmpty && outbox.file.isEmpty { problem("outbox.file", "must be set when outbox.command is empty") }

        if keys.directory.isEmpty {
            problem("keys.directory", "must not be empty")
        } else if FileManager.default.fileExists(atPath: keys.directory) && !Self.isDirectory(keys.directory) {
            problem("keys.directory", "\(keys.directory) is not a folder")
        }

        if let message = Self.issuerProblem(service.issuer) { problem("service.issuer", message) }
        for root in headca.roots { checkReadable("headca.roots", root, &problems) }
        for root in headca.rootsRevocationIfAvailable { checkReadable("headca.rootsRevocationIfAvailable", root, &problems) }
        for root in headca.rootsRevocationOff { checkReadable("headca.rootsRevocationOff", root, &problems) }
        if !federation.esiaIssuer.isEmpty, !Self.isESIAIssuer(federation.esiaIssuer) {
            problem("federation.esiaIssuer", "must be an http or https URL without spaces, at most 512 characters")
        }
        if federation.accessTokenLifetimeSeconds > federation.maxTokenLifetimeSeconds {
            problem("federation.accessTokenLifetimeSeconds", "must not be longer than federation.maxTokenLifetimeSeconds")
        }
        return problems
    }

    private func checkReadable(_ key: String, _ path: String, _ problems: inout [ConfigurationProblem]) {
        if access(path, R_OK) != 0 {
            problems.append(ConfigurationProblem(key: key, message: "cannot read \(path) (\(String(cString: strerror(errno))))"))
        }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// An ESIA issuer is compared by client libraries as a string (ESIA's own is `http://esia.gosuslugi.ru/`, with the
    /// slash): any plain http(s) URL is accepted.
    static func isESIAIssuer(_ issuer: String) -> Bool {
        let plain = issuer.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 && $0.value < 0x7F && !"\"<>\\^`{|}".unicodeScalars.contains($0) }
        let scheme = issuer.hasPrefix("http://") ? 7 : issuer.hasPrefix("https://") ? 8 : 0
        return plain && scheme > 0 && issuer.utf8.count > scheme && issuer.utf8.count <= 512
    }

    /// Why `issuer` is not a usable issuer URL, or nil. OpenID Connect Discovery 1.0 §3: https, no query, no fragment.
    static func issuerProblem(_ issuer: String) -> String? {
        let shown = JSONText.quoted(issuer)
        // Foundation's parser lets quotes and spaces through; an issuer is compared byte for byte (OIDC Discovery §4.3), so allow only plain URL characters.
        let plain = issuer.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 && $0.value < 0x7F && !"\"<>\\^`{|}".unicodeScalars.contains($0) }
        guard plain else { return "must contain only URL characters (no spaces, quotes or non-ASCII), got \(shown)" }
        guard let url = URLComponents(string: issuer), let scheme = url.scheme?.lowercased(),
              let host = url.host, !host.isEmpty else {
            return "must be an absolute URL such as https://id.example.org, got \(shown)"
        }
        guard scheme == "https" || scheme == "http" else { return "must use https, got \(shown)" }
        if url.query != nil || url.fragment != nil { return "must not have a query or fragment, got \(shown)" }
        if url.user != nil || url.password != nil { return "must not contain a user name or password" }
        if issuer.hasSuffix("/") { return "must not end with /, got \(shown)" }
        if scheme == "http" && !isLoopback(host) {
            return "must use https unless the host is loopback (localhost, 127.0.0.1, ::1), got \(shown)"
        }
        return nil
    }

    /// Whether `host` names this machine only, so plain HTTP cannot leak tokens over a network.
    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare == "::1" { return true }
        let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
