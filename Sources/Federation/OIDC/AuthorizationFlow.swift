import Citizens
import Foundation

/// What happens next with a valid authorization request, given the browser's login and the consent on file.
///
/// ```
/// no login, or prompt=login / max_age asks for a fresher one ─▶ login        (prompt=none: login_required)
/// level below the portal's minimum or acr_values ───────────▶ levelTooLow  (prompt=none: access_denied)
/// scopes not all consented before, or prompt=consent ────────▶ consent      (prompt=none: consent_required)
/// otherwise ─────────────────────────────────────────────────▶ issueCode
/// ```
public enum AuthorizationStep: Sendable, Equatable {
    /// Send the browser to the login page; `hint` pre-fills the login field.
    case login(hint: String?)
    /// Show the page saying the account level is too low; the portal then gets `access_denied`.
    case levelTooLow(required: AccountLevel)
    /// Show the consent page for the requested scopes.
    case consent
    /// Issue a code and send the browser back to the portal.
    case issueCode
}

/// The decision itself: pure, so every branch is tested without a server.
public enum AuthorizationFlow {
    /// The next step for `request` made at `requestedAt`, with the browser's `login` (nil when none), the scopes the
    /// citizen consented to for this portal before (nil when never) and the portal's minimum level.
    /// - Throws: the `OAuthError` to redirect when `prompt=none` forbids the page the request would need.
    public static func nextStep(_ request: AuthorizationRequest, login: CitizenLogin?, consented: Set<Scope>?,
                                minimumLevel: AccountLevel, requestedAt: Date, now: Date) throws(OAuthError) -> AuthorizationStep {
        let silent = request.prompts.contains(.none)
        guard let login, !needsFreshLogin(request, login, requestedAt: requestedAt, now: now) else {
            if silent { throw OAuthError(.loginRequired, "The citizen is not logged in.") }
            return .login(hint: request.loginHint)
        }
        let required = max(minimumLevel, request.requestedLevel ?? .simplified)
        guard login.level >= required else {
            if silent { throw OAuthError(.accessDenied, "The citizen's account level is below the level required.") }
            return .levelTooLow(required: required)
        }
        let covered = consented.map { Set(request.scopes).isSubset(of: $0) } ?? false
        if !covered || request.prompts.contains(.consent) {
            if silent { throw OAuthError(.consentRequired, "The citizen has not consented to these scopes.") }
            return .consent
        }
        return .issueCode
    }

    /// prompt=login asks for a login made after the request; max_age for one at most that old (OIDC Core §3.1.2.1).
    static func needsFreshLogin(_ request: AuthorizationRequest, _ login: CitizenLogin, requestedAt: Date, now: Date) -> Bool {
        if request.prompts.contains(.login) && login.authenticatedAt < requestedAt { return true }
        if let maxAge = request.maxAge, now.timeIntervalSince(login.authenticatedAt) > Double(maxAge) { return true }
        return false
    }
}
