/// What a UART set to another baud rate makes of a reader's bytes, for the simulator.
///
/// Not a bit-level model: a receiver sampling at the wrong rate sees start bits in the middle of
/// bytes, framing errors and high-bit noise, and never the bytes that were sent. This keeps that
/// property (every byte comes out different and with the high bit set, so no frame marker, CR
/// or printable text survives) while staying deterministic for tests.
public enum LineRateMismatch {
    public static func heard(_ bytes: [UInt8]) -> [UInt8] {
        bytes.map { 0x80 | (~$0 & 0x7F) }
    }
}
