import Foundation
import Testing
import TagwayEmulators
import TagwayEventLog
import TagwayModel
import TagwaySimulator
#if canImport(Glibc)
import Glibc
#endif

/// Asset state across a SIGKILL of the real `tagway run` (issue 11): the restarted gateway
/// takes its asset table back from the log, so a tag that never left does not arrive again.
@Suite(.serialized) struct RestartEndToEndTests {
    @Test func aTagStillInRangeAfterAKillArrivesOnce() async throws {
        let dir = makeTemporaryDirectory("restart")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = dir + "/bay1"
        let emulator = try EmulatorFactory.make(protocolID: "magicrf-m100", settings: [:])
        let reader = try SimulatedReader(path: port, emulator: emulator,
                                         scenario: Scenario.parse("0.2 enter 3074257BF7194E4000001A85 rssi=-50\n"))
        defer { reader.stop() }
        let config = """
            gateway: { id: e2e, dataDir: "\(dir)", devicesDir: "\(repositoryDevices)", stateInterval: 100ms }
            debounce: { departAfter: 20s }
            readers:
              - { id: r1, profile: magicrf/m100, port: "\(port)", readPoint: bay-1 }
            """
        let first = try GatewayProcess(config: config, dataDir: dir)
        #expect(try await first.waitForLog("reader r1: connected"))
        reader.start()
        _ = try await first.waitForEvents { $0.contains { $0.type == .arrived } }
        // Let a few periodic state writes happen, then kill it mid-stream.
        let written = try await Self.waitForRow(dir) { $0.reads > 3 }
        #expect(written != nil)
        kill(first.process.processIdentifier, SIGKILL)
        let firstLog = first.stop()
        #expect(first.process.terminationReason == .uncaughtSignal)
        let killedAt = try #require(try EventLog.openExisting(directory: dir).assetStates().records.first)

        let second = try GatewayProcess(config: config, dataDir: dir)
        #expect(try await second.waitForLog("restored 1 assets (0 departed while stopped)"), "\(firstLog)")
        // Read again after the restart: the row moves on, and no event is made.
        let readAgain = try await Self.waitForRow(dir) { $0.lastRead > killedAt.lastRead && $0.reads > killedAt.reads }
        let secondLog = second.stop()
        #expect(readAgain != nil, "\(secondLog)")
        let events = try EventLog.openExisting(directory: dir).events(after: 0, limit: 100)
        #expect(events.map { "\($0.type.rawValue) \($0.asset.raw) \($0.to ?? "-")" } == [
            "arrived 3074257BF7194E4000001A85 bay-1",
        ], "\(secondLog)")
        let row = try #require(try EventLog.openExisting(directory: dir).assetStates().records.first)
        #expect(row.since == killedAt.since)
        #expect(row.zone == "bay-1")
    }

    /// Polls the log's single asset row until `done` holds (90 s at most).
    static func waitForRow(_ dir: String, until done: (AssetRecord) -> Bool) async throws -> AssetRecord? {
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            if let log = try? EventLog.openExisting(directory: dir), let row = try? log.assetStates().records.first, done(row) {
                return row
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }
}
