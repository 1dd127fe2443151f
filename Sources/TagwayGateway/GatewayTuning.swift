import TagwayAPI
import TagwayEventLog
import TagwayModel

/// `GET /v1/tuning` for a running gateway: an asset key is turned into its engine identities
/// through the log's asset rows (`assets_by_key`, one indexed read, off the shared threads), then
/// the pipeline answers from the engine at the gateway's time.
struct GatewayTuning: TuningSource {
    let pipeline: Pipeline
    let log: EventLog
    let clock: @Sendable () -> Timestamp

    func tuning(_ query: TuningQuery) async throws -> TuningAnswer {
        var candidates: [TagID] = []
        if case .asset(let key) = query {
            candidates = try await log.readAssets(AssetQuery(key: key, limit: Pipeline.maxTuningCandidates)) { page in
                page.records.sorted { $0.lastRead > $1.lastRead }.map(\.tag)
            }
        }
        return await pipeline.tuning(query, candidates: candidates, now: clock())
    }
}
