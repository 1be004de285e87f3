import Crypto
import HTTPServer
import Support

/// What a scenario does after a response: send the next request of the same operation, or finish the operation.
enum LoadStep {
    case send([UInt8])
    case done(ok: Bool)
}

/// One measured operation, repeated on one connection: a token request, an introspection, a whole code flow.
protocol LoadScenario {
    /// The first request of a new operation.
    mutating func start() -> [UInt8]
    /// The next step after `response`.
    mutating func next(after response: LoadResponse) -> LoadStep
    /// What a later phase may reuse: the last access token (client_credentials) or refresh token (code flow, refresh).
    var harvest: String? { get }
}

/// The request bytes; one place for the Host header and form encoding.
struct RequestWriter: Sendable {
    let host: String
    let basic: String

    init(port: Int, clientID: String, secret: String) {
        host = "127.0.0.1:\(port)"
        basic = "Basic " + Base64.encode(Array("\(Self.formEncoded(clientID)):\(Self.formEncoded(secret))".utf8))
    }

    func get(_ target: String, headers: [(String, String)] = []) -> [UInt8] {
        make("GET", target, headers, [])
    }

    /// A form POST authenticated as the portal (client_secret_basic).
    func postForm(_ target: String, _ fields: [(String, String)], headers: [(String, String)] = [], asPortal: Bool = true) -> [UInt8] {
        let body = Array(Self.form(fields).utf8)
        var all = headers + [("Content-Type", "application/x-www-form-urlencoded")]
        if asPortal { all.append(("Authorization", basic)) }
        return make("POST", target, all, body)
    }

    private func make(_ method: String, _ target: String, _ headers: [(String, String)], _ body: [UInt8]) -> [UInt8] {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if method == "POST" { text += "Content-Length: \(body.count)\r\n" }
        text += "\r\n"
        return Array(text.utf8) + body
    }

    static func form(_ fields: [(String, String)]) -> String {
        fields.map { formEncoded($0.0) + "=" + formEncoded($0.1) }.joined(separator: "&")
    }

    /// application/x-www-form-urlencoded (also what RFC 6749 §2.3.1 asks for inside Basic).
    static func formEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + Hex.encode([byte]).uppercased()
            }
        }
        return out
    }
}

/// Standard base64 for the Basic header.
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        var text = Base64URL.encode(bytes).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.utf8.count % 4 != 0 { text += "=" }
        return text
    }
}

/// A string field of a JSON body, or nil.
func jsonString(_ body: [UInt8], _ name: String) -> String? {
    (try? JSONValue.parse(body))?[name]?.stringValue
}

struct ClientCredentialsScenario: LoadScenario {
    let writer: RequestWriter
    let scope: String
    var harvest: String?

    mutating func start() -> [UInt8] {
        writer.postForm("/oauth2/token", [("grant_type", "client_credentials"), ("scope", scope)])
    }

    mutating func next(after response: LoadResponse) -> LoadStep {
        guard response.status == 200 else { return .done(ok: false) }
        if harvest == nil { harvest = jsonString(response.body, "access_token") }
        return .done(ok: true)
    }
}

struct IntrospectionScenario: LoadScenario {
    let writer: RequestWriter
    let token: String
    var harvest: String? { nil }

    mutating func start() -> [UInt8] { writer.postForm("/oauth2/introspect", [("token", token)]) }

    mutating func next(after response: LoadResponse) -> LoadStep {
        .done(ok: response.status == 200 && (try? JSONValue.parse(response.body))?["active"] == .bool(true))
    }
}

struct RefreshScenario: LoadScenario {
    let writer: RequestWriter
    var harvest: String?

    mutating func start() -> [UInt8] {
        writer.postForm("/oauth2/token", [("grant_type", "refresh_token"), ("refresh_token", harvest ?? "")])
    }

    mutating func next(after response: LoadResponse) -> LoadStep {
        // Refresh tokens rotate: the next grant must use the new one.
        guard response.status == 200, let rotated = jsonString(response.body, "refresh_token") else { return .done(ok: false) }
        harvest = rotated
        return .done(ok: true)
    }
}

/// Authorize with a live session cookie (consent on file: an immediate redirect with a code) → token → userinfo.
struct CodeFlowScenario: LoadScenario {
    let writer: RequestWriter
    let portal: FlowPortal
    let sessionCookie: String
    var harvest: String?
    private var stage = 0
    private var counter = 0

    init(writer: RequestWriter, portal: FlowPortal, sessionCookie: String) {
        self.writer = writer
        self.portal = portal
        self.sessionCookie = sessionCookie
    }

    mutating func start() -> [UInt8] {
        stage = 0
        counter += 1
        return writer.get(portal.authorizeTarget(state: "s\(counter)"), headers: [("Cookie", sessionCookie)])
    }

    mutating func next(after response: LoadResponse) -> LoadStep {
        switch stage {
        case 0:
            guard response.status == 303, let location = response.headers["Location"],
                  let code = FlowPortal.queryValue("code", in: location), location.hasPrefix(portal.redirectURI + "?") else {
                return .done(ok: false)
            }
            stage = 1
            return .send(writer.postForm("/oauth2/token", [("grant_type", "authorization_code"), ("code", code),
                                                          ("redirect_uri", portal.redirectURI), ("code_verifier", portal.verifier)]))
        case 1:
            guard response.status == 200, let access = jsonString(response.body, "access_token") else { return .done(ok: false) }
            harvest = jsonString(response.body, "refresh_token")
            stage = 2
            return .send(writer.get("/oauth2/userinfo", headers: [("Authorization", "Bearer " + access)]))
        default:
            return .done(ok: response.status == 200)
        }
    }
}

/// The portal side of the code flow: where codes go, the PKCE pair, the scopes asked for.
struct FlowPortal: Sendable {
    let clientID: String
    let redirectURI: String
    let scope: String
    let verifier = "oidc-load-verifier-" + String(repeating: "v", count: 40)
    let challenge: String

    init(clientID: String, redirectURI: String, scope: String) {
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.scope = scope
        challenge = Base64URL.encode(Digest.sha256(verifier))
    }

    func authorizeTarget(state: String) -> String {
        "/oauth2/authorize?" + RequestWriter.form([
            ("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI), ("scope", scope),
            ("state", state), ("nonce", "n-" + state), ("code_challenge", challenge), ("code_challenge_method", "S256"),
        ])
    }

    /// A query parameter of a URL or path (percent-decoded).
    static func queryValue(_ name: String, in url: String) -> String? {
        guard let query = url.split(separator: "?", maxSplits: 1).dropFirst().first,
              let fields = try? FormFields(urlEncoded: String(query)) else { return nil }
        return fields.first(name)
    }
}
