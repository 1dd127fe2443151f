import Clocks
import Foundation
import Logging
import NIOCore
import Synchronization
import TagwayModel
import TagwayRuntime
import TagwaySessions
import Testing
@testable import TagwayGateway

/// The TCP shell of the session machine against a real listener on 127.0.0.1, with a scripted
/// line conversation; its timers run on a test clock, so a reconnect happens when the test
/// advances the clock, never after a real wait.
@Suite struct TCPReaderSessionTests {
    @Test func connectsSaysHelloAndHandsOnTheTagsItIsTold() async throws {
        let peer = try await TCPPeer()
        defer { peer.close() }
        let run = SessionUnderTest(port: peer.port)
        let task = run.start()
        let connection = try #require(await peer.next())
        try await connection.executeThenClose { inbound, outbound in
            var lines = LineReader(inbound)
            #expect(try await lines.next() == "HELLO")
            try await outbound.write(ByteBuffer(string: "TAG 0102\nTAG 0A0B0C\n"))
            #expect(await run.frames(2) == ["0102", "0A0B0C"])
            let health = try #require(run.health.snapshot.first)
            #expect(health.connected)
            #expect(health.path == "127.0.0.1:\(peer.port)")
            #expect(health.bytes == 20)
            #expect(health.frames == 2)
            task.cancel()
            #expect(try await lines.next() == "QUIT", "stopping says goodbye before closing")
            #expect(try await lines.next() == nil)
        }
        await task.value
        #expect(run.health.snapshot.first?.connected == false)
    }

    @Test func aPeerClosingMidMessageIsReconnectedAfterTheBackoff() async throws {
        let peer = try await TCPPeer()
        defer { peer.close() }
        let run = SessionUnderTest(port: peer.port)
        let task = run.start()
        let first = try #require(await peer.next())
        try await first.executeThenClose { inbound, outbound in
            var lines = LineReader(inbound)
            #expect(try await lines.next() == "HELLO")
            try await outbound.write(ByteBuffer(string: "TAG 01\nTAG 02"))
        }
        #expect(await run.frames(1) == ["01"])
        // The end of the stream is a disconnect without a failure, then a backoff.
        let backoff = try #require(await run.armedTimer(.reopen))
        #expect(backoff >= .milliseconds(500) && backoff <= .seconds(30))
        #expect(run.recorded.contains(.health(.disconnected(nil, retryIn: backoff))))
        #expect(run.health.snapshot.first?.connected == false)

        await run.advance(until: { run.recorded.filter { if case .open = $0 { true } else { false } }.count == 2 })
        let second = try #require(await peer.next())
        try await second.executeThenClose { inbound, outbound in
            var lines = LineReader(inbound)
            #expect(try await lines.next() == "HELLO", "the conversation starts again on the new connection")
            try await outbound.write(ByteBuffer(string: "TAG 03\n"))
            #expect(await run.frames(1) == ["03"], "the half line of the closed connection is forgotten")
            #expect(run.health.snapshot.first?.reconnects == 1)
            task.cancel()
            #expect(try await lines.next() == "QUIT")
        }
        await task.value
    }

    @Test func aRefusedConnectionIsCountedAndRetriedAfterTheBackoff() async throws {
        let port = try await TCPPeer.closedPort()
        let run = SessionUnderTest(port: port)
        let task = run.start()
        _ = try #require(await run.armedTimer(.reopen))
        let health = try #require(run.health.snapshot.first)
        #expect(health.errors["connection-refused"] == 1)
        #expect(health.lastError?.hasPrefix("127.0.0.1:\(port): connection refused") == true, "\(health.lastError ?? "")")
        #expect(!health.connected)

        // The clock moves a minute at a time, so an attempt may come between two looks: at least two.
        await run.advance(until: { (run.health.snapshot.first?.errors["connection-refused"] ?? 0) >= 2 })
        #expect((run.health.snapshot.first?.errors["connection-refused"] ?? 0) >= 2)
        // Every attempt after the first waited out a backoff timer armed after the failure before it.
        var armed = 0
        var opens = 0
        for action in run.recorded {
            if case .armTimer(let token, _) = action, token.purpose == .reopen { armed += 1 }
            if case .open = action {
                opens += 1
                #expect(armed == opens - 1, "attempt \(opens) after \(armed) backoff timers")
            }
        }
        task.cancel()
        await task.value
    }

    @Test func aStalledPipelinePausesTheSocketWithBoundedMemoryAndLosesNothing() async throws {
        let peer = try await TCPPeer()
        defer { peer.close() }
        let budget = 16 * 1024
        let run = SessionUnderTest(port: peer.port, budget: budget, stalled: true)
        let task = run.start()
        let connection = try #require(await peer.next())
        let padding = 1 << 20
        try await connection.executeThenClose { inbound, outbound in
            var lines = LineReader(inbound)
            #expect(try await lines.next() == "HELLO")
            // The first tag stalls the pipeline; a megabyte follows that nobody takes.
            try await outbound.write(ByteBuffer(string: "TAG 01\n"))
            let writing = Task {
                for _ in 0..<(padding / 8192) { try await outbound.write(ByteBuffer(repeating: UInt8(ascii: "."), count: 8192)) }
                try await outbound.write(ByteBuffer(string: "TAG 02\n"))
            }
            let opened = try #require(await run.connection())
            for _ in 0..<2000 where opened.chunks.pauses == 0 { try await Task.sleep(for: .milliseconds(5)) }
            #expect(opened.chunks.pauses >= 1, "the socket stopped being read")
            #expect(opened.chunks.peakBytes <= 2 * budget, "held at most the budget and one read: \(opened.chunks.peakBytes)")

            run.release()
            #expect(await run.frames(2) == ["01", "02"])
            try await writing.value
            let health = try #require(run.health.snapshot.first)
            #expect(health.errors["input-paused", default: 0] >= 1, "each pause is counted: \(health.errors)")
            #expect(health.bytes == 7 + padding + 7, "every byte arrived")
            #expect(opened.chunks.peakBytes <= 2 * budget)
            task.cancel()
        }
        await task.value
    }

    @Test func connectFailuresAreNamedByKindWithTheAddress() {
        let address = TCPAddress(host: "fd00::7", port: 5084)
        let refused = TCPSessionFailure.failure(IOError(errnoCode: ECONNREFUSED, reason: "connect"), connecting: address)
        #expect(refused.kind == "connection-refused")
        #expect(refused.description.hasPrefix("[fd00::7]:5084: connection refused"))
        #expect(TCPSessionFailure.failure(ChannelError.connectTimeout(.seconds(5)), connecting: address)
            == SessionFailure(kind: "connect-timeout", description: "[fd00::7]:5084: no answer to the connect within 5000 ms"))
        #expect(TCPSessionFailure.failure(IOError(errnoCode: ECONNRESET, reason: "read"), connecting: address).kind == "connection-reset")
        #expect(TCPSessionFailure.failure(SocketAddressError.failedToParseIPString("nowhere"), connecting: address).kind == "host-unknown")
        #expect(TCPSessionFailure.failure(IOError(errnoCode: EHOSTUNREACH, reason: "connect"), connecting: address).kind == "io")
    }
}

/// One TCP reader session on a test clock, with what it did recorded for the test.
final class SessionUnderTest: Sendable {
    let health = HealthBoard()
    let clock = TestClock<Duration>()
    private let session: TCPReaderSession
    private let actions = Recorded()
    private let actionStream: AsyncStream<ReaderSessionAction>
    private let frameStream: AsyncStream<[ReaderFrame]>
    private let connections: AsyncStream<TCPConnection>
    private let gate: Gate

    init(port: Int, budget: Int = 64 * 1024, stalled: Bool = false) {
        let (actionStream, actionSink) = AsyncStream.makeStream(of: ReaderSessionAction.self)
        let (frameStream, frameSink) = AsyncStream.makeStream(of: [ReaderFrame].self)
        let (connections, connectionSink) = AsyncStream.makeStream(of: TCPConnection.self)
        (self.actionStream, self.frameStream, self.connections) = (actionStream, frameStream, connections)
        let gate = Gate(open: !stalled)
        self.gate = gate
        var logger = Logger(label: "tcp-session-test")
        logger.logLevel = .critical
        var session = TCPReaderSession(reader: "dock3", address: TCPAddress(host: "127.0.0.1", port: port), conversation: LineConversation(),
                                       health: health, logger: logger) { frames, _ in
            await gate.wait()
            frameSink.yield(frames)
        }
        let test = clock
        session.clock = GatewayClock(wall: { Timestamp(milliseconds: 1_764_000_000_000) }, monotonic: test)
        session.budget = budget
        let recorded = actions
        session.observer = { action in
            recorded.append(action)
            actionSink.yield(action)
        }
        session.opened = { connectionSink.yield($0) }
        self.session = session
    }

    func start() -> Task<Void, Never> {
        let session = session
        return Task { await session.run() }
    }

    var recorded: [ReaderSessionAction] { actions.all }

    /// The ids of the next `count` tags handed on.
    func frames(_ count: Int) async -> [String] {
        var ids: [String] = []
        var iterator = frameStream.makeAsyncIterator()
        while ids.count < count, let frames = await iterator.next() {
            for case .tag(let tag) in frames { ids.append(tag.id.hex) }
        }
        return ids
    }

    /// The delay of the next timer armed for `purpose`.
    func armedTimer(_ purpose: TimerPurpose) async -> Duration? {
        var iterator = actionStream.makeAsyncIterator()
        while let action = await iterator.next() {
            if case .armTimer(let token, let delay) = action, token.purpose == purpose { return delay }
        }
        return nil
    }

    /// The next connection the session opened.
    func connection() async -> TCPConnection? {
        var iterator = connections.makeAsyncIterator()
        return await iterator.next()
    }

    /// Advances the test clock a minute at a time until `done`: a sleep that starts just after
    /// one advance waits for the next.
    func advance(until done: () -> Bool) async {
        var rounds = 0
        while !done(), rounds < 100_000 {
            await clock.advance(by: .seconds(60))
            await Task.yield()
            rounds += 1
        }
    }

    /// Lets a stalled pipeline take frames again.
    func release() { gate.openUp() }
}

/// The actions a session executed, in order.
final class Recorded: Sendable {
    private let actions = Mutex<[ReaderSessionAction]>([])

    func append(_ action: ReaderSessionAction) { actions.withLock { $0.append(action) } }

    var all: [ReaderSessionAction] { actions.withLock { $0 } }
}

/// Holds callers until opened.
final class Gate: Sendable {
    private let state: Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>

    init(open: Bool) { state = Mutex((open, [])) }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resume = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resume { continuation.resume() }
        }
    }

    func openUp() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
