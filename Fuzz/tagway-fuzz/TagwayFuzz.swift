import CFuzzerDriver
import Foundation
import TagwayConfig
import TagwayFuzzing

/// `tagway-fuzz`: every fuzz target in one executable, each runnable on its own.
///
///     tagway-fuzz list
///     tagway-fuzz seed <target> <dir>          seeds from code and from the repository's fixtures
///     tagway-fuzz replay <target> <file|dir>…  runs inputs once (no fuzzer needed)
///     tagway-fuzz <target> [libFuzzer flags] [corpus dirs]
///
/// The last form needs the `make fuzz` build (coverage, ASan, libFuzzer linked in).
@main
enum TagwayFuzz {
    /// The target libFuzzer's callback runs; set once before the driver starts.
    nonisolated(unsafe) static var selected: FuzzTarget?

    static func main() {
        let arguments = CommandLine.arguments
        let devices = DevicesDirectory.locate()
        let targets = FuzzTargets.all(devicesDir: devices)
        guard arguments.count >= 2 else { usage(targets) }
        switch arguments[1] {
        case "list":
            for target in targets { print(target.name.padding(toLength: 20, withPad: " ", startingAt: 0) + target.summary) }
        case "seed":
            guard arguments.count == 4, let target = targets.first(where: { $0.name == arguments[2] }) else { usage(targets) }
            let seeds = target.seeds() + RepositorySeeds.seeds(for: target.name, devicesDir: devices)
            do {
                try FileManager.default.createDirectory(atPath: arguments[3], withIntermediateDirectories: true)
                for (index, seed) in seeds.enumerated() {
                    try Data(seed).write(to: URL(fileURLWithPath: arguments[3]).appendingPathComponent("seed-\(index)"))
                }
            } catch {
                fail("cannot write seeds: \(error)")
            }
            print("\(target.name): \(seeds.count) seeds in \(arguments[3])")
        case "replay":
            guard arguments.count >= 3, let target = targets.first(where: { $0.name == arguments[2] }) else { usage(targets) }
            var count = 0
            for path in arguments.dropFirst(3) {
                for file in RepositorySeeds.files(at: path) {
                    guard let data = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
                    target.run(Array(data))
                    count += 1
                }
            }
            print("\(target.name): replayed \(count) inputs")
        default:
            guard let target = targets.first(where: { $0.name == arguments[1] }) else { usage(targets) }
            guard tagway_fuzzer_available() == 1 else {
                fail("this tagway-fuzz was built without libFuzzer: build it with `make fuzz`")
            }
            selected = target
            // libFuzzer sees argv[0] and the flags after the target name.
            var argc = Int32(arguments.count - 1)
            let strings = ([arguments[0]] + arguments.dropFirst(2)).map { strdup($0) } + [nil]
            let argvStorage = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: strings.count)
            argvStorage.initialize(from: strings, count: strings.count)
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argvStorage
            exit(tagway_fuzzer_run(&argc, &argv) { data, size in
                TagwayFuzz.selected?.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
                return 0
            })
        }
    }

    static func usage(_ targets: [FuzzTarget]) -> Never {
        fail("usage: tagway-fuzz list | seed <target> <dir> | replay <target> <file|dir>... | <target> [libFuzzer flags]\n"
             + "targets: " + targets.map(\.name).joined(separator: " "))
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(2)
    }
}
