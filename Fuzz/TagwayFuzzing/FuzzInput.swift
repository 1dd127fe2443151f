/// Reads structure out of a fuzz input: chunk sizes, time steps, option choices. Every read
/// succeeds (zero past the end), so any byte string is a valid input and mutations stay useful.
struct FuzzInput {
    private let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { position >= bytes.count }
    var remaining: ArraySlice<UInt8> { bytes[min(position, bytes.count)...] }

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// Up to `count` bytes (fewer at the end).
    mutating func take(_ count: Int) -> ArraySlice<UInt8> {
        let start = min(position, bytes.count)
        let end = min(start + max(0, count), bytes.count)
        position = end
        return bytes[start..<end]
    }

    /// One of `choices`, picked by the next byte.
    mutating func pick<T>(_ choices: [T]) -> T {
        choices[Int(byte()) % choices.count]
    }
}

/// Seeds for record-shaped inputs: `[time step][length][payload]` per record.
enum FuzzRecords {
    static func encode(_ records: [(step: UInt8, payload: [UInt8])]) -> [UInt8] {
        records.flatMap { [$0.step, UInt8(min($0.payload.count, 255))] + $0.payload.prefix(255) }
    }
}
