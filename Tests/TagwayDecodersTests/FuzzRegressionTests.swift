import Foundation
import TagwayFuzzing
import TagwayProtocols
import TagwayTestSupport
import Testing

/// Replays, in the plain test build, every input fuzzing ever found breaking a target (kept
/// under Fixtures/fuzz-regressions/<target>/ as libFuzzer wrote it) and every target's seeds,
/// through the same entry point `make fuzz` fuzzes. A crash here is a regression.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let targets = FuzzTargets.all(devicesDir: TestPaths.repositoryDevices)

    static var regressionsDirectory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/fuzz-regressions")
    }

    static func regressions(for target: String) -> [URL] {
        let dir = regressionsDirectory.appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().filter { !$0.hasPrefix(".") }.map { dir.appendingPathComponent($0) }
    }

    @Test("every target replays its regressions and seeds", arguments: targets.map(\.name))
    func replays(target name: String) throws {
        let target = try #require(Self.targets.first { $0.name == name })
        let seeds = target.seeds()
        #expect(!seeds.isEmpty, "\(name) has seeds")
        for seed in seeds { target.run(seed) }
        for file in Self.regressions(for: name) {
            target.run(Array(try Data(contentsOf: file)))
        }
    }

    @Test func regressionFoldersNameTargets() throws {
        let names = Set(Self.targets.map(\.name))
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.regressionsDirectory.path).filter { !$0.hasPrefix(".") }
        #expect(!folders.isEmpty, "regression inputs are kept")
        for folder in folders { #expect(names.contains(folder), "fuzz-regressions/\(folder) is a target name") }
    }

    @Test func everyRegistryProtocolHasATarget() {
        let names = Set(Self.targets.map(\.name))
        for expected in ProtocolRegistry.all.map(\.id) + ["hid-descriptor", "epc", "gs1", "config", "llrp-codec", "capture"] {
            #expect(names.contains(expected), "\(expected) is fuzzed")
        }
    }
}
