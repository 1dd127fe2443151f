import Testing
import TagwayEmulators
import TagwayLLRP
import TagwayModel

/// Each scripted fault does what a client must survive, and only on the connections it is
/// scripted for.
@Suite struct EmulatorFaultTests {
    static let pallet = tag("3074257BF7194E4000001A85", antenna: 1, rssi: -50)

    @Test func aBusyReaderRefusesTheConnectionAndHangsUp() throws {
        var client = EmulatorClient(LLRPEmulatorScript(faults: .init(busy: true)))
        let greeting = try client.connect()
        #expect(greeting.events.map(\.connectionAttempt) == [.clientInitiatedConnectionExists])
        #expect(client.reader.closeRequested)
        #expect(try client.send(.getReaderCapabilities, id: 1).isEmpty)
    }

    @Test func theRefusalOfASecondClientLeavesTheFirstOneAlone() throws {
        var client = EmulatorClient()
        client.field = [Self.pallet]
        try client.startInventory()
        var second = EmulatorClient()
        let refusal = try second.heard(client.reader.refusal(now: client.now))
        #expect(refusal.events.map(\.connectionAttempt) == [.clientInitiatedConnectionExists])
        #expect(!client.reader.closeRequested)
        #expect(try client.tick().reports.count == 1)
    }

    @Test func aRejectedROSpecGetsTheScriptedStatus() throws {
        let status = LLRPStatus(code: .parameterError, errorDescription: "antenna 2 not connected")
        var client = EmulatorClient(LLRPEmulatorScript(faults: .init(rejectAddROSpec: status)))
        _ = try client.connect()
        let answer = try client.send(.addROSpec(ROSpec(id: 1, antennas: [.init(id: 1)])), id: 12)
        #expect(answer == [LLRPEnvelope(id: 12, message: .response(to: .addROSpec, status))])
        #expect(try client.send(.enableROSpec(roSpecID: 1), id: 13).first?.message
            == .response(to: .enableROSpec, LLRPStatus(code: .fieldError, errorDescription: "no ROSpec with id 1")))
    }

    @Test func theConnectionDropsAfterTheScriptedNumberOfReports() throws {
        var client = EmulatorClient(LLRPEmulatorScript(faults: .init(dropAfterReports: 3)))
        client.field = [Self.pallet]
        try client.startInventory()
        #expect(try client.ticks(10).reports.count == 3)
        #expect(client.reader.closeRequested)
        #expect(client.reader.reportsSent == 3)
    }

    @Test func theConnectionDropsAfterTheScriptedTime() throws {
        var client = EmulatorClient(LLRPEmulatorScript(faults: .init(dropAfter: .seconds(2))))
        client.field = [Self.pallet]
        try client.startInventory()
        #expect(try client.ticks(19).reports.count == 19)
        #expect(!client.reader.closeRequested)
        #expect(try client.tick().isEmpty)
        #expect(client.reader.closeRequested)
    }

    @Test func aStalledReaderSendsHalfAMessageThenNothing() throws {
        var client = EmulatorClient(LLRPEmulatorScript(faults: .init(stallAfterReports: 2)))
        client.field = [Self.pallet]
        try client.startInventory(keepaliveMilliseconds: 100)
        let heard = try client.ticks(3)
        #expect(heard.reports.count == 2)
        // The third report's first half is on the wire, unframeable until bytes that never come.
        #expect(client.window.count > 0)
        #expect(try client.ticks(20).isEmpty)
        #expect(try client.send(.getReaderCapabilities, id: 9).isEmpty)
        #expect(!client.reader.closeRequested)
    }

    @Test func aSilentReaderStopsKeepalivesReportsAndAnswers() throws {
        var client = EmulatorClient(LLRPEmulatorScript(faults: .init(silentAfter: .seconds(1))))
        client.field = [Self.pallet]
        try client.startInventory(keepaliveMilliseconds: 300)
        let alive = try client.ticks(9)
        #expect(alive.keepalives == 3)
        #expect(alive.reports.count == 9)
        #expect(try client.ticks(30).isEmpty)
        #expect(try client.send(.keepaliveAck, id: 1).isEmpty)
        #expect(try client.send(.getReaderCapabilities, id: 2).isEmpty)
        #expect(!client.reader.closeRequested)
    }

    @Test func aFloodingReaderSendsTheScriptedReportsPerCall() throws {
        var client = EmulatorClient(LLRPEmulatorScript(faults: .init(floodReportsPerCall: 50)))
        client.field = [Self.pallet, tag("3414257BF40000000000303B", antenna: 2, rssi: -60)]
        try client.startInventory()
        let reports = try client.tick(.zero).reports
        #expect(reports.count == 50)
        #expect(reports.allSatisfy { $0.count == 2 })
    }

    @Test func onlyTheScriptedConnectionsAreFaulty() throws {
        var client = EmulatorClient(LLRPEmulatorScript(faults: .init(busy: true), faultyConnections: 2))
        #expect(try client.connect().events.map(\.connectionAttempt) == [.clientInitiatedConnectionExists])
        #expect(try client.connect().events.map(\.connectionAttempt) == [.clientInitiatedConnectionExists])
        #expect(try client.connect().events.map(\.connectionAttempt) == [.success])
        #expect(!client.reader.closeRequested)
        #expect(client.reader.connections == 3)
    }

    @Test func aReconnectStartsFromScratch() throws {
        var client = EmulatorClient()
        client.field = [Self.pallet]
        try client.startInventory(keepaliveMilliseconds: 500)
        #expect(try client.ticks(5).reports.count == 5)
        _ = try client.connect()
        #expect(client.reader.activeROSpec == nil)
        #expect(client.reader.keepalive == nil)
        #expect(try client.ticks(10).isEmpty)
    }
}
