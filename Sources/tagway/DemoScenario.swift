import TagwaySimulator

/// The built-in demo: six readers of five protocols, assets coming and going.
enum DemoScenario {
    struct Reader {
        var id: String
        var profile: String
        var extra: String
        var script: String
    }

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
        Reader(id: "dock-uhf", profile: "magicrf/m100", extra: "", script: """
            0.5 enter 3074257BF7194E4000001A85 rssi=-52
            1.0 enter 3414257BF40000000000303A rssi=-61
            6.0 leave 3074257BF7194E4000001A85
            12.0 leave 3414257BF40000000000303A
            """),
        Reader(id: "storage-uhf", profile: "thingmagic/m6e-nano", extra: "", script: """
            3.0 enter 3034257BF7194E4000001A86 rssi=-58
            8.0 leave 3034257BF7194E4000001A86
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
