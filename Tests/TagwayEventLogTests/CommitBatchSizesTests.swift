import Foundation
import Testing
import TagwayModel
import TagwayTestSupport
@testable import TagwayEventLog

/// The record of events per group-commit transaction: its buckets, its percentiles, its limits,
/// and that the log counts each transaction it commits once.
@Suite struct CommitBatchSizesTests {
    @Test func batchesFallInPowerOfTwoBuckets() {
        let bounds = CommitBatchSizes.upperBounds
        #expect(bounds.prefix(6) == [0, 1, 2, 4, 8, 16])
        #expect(bounds.last == 1 << 20)
        for (size, bucket) in [(0, 0), (1, 1), (2, 2), (3, 3), (4, 3), (5, 4), (8, 4), (9, 5), (16, 5), (17, 6),
                               (1 << 20, bounds.count - 1), ((1 << 20) + 1, bounds.count), (Int.max, bounds.count)] {
            #expect(CommitBatchSizes.bucket(of: size) == bucket, "batch of \(size)")
        }
        // Every bound is the largest size of its own bucket.
        for (bucket, bound) in bounds.enumerated() {
            #expect(CommitBatchSizes.bucket(of: bound) == bucket)
            if bound > 0 { #expect(CommitBatchSizes.bucket(of: bound + 1) == bucket + 1) }
        }
    }

    @Test func percentilesAreBucketBoundsCappedByTheLargestBatch() {
        var sizes = CommitBatchSizes()
        #expect(sizes.percentile(50) == nil)
        #expect(sizes.mean == nil)
        #expect(sizes.summary == "no commits")
        // 90 commits of 1 event, 9 of 6 (bucket 5–8), 1 of 300 (bucket 257–512).
        for _ in 0..<90 { sizes.record(events: 1) }
        for _ in 0..<9 { sizes.record(events: 6) }
        sizes.record(events: 300)
        #expect(sizes.commits == 100)
        #expect(sizes.events == 90 + 54 + 300)
        #expect(sizes.largest == 300)
        #expect(sizes.percentile(0) == 1)
        #expect(sizes.percentile(50) == 1)
        #expect(sizes.percentile(90) == 1)
        #expect(sizes.percentile(91) == 8)
        #expect(sizes.percentile(99) == 8)
        #expect(sizes.percentile(99.5) == 300, "the last bucket's bound (512) is capped by the largest batch")
        #expect(sizes.percentile(100) == 300)
        #expect(sizes.percentile(250) == 300, "a share above 100 % is the largest")
        #expect(sizes.percentile(.nan) == 300)
        #expect(sizes.mean == 4.44)
        #expect(sizes.nonEmptyBuckets.map(\.upTo) == [1, 8, 512])
        #expect(sizes.nonEmptyBuckets.map(\.commits) == [90, 9, 1])
        #expect(sizes.summary == "100 commits, 444 events: mean 4.4 events/commit, p50 ≤1 p90 ≤1 p99 ≤8, max 300")
    }

    @Test func stateOnlyAndOversizedCommitsHaveTheirOwnBuckets() {
        var sizes = CommitBatchSizes()
        sizes.record(events: 0)
        sizes.record(events: -3)
        sizes.record(events: 5_000_000)
        #expect(sizes.counts.first == 2, "no events (and a nonsense negative count) is a state-only write")
        #expect(sizes.counts.last == 1)
        #expect(sizes.nonEmptyBuckets.map(\.upTo) == [0, nil])
        #expect(sizes.percentile(50) == 0)
        #expect(sizes.percentile(100) == 5_000_000, "past the last bound, the largest batch is the answer")
        #expect(sizes.events == 5_000_000)
    }

    @Test func totalsSaturateInsteadOfWrapping() {
        var counts = Array(repeating: 0, count: CommitBatchSizes.upperBounds.count + 1)
        counts[1] = Int.max
        var sizes = CommitBatchSizes(counts: counts, commits: Int.max, events: Int.max - 1, largest: 1)
        sizes.record(events: 1)
        sizes.record(events: 4)
        #expect(sizes.counts[1] == Int.max)
        #expect(sizes.counts[3] == 1)
        #expect(sizes.commits == Int.max)
        #expect(sizes.events == Int.max)
        #expect(sizes.largest == 4)
        #expect(sizes.percentile(50) == 1)
        #expect(sizes.percentile(100) == 4)
    }

    @Test func theLogRecordsEachCommittedTransactionOnce() async throws {
        let dir = TestPaths.temporaryDirectory("commit-batch-sizes")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        func event(_ n: Int) -> MovementEvent {
            MovementEvent(id: "e\(n)", type: .observed, time: Timestamp(milliseconds: 1_790_000_000_000), gateway: "gw",
                          asset: AssetRef(key: "ASSET-\(n)", scheme: "barcode", raw: "ASSET-\(n)"))
        }
        #expect(log.commitBatchSizes.commits == 0)
        _ = try await log.append((0..<3).map(event))
        _ = try await log.append([event(3)])
        let touch = AssetTouch(tag: TagID(bytes: [1, 2]), readPoint: "desk", lastRead: Timestamp(milliseconds: 1),
                               lastReadInZone: Timestamp(milliseconds: 1), reads: 1)
        _ = try await log.append([], state: AssetStateChanges(touches: [touch]))
        // A refused transaction (a duplicate id) committed nothing and is not counted.
        await #expect(throws: EventLogError.self) { _ = try await log.append([event(0)]) }
        var sizes = log.commitBatchSizes
        #expect(sizes.commits == 3)
        #expect(sizes.events == 4)
        #expect(sizes.nonEmptyBuckets.map(\.upTo) == [0, 1, 4])
        // Concurrent appends merged into shared transactions are counted per transaction.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 10..<74 { group.addTask { _ = try await log.append([event(n)]) } }
            try await group.waitForAll()
        }
        sizes = log.commitBatchSizes
        let transactions = await log.committerTransactions
        #expect(sizes.commits == transactions)
        #expect(sizes.events == 4 + 64)
    }
}
