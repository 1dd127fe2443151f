import Foundation
import Synchronization
import TagwayAPI

extension Gateway: ReadinessSource {
    /// `/readyz`: the log writable, the pipeline's heartbeat recent, each required reader
    /// connected or in its grace period, and what waits for a restart.
    /// Without a watchdog nothing asks the pipeline on a clock: each probe asks it for the next.
    public func readiness(now: ContinuousClock.Instant) -> Readiness {
        heartbeat.requestPulse()
        var readiness = ReadinessDecision.evaluate(readinessSnapshot(now: ServiceClock.elapsed(at: now)), now: ServiceClock.elapsed(at: now))
        readiness.checks += health.filters.readinessChecks(at: clock())
        return readiness
    }

    func readinessSnapshot(now: Duration) -> ReadinessSnapshot {
        let board = Dictionary(health.snapshot.map { ($0.reader, $0) }, uniquingKeysWith: { first, _ in first })
        let readers = config.readers.map { reader in
            let entry = board[reader.id]
            let connected = entry?.connected ?? false
            return ReadinessSnapshot.Reader(id: reader.id, required: reader.required, connected: connected,
                                            unconnectedSince: readerAbsence.observe(reader.id, connected: connected, now: now),
                                            lastError: entry?.lastError)
        }
        var snapshot = ReadinessSnapshot(log: writeHealth.snapshot, lastBeat: heartbeat.evidence(now: now), beatWindow: heartbeat.window,
                                         readers: readers, readyGrace: config.readyGrace, restartReasons: restartNotice.reasons)
        snapshot.contention = portContention(board: board)
        return snapshot
    }

    /// brltty and ModemManager against the serial readers' ports, looked at when a probe asks
    /// (no timer, no idle wake-up) and only when serial readers are configured. A reader found
    /// by USB serial number is checked at the tty its session found last.
    func portContention(board: [String: ReaderHealth]) -> [PortContention] {
        let serial = config.readers.filter { $0.profile.transport == .serial }
        guard !serial.isEmpty else { return [] }
        let ports: [(reader: String?, node: String)] = serial.compactMap { reader in
            if let port = reader.port { return (reader.id, hostRoot == "/" ? DeviceInventory.realPath(port) : port) }
            guard let path = board[reader.id]?.path, path.hasPrefix("/dev/") else { return nil }
            return (reader.id, path)
        }
        let host = HostObservation.scan(root: hostRoot, ports: ports)
        return PortContentionDetector.findings(host, bridges: serial.flatMap(\.profile.bridges))
    }

}

/// `ReaderGraceTracker` behind a lock, told of connection changes by the health board and
/// looked at by the probes.
final class ReaderAbsence: Sendable {
    private let tracker: Mutex<ReaderGraceTracker>

    init(readers: [String], start: Duration) { tracker = Mutex(ReaderGraceTracker(readers: readers, start: start)) }

    /// Records what was seen and returns since when `reader` has been unconnected (nil: connected).
    func observe(_ reader: String, connected: Bool, now: Duration) -> Duration? {
        tracker.withLock {
            $0.observe(reader: reader, connected: connected, now: now)
            return $0.unconnectedSince(reader)
        }
    }
}
