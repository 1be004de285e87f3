import Foundation
import Support

/// JSON Web Tokens (RFC 7519): claims signed as a JWS.
public enum JWT {
    /// Signs `claims` as a JWT; the header gets `typ: "JWT"` unless `extraHeader` sets another (`at+jwt`, RFC 9068).
    public static func sign(claims: [String: JSONValue], with signer: JWSSigner,
                            extraHeader: [String: JSONValue] = [:]) throws(JWSError) -> String {
        var header = extraHeader
        if header["typ"] == nil { header["typ"] = "JWT" }
        return try signer.sign(payload: JSONValue.object(claims).encoded(), extraHeader: header)
    }

    /// The claims of a JWS whose signature has been checked; throws `.malformedClaims` unless the payload is one JSON
    /// object without duplicate member names (RFC 7519 §7.2).
    public static func claims(of jws: ParsedJWS) throws(JWTError) -> JWTClaims {
        let value: JSONValue
        do { value = try JSONValue.parse(jws.payload) } catch { throw JWTError(.malformedClaims, claim: nil, message: error.description) }
        guard let object = value.objectValue else { throw JWTError(.malformedClaims, claim: nil, message: "the payload is not a JSON object") }
        return JWTClaims(object)
    }
}

/// A JWT's claims set, with typed access to the registered claims (RFC 7519 §4.1) and their validation.
public struct JWTClaims: Sendable, Equatable {
    /// Every claim.
    public let values: [String: JSONValue]

    /// Wraps a claims object.
    public init(_ values: [String: JSONValue]) {
        self.values = values
    }

    /// A claim's value, if present.
    public subscript(name: String) -> JSONValue? { values[name] }

    /// `iss`; throws `.invalidClaim` when it is not a string.
    public func issuer() throws(JWTError) -> String? { try string("iss") }
    /// `sub`; throws `.invalidClaim` when it is not a string.
    public func subject() throws(JWTError) -> String? { try string("sub") }

    /// `aud` as a list: a single string or an array of strings (RFC 7519 §4.1.3); empty when absent.
    public func audiences() throws(JWTError) -> [String] {
        switch values["aud"] {
        case nil: return []
        case .string(let one)?: return [one]
        case .array(let many)?:
            let strings = many.compactMap(\.stringValue)
            guard strings.count == many.count else { throw JWTError(.invalidClaim, claim: "aud", message: "aud holds a non-string") }
            return strings
        default: throw JWTError(.invalidClaim, claim: "aud", message: "aud is neither a string nor an array")
        }
    }

    /// `exp` as a time; throws `.invalidClaim` when it is not a NumericDate.
    public func expiresAt() throws(JWTError) -> Date? { try date("exp") }
    /// `nbf` as a time.
    public func notBefore() throws(JWTError) -> Date? { try date("nbf") }
    /// `iat` as a time.
    public func issuedAt() throws(JWTError) -> Date? { try date("iat") }

    /// A string claim; nil when absent, `.invalidClaim` when of another type.
    public func string(_ name: String) throws(JWTError) -> String? {
        guard let value = values[name] else { return nil }
        guard let text = value.stringValue else { throw JWTError(.invalidClaim, claim: name, message: "\(name) is not a string") }
        return text
    }

    /// A NumericDate claim (seconds since 1970, integer or not; RFC 7519 §2); nil when absent.
    public func date(_ name: String) throws(JWTError) -> Date? {
        guard let value = values[name] else { return nil }
        guard let seconds = value.doubleValue, seconds.isFinite else {
            throw JWTError(.invalidClaim, claim: name, message: "\(name) is not a NumericDate")
        }
        return Date(timeIntervalSince1970: seconds)
    }

    /// Checks the registered claims against `rules` at `now`; throws the first failure.
    ///
    /// - `exp` must be present (unless `rules.requireExpiration` is false) and `now` before it plus the leeway (§4.1.4);
    /// - `nbf`, if present, at most the leeway after `now` (§4.1.5); `iat`, if present, not after `now` plus the leeway;
    /// - `iss` equal to `rules.issuer` when set (§4.1.1); `aud` containing `rules.audience` when set (§4.1.3).
    public func validate(_ rules: JWTValidationRules, now: Date) throws(JWTError) {
        let leeway = rules.leeway
        if let expiry = try expiresAt() {
            guard now.timeIntervalSince(expiry) < leeway else { throw JWTError(.expired, claim: "exp", message: "the token has expired") }
        } else if rules.requireExpiration {
            throw JWTError(.missingClaim, claim: "exp", message: "the token has no exp")
        }
        if let notBefore = try notBefore(), notBefore.timeIntervalSince(now) > leeway {
            throw JWTError(.notYetValid, claim: "nbf", message: "the token is not valid yet")
        }
        if let issued = try issuedAt(), issued.timeIntervalSince(now) > leeway {
            throw JWTError(.issuedInFuture, claim: "iat", message: "the token was issued in the future")
        }
        if let expected = rules.issuer {
            guard let issuer = try issuer() else { throw JWTError(.missingClaim, claim: "iss", message: "the token has no iss") }
            guard issuer == expected else { throw JWTError(.wrongIssuer, claim: "iss", message: "the token's iss is not the expected issuer") }
        }
        if let expected = rules.audience {
            let audiences = try audiences()
            guard !audiences.isEmpty else { throw JWTError(.missingClaim, claim: "aud", message: "the token has no aud") }
            guard audiences.contains(expected) else { throw JWTError(.wrongAudience, claim: "aud", message: "the token is not for this audience") }
        }
    }
}

/// What `JWTClaims.validate` checks.
public struct JWTValidationRules: Sendable, Equatable {
    /// The required `iss`; nil skips the check.
    public var issuer: String?
    /// A value `aud` must contain; nil skips the check.
    public var audience: String?
    /// Seconds of clock skew tolerated on `exp`, `nbf` and `iat`. Default 60.
    public var leeway: TimeInterval
    /// Whether a token without `exp` is refused. Default true.
    public var requireExpiration: Bool

    /// Rules with the given values.
    public init(issuer: String? = nil, audience: String? = nil, leeway: TimeInterval = 60, requireExpiration: Bool = true) {
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.requireExpiration = requireExpiration
    }
}

/// Why a JWT's claims were refused.
public struct JWTError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable {
        /// The payload is not one JSON object.
        case malformedClaims
        /// A required claim is absent.
        case missingClaim
        /// A claim has the wrong type.
        case invalidClaim
        /// `exp` has passed.
        case expired
        /// `nbf` has not come yet.
        case notYetValid
        /// `iat` lies in the future.
        case issuedInFuture
        /// `iss` is not the expected issuer.
        case wrongIssuer
        /// `aud` does not contain the expected audience.
        case wrongAudience
    }

    /// The kind of failure.
    public let code: Code
    /// The claim concerned, if one.
    public let claim: String?
    /// What went wrong, for logs; never holds claim values.
    public let message: String

    /// Makes an error.
    public init(_ code: Code, claim: String?, message: String) {
        self.code = code
        self.claim = claim
        self.message = message
    }

    /// Equality compares the code and claim.
    public static func == (a: JWTError, b: JWTError) -> Bool { a.code == b.code && a.claim == b.claim }

    /// The code and message.
    public var description: String { "\(code.rawValue): \(message)" }
}
