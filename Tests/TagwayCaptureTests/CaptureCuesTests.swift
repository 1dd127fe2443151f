import Testing
import TagwayCapture
import TagwayModel

/// A serial capture read as a replay's cues: offsets from each open, unplug and replug, speed.
@Suite struct CaptureCuesTests {
    static func at(_ ms: Int64, _ kind: CaptureRecord.Kind, _ payload: [UInt8] = []) -> CaptureRecord {
        CaptureRecord(time: Timestamp(milliseconds: 1_000_000 + ms), kind: kind, payload: payload)
    }

    let records = [
        at(0, .open), at(5, .tx, [0xBB]), at(20, .rx, [1, 2]), at(520, .rx, [3]),
        at(1000, .close, Array("unplugged".utf8)), at(1800, .open), at(1850, .rx, [4]),
    ]

    @Test func offsetsCountFromEachOpenAndTheHostsCommandsAreNotPlayed() {
        #expect(CaptureCues.make(records, speed: 1) == [
            .waitForOpen, .send([1, 2], at: .milliseconds(20)), .send([3], at: .milliseconds(520)),
            .unplug(at: .milliseconds(1000)), .replug(after: .milliseconds(800)), .waitForOpen, .send([4], at: .milliseconds(50)),
        ])
    }

    @Test func speedDividesEveryWaitAndMaxRemovesThem() {
        let fast = CaptureCues.make(records, speed: 4)
        #expect(fast[1] == .send([1, 2], at: .milliseconds(5)))
        #expect(fast[4] == .replug(after: .milliseconds(200)))
        let max = CaptureCues.make(records, speed: nil)
        #expect(max.allSatisfy {
            switch $0 {
            case .send(_, let at), .unplug(let at), .replug(let at): at == .zero
            case .waitForOpen: true
            }
        })
    }

    @Test func aCaptureStartedMidConnectionPlaysFromItsFirstBytesAndAClockStepPlaysAtOnce() {
        let cues = CaptureCues.make([Self.at(100, .rx, [1]), Self.at(400, .rx, [2]), Self.at(50, .rx, [3])], speed: 1)
        #expect(cues == [.send([1], at: .zero), .send([2], at: .milliseconds(300)), .send([3], at: .zero)])
    }

    @Test func absurdTimesSaturate() {
        let cues = CaptureCues.make([CaptureRecord(time: Timestamp(milliseconds: .min), kind: .open),
                                     CaptureRecord(time: Timestamp(milliseconds: .max), kind: .rx, payload: [1])], speed: 0.001)
        #expect(cues.count == 2)
    }
}
