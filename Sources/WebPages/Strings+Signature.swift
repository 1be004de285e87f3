/// The text of the e-signature login (citizens' and staff pages) and of completing an account made from a
/// certificate. Same rule as the other catalogs: a `(ru:, en:)` pair per key in one `switch`.
public enum SignatureText: String, CaseIterable, Sendable {
    // The login pages' section
    case sectionTitle, sectionText, staffSectionText, startButton
    // The challenge page
    case challengeTitle, challengeLead, validUntil, downloadLink, challengeTextLabel, howToSign, withOpenESIA, withOpenSSL,
         gostNote, withOtherTools, fileLabel, fileHint, uploadButton, newChallengeButton, passwordLoginLink
    // Problems with a submission
    case problemTitle, problemEmpty, problemMalformed, problemSignatureInvalid, problemUnsupportedAlgorithm, problemUntrusted,
         problemNoSNILS, problemChallengeExpired, problemChallengeUsed, problemChallengeUnknown, problemChallengeForeign,
         problemThrottled, problemOfferExpired, problemSNILSNotVerified, problemNoStaff, problemStaffDisabled, problemNameInvalid,
         problemDuplicate, problemOther
    // Why a certificate is not trusted (the trust store's failure codes)
    case trustUnknownIssuer, trustIssuerNotAccredited, trustCANotAccredited, trustCAAccreditationEnded, trustCATerminated,
         trustExpired, trustNotYetValid, trustRevoked, trustCRLMissing, trustCRLStale, trustBadSignature, trustNotACA,
         trustWrongKeyUsage, trustMalformed, trustOther
    // Registering with a certificate
    case registerTitle, registerLead, certificateHolder, certificateSNILS, certificateINN, certificateIssuer, certificateValidUntil,
         registerButton, registerNotice
    // Completing the account
    case completeTitle, completeLead, missingContact, missingPassword, missingPassport, missingPassportAfterDetails, missingDetails
    // Setting the first password
    case setPasswordTitle, setPasswordLead, setPasswordButton, setPasswordLink, reauthenticateTitle, reauthenticateText
    // Birth date and gender
    case detailsTitle, detailsLead, detailsButton
}

extension Strings {
    /// The text for a signature-login key: `s[signature: .challengeTitle]`.
    public subscript(signature key: SignatureText) -> String { Self.pick(Self.signaturePair(key), language) }

    /// The sentence for a trust failure code (`TrustFailure.code`: "revoked", "ca_not_accredited", …); an unknown code
    /// gets a general sentence, never the code itself.
    public static func trustFailure(_ code: String, _ language: Language) -> String {
        let key: SignatureText = switch code {
        case "unknown_issuer": .trustUnknownIssuer
        case "issuer_not_accredited": .trustIssuerNotAccredited
        case "ca_not_accredited": .trustCANotAccredited
        case "ca_accreditation_ended": .trustCAAccreditationEnded
        case "ca_terminated": .trustCATerminated
        case "expired": .trustExpired
        case "not_yet_valid": .trustNotYetValid
        case "revoked": .trustRevoked
        case "crl_missing": .trustCRLMissing
        case "crl_stale": .trustCRLStale
        case "bad_signature": .trustBadSignature
        case "not_a_ca": .trustNotACA
        case "wrong_key_usage": .trustWrongKeyUsage
        case "malformed": .trustMalformed
        default: .trustOther
        }
        return pick(signaturePair(key), language)
    }

    /// The sentence for a problem code (`SignatureProblem.code`); an unknown code gets a general sentence.
    public static func signatureProblem(_ code: String, _ language: Language) -> String {
        let key: SignatureText = switch code {
        case "empty": .problemEmpty
        case "malformed": .problemMalformed
        case "signatureInvalid": .problemSignatureInvalid
        case "unsupportedAlgorithm": .problemUnsupportedAlgorithm
        case "untrusted": .problemUntrusted
        case "noSNILS": .problemNoSNILS
        case "challengeExpired": .problemChallengeExpired
        case "challengeUsed": .problemChallengeUsed
        case "challengeUnknown": .problemChallengeUnknown
        case "challengeForeign": .problemChallengeForeign
        case "throttled": .problemThrottled
        case "offerExpired": .problemOfferExpired
        case "snilsNotVerified": .problemSNILSNotVerified
        case "noStaff": .problemNoStaff
        case "staffDisabled": .problemStaffDisabled
        case "nameInvalid": .problemNameInvalid
        case "duplicate": .problemDuplicate
        default: .problemOther
        }
        return pick(signaturePair(key), language)
    }

    static func signaturePair(_ key: SignatureText) -> (ru: String, en: String) {
        switch key {
        case .sectionTitle: ("Вход по электронной подписи", "Sign in with an e-signature")
        case .sectionText: ("Если у вас есть квалифицированный сертификат электронной подписи с вашим СНИЛС, войдите, подписав "
                            + "одноразовый запрос. Учётной записи ещё нет — её можно создать по сертификату.",
                            "If you hold a qualified e-signature certificate with your SNILS, sign in by signing a one-time "
                            + "challenge. No account yet? You can create one from the certificate.")
        case .staffSectionText: ("Сотрудник, чей СНИЛС внесён в учётную запись, может войти, подписав одноразовый запрос "
                                 + "квалифицированной подписью; код из приложения не нужен.",
                                 "Staff whose SNILS is on record may sign in by signing a one-time challenge with their qualified "
                                 + "signature; no authenticator code is needed.")
        case .startButton: ("Войти по электронной подписи", "Sign in with an e-signature")

        case .challengeTitle: ("Подпишите запрос", "Sign the challenge")
        case .challengeLead: ("Скачайте файл запроса, подпишите его открепленной подписью (CMS) и загрузите файл подписи. "
                              + "Запрос действует один раз.",
                              "Download the challenge file, sign it with a detached (CMS) signature and upload the signature file. "
                              + "A challenge works once.")
        case .validUntil: ("Действует до", "Valid until")
        case .downloadLink: ("Скачать файл запроса challenge.txt", "Download the challenge file challenge.txt")
        case .challengeTextLabel: ("Текст запроса", "The challenge text")
        case .howToSign: ("Как подписать", "How to sign")
        case .withOpenESIA: ("Программой openesia:", "With openesia:")
        case .withOpenSSL: ("Программой openssl:", "With openssl:")
        case .gostNote: ("Для ключей ГОСТ добавьте к команде openssl: -engine gost -md md_gost12_256.",
                         "For GOST keys add to the openssl command: -engine gost -md md_gost12_256.")
        case .withOtherTools: ("КриптоПро и другие программы: создайте открепленную подпись скачанного файла, не изменяя его.",
                               "CryptoPro and other tools: make a detached signature of the downloaded file, unchanged.")
        case .fileLabel: ("Файл подписи", "Signature file")
        case .fileHint: ("Открепленная подпись CMS: DER (.sig, .p7s), PEM или base64.",
                         "A detached CMS signature: DER (.sig, .p7s), PEM or base64.")
        case .uploadButton: ("Проверить подпись и войти", "Check the signature and sign in")
        case .newChallengeButton: ("Получить новый запрос", "Get a new challenge")
        case .passwordLoginLink: ("Войти по паролю", "Log in with a password")

        case .problemTitle: ("Войти не удалось", "Sign-in failed")
        case .problemEmpty: ("Выберите файл подписи.", "Choose the signature file.")
        case .problemMalformed: ("Файл не является подписью CMS (PKCS#7) в формате DER, PEM или base64.",
                                 "The file is not a CMS (PKCS#7) signature in DER, PEM or base64.")
        case .problemSignatureInvalid: ("Подпись не соответствует запросу: подписан другой файл, файл был изменён, "
                                        + "или в подписи нет сертификата подписавшего. Подпишите новый запрос.",
                                        "The signature does not match the challenge: another file was signed, the file was changed, "
                                        + "or the signer's certificate is not in the signature. Sign a new challenge.")
        case .problemUnsupportedAlgorithm: ("Подпись сделана алгоритмом, который не принимается (например, SHA-1).",
                                            "The signature uses an algorithm that is not accepted (SHA-1, for example).")
        case .problemUntrusted: ("Сертификат подписи не признан квалифицированным:", "The signing certificate is not trusted:")
        case .problemNoSNILS: ("В сертификате нет верного СНИЛС: войти по нему нельзя.",
                               "The certificate holds no valid SNILS, so it cannot be used to sign in.")
        case .problemChallengeExpired: ("Срок действия запроса истёк. Подпишите новый запрос.",
                                        "The challenge has expired. Sign a new one.")
        case .problemChallengeUsed: ("Этот запрос уже использован. Подпишите новый запрос.",
                                     "This challenge was used already. Sign a new one.")
        case .problemChallengeUnknown: ("Такого запроса нет. Подпишите новый запрос.", "There is no such challenge. Sign a new one.")
        case .problemChallengeForeign: ("Запрос выдан другому браузеру или для другого входа. Подпишите новый запрос.",
                                        "The challenge was issued to another browser or for another login. Sign a new one.")
        case .problemThrottled: ("Слишком много запросов с вашего адреса. Подождите минуту и попробуйте снова.",
                                 "Too many challenges from your address. Wait a minute and try again.")
        case .problemOfferExpired: ("Время на регистрацию по сертификату вышло. Войдите по подписи ещё раз.",
                                    "The time to register with the certificate is over. Sign in with the signature again.")
        case .problemSNILSNotVerified: ("Учётная запись с этим СНИЛС есть, но СНИЛС в ней ещё не проверен. Войдите по паролю "
                                        + "или обратитесь в центр обслуживания.",
                                        "An account holds this SNILS, but it has not been verified there. Log in with the password "
                                        + "or visit a service centre.")
        case .problemNoStaff: ("Нет учётной записи сотрудника с СНИЛС из этого сертификата.",
                               "No staff account has this certificate's SNILS on record.")
        case .problemStaffDisabled: ("Учётная запись сотрудника отключена.", "This staff account is disabled.")
        case .problemNameInvalid: ("Фамилию и имя в сертификате не удалось принять. Зарегистрируйтесь обычным способом.",
                                   "The surname and given name in the certificate could not be accepted. Register the usual way.")
        case .problemDuplicate: ("Учётная запись с этим СНИЛС уже есть. Войдите по подписи ещё раз.",
                                 "An account with this SNILS exists already. Sign in with the signature again.")
        case .problemOther: ("Подпись не удалось проверить. Подпишите новый запрос.", "The signature could not be checked. Sign a new challenge.")

        case .trustUnknownIssuer: ("сертификат выдан неизвестным удостоверяющим центром",
                                   "the certificate does not chain to a head CA root")
        case .trustIssuerNotAccredited: ("удостоверяющий центр, выдавший сертификат, не аккредитован",
                                         "the issuing CA is not accredited")
        case .trustCANotAccredited: ("удостоверяющий центр не был аккредитован на момент выдачи сертификата",
                                     "issuing CA not accredited at issue time")
        case .trustCAAccreditationEnded: ("аккредитация удостоверяющего центра приостановлена или закончилась",
                                          "the issuing CA's accreditation is suspended or has ended")
        case .trustCATerminated: ("аккредитация удостоверяющего центра прекращена", "the issuing CA's accreditation was terminated")
        case .trustExpired: ("срок действия сертификата истёк", "certificate expired")
        case .trustNotYetValid: ("срок действия сертификата ещё не начался", "certificate not valid yet")
        case .trustRevoked: ("сертификат отозван", "certificate revoked")
        case .trustCRLMissing: ("нет списка отозванных сертификатов для проверки", "no revocation list to check against")
        case .trustCRLStale: ("список отозванных сертификатов устарел", "the revocation list is out of date")
        case .trustBadSignature: ("подпись в цепочке сертификатов не сходится", "a signature in the certificate chain does not verify")
        case .trustNotACA: ("сертификат издателя не является сертификатом УЦ", "an issuing certificate is not a CA certificate")
        case .trustWrongKeyUsage: ("сертификат не предназначен для подписи", "the certificate is not for signing")
        case .trustMalformed: ("сертификат повреждён", "the certificate is malformed")
        case .trustOther: ("сертификат не прошёл проверку", "the certificate did not pass the check")

        case .registerTitle: ("Учётной записи с этим СНИЛС нет", "No account has this SNILS")
        case .registerLead: ("Подпись проверена. Вы можете зарегистрироваться по этому сертификату: учётная запись будет создана "
                             + "из его данных и сразу станет подтверждённой.",
                             "The signature checked out. You can register with this certificate: the account is made from its "
                             + "data and is confirmed at once.")
        case .certificateHolder: ("Владелец сертификата", "Certificate holder")
        case .certificateSNILS: ("СНИЛС", "SNILS")
        case .certificateINN: ("ИНН", "INN")
        case .certificateIssuer: ("Издатель", "Issued by")
        case .certificateValidUntil: ("Действует до", "Valid until")
        case .registerButton: ("Зарегистрироваться по сертификату", "Register with this certificate")
        case .registerNotice: ("После регистрации добавьте телефон или электронную почту, пароль и паспорт.",
                               "After registering, add a phone or e-mail, a password and your passport.")

        case .completeTitle: ("Дополните учётную запись", "Complete your account")
        case .completeLead: ("Учётная запись создана по сертификату. Чтобы пользоваться ей полностью, добавьте:",
                             "Your account was made from a certificate. To use it fully, add:")
        case .missingContact: ("телефон или электронную почту", "a phone or e-mail")
        case .missingPassword: ("пароль (чтобы входить без подписи)", "a password (to log in without the signature)")
        case .missingPassport: ("паспорт и адрес", "your passport and address")
        case .missingPassportAfterDetails: ("паспорт и адрес — после даты рождения", "your passport and address — after the date of birth")
        case .missingDetails: ("дату рождения и пол", "your date of birth and gender")

        case .setPasswordTitle: ("Задайте пароль", "Set a password")
        case .setPasswordLead: ("Пароль можно задать в течение 10 минут после входа по электронной подписи.",
                                "You can set a password within 10 minutes of signing in with your e-signature.")
        case .setPasswordButton: ("Задать пароль", "Set the password")
        case .setPasswordLink: ("Задать пароль", "Set a password")
        case .reauthenticateTitle: ("Нужно войти по подписи ещё раз", "Sign in with your signature again")
        case .reauthenticateText: ("Пароль задаётся только вскоре после входа по электронной подписи. Выйдите и войдите по подписи снова.",
                                   "A password can only be set shortly after signing in with the e-signature. Log out and sign in "
                                   + "with the signature again.")

        case .detailsTitle: ("Дата рождения и пол", "Date of birth and gender")
        case .detailsLead: ("В сертификате их нет. Укажите их как в паспорте; изменить их потом можно только в центре обслуживания.",
                            "The certificate does not hold them. Enter them as in your passport; later only a service centre "
                            + "can change them.")
        case .detailsButton: ("Сохранить", "Save")
        }
    }
}
