import HeadCA
import HTTPServer
import WebPages

/// The browser side of an e-signature login, the same for citizens and staff: ask for a challenge, see and download
/// it, upload its signature.
///
/// ```
/// POST start ──────────────▶ 303 challenge page          (the csrf form of the login page; throttled: login page again)
/// GET  challenge page ─────▶ text, download link, commands, multipart upload form
/// GET  …/challenge.txt ────▶ the exact bytes, as an attachment
/// POST challenge page ─────▶ verified: `verified` decides (session and 303, or the registration offer)
///                            refused: the page again with the problem on the file field, with the same challenge when
///                            it was not spent (no file, not a CMS), else a fresh one
/// ```
///
/// A challenge is bound to the browser's anonymous csrf cookie (`AnonymousCSRF`), the same value the login form's
/// double-submit check uses: another browser, or the same one after clearing cookies, cannot use it.
struct SignatureChallengeRoutes {
    let login: SignatureLogin
    let purpose: ChallengePurpose
    /// The login page with a problem in its signature section, for failures that leave no challenge to show.
    let loginPage: @Sendable (WebContext, SignatureProblem, HTTPStatus) -> HTTPResponse
    /// What a verified signer gets: a session and a redirect, or an offer to register.
    let verified: @Sendable (WebContext, VerifiedSigner) throws -> HTTPResponse

    /// Signature files are a few kilobytes (a CMS with two or three certificates); a megabyte is plenty of slack.
    static let maxUploadBytes = 256 * 1024

    private var console: Bool { purpose == .staffLogin }
    private var startPath: String { console ? PagePath.staffSignatureLogin : PagePath.signatureLogin }
    private func challengePath(_ id: String) -> String {
        console ? PagePath.staffSignatureChallenge(id) : PagePath.signatureChallenge(id)
    }
    private func filePath(_ id: String) -> String {
        console ? PagePath.staffSignatureChallengeFile(id) : PagePath.signatureChallengeFile(id)
    }

    func add(to router: inout Router, csrf: WebGuard) {
        let routes = self
        router.post(startPath, csrf.anonymousForm { context, _ in
            routes.issueAndShow(context)
        })
        router.get(startPath + "/:id") { request in
            let context = WebContext(request)
            let id = request.pathParameters["id"] ?? ""
            do {
                let challenge = try routes.login.pending(id: id, binding: Self.binding(context), purpose: routes.purpose)
                return routes.page(context, challenge)
            } catch {
                return try routes.refusal(context, error)
            }
        }
        router.get(startPath + "/:id/challenge.txt") { request in
            let context = WebContext(request)
            let challenge = try routes.login.pending(id: request.pathParameters["id"] ?? "", binding: Self.binding(context),
                                                     purpose: routes.purpose)
            var response = HTTPResponse(status: .ok, body: challenge.text)
            response.headers.set("Content-Type", "text/plain; charset=utf-8")
            response.headers.set("Content-Disposition", "attachment; filename=\"challenge.txt\"")
            response.headers.set("Cache-Control", "no-store")
            response.headers.set("X-Content-Type-Options", "nosniff")
            return response
        }
        router.post(startPath + "/:id", maxBodyBytes: Self.maxUploadBytes) { request in
            let context = WebContext(request)
            let id = request.pathParameters["id"] ?? ""
            let form = try request.multipartForm()
            guard AnonymousCSRF.verify(context, submitted: form.fields.first("csrf")) else { return context.forbidden() }
            let upload = form.files(SignatureChallengePage.fileField).first?.bytes ?? []
            do {
                let signer = try routes.login.verify(signature: upload, challengeID: id, binding: Self.binding(context),
                                                     purpose: routes.purpose, address: ClientAddress.of(request))
                return try routes.verified(context, signer)
            } catch {
                guard let (status, problem) = ErrorMapping.signatureProblem(error) else { throw error }
                // Nothing was spent when the upload was no signature at all: the same challenge can still be signed.
                if case SignatureLoginError.emptyUpload = error, let same = try? routes.login.pending(id: id, binding: Self.binding(context),
                                                                                                      purpose: routes.purpose) {
                    return routes.page(context, same, problem: problem, status: status)
                }
                if case SignatureLoginError.malformed = error, let same = try? routes.login.pending(id: id, binding: Self.binding(context),
                                                                                                   purpose: routes.purpose) {
                    return routes.page(context, same, problem: problem, status: status)
                }
                return routes.issueAndShow(context, problem: problem, status: status)
            }
        }
    }

    /// The browser's binding: its anonymous csrf cookie (empty when it has none, which matches no challenge).
    static func binding(_ context: WebContext) -> [UInt8] {
        Array((context.cookies.first(AnonymousCSRF.cookieName(secure: context.request.isSecure)) ?? "").utf8)
    }

    /// A new challenge for this browser: 303 to its page, or straight to the page with `problem` when showing why the
    /// last one failed. Throttled: the login page says so.
    private func issueAndShow(_ context: WebContext, problem: SignatureProblem? = nil, status: HTTPStatus = .ok) -> HTTPResponse {
        let (token, cookie) = AnonymousCSRF.token(context)
        do {
            let challenge = try login.issue(binding: Array(token.utf8), purpose: purpose, address: ClientAddress.of(context.request))
            guard let problem else { return AnonymousCSRF.attach(cookie, to: context.redirect(challengePath(challenge.id))) }
            return AnonymousCSRF.attach(cookie, to: page(context, challenge, problem: problem, status: status))
        } catch {
            let (refusedStatus, refused) = ErrorMapping.signatureProblem(error) ?? (.serviceUnavailable, SignatureProblem(code: "other"))
            var response = loginPage(context, problem ?? refused, problem == nil ? refusedStatus : status)
            if case SignatureLoginError.throttled(let seconds) = error { response.headers.set("Retry-After", String(seconds)) }
            return response
        }
    }

    /// A challenge that cannot be shown (used, expired, another browser's): the login page says why.
    private func refusal(_ context: WebContext, _ error: any Error) throws -> HTTPResponse {
        guard let (status, problem) = ErrorMapping.signatureProblem(error) else { throw error }
        return loginPage(context, problem, status)
    }

    /// The challenge page; its language switch points at the challenge's own address.
    private func page(_ context: WebContext, _ challenge: Challenge, problem: SignatureProblem? = nil,
                      status: HTTPStatus = .ok) -> HTTPResponse {
        let (token, cookie) = AnonymousCSRF.token(context)
        let model = SignatureChallengeModel(language: context.language, csrfToken: token, currentPath: challengePath(challenge.id),
                                            console: console, challengeText: challenge.textString, expiresAt: challenge.expiresAt,
                                            downloadPath: filePath(challenge.id), uploadPath: challengePath(challenge.id),
                                            restartPath: startPath, problem: problem)
        return AnonymousCSRF.attach(cookie, to: context.page(SignatureChallengePage.render(model), status: status))
    }
}
