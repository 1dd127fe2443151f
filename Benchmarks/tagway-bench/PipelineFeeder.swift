import Foundation
import TagwaySerial
#if canImport(Glibc)
import Glibc
#endif

/// `tagway-bench pipeline-feeder` (hidden; started by `tagway-bench pipeline`): the emulated
/// readers, in a process of their own pinned to CPU 1, so the gateway's CPU is its alone.
///
/// It opens one pty per reader of `PipelineWorkload`, prints `port <index> <slave path>` for
/// each and `ready`, waits for `go` on stdin, then writes reads at `--rate` reads/s in all for
/// `--seconds`, every millisecond the reads that are due (a blocking write: a gateway that does
/// not keep up holds the feeder back, and the achieved rate shows it). After each write it notes
/// CLOCK_MONOTONIC for every tag whose first read that write held, and at the end writes those
/// (reader, serial, nanoseconds) records to `--out`, prints `done <reads> <seconds>` and waits
/// for `quit` (the gateway must stop reading before the ports go away).
enum PipelineFeeder {
    struct Record {
        var reader: UInt32
        var serial: UInt32
        var nanoseconds: UInt64
    }

    static func main(arguments: [String]) throws {
        func option(_ name: String) -> String? {
            arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
        }
        let rate = option("--rate").flatMap(Double.init) ?? 1_000
        let seconds = option("--seconds").flatMap(Double.init) ?? 5
        let readsPerTag = option("--reads-per-tag").flatMap(Int.init) ?? 10
        guard let out = option("--out") else { throw FeederError.usage }
        let pinned = PipelineCPU.pinProcess(to: 1)

        let ptys = try PipelineWorkload.readers.map { _ in try PseudoTerminal() }
        for pty in ptys { _ = fcntl(pty.masterFD, F_SETFL, fcntl(pty.masterFD, F_GETFL) | O_NONBLOCK) }
        for (index, pty) in ptys.enumerated() { say("port \(index) \(pty.slavePath)") }
        say("ready pinned=\(pinned)")
        guard readLine() == "go" else { return }

        let rates = PipelineWorkload.readers.indices.map { PipelineWorkload.rate(of: $0, total: rate) }
        var fields = rates.map { PipelineField(readsPerSecond: $0, readsPerTag: readsPerTag) }
        var sent = [Int](repeating: 0, count: ptys.count)
        var records: [Record] = []
        records.reserveCapacity(Int(rate * seconds) / max(1, readsPerTag) + 1024)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64 * 1024)
        let start = PipelineCPU.monotonicNanoseconds()
        let end = start + UInt64(seconds * 1e9)
        var tick: UInt64 = 0
        while true {
            let now = PipelineCPU.monotonicNanoseconds()
            if now >= end { break }
            let elapsed = Double(now - start) / 1e9
            for index in ptys.indices {
                // At most 2,048 reads per write: a feeder that fell behind catches up in pieces.
                let due = min(2_048, Int(rates[index] * elapsed) - sent[index])
                guard due > 0 else { continue }
                bytes.removeAll(keepingCapacity: true)
                // Each first read with the offset just past its frame: it was written by the
                // write that took that byte.
                var firsts: [(serial: UInt32, end: Int)] = []
                for _ in 0..<due {
                    let read = fields[index].next()
                    bytes += PipelineWorkload.frame(reader: index, serial: read.serial)
                    if read.first { firsts.append((read.serial, bytes.count)) }
                }
                var next = 0
                write(bytes, to: ptys[index].masterFD) { writtenThrough, at in
                    while next < firsts.count, firsts[next].end <= writtenThrough {
                        records.append(Record(reader: UInt32(index), serial: firsts[next].serial, nanoseconds: at))
                        next += 1
                    }
                }
                sent[index] += due
            }
            tick += 1
            // The gateway polls commanded readers (M100): take its polls so its writes never block.
            if tick % 16 == 0 { for (index, pty) in ptys.enumerated() where PipelineWorkload.readers[index] == .m100 { _ = pty.read(timeoutMs: 0) } }
            let next = start + tick * 1_000_000
            let after = PipelineCPU.monotonicNanoseconds()
            if next > after { usleep(UInt32(min(1_000, (next - after) / 1_000))) }
        }
        let fed = Double(PipelineCPU.monotonicNanoseconds() - start) / 1e9
        try write(records, to: out)
        say("done \(sent.reduce(0, +)) \(fed) \(PipelineCPU.processCPUSeconds())")
        while let line = readLine(), line != "quit" {
            for pty in ptys { _ = pty.read(timeoutMs: 0) }
        }
        for pty in ptys { pty.close() }
    }

    /// Writes all of `bytes` to the non-blocking master, telling `progress` after each write how
    /// many bytes are written and when (CLOCK_MONOTONIC right after the call returned); waits in
    /// poll while the gateway is behind and the pty is full.
    static func write(_ bytes: [UInt8], to fd: Int32, progress: (Int, UInt64) -> Void) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in raw.baseAddress.map { Glibc.write(fd, $0 + offset, raw.count - offset) } ?? 0 }
            if n > 0 {
                offset += n
                progress(offset, PipelineCPU.monotonicNanoseconds())
            } else if n < 0, errno == EAGAIN || errno == EINTR {
                var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&pfd, 1, 100)
            } else {
                return
            }
        }
    }

    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func write(_ records: [Record], to path: String) throws {
        var data = Data(capacity: records.count * 16)
        for record in records {
            withUnsafeBytes(of: record.reader.littleEndian) { data.append(contentsOf: $0) }
            withUnsafeBytes(of: record.serial.littleEndian) { data.append(contentsOf: $0) }
            withUnsafeBytes(of: record.nanoseconds.littleEndian) { data.append(contentsOf: $0) }
        }
        try data.write(to: URL(fileURLWithPath: path))
    }

    static func read(from path: String) throws -> [Record] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var records: [Record] = []
        records.reserveCapacity(data.count / 16)
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset + 16 <= raw.count {
                records.append(Record(reader: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)),
                                      serial: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)),
                                      nanoseconds: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))))
                offset += 16
            }
        }
        return records
    }

    enum FeederError: Error { case usage }
}
