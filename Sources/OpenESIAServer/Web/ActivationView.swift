import Activation
import Citizens
import Foundation
import WebPages

/// Turns the activation service's status into the activation page's model.
enum ActivationView {
    /// The page model for `status`; the level's evidence comes from `profile`.
    static func model(_ status: ActivationStatus, profile: CitizenProfile, csrfToken: String, context: WebContext,
                      problem: ActivationProblem?) -> ActivationModel {
        let level = status.level.flatMap { WebPages.AccountLevel(rawValue: $0.rawValue) } ?? .simplified
        var model = ActivationModel(language: context.language, csrfToken: csrfToken, currentPath: context.currentPath, level: level,
                                    lastCodeEnded: status.lastCodeEnded, problem: problem)
        if status.level != nil {
            model.levelMethod = profile.evidence.method
            model.levelReachedAt = profile.evidence.reachedAt
        }
        if let code = status.code {
            model.liveCode = ActivationLiveCode(byLetter: code.channel == .letter, expiresAt: code.expiresAt, attemptsLeft: code.attemptsLeft)
        }
        // A cancelled order is history the citizen chose; the page shows only letters still in play or returned.
        if let letter = status.letter, let state = ActivationLetterState(rawValue: letter.state.rawValue) {
            model.letter = ActivationLetter(state: state, requestedAt: letter.requestedAt, trackingNumber: letter.trackingNumber,
                                            codeExpiresAt: letter.codeExpiresAt)
        }
        return model
    }

    /// The page's wording for an activation error; nil for errors that are not about the citizen's request.
    static func problem(_ error: ActivationError) -> ActivationProblem? {
        switch error.code {
        case .malformedCode: .malformedCode
        case .wrongCode(let left): .wrongCode(attemptsLeft: left)
        case .expiredCode: .expiredCode
        case .codeExhausted: .codeExhausted
        case .noActiveCode: .noActiveCode
        case .throttled(let seconds): .throttled(retryAfterSeconds: seconds)
        case .levelNotStandard: .notStandard
        case .letterLimit(let seconds): .letterLimit(retryAfterSeconds: seconds)
        case .notFound, .invalidTransition, .invalidTrackingNumber, .exportInProgress, .exportFailed: nil
        }
    }
}
