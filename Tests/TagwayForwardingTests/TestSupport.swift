import Foundation
import TagwayEventLog
import TagwayModel
import TagwayTestSupport

/// Shared helpers of the forwarding tests: sample events, temporary directories, free ports,
/// and bounded polling (tests never assert a time; they wait for a state, with a bound).
enum Fixture {
    static func event(_ i: Int, type: EventType = .arrived, to: String? = "dock-3", from: String? = nil) -> MovementEvent {
        var rng = SystemRandomNumberGenerator()
        let time = Timestamp(milliseconds: 1_764_000_000_000 + Int64(i) * 10)
        return MovementEvent(id: EventID.make(time: time, using: &rng), type: type, time: time, gateway: "test-gw",
                             asset: AssetRef(key: "urn:epc:id:giai:0614141.\(i)", scheme: "giai", raw: "TAG-\(i)"),
                             from: from, to: to, readPoint: "door3-in", reader: "door3-uhf", rssi: -55, reads: 3)
    }

    static func temporaryDirectory(_ label: String) -> String {
        let dir = NSTemporaryDirectory() + "tagway-fwd-\(label)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Appends `count` events to `log` in batches, numbered from `start`.
    @discardableResult
    static func fill(_ log: EventLog, count: Int, start: Int = 0) async throws -> [MovementEvent] {
        var stored: [MovementEvent] = []
        var i = start
        while i < start + count {
            let n = min(1000, start + count - i)
            stored += try await log.append((i..<(i + n)).map { event($0) })
            i += n
        }
        return stored
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago.
    static func freePort() -> Int { LoopbackPort.free() }
}

/// Where two id lists first differ, for a readable failure message.
func firstDifference(_ got: [String], _ expected: [String]) -> String {
    let index = (0..<min(got.count, expected.count)).first { got[$0] != expected[$0] } ?? min(got.count, expected.count)
    return "got \(got.count), expected \(expected.count); first difference at index \(index)"
}

/// The wall clock, for the parts under test that need one.
let wallClock: @Sendable () -> Timestamp = { Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)) }

/// Polls `condition` every 50 ms, at most `attempts` times; returns whether it held.
func eventually(attempts: Int = 600, _ condition: () async throws -> Bool) async rethrows -> Bool {
    for _ in 0..<attempts {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
