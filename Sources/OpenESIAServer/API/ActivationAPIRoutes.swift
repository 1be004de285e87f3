import Activation
import Citizens
import Foundation
import HTTPServer
import Support

/// The activation part of the citizens' JSON API (docs/api.md): status, ordering a letter, entering the code; and the
/// public list of service centres. Bearer authentication as in `CitizenAPIRoutes`; no response ever holds a code.
struct ActivationAPIRoutes {
    let service: CitizenService
    let activation: ActivationService
    let centres: CentreDirectory

    func add(to router: inout Router) {
        let citizenAPI = CitizenAPIRoutes(service: service)
        router.get("/api/v1/account/activation") { [activation] request in
            let (_, _, citizenID) = try citizenAPI.authenticate(request)
            return try .json(ActivationAPI.StatusBody(try activation.status(citizenID: citizenID))).noStore()
        }
        router.post("/api/v1/account/activation/letter") { [activation] request in
            let (_, _, citizenID) = try citizenAPI.authenticate(request)
            let letterID = try activation.requestLetter(citizenID: citizenID, source: CitizenAPIRoutes.source(request))
            return try .json(ActivationAPI.LetterOrderBody(letterId: letterID), status: .accepted).noStore()
        }
        router.post("/api/v1/account/activation/code") { [activation] request in
            let (_, _, citizenID) = try citizenAPI.authenticate(request)
            let body = try request.decodeJSON(ActivationAPI.CodeRequest.self)
            try activation.enterCode(citizenID: citizenID, code: body.code ?? "", source: CitizenAPIRoutes.source(request))
            return HTTPResponse(status: .noContent)
        }
        router.get("/api/v1/centres") { [centres] request in
            let query = try request.queryFields()
            let found = try centres.search(region: query.first("region"), city: query.first("city"))
            return try .json(found.map(ActivationAPI.CentreBody.init))
        }
    }
}

/// The bodies of the activation endpoints.
enum ActivationAPI {
    struct CodeRequest: Decodable {
        var code: String?
    }

    struct LetterOrderBody: Encodable {
        var letterId: Int64
    }

    /// `ActivationStatus` as JSON: the level, the live code's facts (never the code), the newest letter.
    struct StatusBody: Encodable {
        struct Code: Encodable {
            var channel: String
            var issuedAt: String
            var expiresAt: String
            var attemptsLeft: Int
        }

        struct Letter: Encodable {
            var id: Int64
            var state: String
            var requestedAt: String
            var printedAt: String?
            var dispatchedAt: String?
            var trackingNumber: String?
            var codeExpiresAt: String?
        }

        var level: String?
        var canRequest: Bool
        var code: Code?
        var letter: Letter?
        var lastCodeEnded: String?

        init(_ status: ActivationStatus) {
            level = status.level?.rawValue
            canRequest = status.canRequest
            code = status.code.map {
                Code(channel: $0.channel.rawValue, issuedAt: Timestamp.iso8601($0.issuedAt), expiresAt: Timestamp.iso8601($0.expiresAt),
                     attemptsLeft: $0.attemptsLeft)
            }
            letter = status.letter.map {
                Letter(id: $0.id, state: $0.state.rawValue, requestedAt: Timestamp.iso8601($0.requestedAt),
                       printedAt: $0.printedAt.map(Timestamp.iso8601), dispatchedAt: $0.dispatchedAt.map(Timestamp.iso8601),
                       trackingNumber: $0.trackingNumber, codeExpiresAt: $0.codeExpiresAt.map(Timestamp.iso8601))
            }
            lastCodeEnded = status.lastCodeEnded
        }
    }

    struct CentreBody: Encodable {
        var id: String
        var name: String
        var region: String
        var city: String
        var address: String
        var openingHours: String
        var latitude: Double?
        var longitude: Double?

        init(_ centre: ServiceCentre) {
            id = centre.id
            name = centre.name
            region = centre.region
            city = centre.city
            address = centre.address
            openingHours = centre.openingHours
            latitude = centre.latitude
            longitude = centre.longitude
        }
    }
}
