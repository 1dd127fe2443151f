import Testing
import TagwayCapture
import TagwayModel

/// The rotation decisions: a new file when the next record would pass the size, the oldest
/// deleted beyond the count, earlier runs' files counted, names unique.
@Suite struct CaptureRotationTests {
    let t0 = Timestamp(milliseconds: 1_764_698_400_000)

    @Test func firstRecordStartsAFileNamedAfterReaderAndTime() {
        var rotation = CaptureRotation(reader: "dock/uhf", limits: .init(maxFileBytes: 1000, maxFiles: 3))
        let steps = rotation.place(recordBytes: 40, headerBytes: 100, at: t0)
        #expect(steps == [.start("dock_uhf-20251202T180000.000Z.tcap"), .write])
        #expect(rotation.currentBytes == 140)
    }

    @Test func rotatesBeforePassingTheSizeAndKeepsMaxFiles() {
        var rotation = CaptureRotation(reader: "r1", limits: .init(maxFileBytes: 300, maxFiles: 2))
        var starts: [String] = []
        var deletes: [String] = []
        var writes = 0
        for i in 0..<20 {
            for step in rotation.place(recordBytes: 50, headerBytes: 100, at: t0 + .milliseconds(1000 * i)) {
                switch step {
                case .start(let name): starts.append(name)
                case .delete(let name): deletes.append(name)
                case .write: writes += 1
                }
            }
            #expect((rotation.currentBytes ?? 0) <= 300)
        }
        // 100 header + 4 records of 50 = 300 per file: 5 files for 20 records.
        #expect(writes == 20)
        #expect(starts.count == 5)
        #expect(deletes == Array(starts.prefix(3)))
        #expect(rotation.files == Array(starts.suffix(2)))
    }

    @Test func aRecordLargerThanAFileStillGetsOne() {
        var rotation = CaptureRotation(reader: "r1", limits: .init(maxFileBytes: 100, maxFiles: 4))
        #expect(rotation.place(recordBytes: 500, headerBytes: 50, at: t0).count == 2)
        let second = rotation.place(recordBytes: 500, headerBytes: 50, at: t0 + .milliseconds(1))
        #expect(second.first.map { if case .start = $0 { true } else { false } } == true)
        #expect(rotation.files.count == 2)
    }

    @Test func filesOfAnEarlierRunCountAgainstTheBound() {
        let old = ["r1-20251201T100000.000Z.tcap", "r1-20251130T100000.000Z.tcap"]
        var rotation = CaptureRotation(reader: "r1", limits: .init(maxFileBytes: 1000, maxFiles: 2), existing: old)
        let steps = rotation.place(recordBytes: 10, headerBytes: 10, at: t0)
        #expect(steps == [.start("r1-20251202T180000.000Z.tcap"), .delete("r1-20251130T100000.000Z.tcap"), .write])
    }

    @Test func aLostFileStartsANewOneWithAUniqueName() {
        var rotation = CaptureRotation(reader: "r1", limits: .init(maxFileBytes: 1000, maxFiles: 5))
        _ = rotation.place(recordBytes: 10, headerBytes: 10, at: t0)
        rotation.lost()
        let steps = rotation.place(recordBytes: 10, headerBytes: 10, at: t0)
        #expect(steps == [.start("r1-20251202T180000.000Z-1.tcap"), .write])
        #expect(rotation.place(recordBytes: 10, headerBytes: 10, at: t0) == [.write])
    }

    @Test func hugeSizesSaturateInsteadOfTrapping() {
        var rotation = CaptureRotation(reader: "r1", limits: .init(maxFileBytes: Int.max, maxFiles: 1))
        _ = rotation.place(recordBytes: Int.max, headerBytes: 10, at: t0)
        #expect(rotation.currentBytes == Int.max)
        let steps = rotation.place(recordBytes: Int.max, headerBytes: 10, at: t0 + .milliseconds(1))
        #expect(steps.count == 3)
    }
}
