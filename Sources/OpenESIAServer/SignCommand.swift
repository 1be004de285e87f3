import Crypto
import Foundation
import PKI

/// What `openesia sign` signs, with what, and how.
public struct SignOptions: Sendable, Equatable {
    /// The signer's private key, PEM (PKCS#8 or traditional; not encrypted).
    public var keyFile: String
    /// The signer's certificate (PEM, DER or base64).
    public var certificateFile: String
    /// More certificates to embed (PEM file, several allowed), e.g. the issuing CA.
    public var chainFile: String?
    /// Embed the content (an attached signature); detached by default.
    public var attached = false
    /// Signed attributes (contentType, signingTime, messageDigest); `--no-attributes` turns them off.
    public var signedAttributes = true
    /// The file to sign, byte for byte.
    public var inputFile: String
    /// Where the DER goes; nil: standard output.
    public var outputFile: String?

    /// Options for signing `inputFile` with `keyFile`/`certificateFile`, detached, with signed attributes.
    public init(keyFile: String, certificateFile: String, inputFile: String) {
        self.keyFile = keyFile
        self.certificateFile = certificateFile
        self.inputFile = inputFile
    }
}

/// Why `openesia sign` signed nothing.
public struct SignCommandError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure it is; `openesia` turns it into an exit status.
    public enum Code: Sendable, Equatable {
        /// A file given does not exist (66).
        case notFound
        /// A file is not what it should be: an unreadable key or certificate, a key of another certificate (65).
        case invalidInput
        /// Reading or writing failed (74).
        case fileSystem
    }

    public let code: Code
    /// For a person to read.
    public let description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}

/// `openesia sign`: a CMS (PKCS#7) SignedData over a file, as a citizen's signing tool makes it for the e-signature login,
/// with `CMSSignature.sign` (SHA-256 for RSA and ECDSA keys, Streebog for GOST R 34.10-2012).
public enum SignCommand {
    /// Signs; returns the DER, or writes it to `options.outputFile` (mode 0644) and returns it.
    public static func run(_ options: SignOptions) throws(SignCommandError) -> [UInt8] {
        try? GOSTEngine.load()  // GOST keys and certificates need the engine; RSA and ECDSA do not
        let key: PrivateKey
        do {
            key = try PrivateKey(pem: String(decoding: try read(options.keyFile), as: UTF8.self))
        } catch let error as SignCommandError {
            throw error
        } catch {
            throw SignCommandError(.invalidInput, "\(options.keyFile) holds no readable unencrypted PEM private key (\(error))")
        }
        let certificate: Certificate
        do {
            certificate = try Certificate(bytes: try read(options.certificateFile))
        } catch let error as SignCommandError {
            throw error
        } catch {
            throw SignCommandError(.invalidInput, "\(options.certificateFile) holds no readable certificate (\(error))")
        }
        var chain: [Certificate] = []
        if let file = options.chainFile {
            _ = try read(file)  // not found and unreadable are reported as such
            do {
                chain = try Certificate.loadChain(pemFile: file)
            } catch {
                throw SignCommandError(.invalidInput, "\(file) holds no readable PEM certificate (\(error))")
            }
        }
        let content = try read(options.inputFile)
        let signature: [UInt8]
        do {
            signature = try CMSSignature.sign(content: content, certificate: certificate, key: key, chain: chain,
                                              detached: !options.attached, signedAttributes: options.signedAttributes)
        } catch {
            throw SignCommandError(.invalidInput, "cannot sign: \(error)")
        }
        if let output = options.outputFile {
            guard FileManager.default.createFile(atPath: output, contents: Data(signature)) else {
                throw SignCommandError(.fileSystem, "cannot write \(output)")
            }
        }
        return signature
    }

    private static func read(_ file: String) throws(SignCommandError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: file) else { throw SignCommandError(.notFound, "\(file) does not exist") }
        guard let data = FileManager.default.contents(atPath: file) else { throw SignCommandError(.fileSystem, "cannot read \(file)") }
        return [UInt8](data)
    }
}
