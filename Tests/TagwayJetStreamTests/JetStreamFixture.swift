import Foundation
import Logging
import NATSServerSupport
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwayRuntime
import TagwaySinks

/// Events, the forwarder and the polling the JetStream tests share.
enum JetStreamFixture {
    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    static func event(_ i: Int, gateway: String = "gw-1", type: EventType = .arrived) -> MovementEvent {
        var rng = SystemRandomNumberGenerator()
        let time = Timestamp(milliseconds: 1_764_000_000_000 + Int64(i) * 10)
        return MovementEvent(id: EventID.make(time: time, using: &rng), type: type, time: time, gateway: gateway,
                             asset: AssetRef(key: "urn:epc:id:giai:0614141.\(i)", scheme: "giai", raw: "TAG-\(i)"),
                             from: type == .departed ? "dock-3" : nil, to: type == .departed ? nil : "dock-3",
                             readPoint: "door3-in", reader: "door3-uhf", rssi: -55, reads: 3)
    }

    static func options(_ servers: [String], replicas: Int = 1, ackTimeout: Duration = .seconds(2)) -> JetStreamOptions {
        JetStreamOptions(servers: servers, site: "hq", stream: JetStreamStreamSpec(name: "TAGWAY", subjects: ["tagway.>"], replicas: replicas),
                         maxInFlight: 64, ackTimeout: ackTimeout, clientName: "tagway-test")
    }

    static func forwarder(_ log: EventLog, sink: JetStreamSink, board: SinkStatusBoard, maxEvents: Int = 100) throws -> Forwarder {
        let policy = DeliveryPolicy(maxEvents: maxEvents, linger: .milliseconds(10), retryInitial: .milliseconds(50), retryMax: .milliseconds(500))
        return try Forwarder(log: log, sinks: [(sink, policy)], retention: RetentionPolicy(maxAge: nil), board: board,
                             logger: logger, clock: .system)
    }
}

/// Polls `condition` every 50 ms, at most `attempts` times; returns whether it held.
func eventually(attempts: Int = 600, _ condition: () async throws -> Bool) async rethrows -> Bool {
    for _ in 0..<attempts {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// What differs between the ids read from a stream and the events expected, in a few words
/// (missing, doubled, the first out of order), rather than two lists of thousands of ids.
func streamDifference(_ ids: [String?], _ expected: [MovementEvent]) -> String {
    let found = ids.compactMap { $0 }
    let want = expected.map(\.id)
    let missing = Set(want).subtracting(found).count
    let doubled = found.count - Set(found).count
    let firstOff = zip(found, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset
    return "\(found.count) stored of \(want.count) expected, \(missing) missing, \(doubled) doubled, "
        + "first difference at \(firstOff.map(String.init) ?? "none")"
        + (firstOff.map { i in " (stored \(found.firstIndex(of: want[i]).map(String.init) ?? "never") for expected \(i))" } ?? "")
}
