import ArgumentParser
import TagwayEmulators
import TagwayLLRP

/// `tagway simulate --listen`'s faults: what a client of a real reader meets on a bad day, on
/// command, so `tagway run` can be watched surviving each.
struct LLRPFaultOptions: ParsableArguments {
    @Option(help: "LLRP: drop each connection this many seconds after it was accepted.")
    var dropEvery: Double?

    @Option(help: "LLRP: drop each connection after this many RO_ACCESS_REPORTs.")
    var dropAfterReports: Int?

    @Option(help: "LLRP: after this many reports send half a message, then nothing (a stalled reader).")
    var stallAfterReports: Int?

    @Option(help: "LLRP: go silent (no keepalives, reports or answers) this many seconds into each connection.")
    var silentAfter: Double?

    @Flag(help: "LLRP: refuse every client as a reader held by another one does.")
    var busy = false

    @Flag(name: .customLong("reject-rospec"), help: "LLRP: answer ADD_ROSPEC with an error status.")
    var rejectROSpec = false

    @Option(help: "LLRP: send this many reports per write, as fast as the client takes them (a flood).")
    var flood: Int?

    @Option(help: "LLRP: the reader's clock is this many seconds ahead of true time (negative: behind).")
    var clockOffset: Double = 0

    @Option(help: "LLRP: only the first N connections suffer the faults above; later ones are healthy.")
    var faultyConnections: Int?

    func script() throws -> LLRPEmulatorScript {
        let faults = LLRPEmulatorScript.Faults(
            busy: busy,
            rejectAddROSpec: rejectROSpec ? LLRPStatus(code: .parameterError, errorDescription: "ROSpec rejected (simulated fault)") : nil,
            dropAfterReports: try Self.positive(dropAfterReports, "--drop-after-reports"),
            dropAfter: try Self.seconds(dropEvery, "--drop-every"),
            stallAfterReports: try Self.positive(stallAfterReports, "--stall-after-reports"),
            silentAfter: try Self.seconds(silentAfter, "--silent-after"),
            floodReportsPerCall: try Self.positive(flood, "--flood"))
        guard clockOffset.isFinite, abs(clockOffset) < 1e9 else { throw ValidationError("--clock-offset: \(clockOffset) is not a clock offset in seconds") }
        return LLRPEmulatorScript(clockOffset: .milliseconds(Int64((clockOffset * 1000).rounded())), faults: faults,
                                  faultyConnections: try Self.positive(faultyConnections, "--faulty-connections"))
    }

    private static func positive(_ value: Int?, _ flag: String) throws -> Int? {
        guard let value else { return nil }
        guard value > 0 else { throw ValidationError("\(flag): \(value) is not a positive count") }
        return value
    }

    private static func seconds(_ value: Double?, _ flag: String) throws -> Duration? {
        guard let value else { return nil }
        guard value.isFinite, value >= 0, value < 1e9 else { throw ValidationError("\(flag): \(value) is not a time in seconds") }
        return .milliseconds(Int64((value * 1000).rounded()))
    }

    /// `HOST:PORT` (the port 0…65535; 0 asks the OS for a free one).
    static func address(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port),
              colon != text.startIndex
        else { throw ValidationError("--listen '\(text)': expected HOST:PORT, e.g. 127.0.0.1:5084") }
        return (String(text[..<colon]), port)
    }
}
