import Foundation
import Testing
import TagwayEmulators
import TagwayModel
import TagwaySerial

/// What a serial line held before `tagway run` opened it. The kill -9 stress test found the case:
/// the gateway killed after sending an M100 its poll and before reading the reply; the next
/// gateway, nine seconds later, read that reply, and a tag that had left the field arrived again
/// (and departed again). A pty keeps such bytes for the next opener, and so do many USB-serial
/// adapters. A tag reader's queued reads are dropped at the open; a scanner's queued scans are kept.
@Suite struct StaleSerialInputTests {
    /// Writes `bytes` into the line and waits until the kernel has queued them for the slave's
    /// next reader (a pty moves bytes to the line discipline on a worker).
    static func queue(_ bytes: [UInt8], on pty: PseudoTerminal) async throws {
        pty.write(bytes)
        for _ in 0..<3_000 where pty.queuedForSlave < bytes.count { try await Task.sleep(for: .milliseconds(10)) }
        #expect(pty.queuedForSlave == bytes.count)
    }

    static func run(_ dir: String, profile: String, on pty: PseudoTerminal) throws -> GatewayProcess {
        try GatewayProcess(config: """
            gateway: { id: stale, dataDir: "\(dir)/data", devicesDir: "\(repositoryDevices)" }
            debounce: { departAfter: 600s }
            readers:
              - { id: desk, profile: \(profile), port: "\(pty.slavePath)", readPoint: helpdesk }
            """, dataDir: dir + "/data")
    }

    @Test func aTagReadQueuedBeforeTheStartIsDiscardedAndTheNextIsRead() async throws {
        let dir = makeTemporaryDirectory("stale-tag")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let stale = EM4100Emulator.frame(TagID(bytes: [0x01, 0x00, 0x00, 0x00, 0x0A]), variant: .rdm6300)
        try await Self.queue(stale + stale, on: pty)
        let gateway = try Self.run(dir, profile: "generic/rdm6300-ch340", on: pty)
        #expect(try await gateway.waitForLog("reader desk: connected"), "\(gateway.errors)")
        #expect(gateway.errors.contains("discarded \(2 * stale.count) bytes queued before the open"), "\(gateway.errors)")
        pty.write(EM4100Emulator.frame(TagID(bytes: [0x01, 0x00, 0x00, 0x00, 0x0B]), variant: .rdm6300))
        let events = try await gateway.waitForEvents { $0.count >= 1 }
        _ = gateway.stop()
        #expect(events.map(\.type) == [.arrived], "\(events)")
        #expect(events.map(\.asset.raw) == ["010000000B"], "\(events.map(\.asset.raw))")
    }

    @Test func aScanMadeBeforeTheStartIsKept() async throws {
        let dir = makeTemporaryDirectory("stale-scan")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pty = try PseudoTerminal()
        defer { pty.close() }
        try await Self.queue(Array("]C0EARLY-1\r\n".utf8), on: pty)
        let gateway = try Self.run(dir, profile: "generic/serial-barcode", on: pty)
        #expect(try await gateway.waitForLog("reader desk: connected"), "\(gateway.errors)")
        pty.write(Array("]C0LATER-1\r\n".utf8))
        let events = try await gateway.waitForEvents { $0.count >= 2 }
        _ = gateway.stop()
        #expect(events.map(\.asset.raw) == ["EARLY-1", "LATER-1"], "\(events.map(\.asset.raw))")
        #expect(!gateway.errors.contains("queued before the open"), "\(gateway.errors)")
    }
}
