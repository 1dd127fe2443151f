/// One fuzz target: a name for `tagway-fuzz <name>`, the entry point libFuzzer calls with each
/// input, and the seed inputs built in code (emulator output, known-good frames).
///
/// The same `run` serves the fuzzer (built with coverage and ASan by `make fuzz`) and the
/// regression test of `make test` (plain build), so a crash found once is replayed forever.
/// `run` must not trap on any input; the invariants it checks (`FuzzInvariant`) are what makes
/// a wrong-but-not-crashing result a finding.
public struct FuzzTarget: Sendable {
    public let name: String
    public let summary: String
    public let run: @Sendable ([UInt8]) -> Void
    public let seeds: @Sendable () -> [[UInt8]]

    public init(name: String, summary: String, run: @escaping @Sendable ([UInt8]) -> Void,
                seeds: @escaping @Sendable () -> [[UInt8]]) {
        self.name = name
        self.summary = summary
        self.run = run
        self.seeds = seeds
    }
}

/// Every target, in the order `make fuzz` runs them.
public enum FuzzTargets {
    /// `devicesDir` is the repository's devices/ folder, for the config loader's profiles.
    public static func all(devicesDir: String) -> [FuzzTarget] {
        SerialDecoderTargets.all + HIDTargets.all + IdentityTargets.all + LLRPTargets.all + ConversationTargets.all
            + [ConfigTarget.make(devicesDir: devicesDir), CaptureTarget.target]
    }

    public static func named(_ name: String, devicesDir: String) -> FuzzTarget? {
        all(devicesDir: devicesDir).first { $0.name == name }
    }
}

/// A broken invariant is a finding like a crash: it stops the fuzzer with the input kept.
func fuzzInvariant(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                   file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError("fuzz invariant broken: \(message())", file: file, line: line) }
}
