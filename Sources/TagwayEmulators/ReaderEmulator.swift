import TagwayModel

/// A tag in an emulated reader's field.
public struct FieldTag: Hashable, Sendable {
    public var id: TagID
    public var antenna: Int
    public var rssi: Int
    /// Gen2 PC word; emulators derive one from the EPC length when nil.
    public var pc: UInt16?

    public init(id: TagID, antenna: Int = 1, rssi: Int = -55, pc: UInt16? = nil) {
        self.id = id
        self.antenna = antenna
        self.rssi = rssi
        self.pc = pc
    }
}

/// A byte-exact stand-in for one reader model's serial behaviour, used by `tagway simulate`,
/// `tagway demo`, the end-to-end tests and the benchmarks.
///
/// Emulators are pure: the simulator owns the pty and the clock and asks the emulator what the
/// reader would send. Passive readers talk in `unsolicited`; commanded readers answer in `respond`.
public protocol ReaderEmulator: Sendable {
    /// Bytes the reader sends by itself at `now` with these tags in its field (called every tick,
    /// typically every 100 ms). Commanded readers return nothing here.
    mutating func unsolicited(field: [FieldTag], now: Timestamp) -> [UInt8]
    /// Bytes the reader answers to bytes the host wrote. Input may be any chunking of the host's
    /// commands; emulators buffer partial commands.
    mutating func respond(to input: [UInt8], field: [FieldTag], now: Timestamp) -> [UInt8]
    /// Bytes for one barcode scan; empty for readers that are not scanners.
    func scan(_ barcode: BarcodeScan) -> [UInt8]
}

extension ReaderEmulator {
    public mutating func respond(to input: [UInt8], field: [FieldTag], now: Timestamp) -> [UInt8] { [] }
    public func scan(_ barcode: BarcodeScan) -> [UInt8] { [] }
}
