/// What `tagway simulate --listen` plays when no scenario file is given: pallets through a dock
/// door under a fixed reader, antenna 1 outside the door and antenna 2 inside. Each pallet is
/// read outside, then inside, then leaves the field (an inbound crossing); the last one goes the
/// other way. Stronger on the antenna it is nearer, as a real portal reads.
public enum LLRPDockDoorScenario {
    public static let outsideAntenna = 1
    public static let insideAntenna = 2

    public static let text = """
        # pallet 1 comes in
        0.5  enter 3074257BF7194E4000001A85 antenna=1 rssi=-58
        1.5  enter 3074257BF7194E4000001A85 antenna=2 rssi=-47
        3.0  leave 3074257BF7194E4000001A85
        # pallet 2 comes in, a case on it read too
        4.0  enter 3074257BF7194E4000001A87 antenna=1 rssi=-55
        4.2  enter 3074257BF7194E4000001B02 antenna=1 rssi=-63
        5.0  enter 3074257BF7194E4000001A87 antenna=2 rssi=-45
        5.2  enter 3074257BF7194E4000001B02 antenna=2 rssi=-52
        6.5  leave 3074257BF7194E4000001A87
        6.6  leave 3074257BF7194E4000001B02
        # a returnable crate goes out
        8.0  enter 3414257BF40000000000303B antenna=2 rssi=-50
        9.0  enter 3414257BF40000000000303B antenna=1 rssi=-49
        10.5 leave 3414257BF40000000000303B
        12.0 end
        """

    public static var scenario: Scenario {
        // The text is fixed and checked by a test; an empty scenario is the fallback the parser
        // cannot in fact reach.
        (try? Scenario.parse(text, file: "dock-door")) ?? Scenario(steps: [])
    }
}
