import Foundation
import Testing
import TagwayModel
import TagwaySerial

/// What a serial line held before `tagway run` opened it is not a read of now. The kill -9 stress
/// test found the case: the gateway killed after sending an M100 its poll and before reading the
/// reply; the next gateway, nine seconds later, read that reply, and a tag that had left the
/// field arrived again (and departed again). A pty keeps such bytes for the next opener, and so
/// do many USB-serial adapters.
@Suite struct StaleSerialInputTests {
    @Test func aScanQueuedBeforeTheStartIsDiscardedAndTheNextIsRead() async throws {
        let dir = makeTemporaryDirectory("stale-input")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let stale = Array("]C0STALE-1\r\n".utf8)
        pty.write(stale)
        for _ in 0..<3_000 where pty.queuedForSlave < stale.count { try await Task.sleep(for: .milliseconds(10)) }
        #expect(pty.queuedForSlave == stale.count)
        let gateway = try GatewayProcess(config: """
            gateway: { id: stale, dataDir: "\(dir)/data", devicesDir: "\(repositoryDevices)" }
            readers:
              - { id: desk, profile: generic/serial-barcode, port: "\(pty.slavePath)", readPoint: helpdesk }
            """, dataDir: dir + "/data")
        #expect(try await gateway.waitForLog("reader desk: connected"), "\(gateway.errors)")
        #expect(gateway.errors.contains("discarded \(stale.count) bytes queued before the open"), "\(gateway.errors)")
        pty.write(Array("]C0FRESH-1\r\n".utf8))
        let events = try await gateway.waitForEvents { $0.count >= 1 }
        // Give a late stale scan (it would come first, being first in the line) time to show.
        try await Task.sleep(for: .milliseconds(300))
        let all = try await gateway.waitForEvents { $0.count >= events.count }
        _ = gateway.stop()
        #expect(all.map(\.asset.raw) == ["FRESH-1"], "\(all.map(\.asset.raw))")
    }
}
