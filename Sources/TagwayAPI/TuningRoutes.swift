import HTTPTypes
import Hummingbird
import NIOCore
import TagwayModel

/// `GET /v1/tuning?asset=KEY | tag=HEX | readPoint=RP[&strongest=true]`: the movement engine's
/// live evidence for one tag (per read point: reads, rate and mean RSSI over the window, the
/// margin the engine requires and why it does or does not hand the asset over) or for one read
/// point (every tag it hears, strongest first). The console's Tuning page polls it about once a
/// second while open; the cost is paid per request only.
///
/// Exactly one of `asset`, `tag`, `readPoint`; a bad value is 400 naming the parameter; a read
/// point the gateway does not know is 404; a tag that is not present is 200 with `"tag": null`.
struct TuningRoutes: Sendable {
    static let maxKeyBytes = 1024
    static let maxReadPointBytes = 256
    /// Twice the longest EPC memory (496 bits) in hex, and then some.
    static let maxTagHex = 256
    let source: any TuningSource

    func register(on router: Router<BasicRequestContext>) {
        router.get("/v1/tuning") { request, _ in try await self.tuning(request) }
    }

    func tuning(_ request: Request) async throws -> Response {
        let query = try Self.query(request.uri.queryParameters)
        switch try await source.tuning(query) {
        case .json(let body):
            return HealthRoutes.json(body, status: .ok)
        case .unknownReadPoint(let name):
            throw APIError(.notFound, "unknown read point '\(name)': no reader or zone of the running configuration has it",
                           detail: "readPoint")
        }
    }

    static func query(_ parameters: Parameters) throws(APIError) -> TuningQuery {
        let asset = parameters.get("asset"), tag = parameters.get("tag"), point = parameters.get("readPoint")
        let given = [("asset", asset), ("tag", tag), ("readPoint", point)].filter { $0.1 != nil }.map(\.0)
        guard given.count == 1 else {
            // Named: the first parameter missing, or the second one given.
            throw APIError.badInput(given.count == 0 ? "asset" : given[1],
                                    given.count == 0 ? "(or tag, or readPoint) is required" : "cannot go with \(given[0]): give one of asset, tag and readPoint")
        }
        let strongest = parameters.get("strongest")
        if strongest != nil, point == nil { throw APIError.badInput("strongest", "goes with readPoint only") }
        if let asset {
            guard !asset.isEmpty, asset.utf8.count <= maxKeyBytes else {
                throw APIError.badInput("asset", "must be an asset key of 1 to \(maxKeyBytes) bytes")
            }
            return .asset(asset)
        }
        if let tag {
            guard !tag.isEmpty, tag.utf8.count <= maxTagHex, let id = TagID(hex: tag) else {
                throw APIError.badInput("tag", "must be the tag's bytes in hex (an even number of 0-9 A-F, at most \(maxTagHex))")
            }
            return .tag(id)
        }
        let name = point ?? ""
        guard !name.isEmpty, name.utf8.count <= maxReadPointBytes else {
            throw APIError.badInput("readPoint", "must be a read point name of 1 to \(maxReadPointBytes) bytes")
        }
        switch strongest {
        case nil, "false": return .readPoint(name, strongest: false)
        case "true": return .readPoint(name, strongest: true)
        default: throw APIError.badInput("strongest", "must be true or false")
        }
    }
}
