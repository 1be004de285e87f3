import Foundation
import Testing
@testable import OpenESIAServer
import HTTPServer
import Support

/// A fresh temporary folder, removed by the caller with `remove()`.
struct TemporaryFolder {
    let path: String

    init() {
        var template = Array((NSTemporaryDirectory() + "/openesia-test-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = (String(cString: made!) as NSString).standardizingPath
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let target = file(name)
        try! FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Loads `json` written to a config file in a temporary folder.
private func load(_ json: String, environment: [String: String] = [:], in folder: TemporaryFolder) throws(ConfigurationError) -> LoadedConfiguration {
    let file = folder.write("config.json", json)
    return try ConfigurationLoader.load(file: file, environment: environment, currentDirectory: folder.path)
}

/// The problems a load reports, or none if it succeeds.
private func problems(_ json: String, environment: [String: String] = [:], in folder: TemporaryFolder) -> [ConfigurationProblem] {
    do {
        _ = try load(json, environment: environment, in: folder)
        return []
    } catch {
        return error.problems
    }
}

@Suite struct ConfigurationTests {
    @Test func inMemoryDatabaseIsRefusedBecauseWALNeedsAFile() {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let found = problems(#"{"database": {"path": ":memory:"}}"#, in: folder)
        #expect(found.map(\.key) == ["database.path"])
    }

    @Test func defaultsAreValid() {
        #expect(Configuration().validate() == [])
        #expect(Configuration().http.port == 8080)
        #expect(Configuration().service.issuer == "http://127.0.0.1:8080")
    }

    @Test func emptyFileGivesDefaultsWithPathsBesideTheFile() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let loaded = try load("{}", in: folder)
        var expected = Configuration()
        expected.database.path = folder.file("openesia.sqlite3")
        expected.keys.directory = folder.file("keys")
        expected.outbox.file = folder.file("outbox.log")
        #expect(loaded.configuration == expected)
        #expect(loaded.warnings == [])
        #expect(loaded.file == folder.file("config.json"))
    }

    @Test func fileOverridesDefaults() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let database = folder.file("absolute.sqlite3")
        let loaded = try load("""
            {"http": {"port": 0, "maxConnections": 50, "idleTimeoutSeconds": 2.5, "accessLog": false},
             "log": {"level": "debug"}, "service": {"issuer": "https://id.example.org"},
             "database": {"path": "\(database)"}}
            """, in: folder).configuration
        #expect(loaded.http.port == 0)
        #expect(loaded.http.maxConnections == 50)
        #expect(loaded.http.idleTimeoutSeconds == 2.5)
        #expect(loaded.http.accessLog == false)
        #expect(loaded.log.level == .debug)
        #expect(loaded.service.issuer == "https://id.example.org")
        #expect(loaded.database.path == database)
        #expect(loaded.http.workerThreads == 32)
    }

    @Test func environmentVariableNamesAreDerivedMechanically() {
        let names = Dictionary(uniqueKeysWithValues: ConfigurationKey.all.map { ($0.path, $0.environmentVariable) })
        #expect(names["http.maxConnections"] == "OPENESIA_HTTP_MAX_CONNECTIONS")
        #expect(names["tls.certificateFile"] == "OPENESIA_TLS_CERTIFICATE_FILE")
        #expect(names["tls.clientCAFile"] == "OPENESIA_TLS_CLIENT_CA_FILE")
        #expect(names["service.issuer"] == "OPENESIA_SERVICE_ISSUER")
        #expect(names["database.busyTimeoutMilliseconds"] == "OPENESIA_DATABASE_BUSY_TIMEOUT_MILLISECONDS")
        #expect(names["http.eventLoops"] == "OPENESIA_HTTP_EVENT_LOOPS")
        #expect(Set(names.values).count == ConfigurationKey.all.count)
    }

    @Test func environmentOverridesFile() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let environment = [
            "OPENESIA_HTTP_MAX_CONNECTIONS": "123",
            "OPENESIA_HTTP_PORT": "9090",
            "OPENESIA_HTTP_ACCESS_LOG": "0",
            "OPENESIA_HTTP_SHUTDOWN_GRACE_SECONDS": "1.5",
            "OPENESIA_LOG_LEVEL": "error",
            "OPENESIA_SERVICE_ISSUER": "https://esia.example.org",
            "OPENESIA_DATABASE_PATH": "elsewhere/db.sqlite3",
            "PATH": "/usr/bin", // not ours: ignored
        ]
        folder.write("elsewhere/.keep", "")
        let loaded = try load(#"{"http": {"port": 7070, "maxConnections": 5}}"#, environment: environment, in: folder).configuration
        #expect(loaded.http.maxConnections == 123)
        #expect(loaded.http.port == 9090)
        #expect(loaded.http.accessLog == false)
        #expect(loaded.http.shutdownGraceSeconds == 1.5)
        #expect(loaded.log.level == .error)
        #expect(loaded.service.issuer == "https://esia.example.org")
        #expect(loaded.database.path == folder.file("elsewhere/db.sqlite3"))
    }

    @Test func pathsFromTheFileAreRelativeToItsFolderAndFromTheEnvironmentToTheCurrentDirectory() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        folder.write("data/tls/server.crt", "cert")
        folder.write("data/tls/server.key", "key")
        folder.write("data/db/.keep", "")
        folder.write("data/config.json", """
            {"tls": {"certificateFile": "tls/server.crt", "privateKeyFile": "./tls/../tls/server.key"}, "keys": {"directory": "k"}}
            """)
        let loaded = try ConfigurationLoader.load(file: "config.json", environment: ["OPENESIA_DATABASE_PATH": "db/x.sqlite3"],
                                                  currentDirectory: folder.path + "/data/tls/..").configuration
        #expect(loaded.tls.certificateFile == folder.file("data/tls/server.crt"))
        #expect(loaded.tls.privateKeyFile == folder.file("data/tls/server.key"))
        #expect(loaded.keys.directory == folder.file("data/k"))
        #expect(loaded.tls.clientCAFile == "")
        #expect(loaded.database.path == folder.file("data/db/x.sqlite3"))
        let messages = problems("{}", environment: ["OPENESIA_DATABASE_PATH": "nowhere/x.sqlite3"], in: folder)
        #expect(messages.map(\.description) == ["database.path: folder \(folder.file("nowhere")) does not exist (set by OPENESIA_DATABASE_PATH)"])
    }

    @Test func headCARootsAreAListOfPathsResolvedLikeOtherPaths() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        folder.write("data/roots/a.pem", "a")
        folder.write("data/roots/b.pem", "b")
        folder.write("data/config.json", #"{"headca": {"roots": ["roots/a.pem", "/\#(folder.path)/data/roots/b.pem"], "revocation": "if-available"}}"#)
        let loaded = try ConfigurationLoader.load(file: "data/config.json", environment: [:], currentDirectory: folder.path).configuration
        #expect(loaded.headca.roots == [folder.file("data/roots/a.pem"), folder.file("data/roots/b.pem")])
        #expect(loaded.headca.revocation == .ifAvailable)
        #expect(Configuration().headca.roots == [] && Configuration().headca.maxCRLAgeHours == 48 && Configuration().headca.crlRefreshMinutes == 60)

        let fromEnvironment = try ConfigurationLoader.load(file: "data/config.json", environment: ["OPENESIA_HEADCA_ROOTS": "data/roots/a.pem:data/roots/b.pem"],
                                                           currentDirectory: folder.path).configuration
        #expect(fromEnvironment.headca.roots == [folder.file("data/roots/a.pem"), folder.file("data/roots/b.pem")])

        #expect(problems(#"{"headca": {"roots": "a.pem"}}"#, in: folder).map(\.description) == ["headca.roots: must be an array of paths, got \"a.pem\""])
        #expect(problems(#"{"headca": {"roots": [1]}}"#, in: folder).map(\.key) == ["headca.roots"])
        #expect(problems(#"{"headca": {"roots": ["missing.pem"]}}"#, in: folder).map(\.description).first?.hasPrefix("headca.roots: cannot read") == true)
        #expect(problems(#"{"headca": {"revocation": "sometimes"}}"#, in: folder).map(\.key) == ["headca.revocation"])
        #expect(Configuration().jsonFileText().contains(#""roots": []"#))
    }

    @Test func everyProblemIsReportedAtOnceWithItsKey() {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let found = problems("""
            {"http": {"port": 70000, "workerThreads": 0, "headerReadTimeoutSeconds": -1}, "log": {"level": "loud"}}
            """, in: folder)
        #expect(found.map(\.key).sorted() == ["http.headerReadTimeoutSeconds", "http.port", "http.workerThreads", "log.level"])
        #expect(found.contains(ConfigurationProblem(key: "http.port", message: "must be 0...65535, got 70000")))
        #expect(found.contains(ConfigurationProblem(key: "log.level", message: "must be one of debug, info, warning, error, got \"loud\"")))
    }

    @Test func wrongJSONTypesAreProblems() {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let found = problems(#"{"http": {"port": "80", "accessLog": 1, "maxBodyBytes": 1.5}, "keys": []}"#, in: folder)
        #expect(found.map(\.description).sorted() == [
            "http.accessLog: must be true or false, got 1",
            "http.maxBodyBytes: must be a whole number, got 1.5",
            "http.port: must be a whole number, got \"80\"",
            "keys: must be a JSON object",
        ])
    }

    @Test func unknownKeysSectionsAndVariablesAreProblems() {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let found = problems(#"{"http": {"prot": 1}, "databse": {}}"#,
                             environment: ["OPENESIA_HTTP_MAX_CONECTIONS": "5", "OPENESIA_NONSENSE": "1"], in: folder)
        #expect(found.map(\.description).sorted() == [
            "OPENESIA_HTTP_MAX_CONECTIONS: unknown variable; did you mean OPENESIA_HTTP_MAX_CONNECTIONS?",
            "OPENESIA_NONSENSE: unknown variable",
            "databse: unknown section; did you mean database?",
            "http.prot: unknown key; did you mean http.port?",
        ])
    }

    @Test func badEnvironmentValuesNameTheVariable() {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let found = problems("{}", environment: [
            "OPENESIA_HTTP_PORT": "eighty", "OPENESIA_HTTP_ACCESS_LOG": "yes",
            "OPENESIA_HTTP_IDLE_TIMEOUT_SECONDS": "soon", "OPENESIA_TLS_CLIENT_CERTIFICATE": "maybe",
        ], in: folder)
        #expect(found.map(\.description).sorted() == [
            "OPENESIA_HTTP_ACCESS_LOG: must be true, false, 1 or 0, got \"yes\"",
            "OPENESIA_HTTP_IDLE_TIMEOUT_SECONDS: must be a number, got \"soon\"",
            "OPENESIA_HTTP_PORT: must be a whole number, got \"eighty\"",
            "OPENESIA_TLS_CLIENT_CERTIFICATE: must be one of none, optional, required, got \"maybe\"",
        ])
    }

    @Test func badJSONNamesTheFile() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let error = #expect(throws: ConfigurationError.self) { try load("{\n  \"http\": {\"port\": 80 \"x\"}\n}", in: folder) }
        #expect(error?.code == .syntax)
        #expect(error?.problems.first?.key == folder.file("config.json"))
        #expect(error?.problems.first?.message.contains("line 2") == true)
    }

    @Test func missingFileIsItsOwnError() {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let error = #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(file: "absent.json", environment: [:], currentDirectory: folder.path)
        }
        #expect(error?.code == .fileNotFound)
        #expect(error?.problems.first?.key == folder.file("absent.json"))
    }

    @Test func tlsNeedsCertificateAndKeyTogetherAndReadable() {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        #expect(problems(#"{"tls": {"certificateFile": "a.crt"}}"#, in: folder).map(\.key).sorted()
            == ["tls.certificateFile", "tls.privateKeyFile"]) // a.crt unreadable, key missing
        folder.write("a.crt", "x")
        folder.write("a.key", "x")
        #expect(problems(#"{"tls": {"certificateFile": "a.crt", "privateKeyFile": "a.key"}}"#, in: folder) == [])
        #expect(problems(#"{"tls": {"privateKeyFile": "a.key"}}"#, in: folder).map(\.description)
            == ["tls.certificateFile: must be set when tls.privateKeyFile is set"])
        #expect(problems(#"{"tls": {"certificateFile": "a.crt", "privateKeyFile": "a.key", "clientCertificate": "required"}}"#,
                         in: folder).map(\.description) == ["tls.clientCAFile: must be set when tls.clientCertificate is required"])
        #expect(problems(#"{"tls": {"clientCertificate": "optional", "clientCAFile": "a.crt"}}"#, in: folder).map(\.key)
            == ["tls.clientCertificate"])
    }

    @Test(arguments: [
        ("https://id.example.org", true), ("https://id.example.org/esia", true), ("http://127.0.0.1:8080", true),
        ("http://localhost", true), ("http://[::1]:8443", true),
        ("http://id.example.org", false), ("ftp://id.example.org", false), ("id.example.org", false),
        ("https://id.example.org/", false), ("https://id.example.org?x=1", false), ("https://id.example.org#top", false), ("", false),
        ("https://a.example/\"q\"", false), ("https://a.example/ x", false),
    ])
    func issuerMustBeAnHTTPSURLUnlessLoopback(issuer: String, valid: Bool) {
        var configuration = Configuration()
        configuration.service.issuer = issuer
        #expect(configuration.validate().map(\.key) == (valid ? [] : ["service.issuer"]))
    }

    @Test func accessTokensMayNotOutliveTheSigningKeysRetirement() {
        var configuration = Configuration()
        configuration.federation.accessTokenLifetimeSeconds = 7_200
        #expect(configuration.validate().map(\.key) == ["federation.accessTokenLifetimeSeconds"])
        configuration.federation.maxTokenLifetimeSeconds = 7_200
        #expect(configuration.validate() == [])
    }

    @Test func developmentKeysGiveALoudWarning() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        folder.write("keys/DEVELOPMENT-ONLY", "public keys")
        let loaded = try load("{}", in: folder)
        #expect(loaded.warnings.count == 1)
        #expect(loaded.warnings.first?.contains("using development keys from \(folder.file("keys"))") == true)
        #expect(loaded.warnings.first?.contains("never use them in production") == true)
    }

    @Test func everyKeyHasADefaultOfItsKindWithinItsRange() {
        for key in ConfigurationKey.all {
            switch (key.kind, key.defaultValue) {
            case (.integer(let range), .integer(let value)): #expect(range.contains(value), "\(key.path)")
            case (.number(let range), .number(let value)): #expect(range.contains(value), "\(key.path)")
            case (.boolean, .boolean), (.string, .string), (.path, .string), (.pathList, .paths): break
            case (.choice(let options), .string(let value)): #expect(options.contains(value), "\(key.path)")
            default: Issue.record("\(key.path): default does not match its kind")
            }
        }
    }

    @Test func writtenJSONFileLoadsBackToTheSameValues() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        var custom = Configuration()
        custom.http.port = 0
        custom.http.idleTimeoutSeconds = 0.5
        custom.log.level = .warning
        custom.tls.clientCertificate = .none
        custom.service.issuer = "https://a.example/\"quoted\"\\"
        let parsed = try JSONSerialization.jsonObject(with: Data(custom.jsonFileText().utf8)) as? [String: [String: Any]]
        #expect(parsed.map { Array($0.keys).sorted() } == ConfigurationKey.sections.sorted())
        #expect(parsed?["service"]?["issuer"] as? String == custom.service.issuer)
        custom.service.issuer = "https://a.example"
        let again = try load(custom.jsonFileText(), in: folder).configuration
        #expect(again.http.idleTimeoutSeconds == 0.5 && again.log.level == .warning && again.http.port == 0)
    }

    @Test func documentationListsEveryKeyOnce() {
        let table = Configuration.documentation
        for key in ConfigurationKey.all {
            #expect(table.contains("| `\(key.path)` | `\(key.environmentVariable)` | `\(key.defaultValue.jsonLiteral)` |"), "\(key.path)")
        }
        #expect(table.contains("| `http.port` | `OPENESIA_HTTP_PORT` | `8080` | 0…65535 |"))
    }

    /// docs/configuration.md is generated by `openesia config docs`; regenerate it when this fails.
    @Test func docsConfigurationFileMatchesTheRenderedTable() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = root.appendingPathComponent("docs/configuration.md")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text == Configuration.documentationPage,
                "docs/configuration.md is stale: run `swift run openesia config docs > docs/configuration.md`")
    }

    @Test func spellingSuggestsCloseNamesOnly() {
        #expect(Spelling.closest(to: "--prot", among: ["--port", "--config"]) == "--port")
        #expect(Spelling.closest(to: "--xyz", among: ["--port", "--config"]) == nil)
    }
}

@Suite struct ConfigurationHTTPLimitsTests {
    @Test func defaultLimitsMatchTheHTTPServerDefaults() {
        let limits = Configuration().http.limits
        let server = HTTPLimits()
        #expect(limits.maxRequestLineBytes == server.maxRequestLineBytes)
        #expect(limits.maxHeaderBytes == server.maxHeaderBytes)
        #expect(limits.maxHeaderCount == server.maxHeaderCount)
        #expect(limits.maxBodyBytes == server.maxBodyBytes)
        #expect(limits.headerReadTimeout == server.headerReadTimeout)
        #expect(limits.idleTimeout == server.idleTimeout)
        #expect(limits.maxConnections == server.maxConnections)
        #expect(limits.shutdownGracePeriod == server.shutdownGracePeriod)
    }
}
