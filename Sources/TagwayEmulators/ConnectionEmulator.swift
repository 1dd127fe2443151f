import TagwayModel

/// A reader emulated behind a network connection (LLRP over TCP): the reader speaks first when a
/// client connects, and may end the connection itself (a scripted fault, CLOSE_CONNECTION). The
/// socket shell in TagwaySimulator accepts clients and moves bytes; every decision is here.
public protocol ConnectionEmulator: ReaderEmulator {
    /// A client connected (any earlier connection's state is forgotten): what the reader says first.
    mutating func accepted(field: [FieldTag], now: Timestamp) -> [UInt8]
    /// Set once the emulator wants the connection closed after writing what it returned.
    var closeRequested: Bool { get }
}
