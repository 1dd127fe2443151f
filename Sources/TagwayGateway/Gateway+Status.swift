import TagwayAPI
import TagwayModel

/// `GET /v1/status`: the object `status.json` holds, from the same builder, with what the console
/// needs beside it (version, start, time zone, the engine's figures, the log's size).
extension Gateway: StatusSource {
    public func status() async -> String {
        let figures = await pipeline.figures
        let zones = await pipeline.zoneCount
        let now = clock()
        let zone = StatusReport.timeZone(at: now)
        return statusFile.report.json(StatusReport.Extras(version: TagwayVersion.current, startedAt: startedAt, timeZone: zone.id,
                                                          utcOffsetSeconds: zone.offsetSeconds, figures: figures, zones: zones))
    }
}
