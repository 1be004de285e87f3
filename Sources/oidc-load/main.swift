// oidc-load: an OpenID Connect load generator for `make bench` (.ci/bench-oidc.sh). It needs a running server with
// a confidential portal (client_secret_basic, a loopback redirect URI, `openid fullname` allowed) and seeded citizens
// (`openesia dev seed`), logs `--sessions` of them in once, then measures on loopback, one phase after another:
// client_credentials tokens, introspections, full code flows (authorize with a live session → token → userinfo),
// refresh grants. Prints one JSON line per phase on stdout; exit 0, or 64 on bad arguments, 69 when the server
// does not answer as expected.
import Foundation
import Glibc

let usage = """
    usage: oidc-load --port N --client-id ID --redirect-uri URI [--seconds S] [--connections C] [--threads T]
                     [--sessions N] [--password P] [--scope "fullname"] [--flow-scope "openid fullname"]
                     [--phases client_credentials,introspection,code_flow,refresh]
    The client secret comes from the environment: OIDC_LOAD_CLIENT_SECRET.
    """

func fail(_ message: String, _ status: Int32) -> Never {
    FileHandle.standardError.write(Data("oidc-load: \(message)\n".utf8))
    exit(status)
}

var values: [String: String] = [
    "--seconds": "10", "--connections": "64", "--threads": "2", "--sessions": "64",
    "--password": "Seed-Password-2026", "--scope": "fullname", "--flow-scope": "openid fullname",
    "--phases": "client_credentials,introspection,code_flow,refresh",
]
var arguments = CommandLine.arguments.dropFirst()
while let name = arguments.popFirst() {
    guard name.hasPrefix("--"), let value = arguments.popFirst() else { fail("\(name)?\n\(usage)", 64) }
    values[name] = value
}
guard let port = values["--port"].flatMap(Int.init), (1...65535).contains(port),
      let clientID = values["--client-id"], let redirectURI = values["--redirect-uri"],
      let secret = ProcessInfo.processInfo.environment["OIDC_LOAD_CLIENT_SECRET"],
      let seconds = values["--seconds"].flatMap(Double.init), seconds > 0, seconds <= 600,
      let connections = values["--connections"].flatMap(Int.init), (1...4096).contains(connections),
      let threads = values["--threads"].flatMap(Int.init), (1...64).contains(threads),
      let sessions = values["--sessions"].flatMap(Int.init), (1...connections).contains(sessions)
else { fail(usage, 64) }

let writer = RequestWriter(port: port, clientID: clientID, secret: secret)
let portal = FlowPortal(clientID: clientID, redirectURI: redirectURI, scope: values["--flow-scope"]!)
let runner = LoadRunner(port: port, connections: connections, threads: threads)
let scope = values["--scope"]!
// Introspection needs the tokens of client_credentials, refresh the refresh tokens of code_flow: those run anyway.
let phases = Set(values["--phases"]!.split(separator: ",").map(String.init))

do {
    // The seeded citizens' phone numbers, as `openesia dev seed` makes them (CitizenService.syntheticPhone).
    let setup = SessionSetup(writer: writer, portal: portal, port: port)
    var cookies: [String] = []
    for n in 0..<sessions {
        let digits = String(n)
        cookies.append(try setup.session(login: "+79" + String(repeating: "0", count: max(0, 9 - digits.count)) + digits,
                                         password: values["--password"]!))
    }
    let sessionCookies = cookies

    let credentials = try runner.run("client_credentials", seconds: seconds) { _ in
        ClientCredentialsScenario(writer: writer, scope: scope)
    }
    if phases.contains("client_credentials") { print(credentials.json) }
    let tokens = credentials.harvest
    guard !tokens.isEmpty else { throw LoadError("no client_credentials token was issued") }
    let tokenList = tokens.keys.sorted().map { tokens[$0]! }
    if phases.contains("introspection") {
        print(try runner.run("introspection", seconds: seconds) { index in
            IntrospectionScenario(writer: writer, token: tokenList[index % tokenList.count])
        }.json)
    }
    guard phases.contains("code_flow") || phases.contains("refresh") else { exit(0) }
    let flows = try runner.run("code_flow", seconds: seconds) { index in
        CodeFlowScenario(writer: writer, portal: portal, sessionCookie: sessionCookies[index % sessionCookies.count])
    }
    if phases.contains("code_flow") { print(flows.json) }
    guard phases.contains("refresh") else { exit(0) }
    let refreshTokens = flows.harvest
    print(try runner.run("refresh", seconds: seconds) { index in
        refreshTokens[index].map { RefreshScenario(writer: writer, harvest: $0) }
    }.json)
} catch {
    fail("\(error)", 69)
}
