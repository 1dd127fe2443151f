import TagwayEmulators
import TagwayModel

/// A script for a simulated reader: what enters and leaves its field, what is scanned, when it is
/// unplugged. One step per line, `SECONDS VERB ARGS`, `#` comments:
///
///     0.0  enter 0100E2850E             # EM4100 card, or an EPC in hex
///     0.5  enter 3034257BF7194E4000001A85 antenna=2 rssi=-48
///     4.0  leave 0100E2850E
///     5.0  scan  ]C1<GS>8004061414112345   # barcode; <GS> (or \x1D) is the FNC1 separator
///     5.5  antenna 2 off                  # LLRP: antenna 2's cable is pulled (`on`: plugged back)
///     6.0  unplug                         # the pty closes: the gateway sees the device vanish
///     7.5  replug                         # a new pty behind the same path
///     9.0  end                            # optional; the scenario ends at its last step
public struct Scenario: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        case enter(FieldTag)
        case leave(TagID)
        case scan(BarcodeScan)
        /// A fixed reader's antenna cable pulled or plugged back (readers without ports ignore it).
        case antenna(Int, connected: Bool)
        case unplug
        case replug
        case end
    }

    public struct Step: Sendable, Hashable {
        public var at: Duration
        public var action: Action

        /// Scenarios written in code (benchmarks, tests) rather than parsed from text.
        public init(at: Duration, action: Action) {
            self.at = at
            self.action = action
        }
    }

    public var steps: [Step]

    public init(steps: [Step]) { self.steps = steps.sorted { $0.at < $1.at } }

    public var duration: Duration { steps.last?.at ?? .zero }

    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var file: String
        public var line: Int
        public var message: String
        public var description: String { "\(file):\(line): \(message)" }
    }

    public static func parse(_ text: String, file: String = "scenario") throws(ParseError) -> Scenario {
        var steps: [Step] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard !words.isEmpty else { continue }
            func fail(_ message: String) -> ParseError { ParseError(file: file, line: number + 1, message: message) }
            guard let seconds = Double(words[0]), seconds >= 0 else {
                throw fail("'\(words[0])' is not a time in seconds; a step is 'SECONDS VERB ARGS'")
            }
            let at = Duration.milliseconds(Int64((seconds * 1000).rounded()))
            guard words.count >= 2 else { throw fail("missing verb: enter, leave, scan, antenna, unplug, replug or end") }
            switch words[1] {
            case "enter":
                guard words.count >= 3, let id = TagID(hex: words[2]) else { throw fail("enter needs a tag id in hex") }
                var tag = FieldTag(id: id)
                for option in words.dropFirst(3) {
                    let kv = option.split(separator: "=", maxSplits: 1).map(String.init)
                    guard kv.count == 2, let value = Int(kv[1]) else { throw fail("option '\(option)': expected antenna=N or rssi=-NN") }
                    switch kv[0] {
                    case "antenna": tag.antenna = value
                    case "rssi": tag.rssi = value
                    default: throw fail("unknown option '\(kv[0])'; expected antenna or rssi")
                    }
                }
                steps.append(Step(at: at, action: .enter(tag)))
            case "leave":
                guard words.count >= 3, let id = TagID(hex: words[2]) else { throw fail("leave needs a tag id in hex") }
                steps.append(Step(at: at, action: .leave(id)))
            case "scan":
                guard words.count >= 3 else { throw fail("scan needs the barcode text") }
                steps.append(Step(at: at, action: .scan(parseScan(words[2...].joined(separator: " ")))))
            case "antenna":
                guard words.count == 4, let port = Int(words[2]), port > 0, port <= Int(UInt16.max), ["on", "off"].contains(words[3]) else {
                    throw fail("antenna needs a port number and on or off, e.g. 'antenna 2 off'")
                }
                steps.append(Step(at: at, action: .antenna(port, connected: words[3] == "on")))
            case "unplug": steps.append(Step(at: at, action: .unplug))
            case "replug": steps.append(Step(at: at, action: .replug))
            case "end": steps.append(Step(at: at, action: .end))
            default: throw fail("unknown verb '\(words[1])'; expected enter, leave, scan, antenna, unplug, replug or end")
            }
        }
        return Scenario(steps: steps)
    }

    /// Barcode text with an optional AIM prefix (`]C1…`) and `<GS>` or `\x1D` for the separator.
    public static func parseScan(_ text: String) -> BarcodeScan {
        let expanded = text.replacingOccurrences(of: "<GS>", with: "\u{1D}").replacingOccurrences(of: "\\x1D", with: "\u{1D}")
        var bytes = Array(expanded.utf8)
        var symbology: String?
        if bytes.count >= 3, bytes[0] == UInt8(ascii: "]") {
            symbology = String(decoding: bytes[0..<3], as: UTF8.self)
            bytes.removeFirst(3)
        }
        return BarcodeScan(symbology: symbology, data: bytes)
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
