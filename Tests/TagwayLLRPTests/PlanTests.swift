import Testing
import TagwayDecoders
@testable import TagwayLLRP

/// The LLRP settings: defaults, every bad value named with what is expected, and the plan
/// mapped onto a reader's power table.
@Suite struct PlanTests {
    typealias T = ConversationTest

    @Test func defaultsAreSensible() throws {
        let plan = try LLRPPlan(settings: [:])
        #expect(plan.keepalive == .seconds(10))
        #expect(plan.livenessTimeout == .seconds(30))
        #expect(plan.maxClockSkew == .seconds(2))
        #expect(plan.reportEvery == 1)
        #expect(plan.rospecID == 1)
        #expect(plan.readerMode == nil && plan.session == nil && plan.searchMode == nil && !plan.vendorExtensions)
    }

    @Test func settingsAreRead() throws {
        let plan = try LLRPPlan(settings: [
            "readerMode": "1002", "session": "1", "searchMode": "3", "vendorExtensions": "true", "keepalive": "5000ms",
            "maxClockSkew": "0.5s", "reportEvery": "100", "rospecID": "4294967295",
        ])
        #expect(plan.readerMode == 1002)
        #expect(plan.session == 1)
        #expect(plan.searchMode == 3)
        #expect(plan.vendorExtensions)
        #expect(plan.keepalive == .seconds(5))
        #expect(plan.maxClockSkew == .milliseconds(500))
        #expect(plan.reportEvery == 100)
        #expect(plan.rospecID == UInt32.max)
        #expect(try LLRPPlan(settings: ["keepalive": "1h"]).keepalive == .seconds(3600))
        #expect(try LLRPPlan(settings: ["keepalive": "2m"]).keepalive == .seconds(120))
        #expect(try LLRPPlan(settings: ["keepalive": "15"]).keepalive == .seconds(15), "a bare number is seconds")
    }

    @Test(arguments: [
        ("session", "4", "an integer from 0 to 3"),
        ("readerMode", "-1", "an integer from 0 to 65535"),
        ("readerMode", "fast", "an integer from 0 to 65535"),
        ("searchMode", "4", "one of 0, 1, 2, 3, 5, 6"),
        ("searchMode", "2", "without vendorExtensions"),
        ("vendorExtensions", "yes", "true or false"),
        ("keepalive", "500ms", "from 1s to 1h"),
        ("keepalive", "2h", "from 1s to 1h"),
        ("keepalive", "1e30s", "from 1s to 1h"),
        ("keepalive", "nan", "from 1s to 1h"),
        ("keepalive", "10 s", "from 1s to 1h"),
        ("maxClockSkew", "-1s", "from 0s to 24h"),
        ("reportEvery", "0", "an integer from 1 to 1000"),
        ("reportEvery", "1001", "an integer from 1 to 1000"),
        ("rospecID", "0", "an integer from 1 to 4294967295"),
        ("rospecID", "4294967296", "an integer from 1 to 4294967295"),
    ])
    func badSettingsSayWhatIsExpected(key: String, value: String, expected: String) {
        #expect {
            _ = try LLRPPlan(settings: [key: value])
        } throws: { error in
            guard let error = error as? ProtocolOptionError else { return false }
            return error.key == key && error.value == value && error.expected.contains(expected)
        }
    }

    @Test func badAntennasAndPowersAreConfigurationErrors() {
        #expect(throws: ProtocolOptionError.self) { _ = try LLRPPlan(settings: [:], antennas: [0]) }
        #expect(throws: ProtocolOptionError.self) { _ = try LLRPPlan(settings: [:], antennas: [70_000]) }
        #expect(throws: ProtocolOptionError.self) { _ = try LLRPPlan(settings: [:], antennas: [1], transmitPowerDBm: [1: .nan]) }
        #expect(throws: ProtocolOptionError.self) { _ = try LLRPPlan(settings: [:], antennas: [1], transmitPowerDBm: [1: 99]) }
    }

    @Test func powerMapsToTheStrongestRowNotAboveIt() {
        let table = T.r700.transmitPower  // 10.00 ... 30.00 dBm in 0.25 steps, rows 1...81
        #expect(LLRPPlan.powerIndex(for: 30, in: table) == (81, nil))
        #expect(LLRPPlan.powerIndex(for: 27.3, in: table).index == 70, "27.25 dBm, not 27.50")
        #expect(LLRPPlan.powerIndex(for: 10, in: table) == (1, nil))
        #expect(LLRPPlan.powerIndex(for: 33, in: table) == (81, nil), "above the table: the strongest row")
        let below = LLRPPlan.powerIndex(for: 5, in: table)
        #expect(below.index == 1)
        #expect(below.notice == "5 dBm is below the reader's lowest power; using 10 dBm")
        let unordered: [ReaderCapabilities.TransmitPowerLevel] = [.init(index: 7, centiDBm: 3000), .init(index: 3, centiDBm: 1500),
                                                                 .init(index: 5, centiDBm: 2200)]
        #expect(LLRPPlan.powerIndex(for: 25, in: unordered).index == 5)
        #expect(LLRPPlan.powerIndex(for: 20, in: []).index == nil)
    }

    @Test func thePlanOnAReaderNoticesAPowerItCannotGive() throws {
        let plan = T.plan(antennas: [1, 3], power: [1: 8, 3: 25])
        let setup = try plan.setup(for: T.r700)
        #expect(setup.roSpec.antennas == [.init(id: 1, transmitPowerIndex: 1), .init(id: 3, transmitPowerIndex: 61)])
        #expect(setup.notices == ["antenna 1: 8 dBm is below the reader's lowest power; using 10 dBm"])
    }

    @Test func aModeTheReaderDoesNotOfferIsAMismatch() {
        var reader = T.r700
        reader.rfModes = [1000, 1002, 2]
        #expect(throws: LLRPPlan.Mismatch.self) { _ = try T.plan(["readerMode": "4"]).setup(for: reader) }
        #expect(throws: Never.self) { _ = try T.plan(["readerMode": "1002"]).setup(for: reader) }
    }

    @Test func modelNamesComeFromTheVendorsNumbers() {
        #expect(ReaderModelNames.name(manufacturer: 25882, model: 2001052) == "Impinj R700")
        #expect(ReaderModelNames.name(manufacturer: 25882, model: 2001002) == "Impinj Speedway R420")
        #expect(ReaderModelNames.name(manufacturer: 25882, model: 42) == "Impinj model 42")
        #expect(ReaderModelNames.name(manufacturer: 99, model: 7) == "PEN 99 model 7")
    }
}
