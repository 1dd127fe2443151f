import TagwayModel
import TagwayZones
import Testing

/// Door zones: the side that wins a tag first and the side that wins it last give the direction.
@Suite struct DoorTests {
    static let dock = """
        zones:
          - { id: storage, readPoints: [store] }
          - { id: dock-3, name: Dock door 3, door: { inside: [door3-in], outside: [door3-out] } }
        movement: { departAfter: 5s }
        """

    /// Walks a tag past the antennas in `order`, 1.5 s at each, read every 100 ms at -45 dBm by
    /// the near antenna; the previous one still reads it weakly for the first 0.5 s and the
    /// next one already for the last 0.5 s (the fields overlap).
    static func walk(_ h: inout EngineHarness, tag: String, from start: Int64, through order: [String]) {
        var t = start
        for (step, point) in order.enumerated() {
            for i in 0..<15 {
                h.read(t, point, tag, rssi: -45)
                if i < 5, step > 0 { h.read(t + 50, order[step - 1], tag, rssi: -65) }
                if i >= 10, step + 1 < order.count { h.read(t + 50, order[step + 1], tag, rssi: -65) }
                t += 100
            }
        }
    }

    @Test func insideThenOutsideIsOut() throws {
        var h = try EngineHarness(yaml: Self.dock)
        Self.walk(&h, tag: "A1", from: 0, through: ["door3-in", "door3-out"])
        let lines = h.take()
        #expect(lines.first == "0 arrived A1 to=dock-3 at=door3-in")
        #expect(lines.dropFirst().map { $0.split(separator: " ").dropFirst().joined(separator: " ") }
                == ["passed A1 door=dock-3 direction=out at=door3-out"])
    }

    @Test func outsideThenInsideIsIn() throws {
        var h = try EngineHarness(yaml: Self.dock)
        Self.walk(&h, tag: "A2", from: 0, through: ["door3-out", "door3-in"])
        let lines = h.take()
        #expect(lines.count == 2)
        #expect(lines.last?.hasSuffix("passed A2 door=dock-3 direction=in at=door3-in") == true)
    }

    @Test func aTagThatTurnsBackMakesNoCrossing() throws {
        var h = try EngineHarness(yaml: Self.dock)
        // Inside, a brush with the outside antenna (weaker, overlapping), back inside, gone.
        for i in 0..<10 { h.read(Int64(i * 100), "door3-in", "A3", rssi: -45) }
        for i in 0..<5 {
            h.read(Int64(1000 + i * 100), "door3-in", "A3", rssi: -50)
            h.read(Int64(1050 + i * 100), "door3-out", "A3", rssi: -55)
        }
        for i in 0..<10 { h.read(Int64(1500 + i * 100), "door3-in", "A3", rssi: -45) }
        h.advance(20_000)
        #expect(h.take() == ["0 arrived A3 to=dock-3 at=door3-in", "7400 departed A3 from=dock-3"])
    }

    @Test func fromAnotherZoneThroughTheDoor() throws {
        var h = try EngineHarness(yaml: Self.dock)
        for i in 0..<10 { h.read(Int64(i * 100), "store", "A4", rssi: -50) }
        Self.walk(&h, tag: "A4", from: 3000, through: ["door3-in", "door3-out"])
        let kinds = h.take().map { $0.split(separator: " ")[1] }
        #expect(kinds == ["arrived", "moved", "passed"])
    }

    @Test func twoReadersMakeOneDoor() throws {
        // A door whose sides are read points of different readers: the engine only sees names.
        let yaml = """
            zones:
              - { id: gate, door: { inside: [hall-reader, hall-reader-2], outside: [yard-reader] } }
            """
        var h = try EngineHarness(yaml: yaml)
        Self.walk(&h, tag: "A5", from: 0, through: ["hall-reader-2", "yard-reader", "hall-reader"])
        let passes = h.take().filter { $0.contains("passed") }.map { $0.split(separator: " ")[4] }
        #expect(passes == ["direction=out", "direction=in"])
    }
}
