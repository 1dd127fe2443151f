import Testing
import TagwayEmulators
import TagwayModel
@testable import TagwaySimulator

@Suite struct ScenarioTests {
    @Test func parsesSteps() throws {
        let scenario = try Scenario.parse("""
            # a door
            0.5 enter 3074257BF7194E4000001A85 antenna=2 rssi=-48
            0   enter 0100E2850E
            2   scan ]C1<GS>8004061414112345
            3   leave 0100E2850E
            4   unplug
            5   replug
            """)
        #expect(scenario.steps.count == 6)
        #expect(scenario.steps[0].action == .enter(FieldTag(id: TagID(hex: "0100E2850E")!)))
        #expect(scenario.steps[1].action == .enter(FieldTag(id: TagID(hex: "3074257BF7194E4000001A85")!, antenna: 2, rssi: -48)))
        #expect(scenario.steps[2].action == .scan(BarcodeScan(symbology: "]C1", data: [0x1D] + Array("8004061414112345".utf8))))
        #expect(scenario.duration == .seconds(5))
    }

    @Test func errorsNameTheLine() {
        #expect {
            _ = try Scenario.parse("0 enter 0100E2850E\n1 wobble\n", file: "s.txt")
        } throws: { error in
            (error as? Scenario.ParseError)?.description == "s.txt:2: unknown verb 'wobble'; expected enter, leave, scan, antenna, unplug, replug or end"
        }
        #expect(throws: Scenario.ParseError.self) { _ = try Scenario.parse("x enter 01\n") }
        #expect(throws: Scenario.ParseError.self) { _ = try Scenario.parse("1 enter XYZ\n") }
    }
}
