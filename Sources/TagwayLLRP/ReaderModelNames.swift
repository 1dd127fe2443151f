/// Names for the manufacturer and model numbers of GET_READER_CAPABILITIES, so `tagway status`
/// says "Impinj R700" rather than "PEN 25882 model 2001052". Numbers from the vendors' SDKs
/// (Impinj's Octane/LTK ReaderModel); an unknown number is shown as it came.
public enum ReaderModelNames {
    /// IANA private enterprise numbers of LLRP reader makers.
    static let manufacturers: [UInt32: String] = [
        25882: "Impinj",
        161: "Zebra",  // Motorola Solutions, whose fixed readers became Zebra's
        10642: "Zebra",
        17996: "Alien",
    ]

    static let models: [UInt32: [UInt32: String]] = [
        25882: [
            2001001: "Speedway R220", 2001002: "Speedway R420", 2001003: "xPortal", 2001004: "xArray WM",
            2001006: "xArray EAP", 2001007: "xArray", 2001008: "xSpan", 2001009: "Speedway R120",
            2001052: "R700", 2001054: "R510", 2001056: "R720", 2002001: "R515",
        ],
        10642: [96008: "FX9600"],
        161: [96008: "FX9600"],
    ]

    public static func name(manufacturer: UInt32, model: UInt32) -> String {
        guard let maker = manufacturers[manufacturer] else { return "PEN \(manufacturer) model \(model)" }
        guard let name = models[manufacturer]?[model] else { return "\(maker) model \(model)" }
        return "\(maker) \(name)"
    }

    public static func name(of reader: ReaderCapabilities) -> String {
        name(manufacturer: reader.manufacturer, model: reader.model)
    }
}
