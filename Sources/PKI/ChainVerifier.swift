import COpenSSL
import Crypto
import Foundation

/// Verifies certificate chains with OpenSSL's X509_verify_cert against fixed trust anchors,
/// intermediates and CRLs; safe to share between threads (the store is not changed after init).
public struct ChainVerifier: Sendable {
    private let store: Store?
    private let intermediates: [Certificate]
    private let crls: [CRL]
    private let revocation: RevocationPolicy
    private let checkedCRLs: [CheckedCRL]

    /// A verifier trusting `trustAnchors`, building paths through `intermediates`, checking `crls`
    /// according to `revocation`. Loads the GOST engine when it is installed (GOST chains need it).
    public init(trustAnchors: [Certificate], intermediates: [Certificate] = [], crls: [CRL] = [],
                revocation: RevocationPolicy = .require)
    {
        try? GOSTEngine.load()  // RSA and ECDSA chains work without it; GOST ones then fail with a reason.
        self.store = Store(trustAnchors: trustAnchors, crls: crls)
        self.intermediates = intermediates
        self.crls = crls
        self.revocation = revocation
        checkedCRLs = revocation == .off ? [] : CheckedCRL.check(crls, issuers: trustAnchors + intermediates)
    }

    /// Verifies at `time` (the server's clock, never a time from inside a signature) with
    /// X509_STORE/X509_verify_cert and X509_VERIFY_PARAM_set_time; requires the leaf's keyUsage to
    /// include digitalSignature or nonRepudiation unless `requireSigningKeyUsage` is false. From
    /// `gost2001Cutoff` on, a GOST R 34.10-2001 key or signature in the chain adds `algorithmNotAllowed`.
    /// `extraIntermediates` (e.g. certificates sent with a signature) are tried after the verifier's own.
    public func verify(_ leaf: Certificate, extraIntermediates: [Certificate] = [], at time: Date,
                       requireSigningKeyUsage: Bool = true) -> VerificationResult {
        guard let store else { return VerificationResult(isTrusted: false, failures: [.other("X509_STORE_new failed")], chain: []) }
        OpenSSLError.clearQueue()
        defer { OpenSSLError.clearQueue() }
        guard let context = X509_STORE_CTX_new() else {
            return VerificationResult(isTrusted: false, failures: [.other("X509_STORE_CTX_new failed")], chain: [])
        }
        defer { X509_STORE_CTX_free(context) }
        guard let untrusted = shim_sk_X509_new_null() else {
            return VerificationResult(isTrusted: false, failures: [.other("sk_X509_new_null failed")], chain: [])
        }
        defer { shim_sk_X509_free(untrusted) }  // the stack only; the certificates belong to `intermediates`
        for certificate in intermediates { _ = shim_sk_X509_push(untrusted, certificate.pointer) }
        for certificate in extraIntermediates { _ = shim_sk_X509_push(untrusted, certificate.pointer) }

        let collector = Collector(policy: revocation, checkedCRLs: checkedCRLs)
        let ok: Int32 = withExtendedLifetime((collector, leaf, intermediates, extraIntermediates)) {
            guard X509_STORE_CTX_init(context, store.pointer, leaf.pointer, untrusted) == 1 else { return -1 }
            let parameters = X509_STORE_CTX_get0_param(context)
            X509_VERIFY_PARAM_set_time(parameters, time_t(time.timeIntervalSince1970.rounded(.down)))
            // Purpose "any": OpenSSL's SSL/S-MIME purpose checks are not what qualifies a signing certificate.
            _ = X509_VERIFY_PARAM_set_purpose(parameters, X509_PURPOSE_ANY)
            if revocation != .off {
                _ = X509_VERIFY_PARAM_set_flags(parameters, UInt(X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL))
            }
            _ = shim_X509_STORE_CTX_set_app_data(context, Unmanaged.passUnretained(collector).toOpaque())
            X509_STORE_CTX_set_verify_cb(context, verifyCallback)
            return X509_verify_cert(context)
        }
        if ok < 0 {
            return VerificationResult(isTrusted: false, failures: [.other(OpenSSLError.drain("X509_verify_cert").description)], chain: [])
        }

        var failures = collector.failures
        if ok != 1 && failures.isEmpty {
            // A failure the callback did not see (OpenSSL stops without calling it for some internal errors).
            failures.append(Self.failure(code: X509_STORE_CTX_get_error(context), context: context))
        }
        if requireSigningKeyUsage && !Self.hasSigningKeyUsage(leaf) && !failures.contains(.wrongKeyUsage) {
            failures.append(.wrongKeyUsage)
        }
        let chain = Self.builtChain(context)
        if time >= Self.gost2001Cutoff && (chain.isEmpty ? [leaf] : chain).contains(where: Self.usesGOST2001) {
            failures.append(.algorithmNotAllowed("GOST R 34.10-2001 (not accepted from 2019-01-01, Moscow time)"))
        }
        return VerificationResult(isTrusted: ok == 1 && failures.isEmpty, failures: failures, chain: chain)
    }

    /// 2019-01-01T00:00:00+03:00: from then on a chain with a GOST R 34.10-2001 key or signature anywhere in it
    /// (leaf, CA or trust anchor) is not trusted; before it such chains verify as any other.
    public static let gost2001Cutoff = Date(timeIntervalSince1970: 1_546_290_000)

    private static func usesGOST2001(_ certificate: Certificate) -> Bool {
        certificate.keyFamily == .gost2001 || certificate.signatureFamily == .gost2001
    }

    /// digitalSignature or nonRepudiation; a certificate without the keyUsage extension fails, since
    /// qualified certificates must carry it.
    private static func hasSigningKeyUsage(_ certificate: Certificate) -> Bool {
        guard X509_get_extension_flags(certificate.pointer) & UInt32(EXFLAG_KUSAGE) != 0 else { return false }
        return X509_get_key_usage(certificate.pointer) & UInt32(KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION) != 0
    }

    private static func builtChain(_ context: OpaquePointer) -> [Certificate] {
        guard let stack = X509_STORE_CTX_get0_chain(context) else { return [] }
        return (0..<shim_sk_X509_num(stack)).compactMap { index in
            guard let x509 = shim_sk_X509_value(stack, index) else { return nil }
            X509_up_ref(x509)
            return Certificate(taking: x509)
        }
    }

    /// The Failure for an X509_V_ERR_* code; CERT_REVOKED is looked up in the CRL OpenSSL was checking.
    fileprivate static func failure(code: Int32, context: OpaquePointer) -> VerificationResult.Failure {
        switch code {
        case X509_V_ERR_CERT_HAS_EXPIRED: return .expired
        case X509_V_ERR_CERT_NOT_YET_VALID: return .notYetValid
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
             X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT,
             X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, X509_V_ERR_CERT_UNTRUSTED:
            return .unknownIssuer
        case X509_V_ERR_CERT_SIGNATURE_FAILURE, X509_V_ERR_CRL_SIGNATURE_FAILURE,
             X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE, X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
            return .badSignature
        case X509_V_ERR_CERT_REVOKED:
            return revokedFailure(context)
        case X509_V_ERR_UNABLE_TO_GET_CRL, X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
            return .crlMissing
        case X509_V_ERR_CRL_HAS_EXPIRED, X509_V_ERR_CRL_NOT_YET_VALID:
            return .crlStale
        case X509_V_ERR_INVALID_CA, X509_V_ERR_PATH_LENGTH_EXCEEDED:
            return .notACA
        case X509_V_ERR_KEYUSAGE_NO_CERTSIGN, X509_V_ERR_KEYUSAGE_NO_CRL_SIGN,
             X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE, X509_V_ERR_INVALID_PURPOSE:
            return .wrongKeyUsage
        case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD, X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD,
             X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD, X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD,
             X509_V_ERR_INVALID_EXTENSION, X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION,
             X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION:
            return .malformed(String(cString: X509_verify_cert_error_string(Int(code))))
        default:
            return .other(String(cString: X509_verify_cert_error_string(Int(code))))
        }
    }

    private static func revokedFailure(_ context: OpaquePointer) -> VerificationResult.Failure {
        guard let crl = X509_STORE_CTX_get0_current_crl(context), let certificate = X509_STORE_CTX_get_current_cert(context) else {
            return .revoked(at: nil, reason: nil)
        }
        var entry: OpaquePointer? = nil
        guard X509_CRL_get0_by_cert(crl, &entry, certificate) == 1, let entry else { return .revoked(at: nil, reason: nil) }
        let found = CRL.describe(entry)
        return .revoked(at: found.date, reason: found.reason)
    }
}

/// Collects failures during one X509_verify_cert call (reached through the context's app data).
private final class Collector {
    let policy: RevocationPolicy
    let checkedCRLs: [CheckedCRL]
    var failures: [VerificationResult.Failure] = []
    init(policy: RevocationPolicy, checkedCRLs: [CheckedCRL]) {
        self.policy = policy
        self.checkedCRLs = checkedCRLs
    }
}

/// A CRL whose signature verified with `issuer`'s key when the verifier was made.
private struct CheckedCRL: @unchecked Sendable {
    let crl: CRL
    let issuer: Certificate

    /// Every pairing of a CRL with a certificate named as its issuer whose key verifies it.
    static func check(_ crls: [CRL], issuers: [Certificate]) -> [CheckedCRL] {
        defer { OpenSSLError.clearQueue() }
        return crls.flatMap { crl in
            issuers.filter { issuer in
                X509_NAME_cmp(X509_get_subject_name(issuer.pointer), X509_CRL_get_issuer(crl.pointer)) == 0
                    && X509_get0_pubkey(issuer.pointer).map { X509_CRL_verify(crl.pointer, $0) == 1 } == true
            }.map { CheckedCRL(crl: crl, issuer: $0) }
        }
    }

    /// Whether `crl` was checked with `issuer` (the same certificate, compared by OpenSSL's cached hash).
    static func contains(_ checked: [CheckedCRL], crl: OpaquePointer, issuer: OpaquePointer) -> Bool {
        checked.contains { $0.crl.pointer == crl && ($0.issuer.pointer == issuer || X509_cmp($0.issuer.pointer, issuer) == 0) }
    }
}

/// Replaces OpenSSL's check_crl, which verifies the CRL's signature at every chain verification: over a CRL of
/// 100,000 entries (3.6 MiB) that was 2.6 ms per login. A signature checked when the verifier was made (the CRL is
/// immutable in memory) is not checked again; any other is checked here, as OpenSSL does. The other checks are
/// OpenSSL's for a full CRL: an issuer found, its cRLSign key usage, the validity period at the verification time.
/// Delta CRLs and CRLs with an issuing distribution point (partial scope, indirect CRLs) are refused as out of
/// scope: their rules need OpenSSL's scoring, which is not public, and the CAs this service trusts publish full CRLs.
/// Which CRL applies and whether the certificate is on it stays with OpenSSL (get_crl, cert_crl). OpenSSL's check of
/// the CRL issuer's own path is not needed: without X509_V_FLAG_EXTENDED_CRL_SUPPORT (never set here) the issuer it
/// finds is always a certificate of the chain being verified.
private let checkCRL: @convention(c) (OpaquePointer?, OpaquePointer?) -> Int32 = { context, crl in
    guard let context, let crl else { return 0 }
    /// Reports `code` through the verify callback; true when verification goes on.
    func report(_ code: Int32) -> Bool {
        X509_STORE_CTX_set_error(context, code)
        guard let callback = X509_STORE_CTX_get_verify_cb(context) else { return false }
        return callback(0, context) != 0
    }
    guard let issuer = X509_STORE_CTX_get0_current_issuer(context) else {
        return report(X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER) ? 1 : 0
    }
    if X509_CRL_get_ext_by_NID(crl, NID_issuing_distribution_point, -1) >= 0 || X509_CRL_get_ext_by_NID(crl, NID_delta_crl, -1) >= 0 {
        if !report(X509_V_ERR_DIFFERENT_CRL_SCOPE) { return 0 }
    }
    if X509_get_extension_flags(issuer) & UInt32(EXFLAG_KUSAGE) != 0 && X509_get_key_usage(issuer) & UInt32(KU_CRL_SIGN) == 0 {
        if !report(X509_V_ERR_KEYUSAGE_NO_CRL_SIGN) { return 0 }
    }
    // `verify` always sets the time; the current time otherwise, as OpenSSL does.
    let parameters = X509_STORE_CTX_get0_param(context)
    var time = X509_VERIFY_PARAM_get_flags(parameters) & UInt(X509_V_FLAG_USE_CHECK_TIME) != 0
        ? X509_VERIFY_PARAM_get_time(parameters) : time_t(Date().timeIntervalSince1970)
    switch X509_cmp_time(X509_CRL_get0_lastUpdate(crl), &time) {
    case 0: if !report(X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD) { return 0 }
    case 1...: if !report(X509_V_ERR_CRL_NOT_YET_VALID) { return 0 }
    default: break
    }
    if let nextUpdate = X509_CRL_get0_nextUpdate(crl) {
        switch X509_cmp_time(nextUpdate, &time) {
        case 0: if !report(X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD) { return 0 }
        case ..<0: if !report(X509_V_ERR_CRL_HAS_EXPIRED) { return 0 }
        default: break
        }
    }
    let checked = shim_X509_STORE_CTX_get_app_data(context)
        .map { Unmanaged<Collector>.fromOpaque($0).takeUnretainedValue().checkedCRLs } ?? []
    if !CheckedCRL.contains(checked, crl: crl, issuer: issuer) {
        guard let key = X509_get0_pubkey(issuer) else { return report(X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY) ? 1 : 0 }
        if X509_CRL_verify(crl, key) <= 0 && !report(X509_V_ERR_CRL_SIGNATURE_FAILURE) { return 0 }
    }
    return 1
}

/// Records each error; lets OpenSSL go on past missing or stale CRLs and validity periods, so one
/// result can say e.g. "expired and CRL missing", and stops at the rest (no chain, bad signature, revoked).
private let verifyCallback: @convention(c) (Int32, OpaquePointer?) -> Int32 = { ok, context in
    guard ok == 0, let context, let raw = shim_X509_STORE_CTX_get_app_data(context) else { return ok }
    let collector = Unmanaged<Collector>.fromOpaque(raw).takeUnretainedValue()
    let code = X509_STORE_CTX_get_error(context)
    if collector.policy == .ifAvailable && (code == X509_V_ERR_UNABLE_TO_GET_CRL || code == X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER) {
        return 1  // no CRL for this issuer: acceptable under ifAvailable
    }
    let failure = ChainVerifier.failure(code: code, context: context)
    if !collector.failures.contains(failure) { collector.failures.append(failure) }
    switch failure {
    case .crlMissing, .crlStale, .expired, .notYetValid: return 1
    default: return 0
    }
}

/// An X509_STORE holding the trust anchors and CRLs, built once and only read afterwards.
private final class Store: @unchecked Sendable {
    let pointer: OpaquePointer

    init?(trustAnchors: [Certificate], crls: [CRL]) {
        guard let store = X509_STORE_new() else { return nil }
        pointer = store
        // Both calls take their own reference; a duplicate is not an error in OpenSSL 3.
        for anchor in trustAnchors { _ = X509_STORE_add_cert(store, anchor.pointer) }
        for crl in crls { _ = X509_STORE_add_crl(store, crl.pointer) }
        X509_STORE_set_check_crl(store, checkCRL)
        OpenSSLError.clearQueue()
    }

    deinit { X509_STORE_free(pointer) }
}
