import Foundation

/// Why a signature submission was refused, for the page to explain.
public struct SignatureProblem: Sendable, Equatable {
    /// What went wrong: `empty`, `malformed`, `signatureInvalid`, `unsupportedAlgorithm`, `untrusted`, `noSNILS`,
    /// `challengeExpired`, `challengeUsed`, `challengeUnknown`, `challengeForeign`, `throttled`, `offerExpired`,
    /// `snilsNotVerified`, `noStaff`, `staffDisabled`, `nameInvalid`, `duplicate`; anything else reads as a general failure.
    public var code: String
    /// For `untrusted`: the trust store's failure codes (`revoked`, `ca_not_accredited`, …), each shown as a sentence.
    public var failures: [String]

    /// A problem with its trust failure codes, if any.
    public init(code: String, failures: [String] = []) {
        self.code = code
        self.failures = failures
    }

    /// The problem in words: one sentence, then the reasons, if any.
    func message(_ language: Language) -> String {
        let reasons = failures.map { Strings.trustFailure($0, language) }
        let head = Strings.signatureProblem(code, language)
        return reasons.isEmpty ? head : head + " " + reasons.joined(separator: "; ") + "."
    }
}

/// The page with a challenge to sign and the form to upload the signature.
public struct SignatureChallengeModel: Sendable {
    public var language: Language
    /// The anonymous double-submit token: the upload form and the "new challenge" form carry it.
    public var csrfToken: String
    public var currentPath: String
    /// True for the staff console's chrome.
    public var console: Bool
    /// The exact text to sign, shown as it is.
    public var challengeText: String
    /// When the challenge stops working.
    public var expiresAt: Date
    /// Where the text downloads as challenge.txt.
    public var downloadPath: String
    /// Where the signature is posted (multipart/form-data, file field `signature`).
    public var uploadPath: String
    /// Where a new challenge is asked for (POST).
    public var restartPath: String
    /// Set when the page is shown again after a refused submission (with a fresh challenge).
    public var problem: SignatureProblem?

    /// A challenge page.
    public init(language: Language = .ru, csrfToken: String, currentPath: String, console: Bool = false, challengeText: String,
                expiresAt: Date, downloadPath: String, uploadPath: String, restartPath: String, problem: SignatureProblem? = nil) {
        self.language = language
        self.csrfToken = csrfToken
        self.currentPath = currentPath
        self.console = console
        self.challengeText = challengeText
        self.expiresAt = expiresAt
        self.downloadPath = downloadPath
        self.uploadPath = uploadPath
        self.restartPath = restartPath
        self.problem = problem
    }
}

/// Download the challenge, sign it, upload the signature.
public enum SignatureChallengePage {
    /// The upload's file field.
    public static let fileField = "signature"

    /// The page for `model`.
    public static func render(_ model: SignatureChallengeModel) -> String {
        let s = Strings(model.language)
        let problem = model.problem.map { $0.message(model.language) }
        var summary = HTML.empty
        var fileAttributes: [(String, String?)] = [("id", fileField), ("name", fileField), ("type", "file"), ("required", nil),
                                                   ("aria-required", "true"), ("accept", ".sig,.p7s,.der,.pem,.cms,.txt")]
        var fieldError = HTML.empty
        if let problem {
            fileAttributes += [("aria-invalid", "true"), ("aria-describedby", "\(fileField)-hint \(fileField)-error")]
            let box: HTMLBuilder = """
                <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">\(s[signature: .problemTitle])</h2>
                <ul><li><a href="#\(fileField)">\(problem)</a></li></ul>
                </div>
                """
            summary = box.html
            fieldError = HTMLBuilder("""
                <p class="error-message" id="\(fileField)-error"><span class="visually-hidden">\(s[.errorPrefix]) </span>\(problem)</p>

                """).html
        } else {
            fileAttributes.append(("aria-describedby", "\(fileField)-hint"))
        }
        let upload: HTMLBuilder = """
            \(HTML.tag("form", [("method", "post"), ("action", model.uploadPath), ("enctype", "multipart/form-data")]))
            \(HTML.tag("input", [("type", "hidden"), ("name", "csrf"), ("value", model.csrfToken)]))
            <div class="\(problem == nil ? "field" : "field field-error")">
            <label for="\(fileField)">\(s[signature: .fileLabel])</label>
            <p class="hint" id="\(fileField)-hint">\(s[signature: .fileHint])</p>
            \(fieldError)\(HTML.tag("input", fileAttributes))
            </div>
            <button type="submit">\(s[signature: .uploadButton])</button>
            </form>
            """
        let restart: HTMLBuilder = "<button type=\"submit\" class=\"secondary\">\(s[signature: .newChallengeButton])</button>"
        let passwordLogin = model.console ? PagePath.staffLogin : PagePath.login
        let main: HTMLBuilder = """
            <h1>\(s[signature: .challengeTitle])</h1>
            \(summary)
            <p class="lead">\(s[signature: .challengeLead])</p>
            <p>\(s[signature: .validUntil]): \(Format.dateTime(model.expiresAt, model.language))</p>
            <p>\(HTML.tag("a", [("href", PagePath.local(model.downloadPath)), ("download", "challenge.txt")]))\(s[signature: .downloadLink])</a></p>
            <h2>\(s[signature: .challengeTextLabel])</h2>
            <pre class="challenge">\(model.challengeText)</pre>
            <h2>\(s[signature: .howToSign])</h2>
            <p>\(s[signature: .withOpenESIA])</p>
            <pre>openesia sign --key my.key --cert my.crt challenge.txt &gt; challenge.sig</pre>
            <p>\(s[signature: .withOpenSSL])</p>
            <pre>openssl cms -sign -binary -outform DER -in challenge.txt -signer my.crt -inkey my.key -out challenge.sig</pre>
            <p>\(s[signature: .gostNote])</p>
            <p>\(s[signature: .withOtherTools])</p>
            \(upload.html)
            \(FormView.form(action: model.restartPath, csrfToken: model.csrfToken, class: "no-print", restart.html))
            <p><a href="\(passwordLogin)">\(s[signature: .passwordLoginLink])</a></p>
            """
        let title = s[signature: .challengeTitle]
        if model.console {
            return StaffChrome.page(title: title, language: model.language, currentPath: model.currentPath, bar: nil,
                                    hasErrors: problem != nil, main: main.html)
        }
        return Layout.page(title: title, language: model.language, currentPath: model.currentPath, hasErrors: problem != nil,
                           main: main.html)
    }

    /// The login pages' section: what signing in with a signature is, and the button that asks for a challenge.
    static func section(action: String, csrfToken: String, text: String, problem: SignatureProblem?, _ s: Strings) -> HTML {
        let button: HTMLBuilder = "<button type=\"submit\" class=\"secondary\">\(s[signature: .startButton])</button>"
        let alert: HTML = problem.map { StaffChrome.alert([$0.message(s.language)]) } ?? .empty
        let section: HTMLBuilder = """
            <section class="signature-login" aria-labelledby="signature-login-title">
            <h2 id="signature-login-title">\(s[signature: .sectionTitle])</h2>
            \(alert)
            <p>\(text)</p>
            \(FormView.form(action: action, csrfToken: csrfToken, button.html))
            </section>
            """
        return section.html
    }
}

/// The offer to register with a certificate that no account holds.
public struct CertificateRegistrationModel: Sendable {
    public var language: Language
    public var csrfToken: String
    public var currentPath: String
    /// The server's record of the verified certificate; the form sends only this id back.
    public var offerID: String
    /// The certificate's common name.
    public var holder: String
    /// The SNILS from the certificate (shown masked).
    public var snils: String
    /// Whether the certificate carries an INN (never shown in full).
    public var hasINN: Bool
    /// The issuing CA, as its subject line.
    public var issuer: String
    /// The end of the certificate's validity.
    public var notAfter: Date

    /// An offer to register.
    public init(language: Language = .ru, csrfToken: String, currentPath: String, offerID: String, holder: String, snils: String,
                hasINN: Bool, issuer: String, notAfter: Date) {
        self.language = language
        self.csrfToken = csrfToken
        self.currentPath = currentPath
        self.offerID = offerID
        self.holder = holder
        self.snils = snils
        self.hasINN = hasINN
        self.issuer = issuer
        self.notAfter = notAfter
    }
}

/// "No account has this SNILS: register with this certificate?"
public enum CertificateRegistrationPage {
    /// The page for `model`.
    public static func render(_ model: CertificateRegistrationModel) -> String {
        let s = Strings(model.language)
        let inn: HTML = model.hasINN
            ? HTMLBuilder("<dt>\(s[signature: .certificateINN])</dt><dd>\(s[.verified])</dd>").html : .empty
        let button: HTMLBuilder = """
            \(HTML.tag("input", [("type", "hidden"), ("name", "offer"), ("value", model.offerID)]))
            <button type="submit">\(s[signature: .registerButton])</button>
            """
        let main: HTMLBuilder = """
            <h1>\(s[signature: .registerTitle])</h1>
            <p class="lead">\(s[signature: .registerLead])</p>
            <dl class="summary">
            <dt>\(s[signature: .certificateHolder])</dt><dd>\(model.holder)</dd>
            <dt>\(s[signature: .certificateSNILS])</dt><dd>\(Mask.snils(model.snils))</dd>
            \(inn)
            <dt>\(s[signature: .certificateIssuer])</dt><dd>\(model.issuer)</dd>
            <dt>\(s[signature: .certificateValidUntil])</dt><dd>\(Format.dateTime(model.notAfter, model.language))</dd>
            </dl>
            <p>\(s[signature: .registerNotice])</p>
            \(FormView.form(action: PagePath.signatureRegister, csrfToken: model.csrfToken, button.html))
            <p><a href="\(PagePath.login)">\(s[signature: .passwordLoginLink])</a></p>
            """
        return Layout.page(title: s[signature: .registerTitle], language: model.language, currentPath: model.currentPath,
                           main: main.html)
    }
}
