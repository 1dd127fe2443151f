import CPrefetch

/// A fixed number of plain values in one heap block, shared between copies until one of them
/// calls `makeUnique()`: the engine's tables (presence slots, the read ring, the asset entries).
///
/// A Swift array checks that it is uniquely referenced on every write and its bounds on every
/// access. The engine writes a dozen fields of three tables per read, and those checks were a
/// fifth of the debouncer's instructions. Here the owner checks uniqueness once, at the start of
/// each mutating entry point (`makeUnique()`), and element access is unchecked: indices are the
/// tables' own (slots, links, ring positions), never a number from outside. A handle that came
/// back from a caller (`PresenceSlot`, `PresenceOwner`) is range-checked with `contains` first.
///
/// The tables' elements are plain structs of integers, so a copy is one `memcpy` and the
/// deinitialization is free; other element types work too, at their own cost.
@usableFromInline
package struct FixedBuffer<Element>: @unchecked Sendable {
    @usableFromInline
    final class Storage {
        @usableFromInline let base: UnsafeMutablePointer<Element>
        @usableFromInline let count: Int
        /// The block allocated: `base` is the first cache-line boundary in it.
        private let block: UnsafeMutableRawPointer

        /// Elements start on a cache line, so an element's place in the lines is its index's
        /// (a 36-byte presence slot spans two lines at 8 indices in 16, a 64-byte one never);
        /// a large block from malloc starts 16 bytes into a page. The block is a line longer
        /// than the elements and `base` the first line boundary in it.
        private static var line: Int { 64 }

        @usableFromInline
        init(repeating element: Element, count: Int) {
            self.count = count
            (block, base) = Storage.allocate(Swift.max(count, 1))
            base.initialize(repeating: element, count: count)
        }

        @usableFromInline
        init(copying other: Storage) {
            count = other.count
            (block, base) = Storage.allocate(Swift.max(count, 1))
            base.initialize(from: other.base, count: count)
        }

        private static func allocate(_ n: Int) -> (UnsafeMutableRawPointer, UnsafeMutablePointer<Element>) {
            let block = UnsafeMutableRawPointer.allocate(byteCount: n * MemoryLayout<Element>.stride + line,
                                                         alignment: MemoryLayout<Element>.alignment)
            let base = block.alignedUp(toMultipleOf: Swift.max(line, MemoryLayout<Element>.alignment))
            return (block, base.bindMemory(to: Element.self, capacity: n))
        }

        deinit {
            base.deinitialize(count: count)
            block.deallocate()
        }
    }

    @usableFromInline var storage: Storage

    @inlinable
    package init(repeating element: Element, count: Int) {
        storage = Storage(repeating: element, count: count)
    }

    @inlinable
    package var count: Int { storage.count }

    /// Whether `index` is one of the buffer's elements (for indices handed back by callers).
    @inlinable @inline(__always)
    package func contains(_ index: Int32) -> Bool { index >= 0 && Int(index) < storage.count }

    /// Copies the elements when another copy of the buffer shares them. Call it once before the
    /// writes of a mutating operation: the subscript's writes do not check.
    @inlinable @inline(__always)
    package mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(copying: storage) }
    }

    /// Unchecked: `index` is below `count`, and `makeUnique()` came first when writing.
    @inlinable
    package subscript(_ index: Int) -> Element {
        @inline(__always) unsafeAddress {
            assert(index >= 0 && index < storage.count, "index out of the buffer")
            return UnsafePointer(storage.base + index)
        }
        @inline(__always) nonmutating unsafeMutableAddress {
            assert(index >= 0 && index < storage.count, "index out of the buffer")
            return storage.base + index
        }
    }

    /// Starts loading the cache line of element `index` that holds the byte at `byteOffset` (a
    /// hint: nothing changes, and an index outside the buffer does no harm, it is never read).
    @inlinable @inline(__always)
    package func prefetch(_ index: Int, byteOffset: Int = 0) {
        tagway_prefetch(UnsafeRawPointer(storage.base) + (index &* MemoryLayout<Element>.stride &+ byteOffset))
    }

    /// Starts loading every cache line of element `index` (an element may straddle two).
    @inlinable @inline(__always)
    package func prefetchWhole(_ index: Int) {
        prefetch(index)
        prefetch(index, byteOffset: MemoryLayout<Element>.size &- 1)
    }

    /// The elements as a read-only buffer, for walks that the optimizer should see as one loop.
    @inlinable
    package func withElements<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) { try body(UnsafeBufferPointer(start: storage.base, count: storage.count)) }
    }
}
