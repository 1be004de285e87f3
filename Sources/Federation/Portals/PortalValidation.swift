import Citizens
import Foundation
import PKI

/// The rules for a portal's settings, checked together so every problem is reported at once.
public enum PortalValidation {
    /// Client id length bounds, in characters.
    public static let clientIDLength = 1...64
    /// The longest name, in characters.
    public static let maxNameLength = 200
    /// The longest URI, in bytes.
    public static let maxURILength = 2000
    /// The most URIs in one list.
    public static let maxURIs = 20
    /// The largest inline JWKS, in bytes.
    public static let maxJWKSBytes = 64 * 1024
    /// The hosts to which plain http is allowed: the portal's developer's own machine (RFC 8252 §7.3, §8.3).
    public static let loopbackHosts: Set<String> = ["127.0.0.1", "[::1]", "localhost"]

    /// Checks every field of `draft`; throws `.invalid` listing all problems, each naming its field.
    public static func check(_ draft: PortalDraft) throws(PortalError) -> PortalSettings {
        var errors: [PortalFieldError] = []
        if let rule = clientIDProblem(draft.clientID) { errors.append(PortalFieldError(PortalField.clientID, rule)) }

        let name = draft.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty {
            errors.append(PortalFieldError(PortalField.name, .required))
        } else if name.count > maxNameLength {
            errors.append(PortalFieldError(PortalField.name, .tooLong))
        } else if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            errors.append(PortalFieldError(PortalField.name, .invalidCharacters))
        }

        errors += uriListProblems(draft.redirectURIs, field: PortalField.redirectURIs, required: true)
        errors += uriListProblems(draft.postLogoutRedirectURIs, field: PortalField.postLogoutRedirectURIs, required: false)
        let backchannel = nonBlank(draft.backchannelLogoutURI)
        if let backchannel, let rule = uriProblem(backchannel) { errors.append(PortalFieldError(PortalField.backchannelLogoutURI, rule)) }

        var scopes: [Scope] = [.openid]
        if let names = draft.scopes {
            if names.isEmpty { errors.append(PortalFieldError(PortalField.scopes, .required)) }
            var known = Set<Scope>()
            for (index, name) in names.enumerated() {
                if let scope = Scope(rawValue: name) { known.insert(scope) } else {
                    errors.append(PortalFieldError(PortalField.scopes, .unknownValue, index: index))
                }
            }
            scopes = Scope.allCases.filter(known.contains)
        }

        var level = AccountLevel.simplified
        if let text = nonBlank(draft.minimumLevel) {
            if let parsed = AccountLevel(rawValue: text) { level = parsed } else {
                errors.append(PortalFieldError(PortalField.minimumLevel, .unknownValue))
            }
        }

        // A wrong dialect makes the dialect's own rules meaningless: they are skipped, the dialect is reported.
        var dialect: PortalDialect? = .oidc
        if let text = nonBlank(draft.dialect) {
            dialect = PortalDialect(rawValue: text)
            if dialect == nil { errors.append(PortalFieldError(PortalField.dialect, .unknownValue)) }
        }

        var algorithm = (dialect ?? .oidc).defaultSigningAlgorithm
        if let text = nonBlank(draft.signingAlgorithm) {
            if let parsed = SigningAlgorithm(rawValue: text) {
                algorithm = parsed
                if let dialect, !dialect.signingAlgorithms.contains(parsed) {
                    errors.append(PortalFieldError(PortalField.signingAlgorithm, .notForDialect))
                }
            } else {
                errors.append(PortalFieldError(PortalField.signingAlgorithm, .unknownValue))
            }
        }

        var methods = Set<ClientAuthMethod>()
        let methodNames = draft.authMethods ?? []
        for (index, name) in methodNames.enumerated() {
            if let method = ClientAuthMethod(rawValue: name) { methods.insert(method) } else {
                errors.append(PortalFieldError(PortalField.authMethods, .unknownValue, index: index))
            }
        }
        if methodNames.isEmpty { methods = [dialect == .esia ? .esiaSignature : .clientSecretBasic] }
        if methods.contains(.none) && methods.count > 1 { errors.append(PortalFieldError(PortalField.authMethods, .noneNotAlone)) }
        switch dialect {
        case .oidc?:
            if methods.contains(.esiaSignature) { errors.append(PortalFieldError(PortalField.authMethods, .notForDialect)) }
        case .esia?:
            // ESIA endpoints authenticate portals by signature only (ESIA-PROTOCOL §2, §15.2): no secrets, no JWTs.
            if !methods.contains(.esiaSignature) {
                errors.append(PortalFieldError(PortalField.authMethods, .signatureRequired))
            } else if methods.count > 1 && !methods.contains(.none) {
                errors.append(PortalFieldError(PortalField.authMethods, .notForDialect))
            }
        case nil:
            break
        }

        let jwksURI = nonBlank(draft.jwksURI)
        if let jwksURI, let rule = uriProblem(jwksURI) { errors.append(PortalFieldError(PortalField.jwksURI, rule)) }
        let jwks = nonBlank(draft.jwks)
        if let jwks, let rule = jwksProblem(jwks) { errors.append(PortalFieldError(PortalField.jwks, rule)) }
        var certificate: PortalCertificate?
        if let bytes = draft.certificate, !bytes.isEmpty {
            certificate = parseCertificate(bytes)
            if certificate == nil { errors.append(PortalFieldError(PortalField.certificate, .invalidCertificate)) }
        }
        let hasCertificate = draft.certificate.map { !$0.isEmpty } ?? false

        if methods.contains(.privateKeyJWT) {
            let sources = [(PortalField.jwksURI, jwksURI != nil), (PortalField.jwks, jwks != nil), (PortalField.certificate, hasCertificate)]
                .filter(\.1).map(\.0)
            if sources.isEmpty { errors.append(PortalFieldError(PortalField.authMethods, .keysRequired)) }
            for field in sources.dropFirst() { errors.append(PortalFieldError(field, .conflict)) }
        } else {
            if jwksURI != nil { errors.append(PortalFieldError(PortalField.jwksURI, .unused)) }
            if jwks != nil { errors.append(PortalFieldError(PortalField.jwks, .unused)) }
            if hasCertificate && !methods.contains(.esiaSignature) { errors.append(PortalFieldError(PortalField.certificate, .unused)) }
        }
        if methods.contains(.esiaSignature) && !hasCertificate {
            errors.append(PortalFieldError(PortalField.certificate, .certificateRequired))
        }
        if draft.pinned && !hasCertificate && !methods.contains(.esiaSignature) {
            errors.append(PortalFieldError(PortalField.pinned, .unused))
        }

        guard errors.isEmpty, let dialect else { throw .invalid(errors) }
        return PortalSettings(
            name: name, redirectURIs: draft.redirectURIs, postLogoutRedirectURIs: draft.postLogoutRedirectURIs,
            backchannelLogoutURI: backchannel, allowedScopes: scopes, minimumLevel: level, dialect: dialect, signingAlgorithm: algorithm,
            authMethods: ClientAuthMethod.allCases.filter(methods.contains), jwksURI: jwksURI, jwks: jwks, certificate: certificate,
            certificatePinned: certificate != nil && draft.pinned)
    }

    /// What is wrong with a client id, or nil when it is fine: 1–64 of `A-Z a-z 0-9 . _ -` (ESIA mnemonics are
    /// upper-case latin, OIDC client ids often lower-case: both are accepted and kept as given).
    public static func clientIDProblem(_ clientID: String) -> PortalRule? {
        if clientID.isEmpty { return .required }
        if clientID.count > clientIDLength.upperBound { return .tooLong }
        let allowed = clientID.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"): true
            default: false
            }
        }
        return allowed ? nil : .invalidCharacters
    }

    /// What is wrong with a redirect, logout or JWKS URI, or nil when it is fine.
    ///
    /// Absolute, without a fragment (RFC 6749 §3.1.2) or user info, and https; plain http only to a loopback host
    /// (RFC 8252 §7.3: native apps and developers' machines). Only printable ASCII: an international name or path
    /// must be given in its ASCII form (punycode, percent-encoding), because URIs are compared by exact match.
    public static func uriProblem(_ text: String) -> PortalRule? {
        if text.isEmpty { return .required }
        if text.utf8.count > maxURILength { return .tooLong }
        if text.utf8.contains(where: { $0 <= 0x20 || $0 >= 0x7F }) { return .invalidCharacters }
        if text.utf8.contains(UInt8(ascii: "#")) { return .fragmentNotAllowed }
        guard hasValidPercentEncoding(text), let parts = URLComponents(string: text) else { return .invalidFormat }
        guard let scheme = parts.scheme?.lowercased() else { return .notAbsolute }
        guard scheme == "https" || scheme == "http" else { return .httpsRequired }
        guard let host = parts.host, !host.isEmpty else { return .notAbsolute }
        if parts.user != nil || parts.password != nil { return .userInfoNotAllowed }
        if let port = parts.port, !(1...65535).contains(port) { return .invalidFormat }
        if scheme == "http" && !loopbackHosts.contains(host.lowercased()) { return .httpsRequired }
        return nil
    }

    private static func uriListProblems(_ uris: [String], field: String, required: Bool) -> [PortalFieldError] {
        if uris.isEmpty { return required ? [PortalFieldError(field, .required)] : [] }
        if uris.count > maxURIs { return [PortalFieldError(field, .tooMany)] }
        var seen = Set<String>()
        var errors: [PortalFieldError] = []
        for (index, uri) in uris.enumerated() {
            if let rule = uriProblem(uri) {
                errors.append(PortalFieldError(field, rule, index: index))
            } else if !seen.insert(uri).inserted {
                errors.append(PortalFieldError(field, .duplicate, index: index))
            }
        }
        return errors
    }

    /// Every `%` is followed by two hex digits.
    private static func hasValidPercentEncoding(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, isHexDigit(bytes[index + 1]), isHexDigit(bytes[index + 2]) else { return false }
                index += 3
            } else {
                index += 1
            }
        }
        return true
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    /// The JWKS is kept as text; its keys are checked when private_key_jwt is built. Here: a JSON object with a `keys` array.
    private static func jwksProblem(_ text: String) -> PortalRule? {
        if text.utf8.count > maxJWKSBytes { return .tooLong }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              object["keys"] is [Any] else { return .invalidFormat }
        return nil
    }

    /// One certificate, DER or PEM, parsed by OpenSSL; nil when it is neither.
    private static func parseCertificate(_ bytes: [UInt8]) -> PortalCertificate? {
        let pemPrefix = Array("-----BEGIN".utf8)
        let start = bytes.drop(while: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 })
        let parsed: Certificate?
        if start.starts(with: pemPrefix) {
            parsed = String(validating: bytes, as: UTF8.self).flatMap { try? Certificate(pem: $0) }
        } else {
            parsed = try? Certificate(der: bytes)
        }
        guard let parsed else { return nil }
        return PortalCertificate(der: parsed.derBytes, subject: parsed.subjectDescription, issuer: parsed.issuerDescription,
                                 serialNumber: parsed.serialNumberHex, notBefore: parsed.notBefore, notAfter: parsed.notAfter)
    }

    private static func nonBlank(_ text: String?) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return text
    }
}
