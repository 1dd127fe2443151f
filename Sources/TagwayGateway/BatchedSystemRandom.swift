#if canImport(Glibc)
import Glibc
#endif

/// The kernel's CSPRNG, drawn 4 KiB at a time. Every event id takes two 64-bit draws, and
/// `SystemRandomNumberGenerator` makes one getrandom(2) call per draw: that was a tenth of the
/// pipeline's CPU (`perf record` of `tagway-forward-bench pipeline`). The bits come from the same
/// source (glibc's `arc4random_buf` is getrandom(2) since 2.36), only fetched in bulk.
struct BatchedSystemRandom: RandomNumberGenerator {
    private var words = [UInt64](repeating: 0, count: 512)
    private var index = 512

    mutating func next() -> UInt64 {
        if index == words.count { refill() }
        defer { index += 1 }
        return words[index]
    }

    private mutating func refill() {
        index = 0
        #if canImport(Glibc)
        words.withUnsafeMutableBytes { raw in arc4random_buf(raw.baseAddress!, raw.count) }  // force-unwrap-ok: a non-empty array
        #else
        var system = SystemRandomNumberGenerator()
        for i in words.indices { words[i] = system.next() }
        #endif
    }
}
