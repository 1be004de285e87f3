// TEMPORARY stub: the real SelfSignedCertificate.swift is being written on another branch; delete this file when it lands.

/// Makes self-signed certificates (stub until the real one is merged).
public enum SelfSignedCertificate {
    /// A TLS server key and self-signed certificate for the given names and addresses; the stub always throws.
    public static func makeTLS(hostnames: [String], ipAddresses: [String], validDays: Int) throws -> (certificatePEM: String, privateKeyPEM: String) {
        throw PlaceholderError(message: "not available yet")
    }
}

/// The stub's error.
public struct PlaceholderError: Error, CustomStringConvertible {
    /// What is missing.
    public let message: String
    /// The message.
    public var description: String { message }
}
