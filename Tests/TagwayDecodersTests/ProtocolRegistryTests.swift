import Testing
import TagwayDecoders
import TagwayEmulators
import TagwayFuzzing
import TagwayModel
import TagwayProtocols
import TagwayTestSupport

/// The registry is the one list of protocols: every protocol in it comes with samples that
/// decode as stated, an emulator whose output decodes back, fixtures and a fuzz target.
@Suite struct ProtocolRegistryTests {
    static let fuzzTargets = Set(FuzzTargets.all(devicesDir: TestPaths.repositoryDevices).map(\.name))

    @Test(arguments: ProtocolRegistry.all.map(\.id))
    func everyProtocolIsComplete(_ id: String) throws {
        let descriptor = try #require(ProtocolRegistry.descriptor(for: id))
        let problems = DescriptorCompleteness.problems(
            of: descriptor, fixtureCount: Fixture.count(in: descriptor.fixturesFolder), fuzzTargets: Self.fuzzTargets)
        #expect(problems == [])
    }

    @Test func idsAndFixtureFoldersAreUnique() {
        let ids = ProtocolRegistry.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        let folders = ProtocolRegistry.all.map(\.fixturesFolder)
        #expect(Set(folders).count == folders.count)
    }

    @Test func theTableHasEveryTransportAndEM4100First() {
        #expect(ProtocolRegistry.ids(on: .serialBytes) == ["em4100-ascii", "barcode-serial", "magicrf-m100", "pn532-hsu", "thingmagic-mercury"])
        #expect(ProtocolRegistry.ids(on: .hidReports) == ["hid-keyboard", "hid-pos"])
        #expect(ProtocolRegistry.ids(on: .llrpMessages) == ["llrp"])
    }

    /// A descriptor missing what a protocol must come with: the check names each gap.
    @Test func anIncompleteDescriptorIsReported() throws {
        let em4100 = try #require(ProtocolRegistry.descriptor(for: "em4100-ascii")?.serial)
        let card = TagID(bytes: [0x01, 0x00, 0xE2, 0x85, 0x0E])
        let incomplete = ProtocolDescriptor(
            id: "half-done", summary: "",
            // An emulator that sends nothing: a serial barcode scanner told about tags.
            driver: .serialBytes(SerialDriver(makeDecoder: em4100.makeDecoder,
                                              makeEmulator: { _ in BarcodeScannerEmulator() })),
            settings: .none, samples: [], emulation: .tagsInField([FieldTag(id: card)]))
        let problems = DescriptorCompleteness.problems(of: incomplete, fixtureCount: 0, fuzzTargets: ["em4100-ascii"])
        #expect(problems.map(\.what) == [
            "no summary", "no sample traffic", "emulator told to show \([card]) emitted tags \([TagID]())",
            "no fixtures in Fixtures/half-done", "no fuzz target named 'half-done'",
        ])
        #expect(problems.allSatisfy { $0.protocolID == "half-done" })
    }

    /// A commanded reader the probe could not ask: no query, or a query its emulator ignores.
    @Test func aCommandedProtocolWithoutAnAnsweredProbeQueryIsReported() throws {
        let m100 = try #require(ProtocolRegistry.descriptor(for: "magicrf-m100"))
        let serial = try #require(m100.serial)
        func variant(_ query: [UInt8]?) -> ProtocolDescriptor {
            ProtocolDescriptor(id: m100.id, summary: m100.summary,
                               driver: .serialBytes(SerialDriver(makeDecoder: serial.makeDecoder, polling: serial.polling,
                                                                 makeEmulator: serial.makeEmulator, probeQuery: query)),
                               settings: m100.settings, samples: m100.samples, emulation: m100.emulation)
        }
        let asked = { (query: [UInt8]?) in
            DescriptorCompleteness.probeProblems(variant(query))
        }
        #expect(asked(nil) == ["a commanded reader without a probe query (tagway devices --probe)"])
        #expect(asked([0xBB, 0x00, 0x99, 0x00, 0x00, 0x99, 0x7E]) == ["its emulator gives no frame in answer to the probe query"])
        #expect(asked(M100Frame.hardwareVersionQuery) == [])
    }

    @Test func aSampleThatDecodesToOtherFramesIsReported() throws {
        let real = try #require(ProtocolRegistry.descriptor(for: "em4100-ascii"))
        let card = TagID(bytes: [0x01, 0x00, 0xE2, 0x85, 0x0E])
        let claimed = TagID(bytes: [0x01, 0x00, 0xE2, 0x85, 0x0F])
        let wrong = ProtocolDescriptor(
            id: real.id, summary: real.summary, driver: real.driver, settings: real.settings,
            samples: [
                TrafficSample("claims another card", .bytes(EM4100Emulator.frame(card, variant: .rdm6300)),
                              frames: [.tag(TagObservation(technology: .em4100, id: claimed))]),
                TrafficSample("HID reports to a serial protocol", .reports([[0, 0, 0x04, 0, 0, 0, 0, 0]]), frames: []),
            ],
            emulation: real.emulation)
        let problems = DescriptorCompleteness.problems(of: wrong, fixtureCount: 2, fuzzTargets: [real.id]).map(\.what)
        #expect(problems.count == 2)
        #expect(problems.first?.hasPrefix("sample 'claims another card' decodes to") == true, "\(problems)")
        #expect(problems.last == "sample 'HID reports to a serial protocol': em4100-ascii: traffic is not serial-bytes")
    }

    @Test func aHIDEmulatorThatTypesSomethingElseIsReported() throws {
        let keyboard = try #require(ProtocolRegistry.descriptor(for: "hid-keyboard"))
        let hid = try #require(keyboard.hid)
        // Told to scan text with characters the US layout cannot type: they go missing.
        let lossy = ProtocolDescriptor(id: "hid-keyboard", summary: "x", driver: .hidReports(hid), settings: keyboard.settings,
                                       samples: keyboard.samples, emulation: .scan(BarcodeScan(data: Array("Maße".utf8))))
        let problems = DescriptorCompleteness.problems(of: lossy, fixtureCount: 2, fuzzTargets: ["hid-keyboard"])
        #expect(problems.count == 1)
        #expect(problems.first?.what.hasPrefix("emulator told to scan") == true, "\(problems)")
    }

    /// A conversation protocol whose client cannot get through to its emulator, or reads other
    /// tags than the emulation shows: the check names what went wrong.
    @Test func aConversationThatFailsWithItsEmulatorIsReported() throws {
        let llrp = try #require(ProtocolRegistry.descriptor(for: "llrp"))
        let driver = try #require(llrp.conversation)
        func variant(_ emulator: LLRPReaderEmulator, emulation: EmulatorInput? = nil) -> ProtocolDescriptor {
            ProtocolDescriptor(id: llrp.id, summary: llrp.summary,
                               driver: .llrpMessages(ConversationDriver(makeConversation: driver.makeConversation,
                                                                        makeEmulator: { _ in emulator }, defaultPort: 5084)),
                               settings: llrp.settings, samples: llrp.samples, emulation: emulation ?? llrp.emulation)
        }
        #expect(DescriptorCompleteness.conversationProblems(llrp) == [])
        let busy = DescriptorCompleteness.conversationProblems(variant(LLRPReaderEmulator(script: LLRPEmulatorScript(faults: .init(busy: true)))))
        #expect(busy.count == 1)
        #expect(busy.first?.hasPrefix("the conversation with its emulator failed: reader-busy") == true, "\(busy)")
        // A tag on antenna 7 of a four-port reader is never read.
        let tag = FieldTag(id: TagID(bytes: [0x30, 0x00, 0x00, 0x01]), antenna: 7, rssi: -50)
        let unread = DescriptorCompleteness.conversationProblems(variant(LLRPReaderEmulator(), emulation: .tagsInField([tag])))
        #expect(unread.first?.hasPrefix("the conversation read [] from an emulator showing") == true, "\(unread)")
    }

    @Test func theFuzzTargetListFollowsTheRegistry() {
        for descriptor in ProtocolRegistry.all {
            #expect(Self.fuzzTargets.contains(descriptor.id), "\(descriptor.id) is fuzzed")
        }
    }
}
