import Foundation
import TagwayModel
import TagwaySettings
import Testing
@testable import TagwaySerial

@Suite struct SerialPortTests {
    @Test func readsWhatTheReaderSendsAndWritesCommands() async throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort.open(path: pty.slavePath, settings: SerialSettings(baud: 115_200))
        defer { port.close() }
        pty.write(Array("hello".utf8))
        var iterator = port.chunks.makeAsyncIterator()
        var received: [UInt8] = []
        while received.count < 5, let chunk = try await iterator.next() { received += chunk }
        #expect(received == Array("hello".utf8))

        try port.write([0xBB, 0x00, 0x22, 0x00, 0x00, 0x22, 0x7E])
        var echoed: [UInt8] = []
        for _ in 0..<20 where echoed.count < 7 { echoed += pty.read(timeoutMs: 100) }
        #expect(echoed == [0xBB, 0x00, 0x22, 0x00, 0x00, 0x22, 0x7E])
    }

    /// A reply queued for a gateway that was killed before reading it (or a passive reader's
    /// lines from while no one listened) is not read by the next opener as if it had just come:
    /// the port starts with what the reader says after it is opened.
    @Test func bytesQueuedBeforeTheOpenAreDiscarded() async throws {
        let pty = try PseudoTerminal()
        let first = try SerialPort.open(path: pty.slavePath, settings: SerialSettings())
        first.close()
        // Closed once its chunks end (the descriptor is closed first): until then it holds the lock.
        var ending = first.chunks.makeAsyncIterator()
        while try await ending.next() != nil {}
        pty.write(Array("reply to the last gateway\r\n".utf8))
        // The kernel moves a pty's bytes to the line discipline on a worker: wait until they are
        // queued there, as a reply the dead gateway never read is.
        for _ in 0..<3_000 where pty.queuedForSlave < 27 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(pty.queuedForSlave == 27)
        let port = try SerialPort.open(path: pty.slavePath, settings: SerialSettings())
        defer { port.close() }
        #expect(port.discardedAtOpen == 27)
        pty.write(Array("fresh".utf8))
        var iterator = port.chunks.makeAsyncIterator()
        var received: [UInt8] = []
        while received.count < 5, let chunk = try await iterator.next() { received += chunk }
        #expect(String(decoding: received, as: UTF8.self) == "fresh")
    }

    @Test func unplugEndsTheStreamWithDisconnected() async throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort.open(path: pty.slavePath, settings: SerialSettings())
        pty.write([1, 2, 3])
        var iterator = port.chunks.makeAsyncIterator()
        _ = try await iterator.next()
        pty.close()
        await #expect(throws: SerialError.disconnected(path: pty.slavePath)) {
            while try await iterator.next() != nil {}
        }
    }

    @Test func missingDeviceIsNotFound() {
        #expect(throws: SerialError.notFound(path: "/dev/tagway-no-such-port")) {
            _ = try SerialPort.open(path: "/dev/tagway-no-such-port", settings: SerialSettings())
        }
    }

    @Test func aSecondOpenIsRefusedAsBusy() throws {
        let pty = try PseudoTerminal()
        let first = try SerialPort.open(path: pty.slavePath, settings: SerialSettings())
        defer { first.close() }
        #expect(throws: SerialError.busy(path: pty.slavePath)) {
            _ = try SerialPort.open(path: pty.slavePath, settings: SerialSettings())
        }
    }

    @Test func aRegularFileIsNotASerialPort() throws {
        let path = NSTemporaryDirectory() + "tagway-not-a-tty-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: path, contents: Data())
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            _ = try SerialPort.open(path: path, settings: SerialSettings())
        } throws: { error in
            guard case SerialError.configure(_, let call, _, _) = error else { return false }
            return call == "tcgetattr"
        }
    }

    @Test func settingsAreValidated() {
        #expect(SerialSettings(baud: 9600).problems.isEmpty)
        #expect(SerialSettings(baud: 12345).problems.count == 1)
        #expect(SerialSettings(dataBits: 9, stopBits: 3).problems.count == 2)
        #expect(SerialSettings(baud: 9600, parity: .even).description == "9600 8E1")
    }
}
