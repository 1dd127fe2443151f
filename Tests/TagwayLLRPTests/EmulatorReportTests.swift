import Testing
import TagwayEmulators
import TagwayLLRP
import TagwayModel

/// What the started ROSpec reports: the field's tags on its antennas, with the RSSI, timestamps
/// and seen counts a continuous inventory gives; keepalives at the period the client set; antenna
/// events when a cable comes and goes.
@Suite struct EmulatorReportTests {
    static let pallet = "3074257BF7194E4000001A85"
    static let crate = "3414257BF40000000000303B"
    static let stray = "E2801160600002054C5C4D1A"

    @Test func nothingIsReportedBeforeTheROSpecStarts() throws {
        var client = EmulatorClient()
        client.field = [tag(Self.pallet, antenna: 1, rssi: -50)]
        _ = try client.connect()
        _ = try client.send(.addROSpec(ROSpec(id: 1, antennas: [.init(id: 1)])), id: 1)
        _ = try client.send(.enableROSpec(roSpecID: 1), id: 2)
        #expect(try client.ticks(5).isEmpty)
    }

    @Test func reportsCarryTheFieldsTagsOnTheROSpecsAntennas() throws {
        var client = EmulatorClient()
        client.field = [tag(Self.pallet, antenna: 1, rssi: -50), tag(Self.crate, antenna: 2, rssi: -61), tag(Self.stray, antenna: 3, rssi: -40)]
        try client.startInventory(antennas: [1, 2])
        let first = try client.tick()
        let at = LLRPTimestamp.utc(microseconds: EmulatorClient.micros(client.now))
        #expect(first.reports == [
            [TagReport(epc: TagID(hex: Self.pallet)?.bytes ?? [], pc: 0x3000, antennaID: 1, peakRSSI: -50, firstSeen: at, lastSeen: at, seenCount: 1)],
            [TagReport(epc: TagID(hex: Self.crate)?.bytes ?? [], pc: 0x3000, antennaID: 2, peakRSSI: -61, firstSeen: at, lastSeen: at, seenCount: 1)],
        ])
        // Read all along: the next report starts one inventory round (25 ms) after the last one.
        let previous = client.now
        let second = try client.tick(.milliseconds(100))
        let firstSeen = LLRPTimestamp.utc(microseconds: EmulatorClient.micros(previous + .milliseconds(25)))
        let lastSeen = LLRPTimestamp.utc(microseconds: EmulatorClient.micros(client.now))
        #expect(second.reports.map { $0.first?.firstSeen } == [firstSeen, firstSeen])
        #expect(second.reports.map { $0.first?.lastSeen } == [lastSeen, lastSeen])
        #expect(second.reports.map { $0.first?.seenCount } == [4, 4])
        // Unsolicited messages number themselves, apart from the client's ids.
        let ids = (first + second).map(\.id)
        #expect(Set(ids).count == ids.count)
    }

    @Test func aTagMovingBetweenAntennasIsReportedOnEachInTurn() throws {
        var client = EmulatorClient()
        client.field = [tag(Self.pallet, antenna: 1, rssi: -58)]
        try client.startInventory(antennas: [1, 2])
        let outside = try client.ticks(3).reports.flatMap { $0 }
        client.field = [tag(Self.pallet, antenna: 2, rssi: -47)]
        let inside = try client.ticks(3).reports.flatMap { $0 }
        client.field = []
        let gone = try client.ticks(3)
        #expect(outside.map(\.antennaID) == [1, 1, 1])
        #expect(outside.map(\.peakRSSI) == [-58, -58, -58])
        #expect(inside.map(\.antennaID) == [2, 2, 2])
        #expect(inside.map(\.peakRSSI) == [-47, -47, -47])
        // A new antenna starts its own count: first seen is the round it was first read there.
        #expect(inside.first?.seenCount == 1)
        #expect(gone.isEmpty)
    }

    @Test(arguments: [(1, [1, 1, 1, 1, 1]), (2, [2, 2, 1]), (5, [5]), (0, [5])] as [(UInt16, [Int])])
    func reportsGroupTheRoundsTagsAsTheROSpecAsks(every: UInt16, sizes: [Int]) throws {
        var client = EmulatorClient()
        client.field = (1...5).map { tag("30742570000000000000000\($0)", antenna: 1, rssi: -50 - $0) }
        try client.startInventory(antennas: [1], reportEveryTags: every)
        let reports = try client.tick().reports
        #expect(reports.map(\.count) == sizes)
        #expect(reports.flatMap { $0 }.map(\.peakRSSI) == [-51, -52, -53, -54, -55])
    }

    @Test func onlyTheContentAskedForIsSent() throws {
        var client = EmulatorClient()
        client.field = [tag(Self.pallet, antenna: 1, rssi: -50)]
        try client.startInventory(antennas: [0], content: [.antennaID, .roSpecID, .channelIndex])
        let report = try client.tick().reports.first?.first
        #expect(report?.antennaID == 1)
        #expect(report?.roSpecID == 7)
        #expect(report?.channelIndex.map { (1...50).contains($0) } == true)
        #expect(report?.peakRSSI == nil && report?.firstSeen == nil && report?.seenCount == nil && report?.pc == nil)
    }

    @Test func impinjPhaseAndRSSIComeOnlyWithTheExtensionsEnabled() throws {
        var client = EmulatorClient()
        client.field = [tag(Self.pallet, antenna: 1, rssi: -50)]
        _ = try client.connect()
        _ = try client.send(.addROSpec(ROSpec(id: 1, antennas: [.init(id: 1)], impinjPhaseAndRSSI: true)), id: 1)
        _ = try client.send(.enableROSpec(roSpecID: 1), id: 2)
        _ = try client.send(.startROSpec(roSpecID: 1), id: 3)
        #expect(try client.tick().reports.first?.first?.impinjPeakRSSI == nil)
        _ = try client.send(.impinjEnableExtensions, id: 4)
        let report = try client.tick().reports.first?.first
        #expect(report?.impinjPeakRSSI == -5000)
        #expect(report?.impinjPhaseAngle.map { $0 < 4096 } == true)
    }

    @Test func keepalivesComeEveryPeriodTheClientSet() throws {
        var client = EmulatorClient()
        try client.startInventory(keepaliveMilliseconds: 1000)
        let heard = try client.ticks(35)
        #expect(heard.keepalives == 3)
        var quiet = EmulatorClient()
        try quiet.startInventory()
        #expect(try quiet.ticks(35).keepalives == 0)
        // A period of 0 turns them off again.
        _ = try client.send(.setReaderConfig(ReaderConfiguration(keepaliveMilliseconds: 0)), id: 40)
        #expect(try client.ticks(35).keepalives == 0)
    }

    @Test func antennaEventsFollowTheCableAndItsTagsGoQuiet() throws {
        let script = LLRPEmulatorScript(antennaChanges: [
            .init(after: .milliseconds(250), antennaID: 2, connected: false),
            .init(after: .milliseconds(550), antennaID: 2, connected: true),
        ])
        var client = EmulatorClient(script)
        client.field = [tag(Self.crate, antenna: 2, rssi: -61)]
        try client.startInventory(antennas: [1, 2])
        let before = try client.ticks(2)
        let unplugged = try client.ticks(3)
        let replugged = try client.ticks(2)
        #expect(before.reports.count == 2)
        #expect(unplugged.events.flatMap(\.antennaEvents) == [.init(antennaID: 2, connected: false)])
        #expect(unplugged.reports.isEmpty)
        #expect(client.reader.antennasConnected == [1, 2, 3, 4])
        #expect(replugged.events.flatMap(\.antennaEvents) == [.init(antennaID: 2, connected: true)])
        #expect(replugged.reports.count == 2)
    }

    @Test func antennaEventsTheClientTurnedOffAreNotSent() throws {
        var client = EmulatorClient(LLRPEmulatorScript(antennaChanges: [.init(after: .milliseconds(50), antennaID: 1, connected: false)]))
        _ = try client.connect()
        _ = try client.send(.setReaderConfig(ReaderConfiguration(events: [.antenna: false])), id: 1)
        #expect(try client.ticks(3).events.isEmpty)
        #expect(client.reader.antennasConnected == [2, 3, 4])
    }
}
