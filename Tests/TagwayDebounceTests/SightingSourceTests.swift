import Testing
import TagwayModel
import TagwayDebounce

/// Sightings name the reader and the technology of the read behind them, so a consumer needs no
/// table keyed by read point (two readers may share one).
@Suite struct SightingSourceTests {
    static let card = TagID(bytes: [0x0A, 0x0B, 0x0C, 0x0D, 0x0E])
    static let epc = TagID(bytes: [0x30, 0x14, 0x00, 0x01])

    @Test func twoReadersOnOneReadPointKeepTheirOwnReaderAndTechnology() {
        var d = Debouncer(configuration: .init(departAfter: .seconds(5)))
        var out: [Sighting] = []
        d.ingest(Read(readPoint: 0, tag: Self.epc, time: Timestamp(milliseconds: 0), rssi: -50, reader: 1, technology: .epcGen2),
                 into: &out)
        d.ingest(Read(readPoint: 0, tag: Self.card, time: Timestamp(milliseconds: 10), reader: 2, technology: .em4100), into: &out)
        d.advance(to: Timestamp(milliseconds: 6000), into: &out)
        let seen = out.map { "\($0.kind) \($0.tag.hex) reader=\($0.reader) \($0.technology.rawValue)" }
        #expect(seen == ["arrived 30140001 reader=1 epc-gen2", "arrived 0A0B0C0D0E reader=2 em4100",
                         "departed 30140001 reader=1 epc-gen2", "departed 0A0B0C0D0E reader=2 em4100"])
    }

    @Test func theLatestReaderOfATagAtAReadPointIsTheOneNamed() {
        var d = Debouncer(configuration: .init(departAfter: .seconds(5)))
        var out: [Sighting] = []
        d.ingest(Read(readPoint: 3, tag: Self.epc, time: Timestamp(milliseconds: 0), reader: 1), into: &out)
        d.ingest(Read(readPoint: 3, tag: Self.epc, time: Timestamp(milliseconds: 100), reader: 4), into: &out)
        d.advance(to: Timestamp(milliseconds: 5100), into: &out)
        #expect(out.map(\.reader) == [1, 4])
        #expect(d.technology(of: Self.epc, at: 3) == nil)
    }

    @Test func aScanNamesItsScanner() {
        var d = Debouncer()
        var out: [Sighting] = []
        d.ingestScan(readPoint: 0, code: Self.card, time: Timestamp(milliseconds: 0), reader: 7, into: &out)
        #expect(out.map(\.reader) == [7])
        #expect(out.map(\.kind) == [.observed])
    }
}
