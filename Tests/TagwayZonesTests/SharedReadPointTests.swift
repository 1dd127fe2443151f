import TagwayDebounce
import TagwayModel
import TagwayZones
import Testing

/// Two readers of different technologies on one read point (a UHF portal and an EM4100 badge
/// reader both feeding `dock`): every event names the reader that read its asset and the
/// technology its key depends on, not whichever reader used the read point first or last.
@Suite struct SharedReadPointTests {
    static let epc = TagID(bytes: [0x30, 0x14, 0x00, 0x01])
    static let card = TagID(bytes: [0x0A, 0x0B, 0x0C, 0x0D, 0x0E])

    struct Site {
        var engine = MovementEngine(configuration: MovementConfiguration(settings: MovementSettings(departAfter: .seconds(5))),
                                    debounce: DebouncerConfiguration(departAfter: .seconds(5)))
        var events: [ZoneEvent] = []

        mutating func read(_ t: Int64, _ point: String, _ reader: String, _ tag: TagID, _ technology: TagObservation.Technology) {
            let read = Read(readPoint: engine.readPoint(named: point), tag: tag, time: Timestamp(milliseconds: t), rssi: -50,
                            reader: engine.reader(named: reader), technology: technology)
            engine.ingest(read, into: &events) { AssetRef(key: $0.hex, scheme: "test", raw: $0.hex) }
        }

        /// `type tag reader technology` per event, and forgets them.
        mutating func take() -> [String] {
            defer { events.removeAll() }
            return events.map {
                "\($0.time.milliseconds) \($0.type.rawValue) \($0.tag.hex) \(engine.readerName($0.reader) ?? "-") "
                    + ($0.technology?.rawValue ?? "-")
            }
        }
    }

    @Test func eachEventNamesItsOwnReaderAndTechnology() {
        var site = Site()
        site.read(0, "dock", "uhf-portal", Self.epc, .epcGen2)
        site.read(100, "dock", "badge-reader", Self.card, .em4100)
        site.read(200, "dock", "uhf-portal", Self.epc, .epcGen2)
        #expect(site.take() == ["0 arrived 30140001 uhf-portal epc-gen2", "100 arrived 0A0B0C0D0E badge-reader em4100"])
        site.engine.advance(to: Timestamp(milliseconds: 6000), into: &site.events)
        #expect(site.take() == ["5100 departed 0A0B0C0D0E badge-reader em4100", "5200 departed 30140001 uhf-portal epc-gen2"])
    }

    @Test func snapshotsAndRestoreKeepTheReaderAndTechnology() {
        var site = Site()
        site.read(0, "dock", "uhf-portal", Self.epc, .epcGen2)
        site.read(100, "dock", "badge-reader", Self.card, .em4100)
        let card = site.engine.snapshot(of: Self.card)
        #expect(card?.reader == "badge-reader")
        #expect(card?.technology == .em4100)
        #expect(site.engine.technology(of: Self.epc) == .epcGen2)

        var restarted = Site()
        let rows = [site.engine.snapshot(of: Self.epc), card].compactMap { $0 }
        restarted.engine.restore(rows, configuredReadPoints: ["dock"], now: Timestamp(milliseconds: 200),
                                 identify: { AssetRef(key: $0.hex, scheme: "test", raw: $0.hex) }, into: &restarted.events)
        #expect(restarted.engine.snapshot(of: Self.card) == card)
        restarted.engine.advance(to: Timestamp(milliseconds: 6000), into: &restarted.events)
        #expect(restarted.take() == ["5000 departed 30140001 uhf-portal epc-gen2", "5100 departed 0A0B0C0D0E badge-reader em4100"])
    }

    @Test func aTagReadByTwoReadersOfOnePointIsNamedByItsLatestReader() {
        var site = Site()
        site.read(0, "dock", "portal-east", Self.epc, .epcGen2)
        site.read(100, "dock", "portal-west", Self.epc, .epcGen2)
        site.engine.advance(to: Timestamp(milliseconds: 6000), into: &site.events)
        #expect(site.take() == ["0 arrived 30140001 portal-east epc-gen2", "5100 departed 30140001 portal-west epc-gen2"])
    }

    @Test func readersAreInternedOnceAndUnknownIndicesHaveNoName() {
        var engine = MovementEngine()
        let a = engine.reader(named: "a")
        #expect(engine.reader(named: "b") != a)
        #expect(engine.reader(named: "a") == a)
        #expect(engine.readerName(a) == "a")
        #expect(engine.readerName(Read.noReader) == nil)
    }
}
