import Activation
import OpenESIAServer
import Crypto
import Foundation
import HeadCA
import Crypto

/// What the command line asks for, after parsing.
enum Command: Equatable {
    /// Run the server.
    case serve(configFile: String)
    /// Apply database migrations and exit.
    case migrate(configFile: String)
    /// Make a data folder.
    case initialize(InitOptions)
    /// Print the version.
    case version
    /// Print usage, for everything (nil) or for one command.
    case help(topic: String?)
    /// Print the configuration reference as Markdown.
    case configDocs
    /// Replace the reference registry with a CSV file.
    case registryImport(configFile: String, csvFile: String)
    /// Add a data key and re-encrypt documents under it.
    case rotateDataKey(configFile: String)
    /// Make new token-signing keys (all algorithms when the list is empty).
    case keysRotate(configFile: String, algorithms: [JWSAlgorithm])
    /// List the token-signing keys and their states.
    case keysList(configFile: String)
    /// Sign and verify JWSs with each algorithm for a while and report the rates (hidden; benchmarks).
    case devMeasureJWS(seconds: Double)
    /// Walk the audit chain.
    case auditVerify(configFile: String, anchor: String?)
    case auditHead(configFile: String)
    /// Create synthetic citizens (development and benchmarks).
    case devSeed(configFile: String, citizens: Int, password: String)
    /// Export the pending letter orders as one batch of files for the print house.
    case lettersExport(configFile: String, outputDirectory: String)
    /// Record a letter's dispatch, delivery or return.
    case lettersMark(configFile: String, letterID: Int64, state: LetterState, trackingNumber: String?)
    /// Order a letter for every citizen at the standard level (hidden; benchmarks).
    case devRequestLetters(configFile: String)
    /// Measure activation code checks per second (hidden; benchmarks).
    case devMeasureCodeChecks(configFile: String, seconds: Double, threads: Int)
    /// Create a staff account; the password comes from standard input.
    case staffAdd(configFile: String, StaffAddOptions)
    /// Register a portal.
    case portalAdd(configFile: String, PortalAddOptions)
    /// Print the portals as a table.
    case portalList(configFile: String)
    /// Print one portal as JSON.
    case portalShow(configFile: String, clientID: String)
    /// Disable a portal.
    case portalDisable(configFile: String, clientID: String)
    /// Enable a disabled portal.
    case portalEnable(configFile: String, clientID: String)
    /// Give a portal a new client secret; the old one works `graceSeconds` longer.
    case portalRotateSecret(configFile: String, clientID: String, graceSeconds: Int)
    /// Replace the service-centre directory with a CSV file.
    case centresImport(configFile: String, csvFile: String)
    /// Time lookups of random seeded citizens by SNILS (benchmarks).
    case devMeasureLookups(configFile: String, samples: Int)
    /// Hash passwords on several threads for a while and report the rate (benchmarks).
    case devScryptReference(seconds: Int, threads: Int, costLog2: Int)
    /// A development CA command (`ca init-head`, `ca init-accredited`, `ca issue`, `ca revoke`, `ca crl`).
    case devCA(DevCACommand)
    /// `sign`, or a signature benchmark helper (`dev measure-cms-verify`, `dev measure-signature-logins`, `dev measure-crl-load`).
    case signature(SignatureCommand)
    /// Accredit a CA certificate for a period (trust store).
    case caAccredit(configFile: String, certificateFile: String, from: Date?, until: Date?)
    /// Suspend an accredited CA (trust store).
    case caSuspend(configFile: String, reference: CAReference)
    /// Terminate a CA's accreditation for good (trust store).
    case caTerminate(configFile: String, reference: CAReference)
    /// List the CAs in the trust store.
    case caList(configFile: String)
    /// Import a trusted list (TSL) XML file.
    case caImportTSL(configFile: String, file: String)
    /// Import a CRL file (DER or PEM).
    case caImportCRL(configFile: String, file: String)
    /// Download the CRLs of the roots and accredited CAs once.
    case caFetchCRLs(configFile: String)
}

/// The options of `openesia staff add`. There is no password option: arguments show in `ps` and shell history.
struct StaffAddOptions: Equatable {
    /// The login name.
    var login: String
    /// The display name.
    var name: String
    /// operator, centre-admin or service-admin.
    var role: String
    /// The service centre's id; required for operators and centre admins.
    var centre: String?
    /// The staff member's own SNILS, for certificate login later.
    var snils: String?
}

/// The options of `openesia init`.
struct InitOptions: Equatable {
    /// The folder to make.
    var dataFolder = "data"
    /// The folder to copy keys from; nil means keys-example/ in the current directory.
    var keysFrom: String?
    /// Generate fresh keys instead of copying.
    var generateKeys = false
    /// Replace an existing config.json and keys/.
    var force = false

    /// Where keys are copied from when --keys-from is not given.
    static let defaultKeysFolder = "keys-example"
}

/// The command line cannot be understood; the message says why.
struct UsageError: Error, Equatable, CustomStringConvertible {
    /// What is wrong, e.g. "unknown option --prot for serve; did you mean --port?".
    let message: String
    /// The command whose usage to point at, if known.
    let command: String?

    /// The message.
    var description: String { message }
}
