import Foundation
import Logging
import Metrics
import Synchronization
import TagwayModel
import TagwayOutbox
import TagwayRuntime

/// Records a Snipe-IT audit (`POST /api/v1/hardware/audit` with `update_location`) for each
/// move into a zone mapped to a Snipe-IT location; other events have nothing to record.
///
/// Built for a store with a per-minute API limit and assets it may not know:
/// - requests are spaced by a `RequestPacer` (Snipe-IT's default limit is 120 a minute), and a
///   `Retry-After` or an exhausted `X-RateLimit-Remaining` holds them all;
/// - a batch retried after a failure resumes after the last audit the store accepted, so a 429
///   or a dropped connection at audit 150 of 200 does not send the first 149 again;
/// - an event into a zone with no location is skipped and counted: an audit with an empty
///   `location_id` and `update_location` would erase the asset's location in Snipe-IT;
/// - an asset tag Snipe-IT does not know (it answers HTTP 200 with `"status":"error"`) is
///   recorded in status (`details.unknownAssets`), counted, and, with `forwardUnknown`, told as
///   an `unknown` event through `onUnknown`, once per tag; it never blocks later events.
public final class SnipeITSink: DetailedSink, Sendable {
    public enum AssetTag: Sendable { case raw, key }

    /// What `audit(for:)` makes of an event.
    public enum Plan: Hashable, Sendable {
        case audit(tag: String, location: Int)
        /// A move into a zone no location is mapped to.
        case unmapped(zone: String)
        /// Not a move into a zone (a departure, an alert): nothing to record.
        case nothing
    }

    public let id: String
    public var kind: String { "snipeit" }
    let auditURL: String
    let token: String
    let locations: [String: Int]
    let assetTag: AssetTag
    let poster: HTTPPoster
    let clock: @Sendable () -> Timestamp
    let stopwatch: Stopwatch
    let timers: GatewayClock
    let onUnknown: (@Sendable (_ event: MovementEvent, _ message: String) async -> Void)?
    let metrics: any MetricsFactory
    let logger = Logger(label: "tagway.snipeit")
    private let state: Mutex<State>
    private let observers = Mutex<[@Sendable () -> Void]>([])

    private struct State {
        var pacer: RequestPacer
        var findings = SnipeITFindings()
        /// The seq of the last event of the batch in hand that needs no more work.
        var doneThrough: Int64 = .min
    }

    public init(id: String, baseURL: String, token: String, locations: [String: Int], assetTag: AssetTag = .raw,
                requestsPerMinute: Int = RequestPacer.snipeITDefault, caFile: String? = nil, timeout: Duration = .seconds(10),
                clock: @escaping @Sendable () -> Timestamp, timers: GatewayClock = .system,
                metrics: any MetricsFactory = MetricsSystem.factory,
                onUnknown: (@Sendable (_ event: MovementEvent, _ message: String) async -> Void)? = nil) throws {
        self.id = id
        auditURL = (baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL) + "/api/v1/hardware/audit"
        self.token = token
        self.locations = locations
        self.assetTag = assetTag
        self.clock = clock
        self.timers = timers
        stopwatch = timers.stopwatch()
        self.metrics = metrics
        self.onUnknown = onUnknown
        var initial = State(pacer: RequestPacer(requestsPerMinute: requestsPerMinute))
        initial.findings.pacing.requestsPerMinute = initial.pacer.requestsPerMinute
        state = Mutex(initial)
        poster = try HTTPPoster(caFile: caFile, timeout: timeout)
    }

    /// Audits Snipe-IT refused for another reason than an unknown tag, and unknown-tag answers.
    public var skipped: Int { state.withLock { $0.findings.refused + $0.findings.unknownAudits } }
    public var findings: SnipeITFindings { state.withLock { $0.findings } }

    public var detailsJSON: String { state.withLock { $0.findings.json } }

    public func onDetailsChange(_ observer: @escaping @Sendable () -> Void) {
        observers.withLock { $0.append(observer) }
    }

    /// What to do with an event: an audit, a skipped move into an unmapped zone, or nothing.
    public func plan(for event: MovementEvent) -> Plan {
        guard [.arrived, .moved, .observed].contains(event.type) || (event.type == .passed && event.direction == .in),
              let zone = event.to else { return .nothing }
        // A location id is 1 or more (the configuration checks it): never an empty or zero one.
        guard let location = locations[zone], location > 0 else { return .unmapped(zone: zone) }
        let tag = assetTag == .raw ? event.asset.raw : event.asset.key
        return tag.isEmpty ? .nothing : .audit(tag: tag, location: location)
    }

    public func deliver(_ events: [MovementEvent]) async -> DeliveryOutcome {
        let todo = state.withLock { s in events.filter { ($0.seq ?? .max) > s.doneThrough } }
        var pending = todo.filter { if case .audit = plan(for: $0) { true } else { false } }.count
        setPending(pending)
        for event in todo {
            switch plan(for: event) {
            case .nothing:
                break
            case .unmapped(let zone):
                state.withLock { $0.findings.unmapped(zone: zone) }
                count("tagway_snipeit_unmapped_zone_events_total", [("zone", zone)])
                changed()
            case .audit(let tag, let location):
                if let outcome = await audit(event, tag: tag, location: location) {
                    setPending(pending)
                    return outcome
                }
                pending -= 1
                setPending(pending)
            }
            if let seq = event.seq { state.withLock { $0.doneThrough = seq } }
        }
        return .delivered
    }

    /// Sends one audit when the pacer gives it a slot; nil when it needs no retry (audited,
    /// unknown, refused), the outcome to hand the outbox otherwise.
    private func audit(_ event: MovementEvent, tag: String, location: Int) async -> DeliveryOutcome? {
        let wait = state.withLock { $0.pacer.reserve(now: monotonicNow()) }
        if wait > .zero {
            notePacing()
            guard await timers.sleep(for: wait) else {
                state.withLock { $0.pacer.release(now: monotonicNow()) }
                return .retry(reason: "stopping", after: nil)
            }
        }
        var body = JSONObjectWriter()
        body.string("asset_tag", tag)
        body.number("location_id", Int64(location))
        body.bool("update_location", true)
        body.string("note", "tagway \(event.type.rawValue) event \(event.id)")
        let headers = [("Authorization", "Bearer \(token)"), ("Accept", "application/json"),
                       ("Content-Type", "application/json"), ("User-Agent", "tagway")]
        count("tagway_snipeit_requests_total", [])
        let sent = await poster.send(url: auditURL, headers: headers, body: body.finish())
        let now = clock()
        switch sent {
        case .failure(let failure):
            return .retry(reason: failure.message, after: nil)
        case .success(let response):
            storeLimits(response)
            let outcome = HTTPDeliveryClassifier.outcome(status: response.status, retryAfter: response.retryAfter,
                                                         body: response.body, now: now)
            guard outcome == .delivered else { return outcome }
            switch SnipeITAnswer(body: response.body) {
            case .audited:
                break
            case .unknownAsset(let message):
                let first = state.withLock { $0.findings.notFound(tag: tag, key: event.asset.key, at: now) }
                count("tagway_snipeit_unknown_asset_audits_total", [])
                if first {
                    logger.warning("snipeit \(id): no asset has tag '\(tag)' (event \(event.id)): \(message)")
                    await onUnknown?(event, message)
                }
                changed()
            case .refused(let message):
                state.withLock { $0.findings.refusal(message) }
                count("tagway_snipeit_refused_total", [])
                logger.warning("snipeit \(id): audit of '\(tag)' (event \(event.id)) refused: \(message)")
                changed()
            }
            return nil
        }
    }

    /// A `Retry-After` (429) or an exhausted budget holds every request: until then, or for a
    /// minute (the store's window) when it does not say.
    private func storeLimits(_ response: HTTPPoster.Response) {
        var hold: Duration?
        if response.status == 429 {
            let seconds = response.retryAfter.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 60
            hold = Duration.seconds(min(max(seconds, 1), 3600))
        } else if response.rateLimitRemaining == 0 {
            hold = .seconds(60)
        }
        guard let hold else { return }
        let now = monotonicNow()
        state.withLock {
            $0.pacer.holdOff(until: now + hold)
            $0.findings.pacing.heldByStoreUntil = clock() + hold
        }
        changed()
    }

    private func monotonicNow() -> MonotonicInstant {
        MonotonicInstant(milliseconds: stopwatch.elapsed().wholeMilliseconds)
    }

    private func setPending(_ count: Int) {
        state.withLock { $0.findings.pacing.pendingAudits = max(0, count) }
        notePacing()
    }

    private func notePacing() {
        let now = monotonicNow()
        let wall = clock()
        state.withLock { s in
            s.findings.pacing.requests = s.pacer.started
            s.findings.pacing.waitedMilliseconds = s.pacer.waited.wholeMilliseconds
            s.findings.pacing.nextRequest = s.pacer.nextSlot(after: now).map { wall + ($0 - now) }
            if let held = s.findings.pacing.heldByStoreUntil, held <= wall { s.findings.pacing.heldByStoreUntil = nil }
        }
        changed()
    }

    private func changed() {
        for observer in observers.withLock({ $0 }) { observer() }
    }

    private func count(_ label: String, _ dimensions: [(String, String)]) {
        Counter(label: label, dimensions: [("sink", id)] + dimensions, factory: metrics).increment()
    }

    /// Snipe-IT's `{"status":"error","messages":…}` inside a 200; nil for success.
    public static func applicationError(_ body: String) -> String? {
        switch SnipeITAnswer(body: body) {
        case .audited: nil
        case .unknownAsset(let message), .refused(let message): message
        }
    }

    public func shutdown() async { await poster.shutdown() }
}
