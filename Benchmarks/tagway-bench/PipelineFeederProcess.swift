import Foundation

/// The parent's side of `pipeline-feeder`: starts it (this same executable), reads the ports it
/// opened, tells it to go and to quit.
// @unchecked: used by one thread at a time (the run's task, or the thread waiting for `done`
// while that task awaits it).
final class PipelineFeederProcess: @unchecked Sendable {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffered: [UInt8] = []
    private(set) var ports: [String] = []
    private(set) var pinned = false
    let recordsPath: String

    init(rate: Int, seconds: Double, readsPerTag: Int, recordsPath: String) throws {
        self.recordsPath = recordsPath
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.executableURL = executable
        process.arguments = ["pipeline-feeder", "--rate", "\(rate)", "--seconds", "\(seconds)", "--reads-per-tag", "\(readsPerTag)",
                             "--out", recordsPath]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var ports: [String] = []
        while let line = readLine() {
            let words = line.split(separator: " ")
            if words.first == "port", words.count == 3 { ports.append(String(words[2])) }
            if words.first == "ready" {
                pinned = line.hasSuffix("pinned=true")
                break
            }
        }
        guard ports.count == PipelineWorkload.readers.count else { throw FeederProcessError.noPorts(ports.count) }
        self.ports = ports
    }

    func go() { send("go") }

    /// Waits for `done`: the reads written, how long the feeder took to write them, its CPU seconds.
    func waitDone() -> (reads: Int, seconds: Double, cpuSeconds: Double)? {
        while let line = readLine() {
            let words = line.split(separator: " ")
            if words.first == "done", words.count == 4, let reads = Int(words[1]), let seconds = Double(words[2]),
               let cpu = Double(words[3]) {
                return (reads, seconds, cpu)
            }
        }
        return nil
    }

    func quit() {
        send("quit")
        process.waitUntilExit()
    }

    private func send(_ line: String) {
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    /// One line of the feeder's output (blocking; the feeder writes whole lines).
    private func readLine() -> String? {
        while true {
            if let newline = buffered.firstIndex(of: 0x0A) {
                let line = String(decoding: buffered[..<newline], as: UTF8.self)
                buffered.removeFirst(newline + 1)
                return line
            }
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { return nil }
            buffered += data
        }
    }

    enum FeederProcessError: Error { case noPorts(Int) }
}
