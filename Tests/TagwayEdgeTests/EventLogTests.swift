import Foundation
import Testing
import TagwayModel
@testable import TagwayEventLog

func temporaryDirectory(_ name: String = #function) -> String {
    let dir = NSTemporaryDirectory() + "tagway-test-\(name.filter(\.isLetter))-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

func sampleEvent(_ n: Int, type: EventType = .arrived) -> MovementEvent {
    var rng = SystemRandomNumberGenerator()
    let time = Timestamp(milliseconds: 1_790_000_000_000 + Int64(n))
    return MovementEvent(id: EventID.make(time: time, using: &rng), type: type, time: time, gateway: "gw",
                         asset: AssetRef(key: "em4100:\(n)", scheme: "em4100", raw: "\(n)"),
                         to: "door", readPoint: "door", reader: "r1", rssi: -50, reads: n)
}

@Suite struct EventLogTests {
    @Test func appendAssignsIncreasingSeqAndReadsBack() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        let stored = try await log.append((1...5).map { sampleEvent($0) })
        #expect(stored.map(\.seq) == [1, 2, 3, 4, 5])
        let read = try log.events(after: 2, limit: 10)
        #expect(read.map(\.seq) == [3, 4, 5])
        #expect(read == Array(stored[2...]))
        #expect(try log.lastSeq() == 5)
    }

    @Test func concurrentAppendsAreGroupCommittedInOneOrder() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        try await withThrowingTaskGroup(of: [MovementEvent].self) { group in
            for writer in 0..<8 {
                group.addTask {
                    var all: [MovementEvent] = []
                    for i in 0..<50 { all += try await log.append([sampleEvent(writer * 1000 + i)]) }
                    return all
                }
            }
            var seqs: [Int64] = []
            for try await stored in group {
                // Each writer's own events keep their order.
                #expect(stored.map { $0.seq! } == stored.map { $0.seq! }.sorted())
                seqs += stored.map { $0.seq! }
            }
            #expect(Set(seqs).count == 400)
        }
        let transactions = await log.committerTransactions
        #expect(transactions < 400, "appends queued during a commit share the next transaction")
        #expect(try log.events(after: 0, limit: 1000).count == 400)
    }

    @Test func eventsSurviveReopening() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let log = try EventLog(directory: dir)
            _ = try await log.append([sampleEvent(1), sampleEvent(2, type: .departed)])
        }
        let reopened = try EventLog.openExisting(directory: dir)
        let events = try reopened.events(after: 0, limit: 10)
        #expect(events.map(\.type) == [.arrived, .departed])
        let more = try await reopened.append([sampleEvent(3)])
        #expect(more[0].seq == 3)
    }

    @Test func subscribersHearOnlyCommittedEvents() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        var iterator = log.subscribe().makeAsyncIterator()
        _ = try await log.append([sampleEvent(7)])
        let heard = await iterator.next()
        #expect(heard?.seq == 1)
        #expect(try log.events(after: 0, limit: 1).first == heard)
    }

    @Test func duplicateIdsAreRefusedWithoutLosingTheBatchBefore() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        let event = sampleEvent(1)
        _ = try await log.append([event])
        await #expect(throws: EventLogError.self) { _ = try await log.append([event]) }
        #expect(try log.lastSeq() == 1)
    }

    @Test func missingLogIsAClearError() {
        #expect(throws: EventLogError.self) { _ = try EventLog.openExisting(directory: "/nonexistent/tagway") }
    }

    @Test func jsonFollowsTheContract() {
        var event = sampleEvent(3)
        event.seq = 42
        let json = event.json
        #expect(json.hasPrefix("{\"id\":\"\(event.id)\",\"seq\":42,\"type\":\"arrived\",\"time\":\"2026-09-21T"))
        #expect(json.contains("\"asset\":{\"key\":\"em4100:3\",\"scheme\":\"em4100\",\"raw\":\"3\"}"))
        #expect(!json.contains("null"))
        let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(parsed?["readPoint"] as? String == "door")
    }
}
