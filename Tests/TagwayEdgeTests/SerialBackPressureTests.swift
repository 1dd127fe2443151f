import Foundation
import TagwaySettings
import Testing
@testable import TagwaySerial

/// A port fed much faster than its consumer takes bytes: memory stays at the byte budget, the
/// writer is held back by the tty, and every byte still arrives, in order.
@Suite struct SerialBackPressureTests {
    @Test func aSlowConsumerHoldsAtMostTheBudgetAndLosesNothing() async throws {
        let pty = try PseudoTerminal()
        let budget = 16 * 1024
        let port = try SerialPort.open(path: pty.slavePath, settings: SerialSettings(baud: 115_200), bufferBudget: budget)
        defer { port.close() }
        let total = 2 * 1024 * 1024
        let payload = (0..<total).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        let writer = Thread {
            for start in stride(from: 0, to: total, by: 8192) { pty.write(Array(payload[start..<min(total, start + 8192)])) }
        }
        writer.start()
        // Nobody reads until the port has paused: the kernel then holds the rest and blocks the writer.
        for _ in 0..<1000 where port.chunks.pauses == 0 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(port.chunks.pauses >= 1)
        #expect(port.chunks.peakBytes <= budget + 4096)

        var received: [UInt8] = []
        received.reserveCapacity(total)
        var iterator = port.chunks.makeAsyncIterator()
        var taken = 0
        while received.count < total, let chunk = try await iterator.next() {
            received += chunk
            taken += 1
            // A consumer slower than the port: it yields between chunks, so the port keeps pausing.
            if taken % 4 == 0 { await Task.yield() }
        }
        #expect(received.count == total)
        #expect(received == payload)
        #expect(port.chunks.peakBytes <= budget + 4096, "peak \(port.chunks.peakBytes)")
    }

    @Test func closingAPausedPortEndsTheStream() async throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort.open(path: pty.slavePath, settings: SerialSettings(), bufferBudget: 1024)
        pty.write([UInt8](repeating: 0x41, count: 3000))
        for _ in 0..<1000 where port.chunks.pauses == 0 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(port.chunks.pauses >= 1)
        port.close()
        var iterator = port.chunks.makeAsyncIterator()
        var count = 0
        while let chunk = try await iterator.next() { count += chunk.count }
        #expect(count <= 1024 + 4096)
    }

    @Test func aCancelledConsumerStopsWaiting() async throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort.open(path: pty.slavePath, settings: SerialSettings())
        defer { port.close() }
        let waiting = Task { () -> [UInt8]? in
            var iterator = port.chunks.makeAsyncIterator()
            return try await iterator.next()
        }
        waiting.cancel()
        #expect(try await waiting.value == nil)
    }
}
