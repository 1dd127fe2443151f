import Foundation
import Synchronization

/// Which way a figure improves, so `scripts/bench-compare` can tell a regression from a gain.
public enum Better: String, Codable, Sendable {
    case higher
    case lower
}

/// One measured figure, as `make bench` tabulates it and `bench-results.json` keeps it.
///
/// `id` is the stable key two runs are compared by (`movement.W2.reads_per_cpu_second`); `label`
/// is what the table shows. `goal` is the target in the same unit, when there is one: the
/// table then says whether it was met, so a figure that slips below it is seen at once.
public struct BenchFigure: Codable, Sendable {
    public var id: String
    public var label: String
    public var value: Double
    public var unit: String
    public var better: Better
    public var goal: Double?

    public init(id: String, label: String, value: Double, unit: String, better: Better, goal: Double? = nil) {
        self.id = id
        self.label = label
        self.value = value
        self.unit = unit
        self.better = better
        self.goal = goal
    }
}

/// The figures one benchmark process measured, written as JSON when it was given `--json FILE`.
///
/// Every benchmark records what it prints here as well; `scripts/bench-table` merges the files of
/// one `make bench` run into `bench-results.json`. Recording is thread-safe: the end-to-end
/// benchmarks measure from tasks.
public final class BenchReport: Sendable {
    public static let shared = BenchReport()

    private let figures = Mutex<[BenchFigure]>([])

    public init() {}

    public func record(_ figure: BenchFigure) {
        figures.withLock { $0.append(figure) }
    }

    public func record(id: String, label: String, value: Double, unit: String, better: Better, goal: Double? = nil) {
        record(BenchFigure(id: id, label: label, value: value, unit: unit, better: better, goal: goal))
    }

    public var recorded: [BenchFigure] { figures.withLock { $0 } }

    /// Writes `{"machine": …, "figures": […]}` to the file `--json FILE` names in `arguments`;
    /// does nothing without the option. Returns the path written.
    @discardableResult
    public func writeIfAsked(arguments: [String] = CommandLine.arguments) throws -> String? {
        guard let at = arguments.firstIndex(of: "--json"), arguments.indices.contains(at + 1) else { return nil }
        let path = arguments[at + 1]
        let document = Document(machine: MachineDescription.current(), figures: recorded)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(document).write(to: URL(fileURLWithPath: path))
        return path
    }

    struct Document: Codable {
        var machine: MachineDescription
        var figures: [BenchFigure]
    }
}

/// Where the figures were measured: a comparison across machines is only a hint, and the table
/// says so.
public struct MachineDescription: Codable, Sendable {
    public var host: String
    public var cpu: String
    public var cores: Int
    public var kernel: String
    public var date: String

    public static func current() -> MachineDescription {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        let kernel = ((try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)) ?? "unknown")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let formatter = ISO8601DateFormatter()
        return MachineDescription(host: ProcessInfo.processInfo.hostName, cpu: model,
                                  cores: ProcessInfo.processInfo.activeProcessorCount, kernel: kernel,
                                  date: formatter.string(from: Date()))
    }
}
