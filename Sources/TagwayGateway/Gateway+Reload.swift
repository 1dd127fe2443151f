import Logging
import TagwayAPI
import TagwayConfig
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwaySinks

extension Gateway {
    /// Applies a reloaded file's `sinks:` and `retention:` to the running forwarder. `running`
    /// is the sinks the forwarder delivers to now (the start's, or the last reload's). Sinks are
    /// built first: a secret that is missing fails the whole step, and the running sinks and
    /// retention stay as they were. Changed sinks restart from their cursors.
    public func reloadForwarding(running: [SinkConfig], loaded: GatewayConfig) async throws -> SinkReloadPlan {
        let plan = SinkReloadPlan(running: running, loaded: loaded.sinks)
        let built = try SinkFactory.make(loaded.sinks.filter { plan.starting.contains($0.id) }, gatewayID: config.gatewayID, site: loaded.siteName,
                                         clock: clock, timers: timers, record: Self.sinkEventRecorder(log: log, logger: logger),
                                         logID: log.identity)
        let changes = loaded.sinks.map { sink -> Forwarder.SinkChange in
            if let made = built.first(where: { $0.sink.id == sink.id }) { return .start(sink: made.sink, policy: made.policy) }
            return .keep(id: sink.id)
        }
        try await forwarder.reconfigure(changes, retention: loaded.retention)
        return plan
    }
}

extension Gateway {
    /// How a sink's own events (`unknown`) reach the log: appended like the API's audit events,
    /// so every sink forwards them. A failed append is logged; the sink's finding stays in status.
    static func sinkEventRecorder(log: EventLog, logger: Logger) -> @Sendable (MovementEvent) async -> Void {
        { event in
            do {
                _ = try await log.append([event])
            } catch {
                logger.error("cannot log the \(event.type.rawValue) event of \(event.asset.key): \(error)")
            }
        }
    }
}

extension Gateway {
    /// Puts a reloaded configuration's zones in `/v1/zones` and its audit settings in
    /// `POST /v1/audits`, in step with the movement engine's `reconfigure`: the console's Zones and
    /// Audit pages show a zone added by Configure without a restart.
    public func reloadZones(_ loaded: GatewayConfig) {
        zoneDirectory.replace(ZoneDirectory(loaded.movement))
        auditEndpoint.liveSettings.replace(loaded.audit)
    }
}
