import Testing
import TagwayDecoders
import TagwayEmulators
import TagwayModel
import TagwayProbe
import TagwayProtocols
import TagwaySettings

/// The probe machine against each serial emulator, with the port played by the test: opened at
/// the reader's rate the emulator's bytes come through; at another rate it hears nothing the host
/// writes and the host hears high-bit noise. The 9600 profiles come first, so every 115200 reader
/// is probed at a wrong rate before its own, and every 9600 reader after its own.
@Suite struct ProbeMachineTests {
    static let slow = SerialSettings(baud: 9600)
    static let fast = SerialSettings(baud: 115_200)

    static func candidate(_ profile: String, _ protocolID: String, _ serial: SerialSettings) -> ProbeCandidate {
        guard let driver = ProtocolRegistry.descriptor(for: protocolID)?.serial, let decoder = try? driver.makeDecoder([:]) else {
            preconditionFailure("no serial protocol \(protocolID)")
        }
        return ProbeCandidate(profileID: profile, protocolID: protocolID, serial: serial, query: driver.probeQuery,
                              makeDecoder: { decoder })
    }

    static let candidates = [
        candidate("generic/rdm6300-ch340", "em4100-ascii", slow),
        candidate("id-innovations/id-12la", "em4100-ascii", slow),
        candidate("generic/serial-barcode", "barcode-serial", slow),
        candidate("magicrf/m100", "magicrf-m100", fast),
        candidate("elechouse/pn532-hsu", "pn532-hsu", fast),
        candidate("thingmagic/m6e-nano", "thingmagic-mercury", fast),
    ]

    /// A reader on the port: its emulator, its rate, what it says by itself while listened to.
    struct Reader {
        var emulator: any ReaderEmulator
        var rate: Int
        var field: [FieldTag] = []
        var scans: [BarcodeScan] = []
    }


    /// Runs the machine to its end, playing `reader` on the port; returns the outcome and every
    /// setting the port was opened with.
    static func probe(_ reader: Reader) -> (ProbeOutcome, [Int]) {
        var reader = reader
        var machine = ProbeMachine(candidates: candidates)
        var pending = machine.start()
        var opened: [Int] = []
        var rate = 0
        var answer: [UInt8] = []
        var now = Timestamp(milliseconds: 1_800_000_000_000)
        while !pending.isEmpty {
            switch pending.removeFirst() {
            case .open(let serial):
                opened.append(serial.baud)
                rate = serial.baud
                pending += machine.handle(.opened)
            case .write(let bytes):
                if rate == reader.rate { answer += reader.emulator.respond(to: bytes, field: reader.field, now: now) }
            case .wait(let duration):
                var heard = answer
                answer = []
                heard += reader.emulator.unsolicited(field: reader.field, now: now)
                for scan in reader.scans { heard += reader.emulator.scan(scan) }
                now = now + duration
                if !heard.isEmpty { pending += machine.handle(.bytes(rate == reader.rate ? heard : LineRateMismatch.heard(heard))) }
                pending += machine.handle(.timerFired)
            case .close:
                answer = []
            case .finished(let outcome):
                return (outcome, opened)
            }
        }
        Issue.record("the machine stopped without finishing")
        return (ProbeOutcome(matches: [], attempts: [], failure: "no end"), opened)
    }

    static let epc = TagID(hex: "3034257BF7194E4000001A85")!
    static let card = TagID(hex: "0100E2850E")!

    @Test(arguments: [
        ("magicrf-m100", ["magicrf/m100"]),
        ("pn532-hsu", ["elechouse/pn532-hsu"]),
        ("thingmagic-mercury", ["thingmagic/m6e-nano"]),
    ])
    func aCommandedReaderAnswersItsVersionQueryAtItsRateOnly(_ protocolID: String, _ profiles: [String]) throws {
        let emulator = try #require(Self.emulator(protocolID))
        let (outcome, opened) = Self.probe(Reader(emulator: emulator, rate: 115_200))
        #expect(opened == [9600, 115_200])
        #expect(outcome.failure == nil)
        #expect(outcome.matches.map(\.profileID) == profiles)
        #expect(outcome.matches.allSatisfy { $0.answered && $0.serial.baud == 115_200 }, "\(outcome.matches)")
        #expect(outcome.attempts.first { $0.serial.baud == 9600 }?.matched == [])
    }

    @Test func anEM4100ReaderIsHeardWhenACardIsPresented() throws {
        let emulator = try #require(Self.emulator("em4100-ascii"))
        let (outcome, opened) = Self.probe(Reader(emulator: emulator, rate: 9600, field: [FieldTag(id: Self.card)]))
        #expect(opened == [9600, 115_200])
        #expect(outcome.matches.map(\.profileID) == ["generic/rdm6300-ch340", "id-innovations/id-12la"])
        #expect(outcome.matches.allSatisfy { !$0.answered && $0.evidence.contains("0100E2850E") }, "\(outcome.matches)")
    }

    /// The serial barcode decoder frames anything up to a CR: the printable-text rule keeps the
    /// noise of a wrong rate from matching it.
    @Test func aBarcodeScannerIsHeardWhenACodeIsScannedAndNotAsNoise() throws {
        let emulator = try #require(Self.emulator("barcode-serial"))
        let scan = BarcodeScan(symbology: "]C1", data: Array("0106141411234562".utf8))
        let (heard, _) = Self.probe(Reader(emulator: emulator, rate: 9600, scans: [scan]))
        #expect(heard.matches.map(\.profileID) == ["generic/serial-barcode"])
        let (misheard, _) = Self.probe(Reader(emulator: emulator, rate: 57_600, scans: [scan]))
        #expect(misheard.matches.isEmpty, "\(misheard.matches)")
    }

    @Test func aSilentPortMatchesNothingAndSaysWhatWasTried() throws {
        let emulator = try #require(Self.emulator("em4100-ascii"))
        let (outcome, _) = Self.probe(Reader(emulator: emulator, rate: 9600))
        #expect(outcome.matches.isEmpty)
        #expect(outcome.attempts.map(\.serial.baud) == [9600, 115_200])
        #expect(ProbeReport.text(outcome, port: "/dev/ttyUSB0").contains("no profile matched /dev/ttyUSB0"))
    }

    @Test func aPortThatCannotBeOpenedEndsTheProbeWithTheReason() {
        var machine = ProbeMachine(candidates: Self.candidates)
        #expect(machine.start() == [.open(Self.slow)])
        let actions = machine.handle(.openFailed("/dev/ttyUSB0: in use by another program"))
        guard case .finished(let outcome) = actions.first else {
            Issue.record("\(actions)")
            return
        }
        #expect(outcome.failure == "/dev/ttyUSB0: in use by another program")
        #expect(ProbeReport.text(outcome, port: "/dev/ttyUSB0").hasPrefix("cannot probe /dev/ttyUSB0"))
    }

    /// Only the candidates' own queries are written, once per protocol, and nothing while listening.
    @Test func onlyReadOnlyQueriesAreWrittenOncePerProtocol() throws {
        var machine = ProbeMachine(candidates: Self.candidates + [Self.candidate("magicrf/yrm100", "magicrf-m100", Self.fast)])
        var pending = machine.start()
        var written: [[UInt8]] = []
        while !pending.isEmpty {
            switch pending.removeFirst() {
            case .open: pending += machine.handle(.opened)
            case .write(let bytes): written.append(bytes)
            case .wait: pending += machine.handle(.timerFired)
            case .close: break
            case .finished: pending = []
            }
        }
        #expect(written == [M100Frame.hardwareVersionQuery,
                            PN532Frame.wakeUp + PN532Frame.command(PN532Frame.Command.getFirmwareVersion),
                            MercuryFrame.getVersion])
    }

    @Test func theMatchBecomesAReaderLine() {
        let match = ProbeMatch(profileID: "magicrf/m100", protocolID: "magicrf-m100", serial: Self.fast,
                               evidence: "answered", answered: true)
        #expect(ProbeReport.readerLine(match, port: "/dev/tagway/m100-1") ==
                "- { id: m100-1, profile: magicrf/m100, port: /dev/tagway/m100-1, readPoint: m100-1 }")
    }

    /// The registry's emulator of the protocol, with the protocol's default settings.
    static func emulator(_ protocolID: String) -> (any ReaderEmulator)? {
        ProtocolRegistry.descriptor(for: protocolID)?.serial?.makeEmulator([:])
    }
}
