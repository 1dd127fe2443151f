import Foundation
import Testing
import TagwayCapture
import TagwayEmulators
import TagwayModel
import TagwayProtocols
import TagwaySessions
import TagwayTestSupport

/// An LLRP reader's capture replays through the LLRP conversation: the conversation says its
/// requests again (to nobody), takes the reader's captured answers (same message ids, since a
/// conversation's ids depend only on what it was told), and reads the captured reports.
@Suite struct ReplayLLRPTests {
    static let t0: Int64 = 1_764_698_400_000
    static let epc = "3074257BF7194E4000001A85"

    /// The gateway's conversation and the emulated reader talking in memory, every exchange 5 ms
    /// apart, then the reader's own traffic every 100 ms with the tag on antenna 2 from 0.5 s to
    /// 1.5 s; what the reader sent is written as `llrp` records, what the gateway sent as `tx`.
    static func capture() throws -> (text: [UInt8], reads: Int) {
        let driver = try #require(ProtocolRegistry.descriptor(for: "llrp")?.conversation)
        var conversation = try driver.makeConversation(["vendorExtensions": "true"], ConversationContext(antennas: [1, 2]))
        var emulator = driver.makeEmulator([:])
        var out = Array(CaptureFormat.headerText(CaptureHeader(reader: "dock3", profile: "impinj/r700", protocolID: "llrp",
                                                               transport: "llrp")).utf8)
        var now = Timestamp(milliseconds: t0)
        CaptureFormat.append(CaptureRecord(time: now, kind: .open), to: &out)
        var reads = 0
        func exchange(_ fromReader: [UInt8]) -> [UInt8] {
            guard !fromReader.isEmpty else { return [] }
            CaptureFormat.append(CaptureRecord(time: now, kind: .llrp, payload: fromReader), to: &out)
            let step = conversation.received(fromReader, at: now)
            reads += step.frames.count
            let toReader = step.send.flatMap { $0 }
            if !toReader.isEmpty { CaptureFormat.append(CaptureRecord(time: now, kind: .tx, payload: toReader), to: &out) }
            return toReader
        }
        _ = conversation.connected(at: now)
        var toReader = exchange(emulator.accepted(field: [], now: now))
        for _ in 0..<32 where !toReader.isEmpty {
            now = now + .milliseconds(5)
            toReader = exchange(emulator.respond(to: toReader, field: [], now: now))
        }
        let start = now
        for tick in 1...30 {
            now = start + .milliseconds(100 * tick)
            let seconds = Double(tick) / 10
            let field = seconds >= 0.5 && seconds < 1.5 ? [FieldTag(id: try #require(TagID(hex: epc)), antenna: 2, rssi: -58)] : []
            var answer = exchange(emulator.unsolicited(field: field, now: now))
            while !answer.isEmpty { answer = exchange(emulator.respond(to: answer, field: field, now: now)) }
        }
        return (out, reads)
    }

    @Test func anLLRPCaptureReplaysThroughTheConversation() throws {
        let dir = TestPaths.temporaryDirectory("replay-llrp")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (text, reads) = try Self.capture()
        #expect(reads >= 5, "the in-memory session reached its inventory")
        let capture = dir + "/dock3.tcap"
        try Data(text).write(to: URL(fileURLWithPath: capture))
        let config = dir + "/gateway.yaml"
        try """
            gateway: { id: replay, dataDir: "\(dir)/data", devicesDir: "\(repositoryDevices)" }
            debounce: { departAfter: 1s }
            readers:
              - { id: dock3, profile: impinj/r700, host: 127.0.0.1, antennas: { 1: dock3-out, 2: dock3-in } }
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let result = try ExternalCommand.run(executable: TestPaths.tagwayExecutable, ["replay", "--config", config, capture])
        #expect(result.status == 0, "\(result.transcript)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(result.transcript)")
        #expect(lines.first?.contains("\"type\":\"arrived\"") == true && lines.first?.contains("\"to\":\"dock3-in\"") == true,
                "\(result.transcript)")
        #expect(lines.last?.contains("\"type\":\"departed\"") == true, "\(result.transcript)")
        #expect(result.stderr.contains("decoded: \(reads) "), "the replay read what the live conversation read: \(result.stderr)")
    }
}
