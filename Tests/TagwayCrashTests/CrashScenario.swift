import Foundation
import TagwayModel

/// The scripted world of the kill -9 stress test: four M100 readers (each one read point), three
/// zones, which GIAI tags enter and leave which field when, and when the gateway is killed.
///
/// Layout: `store` and `lab` are presence zones; `dock` is a door (inside `door-in`, outside
/// `door-out`) with a rule alerting on every crossing out. The script:
/// - 0.3 s: `gone` enters the lab; the gateway is killed at `longKillAt` and kept down for
///   `longDowntime` (longer than departAfter + the state interval); `gone` leaves just after the
///   kill, so its departure falls inside the downtime.
/// - from `blockStart`: `stay-store` and `stay-lab` enter and never leave (they must never arrive
///   twice); then, per block of `blockLength` s, fresh tags that arrive and leave (`leave-*`),
///   move from store to lab (`move-*`) and cross the door out (`door-*`).
/// Every tag dwells at least 5 s at each read point alone, longer than any short downtime (the
/// test checks they stay under departAfter - 2 s), so a short kill can delay a transition but
/// never hide one; only the long downtime hides `gone`'s leaving.
struct CrashScenario: Sendable {
    static let readPoints = ["store", "lab", "door-in", "door-out"]
    let departAfter: Duration
    let longKillAt: Duration = .seconds(2)
    let longDowntime: Duration
    let blockStart: Duration = .seconds(10)
    let blockLength: Duration = .seconds(40)
    let blocks: Int
    /// Per read point, the simulator script (`SECONDS VERB ARGS` lines).
    private(set) var scripts: [String: [String]] = [:]
    /// Asset tag (EPC hex) of each named asset.
    private(set) var tags: [String: String] = [:]

    init(kills: Int, departAfter: Duration) {
        self.departAfter = departAfter
        longDowntime = departAfter + .seconds(3)
        blocks = max(1, (kills + 19) / 20)
        for point in Self.readPoints { scripts[point] = [] }
        add("gone", at: 0.3, enter: "lab", rssi: -50)
        add("gone", at: seconds(longKillAt) + 0.4, leave: "lab")
        let start = seconds(blockStart)
        add("stay-store", at: start, enter: "store", rssi: -50)
        add("stay-lab", at: start, enter: "lab", rssi: -50)
        for block in 0..<blocks {
            let t = start + Double(block) * seconds(blockLength)
            add("leave-\(block)", at: t + 1, enter: "store", rssi: -55)
            add("leave-\(block)", at: t + 26, leave: "store")
            add("move-\(block)", at: t + 2, enter: "store", rssi: -62)
            add("move-\(block)", at: t + 8, enter: "lab", rssi: -40)
            add("move-\(block)", at: t + 9, leave: "store")
            add("door-\(block)", at: t + 12, enter: "door-in", rssi: -50)
            add("door-\(block)", at: t + 17, leave: "door-in")
            add("door-\(block)", at: t + 17, enter: "door-out", rssi: -40)
            add("door-\(block)", at: t + 22, leave: "door-out")
            add("late-\(block)", at: t + 29, enter: "lab", rssi: -52)
            add("late-\(block)", at: t + 34, leave: "lab")
        }
    }

    /// When the last scripted step has happened and every departure it causes is due.
    var settled: Duration { blockStart + blockLength * blocks + departAfter }
    /// The window in which the random short kills fall.
    var killWindow: ClosedRange<Double> { (seconds(blockStart) + 0.5)...(seconds(settled - departAfter) - 1) }

    func script(_ point: String) -> String { (scripts[point] ?? []).joined(separator: "\n") + "\n" }

    /// The asset named `name` by its tag's raw EPC hex.
    func tag(_ name: String) -> String { tags[name] ?? "" }

    /// A GIAI-96 EPC per asset name: header 0x34, company prefix 0614141, a serial per asset.
    private mutating func epc(_ name: String) -> String {
        if let known = tags[name] { return known }
        let serial = tags.count + 0x3000
        let hex = "3414257BF40000000000" + String(format: "%04X", serial)
        tags[name] = hex
        return hex
    }

    private mutating func add(_ name: String, at time: Double, enter point: String, rssi: Int) {
        let id = epc(name)
        scripts[point, default: []].append(String(format: "%.2f", time) + " enter \(id) rssi=\(rssi)")
    }

    private mutating func add(_ name: String, at time: Double, leave point: String) {
        let id = epc(name)
        scripts[point, default: []].append(String(format: "%.2f", time) + " leave \(id)")
    }

    /// The gateway configuration for a run writing to `dir`, readers on the ptys in `dir`.
    func config(dir: String, devices: String) -> String {
        let readers = Self.readPoints.map {
            "  - { id: r-\($0), profile: magicrf/m100, port: \"\(dir)/\($0)\", readPoint: \($0) }"
        }.joined(separator: "\n")
        return """
            gateway: { id: crash, dataDir: "\(dir)", devicesDir: "\(devices)" }
            debounce: { departAfter: \(departAfter.components.seconds)s }
            readers:
            \(readers)
            zones:
              - { id: store, readPoints: [store] }
              - { id: lab, readPoints: [lab] }
              - { id: dock, door: { inside: [door-in], outside: [door-out] } }
            rules:
              - { id: no-exit, match: { scheme: giai }, alertOn: [passed-out] }

            """
    }
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

/// The seeded kill moments: one scripted long kill, then `count - 1` short ones at random
/// moments (scenario seconds, sorted) in the scenario's window.
struct KillPlan: Sendable {
    struct Kill: Sendable {
        var at: Double
        /// Kill the restarted gateway again during its start (after `startupKillAfter` s).
        var startupKillAfter: Double?
    }

    var kills: [Kill]

    init(count: Int, seed: UInt64, window: ClosedRange<Double>) {
        var rng = SplitMix64(seed: seed)
        var moments = (0..<max(0, count - 1)).map { _ in Double.random(in: window, using: &rng) }.sorted()
        moments = moments.map { ($0 * 100).rounded() / 100 }
        kills = moments.enumerated().map { index, at in
            // Every fifth kill hits the process again while it starts (log open, migration, restore).
            Kill(at: at, startupKillAfter: index % 5 == 4 ? Double.random(in: 0.05...0.4, using: &rng) : nil)
        }
    }
}
