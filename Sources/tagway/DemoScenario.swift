import TagwaySimulator

/// The built-in demo: seven readers of six protocols (the dock door's an LLRP reader on TCP), assets coming and going, crossing a dock
/// door in both directions, moving between zones and breaking a geofence rule.
enum DemoScenario {
    struct Reader {
        var id: String
        var profile: String
        var extra: String
        var script: String
    }

    /// Zones and rules of the demo gateway (DESIGN §3). The badge and NFC readers are in no zone:
    /// each of their read points is a zone of its own.
    static let zonesYAML = """
        zones:
          - { id: it-storage, name: IT storage, readPoints: [storage-uhf] }
          - { id: lab, name: Hardware lab, readPoints: [lab-uhf] }
          - { id: dock-3, name: Dock door 3, door: { inside: [dock-in], outside: [dock-out] } }
          - { id: helpdesk, readPoints: [helpdesk-scan], mode: scan }
        rules:
          - { id: laptops-stay-inside, match: { scheme: giai, companyPrefix: "0614141" }, allowedZones: [it-storage, helpdesk], alertOn: [passed-out] }
        """

    static let readers: [Reader] = [
        Reader(id: "door-badge", profile: "id-innovations/id-12la", extra: "", script: """
            1.0 enter 0100E2850E
            1.5 leave 0100E2850E
            9.0 enter 0F0268A1C3
            9.4 leave 0F0268A1C3
            """),
        Reader(id: "lab-badge", profile: "generic/rdm6300-ch340", extra: "", script: """
            2.0 enter 1A00B3C4D5
            4.0 leave 1A00B3C4D5
            """),
        // Dock door 3, under a fixed LLRP reader (the emulator on a TCP port): antenna 1 outside
        // the door, antenna 2 inside. A laptop goes out (inside, then outside: passed out, and an
        // alert), a pallet of goods comes in (outside, then inside: passed in).
        Reader(id: "dock-door", profile: "impinj/r700", extra: ", antennas: { 1: dock-out, 2: dock-in }", script: """
            1.0 enter 3414257BF40000000000303A antenna=2 rssi=-50
            3.0 enter 3414257BF40000000000303A antenna=1 rssi=-44
            5.0 leave 3414257BF40000000000303A
            8.0 enter 3074257BF7194E4000001A85 antenna=1 rssi=-50
            10.0 enter 3074257BF7194E4000001A85 antenna=2 rssi=-44
            12.0 leave 3074257BF7194E4000001A85
            """),
        // A second laptop sits in IT storage, then is carried to the lab: moved, and outside the
        // zones its rule allows.
        Reader(id: "storage-uhf", profile: "magicrf/m100", extra: "", script: """
            0.5 enter 3414257BF400000000BC6038 rssi=-55
            1.0 enter 3034257BF7194E4000001A86 rssi=-61
            8.0 leave 3414257BF400000000BC6038
            12.0 leave 3034257BF7194E4000001A86
            """),
        Reader(id: "lab-uhf", profile: "magicrf/m100", extra: "", script: """
            8.5 enter 3414257BF400000000BC6038 rssi=-48
            14.0 leave 3414257BF400000000BC6038
            """),
        Reader(id: "desk-nfc", profile: "elechouse/pn532-hsu", extra: "", script: """
            5.0 enter 04A1B2C3D4E5F6
            7.0 leave 04A1B2C3D4E5F6
            """),
        Reader(id: "helpdesk-scan", profile: "generic/serial-barcode", extra: "", script: """
            2.5 scan ]C1<GS>8004061414112346
            4.5 scan ]E04006381333931
            6.5 scan ]C0ASSET-004217
            """),
    ]
}
