extension PagePath {
    /// Issues an e-signature login challenge for this browser; POST only, answers 303 to the challenge page.
    public static let signatureLogin = "/login/signature"
    /// Takes the "register with this certificate" offer; POST only.
    public static let signatureRegister = "/login/signature/register"
    /// Sets the first password of an account made from a certificate (no current password; a fresh signature session).
    public static let setPassword = "/account/password/set"
    /// Adds the birth date and gender an account made from a certificate lacks.
    public static let personalDetails = "/account/details"
    /// Issues a staff login challenge; POST only.
    public static let staffSignatureLogin = "/staff/login/signature"

    /// The challenge page (GET) and where its signature is uploaded (POST).
    public static func signatureChallenge(_ id: String) -> String { signatureLogin + "/" + id }
    /// The challenge text as a file download.
    public static func signatureChallengeFile(_ id: String) -> String { signatureChallenge(id) + "/challenge.txt" }
    /// The staff console's challenge page and upload.
    public static func staffSignatureChallenge(_ id: String) -> String { staffSignatureLogin + "/" + id }
    /// The staff challenge text as a file download.
    public static func staffSignatureChallengeFile(_ id: String) -> String { staffSignatureChallenge(id) + "/challenge.txt" }
}
