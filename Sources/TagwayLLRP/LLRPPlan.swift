import TagwayDecoders

/// What the LLRP client will ask of a reader, read once from the profile's settings and the
/// configuration's antennas: every bad value is a configuration error before any connection, so a
/// typo in a profile is reported by `check-config` rather than as a reader refusing ADD_ROSPEC.
/// What depends on the reader itself (its ports, its power table) is decided later, against its
/// capabilities (`LLRPPlan+Reader.swift`).
public struct LLRPPlan: Sendable, Hashable {
    /// C1G2RFControl ModeIndex; nil leaves the reader's default mode.
    public var readerMode: UInt16?
    /// Gen2 session 0–3; nil leaves the reader's default.
    public var session: UInt8?
    /// Impinj inventory search mode; needs `vendorExtensions`.
    public var searchMode: UInt16?
    /// Turn on the vendor's extensions when the reader is one whose extensions Tagway speaks (Impinj).
    public var vendorExtensions: Bool
    /// The reader's keepalive period; three of them in silence and the reader is taken for dead.
    public var keepalive: Duration
    /// Beyond this difference between the reader's UTC clock and the gateway's, its timestamps
    /// are not trusted.
    public var maxClockSkew: Duration
    /// Tags per RO_ACCESS_REPORT: 1 gives the pipeline each read as it happens.
    public var reportEvery: UInt16
    public var rospecID: UInt32
    /// The configured antennas (none: every antenna the reader has).
    public var antennas: [Int]
    /// Transmit power asked per antenna, in dBm (absent: the reader's default).
    public var transmitPowerDBm: [Int: Double]
    /// How long a request may go unanswered, and how long the reader may take to greet a new
    /// connection. Not a setting: a reader on a working network answers in milliseconds.
    public var responseTimeout: Duration

    /// Impinj search modes (Octane's SearchMode): 0 reader-selected, 1 single target, 2 dual
    /// target, 3 single target with suppression (TagFocus), 5 single target reset, 6 dual target
    /// with B→A select. 4 is not defined.
    static let impinjSearchModes: Set<Int> = [0, 1, 2, 3, 5, 6]

    /// The settings keys the plan reads and what each expects, for the descriptor's schema.
    public static let settingKeys: [(name: String, expects: String)] = [
        ("readerMode", "an integer from 0 to 65535 (a C1G2 mode index of the reader's UHFRFModeTable)"),
        ("session", "an integer from 0 to 3 (the Gen2 session)"),
        ("searchMode", "one of 0, 1, 2, 3, 5, 6 (Impinj inventory search mode; needs vendorExtensions: true)"),
        ("vendorExtensions", "true or false (use Impinj's LLRP extensions when the reader is an Impinj)"),
        ("keepalive", "a duration from 1s to 1h (the reader's keepalive period, such as 10s)"),
        ("maxClockSkew", "a duration from 0s to 24h (beyond it the gateway's clock is used for the reader's reads)"),
        ("reportEvery", "an integer from 1 to 1000 (tags per report)"),
        ("rospecID", "an integer from 1 to 4294967295 (the ROSpec id Tagway adds)"),
    ]

    public init(settings: [String: String], antennas: [Int] = [], transmitPowerDBm: [Int: Double] = [:]) throws(ProtocolOptionError) {
        readerMode = settings["readerMode"] == nil ? nil
            : UInt16(try settings.integer("readerMode", default: 0, in: 0...Int(UInt16.max)))
        session = settings["session"] == nil ? nil : UInt8(try settings.integer("session", default: 0, in: 0...3))
        vendorExtensions = try settings.flag("vendorExtensions", default: false)
        if let text = settings["searchMode"] {
            let expected = "one of 0, 1, 2, 3, 5, 6 (Impinj inventory search mode)"
            let mode = try settings.integer("searchMode", default: 0, in: 0...6)
            guard Self.impinjSearchModes.contains(mode) else {
                throw ProtocolOptionError(key: "searchMode", value: text, expected: expected)
            }
            guard vendorExtensions else {
                throw ProtocolOptionError(key: "searchMode", value: text,
                                          expected: "no searchMode without vendorExtensions: true (it is an Impinj extension)")
            }
            searchMode = UInt16(mode)
        } else {
            searchMode = nil
        }
        keepalive = try settings.duration("keepalive", default: .seconds(10), in: .seconds(1)...(.seconds(3600)))
        maxClockSkew = try settings.duration("maxClockSkew", default: .seconds(2), in: .zero...(.seconds(86_400)))
        reportEvery = UInt16(try settings.integer("reportEvery", default: 1, in: 1...1000))
        rospecID = UInt32(try settings.integer("rospecID", default: 1, in: 1...Int(UInt32.max)))
        for antenna in antennas where !(1...Int(UInt16.max)).contains(antenna) {
            throw ProtocolOptionError(key: "antennas", value: "\(antenna)", expected: "antenna ports from 1 to 65535")
        }
        for (antenna, power) in transmitPowerDBm.sorted(by: { $0.key < $1.key }) where !(power.isFinite && (-30...50).contains(power)) {
            throw ProtocolOptionError(key: "transmitPower", value: "\(power) dBm on antenna \(antenna)",
                                      expected: "a power in dBm from -30 to 50")
        }
        self.antennas = antennas
        self.transmitPowerDBm = transmitPowerDBm
        responseTimeout = .seconds(10)
    }

    /// Silence longer than this means the reader is gone (three keepalive periods).
    public var livenessTimeout: Duration { keepalive * 3 }
}
