import Activation
import Citizens
import Federation
import Foundation
import HeadCA
import HTTPServer
import PKI
import Support

/// The e-signature login over JSON (docs/api.md): a challenge with a secret the client must send back, then the
/// signature; for citizens under /api/v1/sessions and for staff under /staff/api/sessions. And the signature
/// verification API for portals, behind staff authentication until portals can authenticate.
struct SignatureAPIRoutes {
    let login: SignatureLogin
    let citizens: CitizenService
    let staffAPI: StaffAPIRoutes
    let provider: OpenIDProvider

    struct ChallengeBody: Encodable {
        var challengeId: String
        /// The exact text to sign (UTF-8).
        var challenge: String
        /// Send it back with the signature: the challenge is bound to it.
        var challengeSecret: String
        var expiresAt: String
    }

    struct SignatureRequest: Decodable {
        var challengeId: String?
        var challengeSecret: String?
        /// The CMS: base64 of DER (PEM and base64url are accepted too).
        var signature: String?
        /// Create an account from the certificate when no account holds its SNILS (citizens only).
        var register: Bool?
    }

    struct SessionBody: Encodable {
        var token: String
        var expiresAt: String
        /// Present and true when this request created the account.
        var registered: Bool?
    }

    func add(to router: inout Router) {
        router.post("/api/v1/sessions/signature-challenge") { request in try issue(request, purpose: .citizenLogin) }
        router.post("/api/v1/sessions/signature") { request in
            let body = try request.decodeJSON(SignatureRequest.self)
            let signer = try verify(body, purpose: .citizenLogin, request)
            let source = CitizenAPIRoutes.source(request)
            var registered: Bool?
            let result: LoginResult
            do {
                result = try citizens.loginWithCertificate(signer.identity, source: source, sameWrite: signer.spendChallenge)
            } catch let error as CitizensError where error.code == .noAccountForCertificate && body.register == true {
                result = try citizens.registerWithCertificate(signer.identity, source: source)
                registered = true
            }
            return try .json(SessionBody(token: result.sessionToken, expiresAt: Timestamp.iso8601(result.session.expiresAt),
                                         registered: registered), status: .created).noStore()
        }
        router.post("/staff/api/sessions/signature-challenge") { request in try issue(request, purpose: .staffLogin) }
        router.post("/staff/api/sessions/signature") { request in
            let body = try request.decodeJSON(SignatureRequest.self)
            let signer = try verify(body, purpose: .staffLogin, request)
            let result = try staffAPI.staff.loginWithCertificate(signer.identity, source: CitizenAPIRoutes.source(request),
                                                                sameWrite: signer.spendChallenge)
            return try .json(SessionBody(token: result.sessionToken, expiresAt: Timestamp.iso8601(result.session.expiresAt)),
                             status: .created).noStore()
        }
        router.post("/api/v1/signatures/verify") { request in
            // Staff, or a portal whose client credentials token carries `signatures`.
            _ = try ServiceCaller.of(request, staffAPI: staffAPI, provider: provider, scope: .signatures)
            let body = try request.decodeJSON(SignatureVerification.Request.self)
            let verification = SignatureVerification(trustStore: login.trustStore, now: { [login] in login.now })
            return try .json(try verification.run(body)).noStore()
        }
    }

    /// A challenge bound to a fresh random secret that only this client learns.
    private func issue(_ request: HTTPRequest, purpose: ChallengePurpose) throws -> HTTPResponse {
        let secret = Base64URL.encode(SecureRandom.bytes(32))
        let challenge = try login.issue(binding: Array(secret.utf8), purpose: purpose, address: ClientAddress.of(request))
        return try .json(ChallengeBody(challengeId: challenge.id, challenge: challenge.textString, challengeSecret: secret,
                                       expiresAt: Timestamp.iso8601(challenge.expiresAt)), status: .created).noStore()
    }

    private func verify(_ body: SignatureRequest, purpose: ChallengePurpose, _ request: HTTPRequest) throws -> VerifiedSigner {
        try login.verify(signature: Array((body.signature ?? "").utf8), challengeID: body.challengeId ?? "",
                         binding: Array((body.challengeSecret ?? "").utf8), purpose: purpose, address: ClientAddress.of(request))
    }
}
