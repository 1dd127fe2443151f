import Foundation
import Testing
import TagwayTestSupport

/// `make bench`'s table and `make bench-compare` on fixed figure files (Samples/): what a run
/// of the benchmarks would write, without running one. The scripts are the regression alarm
/// of issue 16, so they are tested like code: merged ids, goals met or not, a regression found
/// with exit status 1.
@Suite struct BenchScriptsTests {
    let scripts = TestPaths.repositoryRoot + "/scripts"
    let samples: String

    init() throws {
        samples = try #require(Bundle.module.resourceURL?.appendingPathComponent("Samples").path)
    }

    func sample(_ name: String) -> String { samples + "/" + name }

    func table(_ parts: [String], into out: String) throws -> ExternalCommand {
        try ExternalCommand.run(["python3", scripts + "/bench-table", out] + parts.map(sample))
    }

    struct Figure: Decodable {
        var id: String
        var value: Double
    }

    /// The merged file's values by id.
    func merged(_ path: String) throws -> [String: Double] {
        struct Document: Decodable { var figures: [Figure] }
        let document = try JSONDecoder().decode(Document.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        return Dictionary(document.figures.map { ($0.id, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    @Test func tableMergesBothBenchmarksOneFigurePerIdTheLaterPartWinning() throws {
        let dir = TestPaths.temporaryDirectory("bench-table")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try table(["tagway-bench.json", "tagway-forward-bench.json"], into: dir + "/bench-results.json")
        #expect(result.status == 0, "\(result.transcript)")
        let figures = try merged(dir + "/bench-results.json")
        #expect(Set(figures.keys) == ["movement.W1.reads_per_cpu_second", "idle.wakeups_per_second",
                                      "decoders.m100.mb_per_second", "llrp.r10000.read_to_durable_p99_ms"])
        #expect(figures["decoders.m100.mb_per_second"] == 82)
        #expect(result.stdout.contains("== all figures (4)"), "\(result.stdout)")
        for section in ["-- movement", "-- idle", "-- decoders", "-- llrp"] {
            #expect(result.stdout.contains(section), "\(result.stdout)")
        }
    }

    @Test func tableSaysWhichGoalsAreMetAndWhichAreNot() throws {
        let dir = TestPaths.temporaryDirectory("bench-table")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try table(["tagway-bench.json"], into: dir + "/out.json")
        let lines = result.stdout.split(separator: "\n")
        let movement = try #require(lines.first { $0.contains("movement W1") })
        let idle = try #require(lines.first { $0.contains("idle: wake-ups/s") })
        #expect(movement.contains("met (goal >= 9.31 M reads/CPU-s)") && !movement.contains("NOT MET"), "\(movement)")
        #expect(idle.contains("NOT MET (goal <= 0 /s)"), "\(idle)")
        #expect(result.stdout.contains("goals: 1 met, 1 not met (idle.wakeups_per_second)"), "\(result.stdout)")
    }

    @Test func tableFailsOnAMissingOrBrokenPart() throws {
        let dir = TestPaths.temporaryDirectory("bench-table")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"{"figures": [{"id": "x"}]}"#.write(toFile: dir + "/broken.json", atomically: true, encoding: .utf8)
        let missing = try ExternalCommand.run(["python3", scripts + "/bench-table", dir + "/out.json", dir + "/absent.json"])
        let broken = try ExternalCommand.run(["python3", scripts + "/bench-table", dir + "/out.json", dir + "/broken.json"])
        #expect(missing.status == 1, "\(missing.transcript)")
        #expect(broken.status == 1 && broken.stderr.contains("figure x lacks"), "\(broken.transcript)")
    }

    /// A benchmark that crashed wrote nothing: the others' figures are still merged and written,
    /// the missing part is named (in the table and under "incomplete"), and the run fails.
    @Test func aMissingPartCostsOnlyItsOwnFigures() throws {
        let dir = TestPaths.temporaryDirectory("bench-table")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let absent = dir + "/forward-site.json"
        let result = try ExternalCommand.run(["python3", scripts + "/bench-table", dir + "/out.json",
                                              sample("tagway-bench.json"), absent, sample("tagway-forward-bench.json")])
        #expect(result.status == 1, "\(result.transcript)")
        #expect(Set(try merged(dir + "/out.json").keys) == ["movement.W1.reads_per_cpu_second", "idle.wakeups_per_second",
                                                             "decoders.m100.mb_per_second", "llrp.r10000.read_to_durable_p99_ms"])
        #expect(result.stdout.contains("INCOMPLETE: 1 part(s) missing or broken") && result.stdout.contains(absent), "\(result.stdout)")
        struct Incomplete: Decodable { var part: String; var reason: String }
        struct Document: Decodable { var incomplete: [Incomplete]? }
        let document = try JSONDecoder().decode(Document.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/out.json")))
        #expect(document.incomplete?.map(\.part) == [absent])
        #expect(document.incomplete?.first?.reason.contains("No such file") == true, "\(String(describing: document.incomplete))")
    }

    @Test func compareFindsTheRegressionAndExitsOne() throws {
        let dir = TestPaths.temporaryDirectory("bench-compare")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try table(["tagway-bench.json", "tagway-forward-bench.json"], into: dir + "/after.json")
        let result = try ExternalCommand.run(["python3", scripts + "/bench-compare", sample("before.json"), dir + "/after.json"])
        #expect(result.status == 1, "\(result.transcript)")
        let lines = result.stdout.split(separator: "\n")
        func line(_ text: String) -> Substring { lines.first { $0.contains(text) } ?? "" }
        // 100 → 82 MB/s, higher is better: 18% worse than before, beyond the 10% default.
        #expect(line("decoder m100").contains("REGRESSION"), "\(result.stdout)")
        #expect(line("decoder m100").contains("x 0.820"), "\(result.stdout)")
        // Lower is better: 21 → 4.5 wake-ups/s is a gain, not a regression.
        #expect(line("idle: wake-ups/s").contains("better"), "\(result.stdout)")
        #expect(line("movement W1").contains("better"), "\(result.stdout)")
        // 3.0 → 3.1 ms is within the threshold: neither.
        #expect(!line("llrp at 10000").contains("REGRESSION") && !line("llrp at 10000").contains("better"), "\(result.stdout)")
        #expect(result.stdout.contains("only in \(sample("before.json")): a figure no longer measured"), "\(result.stdout)")
        #expect(result.stdout.contains("1 regression(s) beyond 10%"), "\(result.stdout)")
    }

    @Test func compareWithinAWiderThresholdOrAgainstItselfPasses() throws {
        let dir = TestPaths.temporaryDirectory("bench-compare")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try table(["tagway-bench.json", "tagway-forward-bench.json"], into: dir + "/after.json")
        let wide = try ExternalCommand.run(["python3", scripts + "/bench-compare", sample("before.json"), dir + "/after.json",
                                            "--threshold", "20"])
        let same = try ExternalCommand.run(["python3", scripts + "/bench-compare", dir + "/after.json", dir + "/after.json"])
        #expect(wide.status == 0 && wide.stdout.contains("0 regression(s) beyond 20%"), "\(wide.transcript)")
        #expect(same.status == 0 && same.stdout.contains("0 regression(s)"), "\(same.transcript)")
    }
}
