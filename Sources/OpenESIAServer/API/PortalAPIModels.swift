import Federation
import Foundation
import PKI
import Support

/// The bodies of the portal admin API (`/staff/api/portals`), also printed by `openesia portal show`.
enum PortalAPI {
    /// A portal as JSON: settings and state, never a secret hash. `clientSecret` appears only in the answer that made it.
    struct PortalBody: Encodable {
        struct CertificateBody: Encodable {
            var subject: String
            var issuer: String
            var serialNumber: String
            var notBefore: String
            var notAfter: String
            var pinned: Bool
            var pem: String
        }

        var clientId: String
        var name: String
        var enabled: Bool
        var dialect: String
        var signingAlgorithm: String
        var minimumLevel: String
        var redirectUris: [String]
        var postLogoutRedirectUris: [String]
        var backchannelLogoutUri: String?
        var scopes: [String]
        var authMethods: [String]
        /// A public client (`none`): PKCE is required.
        var publicClient: Bool
        var jwksUri: String?
        var jwks: AnyJSON?
        var certificate: CertificateBody?
        var hasSecret: Bool
        var secretRotatedAt: String?
        var previousSecretValidUntil: String?
        var createdAt: String
        var updatedAt: String
        var clientSecret: String?

        init(_ portal: Portal, secret: String? = nil) {
            let settings = portal.settings
            clientId = portal.clientID
            name = settings.name
            enabled = portal.enabled
            dialect = settings.dialect.rawValue
            signingAlgorithm = settings.signingAlgorithm.rawValue
            minimumLevel = settings.minimumLevel.rawValue
            redirectUris = settings.redirectURIs
            postLogoutRedirectUris = settings.postLogoutRedirectURIs
            backchannelLogoutUri = settings.backchannelLogoutURI
            scopes = settings.allowedScopes.map(\.rawValue)
            authMethods = settings.authMethods.map(\.rawValue)
            publicClient = settings.isPublic
            jwksUri = settings.jwksURI
            // Stored as given; validated as a JSON object, so it decodes (a string only if the store was edited by hand).
            jwks = settings.jwks.map { text in (try? JSONDecoder().decode(AnyJSON.self, from: Data(text.utf8))) ?? .string(text) }
            certificate = settings.certificate.map { certificate in
                CertificateBody(subject: certificate.subject, issuer: certificate.issuer, serialNumber: certificate.serialNumber,
                                notBefore: Timestamp.iso8601(certificate.notBefore), notAfter: Timestamp.iso8601(certificate.notAfter),
                                pinned: settings.certificatePinned, pem: (try? Certificate(der: certificate.der).pem()) ?? "")
            }
            hasSecret = portal.hasSecret
            secretRotatedAt = portal.secretRotatedAt.map(Timestamp.iso8601)
            previousSecretValidUntil = portal.previousSecretExpiresAt.map(Timestamp.iso8601)
            createdAt = Timestamp.iso8601(portal.createdAt)
            updatedAt = Timestamp.iso8601(portal.updatedAt)
            clientSecret = secret
        }
    }

    struct PortalListBody: Encodable {
        var portals: [PortalBody]
    }

    /// The settings of a portal as a client sends them (POST creates, PUT replaces). Unknown fields are refused, so
    /// a misspelt optional field is an error instead of a silently applied default.
    struct PortalRequest: Decodable {
        var clientId: String?
        var name: String?
        var redirectUris: [String]?
        var postLogoutRedirectUris: [String]?
        var backchannelLogoutUri: String?
        var scopes: [String]?
        var minimumLevel: String?
        var dialect: String?
        var signingAlgorithm: String?
        var authMethods: [String]?
        var jwksUri: String?
        /// The JWKS as a JSON object, or as a string holding one.
        var jwks: AnyJSON?
        /// PEM, or base64 of the DER.
        var certificate: String?
        var pinned: Bool?

        private enum CodingKeys: String, CodingKey, CaseIterable {
            case clientId, name, redirectUris, postLogoutRedirectUris, backchannelLogoutUri, scopes, minimumLevel, dialect,
                 signingAlgorithm, authMethods, jwksUri, jwks, certificate, pinned
        }

        private struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let known = Set(CodingKeys.allCases.map(\.rawValue))
            let unknown = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue).filter { !known.contains($0) }.sorted()
            if !unknown.isEmpty {
                throw PortalError.invalid(unknown.prefix(16).map { PortalFieldError(String($0.prefix(64)), .unknownField) })
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            clientId = try container.decodeIfPresent(String.self, forKey: .clientId)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            redirectUris = try container.decodeIfPresent([String].self, forKey: .redirectUris)
            postLogoutRedirectUris = try container.decodeIfPresent([String].self, forKey: .postLogoutRedirectUris)
            backchannelLogoutUri = try container.decodeIfPresent(String.self, forKey: .backchannelLogoutUri)
            scopes = try container.decodeIfPresent([String].self, forKey: .scopes)
            minimumLevel = try container.decodeIfPresent(String.self, forKey: .minimumLevel)
            dialect = try container.decodeIfPresent(String.self, forKey: .dialect)
            signingAlgorithm = try container.decodeIfPresent(String.self, forKey: .signingAlgorithm)
            authMethods = try container.decodeIfPresent([String].self, forKey: .authMethods)
            jwksUri = try container.decodeIfPresent(String.self, forKey: .jwksUri)
            jwks = try container.decodeIfPresent(AnyJSON.self, forKey: .jwks)
            certificate = try container.decodeIfPresent(String.self, forKey: .certificate)
            pinned = try container.decodeIfPresent(Bool.self, forKey: .pinned)
        }

        /// The draft these fields make; `clientID` (from the path of a PUT) stands in when the body names none.
        func draft(clientID pathID: String? = nil) -> PortalDraft {
            var draft = PortalDraft(clientID: clientId ?? pathID ?? "", name: name ?? "", redirectURIs: redirectUris ?? [])
            draft.postLogoutRedirectURIs = postLogoutRedirectUris ?? []
            draft.backchannelLogoutURI = backchannelLogoutUri
            draft.scopes = scopes
            draft.minimumLevel = minimumLevel
            draft.dialect = dialect
            draft.signingAlgorithm = signingAlgorithm
            draft.authMethods = authMethods
            draft.jwksURI = jwksUri
            draft.jwks = jwks.map(Self.text)
            draft.certificate = certificate.map(Self.certificateBytes)
            draft.pinned = pinned ?? false
            return draft
        }

        private static func text(_ value: AnyJSON) -> String {
            if case .string(let text) = value { return text }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }

        /// PEM as it is; anything else read as base64 DER (line breaks allowed). Bytes that are neither reach the
        /// validation as they are, which reports them as `invalidCertificate`.
        private static func certificateBytes(_ text: String) -> [UInt8] {
            if text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("-----BEGIN") { return Array(text.utf8) }
            return Data(base64Encoded: text, options: .ignoreUnknownCharacters).map { [UInt8]($0) } ?? Array(text.utf8)
        }
    }

    struct RotateRequest: Decodable {
        var graceSeconds: Int?
    }
}
