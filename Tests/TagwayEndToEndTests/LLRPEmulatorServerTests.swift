import Foundation
import Testing
import TagwayEmulators
import TagwayLLRP
import TagwayModel
import TagwaySimulator

/// The emulated LLRP reader on a real TCP socket (127.0.0.1, a port the OS chose), spoken to by
/// a plain socket client through the codec: the greeting, a configured inventory whose reports
/// arrive, a dropped connection, and a second client refused while the first holds the reader.
@Suite(.serialized) struct LLRPEmulatorServerTests {
    static let epc = "3074257BF7194E4000001A85"
    static let field = try? Scenario.parse("0.0 enter \(epc) antenna=1 rssi=-52")

    static func startInventory(_ client: LLRPSocketClient, keepaliveMilliseconds: UInt32? = nil) throws {
        let requests: [LLRPMessage] = [
            .setReaderConfig(ReaderConfiguration(keepaliveMilliseconds: keepaliveMilliseconds)), .deleteROSpec(roSpecID: 0),
            .addROSpec(ROSpec(id: 1, antennas: [.init(id: 1), .init(id: 2)])), .enableROSpec(roSpecID: 1), .startROSpec(roSpecID: 1),
        ]
        for (offset, request) in requests.enumerated() {
            let id = UInt32(10 + offset)
            try client.send(request, id: id)
            let answer = try client.read { $0.id == id }.last
            guard case .response(_, let status) = answer?.message, status.isSuccess else {
                throw LLRPSocketClient.Failure(description: "\(request) answered \(String(describing: answer))")
            }
        }
    }

    static func isReport(_ envelope: LLRPEnvelope) -> Bool {
        if case .roAccessReport = envelope.message { return true }
        return false
    }

    @Test func greetsAnswersAndReportsTheFieldOverTCP() async throws {
        let server = try await LLRPEmulatorServer.start(scenario: Self.field ?? Scenario(steps: []))
        defer { Task { await server.stop() } }
        #expect(server.port > 0)
        let client = try LLRPSocketClient(port: server.port)
        guard case .readerEventNotification(let greeting) = try client.next()?.message else {
            Issue.record("no greeting")
            return
        }
        #expect(greeting.connectionAttempt == .success)
        try client.send(.getReaderCapabilities, id: 3)
        #expect(try client.next() == LLRPEnvelope(id: 3, message: .getReaderCapabilitiesResponse(.success, LLRPEmulatorScript.impinjR700)))
        try Self.startInventory(client, keepaliveMilliseconds: 200)
        let heard = try client.read { $0.message == .keepalive }
        let tags = heard.compactMap { if case .roAccessReport(let tags) = $0.message { tags } else { nil } }.flatMap { $0 }
        #expect(!tags.isEmpty)
        #expect(tags.allSatisfy { $0.epc == TagID(hex: Self.epc)?.bytes && $0.antennaID == 1 && $0.peakRSSI == -52 })
    }

    @Test func aSecondClientIsToldTheReaderIsTakenAndClosed() async throws {
        let server = try await LLRPEmulatorServer.start(scenario: Self.field ?? Scenario(steps: []))
        defer { Task { await server.stop() } }
        let first = try LLRPSocketClient(port: server.port)
        #expect(try first.next() != nil)
        let second = try LLRPSocketClient(port: server.port)
        let refused = try second.readUntilClosed()
        #expect(second.closedByServer)
        guard case .readerEventNotification(let event) = refused.first?.message else {
            Issue.record("the second client heard \(refused)")
            return
        }
        #expect(event.connectionAttempt == .clientInitiatedConnectionExists)
        // The first client's connection goes on.
        try Self.startInventory(first)
        #expect(try first.read(until: Self.isReport).last.map(Self.isReport) == true)
    }

    @Test func aDroppedClientComesBackToAFreshReader() async throws {
        let server = try await LLRPEmulatorServer.start(scenario: Self.field ?? Scenario(steps: []))
        defer { Task { await server.stop() } }
        let first = try LLRPSocketClient(port: server.port)
        _ = try first.next()
        try Self.startInventory(first)
        _ = try first.read(until: Self.isReport)
        await server.dropClient()
        _ = try first.readUntilClosed()
        #expect(first.closedByServer)
        let again = try LLRPSocketClient(port: server.port)
        guard case .readerEventNotification(let event) = try again.next()?.message else {
            Issue.record("no greeting on reconnecting")
            return
        }
        #expect(event.connectionAttempt == .success)
        // The ROSpec went with the old connection: the new client sets up its own.
        try Self.startInventory(again)
        #expect(try again.read(until: Self.isReport).last.map(Self.isReport) == true)
    }

    @Test func aScriptedDropClosesTheConnectionAfterItsReports() async throws {
        let emulator = LLRPReaderEmulator(script: LLRPEmulatorScript(faults: .init(dropAfterReports: 4)))
        let server = try await LLRPEmulatorServer.start(emulator: emulator, scenario: Self.field ?? Scenario(steps: []))
        defer { Task { await server.stop() } }
        let client = try LLRPSocketClient(port: server.port)
        _ = try client.next()
        try Self.startInventory(client)
        let heard = try client.readUntilClosed()
        #expect(client.closedByServer)
        #expect(heard.filter(Self.isReport).count == 4)
    }

    @Test func aScenarioPullsAnAntennaCableAndTheClientHearsIt() async throws {
        let scenario = try Scenario.parse("""
            0.0 enter \(Self.epc) antenna=2 rssi=-60
            0.3 antenna 2 off
            """)
        #expect(throws: Scenario.ParseError.self) { try Scenario.parse("1.0 antenna 2 sideways") }
        let server = try await LLRPEmulatorServer.start(scenario: scenario)
        defer { Task { await server.stop() } }
        let client = try LLRPSocketClient(port: server.port)
        _ = try client.next()
        let heard = try client.read { envelope in
            if case .readerEventNotification(let event) = envelope.message { return !event.antennaEvents.isEmpty }
            return false
        }
        guard case .readerEventNotification(let event) = heard.last?.message else {
            Issue.record("no antenna event: \(heard)")
            return
        }
        #expect(event.antennaEvents == [.init(antennaID: 2, connected: false)])
    }

    @Test func theBuiltInDockDoorScenarioCrossesFromOutsideToInside() throws {
        let steps = try Scenario.parse(LLRPDockDoorScenario.text).steps
        #expect(LLRPDockDoorScenario.scenario.steps == steps)
        let entered = steps.compactMap { if case .enter(let tag) = $0.action { tag } else { nil } }
        let pallet = entered.filter { $0.id == TagID(hex: "3074257BF7194E4000001A85") }
        #expect(pallet.map(\.antenna) == [LLRPDockDoorScenario.outsideAntenna, LLRPDockDoorScenario.insideAntenna])
        #expect(steps.last?.action == .end)
    }

    @Test func aFloodingReaderWritesAsFastAsTheClientReads() async throws {
        let emulator = LLRPReaderEmulator(script: LLRPEmulatorScript(faults: .init(floodReportsPerCall: 10)))
        let server = try await LLRPEmulatorServer.start(emulator: emulator, scenario: Self.field ?? Scenario(steps: []))
        defer { Task { await server.stop() } }
        let client = try LLRPSocketClient(port: server.port)
        _ = try client.next()
        try Self.startInventory(client)
        // The 50 ms tick alone would give 200 reports/s: 20,000 within the 30 s bound only when
        // writes follow the socket.
        var reports = 0
        let started = ContinuousClock.now
        _ = try client.read { envelope in
            if Self.isReport(envelope) { reports += 1 }
            return reports >= 20_000 || ContinuousClock.now - started > .seconds(30)
        }
        let elapsed = ContinuousClock.now - started
        #expect(reports == 20_000)
        print("LLRP emulator flood: \(reports) reports in \(elapsed)")
    }
}
