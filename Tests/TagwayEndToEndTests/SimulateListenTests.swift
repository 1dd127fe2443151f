import Foundation
import Testing
import TagwayLLRP
import TagwayTestSupport

/// `tagway simulate --listen` as an operator runs it: it prints where the LLRP reader listens,
/// serves the built-in dock door to a client, and honours a fault flag.
@Suite struct SimulateListenTests {
    @Test func simulateListenServesAnLLRPReaderWithItsFaults() async throws {
        let dir = makeTemporaryDirectory("simulate-llrp")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A profile of its own, so the test does not depend on which LLRP profiles ship.
        try FileManager.default.createDirectory(atPath: dir + "/devices/acme", withIntermediateDirectories: true)
        try """
            id: acme/portal
            name: Acme dock portal
            transport: llrp
            protocol: llrp
            technology: epc-gen2
            """.write(toFile: dir + "/devices/acme/portal.yaml", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = GatewayProcess.executable
        process.arguments = ["simulate", "--profile", "acme/portal", "--listen", "127.0.0.1:0", "--devices", dir + "/devices",
                             "--drop-after-reports", "3", "--loop"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let reader = LineReader(out.fileHandleForReading)
        let first = await reader.lines(upTo: 1).first ?? ""
        #expect(first.hasPrefix("simulating Acme dock portal (LLRP) on 127.0.0.1:"), "\(first)")
        guard let port = first.split(separator: ":").last.flatMap({ Int($0.prefix(while: \.isNumber)) }) else {
            Issue.record("no port in '\(first)'")
            return
        }
        let client = try LLRPSocketClient(port: port)
        guard case .readerEventNotification(let greeting) = try client.next()?.message else {
            Issue.record("no greeting")
            return
        }
        #expect(greeting.connectionAttempt == .success)
        try LLRPEmulatorServerTests.startInventory(client)
        // The dock door's pallets pass over and over (--loop: a test resumed late still finds them);
        // the reader hangs up after its third report.
        let heard = try client.readUntilClosed()
        #expect(client.closedByServer)
        #expect(heard.filter(LLRPEmulatorServerTests.isReport).count == 3)
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let printed = await reader.lines(upTo: 10)
        #expect(printed.contains { $0.contains("connected (connection 1)") }, "\(printed)")
    }
}
