/// Bytes received from a reader and not yet framed.
///
/// Decoders read from the front and advance `start`; the storage is compacted only when the
/// consumed prefix is large, so framing a stream is linear in its length (an `Array.removeFirst`
/// per frame would be quadratic under bursts).
public struct ByteWindow: Sendable {
    @usableFromInline var storage: [UInt8] = []
    @usableFromInline var start = 0

    public init() {}

    public init<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        storage = Array(bytes)
    }

    @inlinable public var count: Int { storage.count - start }
    @inlinable public var isEmpty: Bool { start == storage.count }

    /// The byte `offset` places after the front. Callers check `count` first.
    @inlinable public subscript(offset: Int) -> UInt8 { storage[start + offset] }

    /// A copy of `length` bytes starting `offset` places after the front.
    @inlinable public func bytes(_ offset: Int, _ length: Int) -> [UInt8] {
        Array(storage[(start + offset)..<(start + offset + length)])
    }

    /// The offset of the first `byte` at or after `from`, if any.
    @inlinable public func firstIndex(of byte: UInt8, from: Int = 0) -> Int? {
        var i = start + from
        while i < storage.count {
            if storage[i] == byte { return i - start }
            i += 1
        }
        return nil
    }

    public mutating func append<C: Collection>(contentsOf bytes: C) where C.Element == UInt8 {
        if start > 4096, start * 2 > storage.count {
            storage.removeSubrange(0..<start)
            start = 0
        }
        storage.append(contentsOf: bytes)
    }

    /// Drops `length` bytes from the front.
    @inlinable public mutating func consume(_ length: Int) {
        precondition(length >= 0 && length <= count, "consume past the end of the window")
        start += length
        if start == storage.count {
            storage.removeAll(keepingCapacity: true)
            start = 0
        }
    }
}
