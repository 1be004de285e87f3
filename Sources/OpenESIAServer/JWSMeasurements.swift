import Crypto
import Federation
import Foundation
import Support

/// In-process JWS speed, one thread, for comparing with SWIFT-NOTES.md's figures (`openesia dev measure-jws`).
extension FederationKeyCommands {
    /// Signatures and verifications per second for one algorithm.
    public struct JWSMeasurement: Sendable {
        public var algorithm: JWSAlgorithm
        public var signaturesPerSecond: Double
        public var verificationsPerSecond: Double

        /// One JSON line.
        public var json: String {
            "{\"alg\":\"\(algorithm.rawValue)\",\"sign_per_second\":\(Int(signaturesPerSecond)),"
                + "\"verify_per_second\":\(Int(verificationsPerSecond))}"
        }
    }

    /// A verification failed while measuring: a bug, never a slow machine.
    public struct JWSMeasurementFailure: Error, Sendable {}

    /// Signs a small ID-token-sized payload with a fresh key of each algorithm for about `seconds`, then verifies it as long.
    public static func measureJWS(seconds: Double) throws -> [JWSMeasurement] {
        let payload = Array(#"{"aud":"portal","exp":1800000600,"iat":1800000000,"iss":"https://esia.example","sub":"1000328686"}"#.utf8)
        return try SigningKeyStore.algorithms.map { algorithm in
            let key = switch algorithm {
            case .es256: try PrivateKey.generateP256()
            case .rs256: try PrivateKey.generateRSA(bits: 2048)
            case .gost3410_2012_256: try PrivateKey.generateGOST2012(bits: 256)
            }
            let signer = try JWSSigner(key: key, algorithm: algorithm, keyID: "measure")
            let verifier = try JWSVerifier(key: try PublicKey(key), algorithm: algorithm)
            var token = ""
            let signRate = try rate(seconds) { token = try signer.sign(payload: payload, extraHeader: ["typ": "JWT"]) }
            let verifyRate = try rate(seconds) {
                guard (try? verifier.verify(token)) != nil else { throw JWSMeasurementFailure() }
            }
            return JWSMeasurement(algorithm: algorithm, signaturesPerSecond: signRate, verificationsPerSecond: verifyRate)
        }
    }

    /// Operations per second of `body`, run in rounds of 20 until `seconds` have passed.
    private static func rate(_ seconds: Double, _ body: () throws -> Void) throws -> Double {
        let start = MonotonicTime.nanoseconds()
        let deadline = start + UInt64(seconds * 1e9)
        var count = 0
        repeat {
            for _ in 0..<20 { try body() }
            count += 20
        } while MonotonicTime.nanoseconds() < deadline
        return Double(count) / (Double(MonotonicTime.nanoseconds() - start) / 1e9)
    }
}
