import Testing
@testable import openesia
import OpenESIAServer

@Suite struct PortalCommandLineTests {
    private func parse(_ arguments: [String]) throws(UsageError) -> Command { try CommandLineArguments.parse(arguments) }

    private func message(_ arguments: [String]) -> String? {
        do {
            _ = try parse(arguments)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func portalAddTakesRepeatedURIsAndListOptions() throws {
        let command = try parse(["portal", "add", "--client-id", "INSP03211", "--name", "Портал", "--redirect-uri", "https://a.example/cb",
                                 "--redirect-uri=http://127.0.0.1:8080/cb", "--post-logout-uri", "https://a.example/bye",
                                 "--scopes", "openid fullname,snils", "--min-level", "standard", "--dialect", "esia",
                                 "--alg", "GOST3410_2012_256", "--auth", "esia_signature", "--cert", "portal.pem", "--pinned"])
        var expected = PortalAddOptions(clientID: "INSP03211", name: "Портал", redirectURIs: ["https://a.example/cb", "http://127.0.0.1:8080/cb"])
        expected.postLogoutURIs = ["https://a.example/bye"]
        expected.scopes = ["openid", "fullname", "snils"]
        expected.minimumLevel = "standard"
        expected.dialect = "esia"
        expected.signingAlgorithm = "GOST3410_2012_256"
        expected.authMethods = ["esia_signature"]
        expected.certificateFile = "portal.pem"
        expected.pinned = true
        #expect(command == .portalAdd(configFile: "data/config.json", expected))

        let minimal = try parse(["portal", "add", "--client-id", "p", "--name", "P", "--redirect-uri", "https://a.example/cb",
                                 "--auth", "client_secret_basic,private_key_jwt", "--jwks-uri", "https://a.example/jwks"])
        guard case .portalAdd(_, let options) = minimal else { Issue.record("not portal add"); return }
        #expect(options.scopes == nil && options.authMethods == ["client_secret_basic", "private_key_jwt"])
        #expect(options.jwksURI == "https://a.example/jwks" && options.jwksFile == nil)
    }

    @Test func theOtherPortalCommandsParse() throws {
        #expect(try parse(["portal", "list"]) == .portalList(configFile: "data/config.json"))
        #expect(try parse(["portal", "show", "p", "--config", "c.json"]) == .portalShow(configFile: "c.json", clientID: "p"))
        #expect(try parse(["portal", "disable", "p"]) == .portalDisable(configFile: "data/config.json", clientID: "p"))
        #expect(try parse(["portal", "enable", "p"]) == .portalEnable(configFile: "data/config.json", clientID: "p"))
        #expect(try parse(["portal", "rotate-secret", "p"]) == .portalRotateSecret(configFile: "data/config.json", clientID: "p", graceSeconds: 0))
        #expect(try parse(["portal", "rotate-secret", "p", "--grace-seconds", "3600"])
            == .portalRotateSecret(configFile: "data/config.json", clientID: "p", graceSeconds: 3600))
        #expect(try parse(["portal", "add", "--help"]) == .help(topic: "portal add"))
        #expect(Usage.general.contains("portal rotate-secret ID"))
    }

    @Test func portalCommandsRefuseBadUsage() {
        #expect(message(["portal"])?.hasPrefix("portal needs a subcommand: add, list, show") == true)
        #expect(message(["portal", "add", "--name", "P", "--redirect-uri", "https://a/cb"]) == "portal add needs --client-id")
        #expect(message(["portal", "add", "--client-id", "p", "--name", "P"]) == "portal add needs at least one --redirect-uri")
        #expect(message(["portal", "add", "--client-id", "p", "--client-id", "q", "--name", "P", "--redirect-uri", "https://a/cb"])
            == "--client-id given more than once")
        #expect(message(["portal", "add", "--client-id", "p", "--name", "P", "--redirect-uri", "https://a/cb", "--jwks-uri", "https://a/j",
                         "--jwks-file", "j.json"]) == "--jwks-uri and --jwks-file cannot be used together")
        #expect(message(["portal", "show"]) == "missing ID for portal show")
        #expect(message(["portal", "rotate-secret", "p", "--grace-seconds", "-5"])?.hasPrefix("--grace-seconds needs a number") == true)
        #expect(message(["portal", "rotate-secret", "p", "--grace-seconds", "2592001"]) == "--grace-seconds needs a number from 0 to 2592000")
    }
}
