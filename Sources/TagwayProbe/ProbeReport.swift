/// The words `tagway devices --probe` prints for an outcome: every setting tried, each match with
/// its evidence, the reader line to add to the configuration, and what to do when nothing matched.
public enum ProbeReport {
    public static func text(_ outcome: ProbeOutcome, port: String) -> String {
        var lines: [String] = []
        if let failure = outcome.failure {
            lines.append("cannot probe \(port): \(failure)")
            return lines.joined(separator: "\n")
        }
        for attempt in outcome.attempts {
            let found = outcome.matches.filter { $0.serial == attempt.serial }
            let heard = "\(attempt.serial): heard \(attempt.bytesHeard) byte\(attempt.bytesHeard == 1 ? "" : "s")"
            if found.isEmpty {
                lines.append(heard + "; no profile matched")
            } else {
                lines.append(heard)
                for match in found { lines.append("  matches \(match.profileID) (\(match.protocolID)): \(match.evidence)") }
            }
        }
        if let best = outcome.matches.first {
            let others = outcome.matches.dropFirst().filter { $0.protocolID == best.protocolID && $0.serial == best.serial }
            lines.append("add to the configuration's readers:")
            lines.append("  " + readerLine(best, port: port))
            if !others.isEmpty {
                lines.append("(the same protocol and line settings as \(others.map(\.profileID).joined(separator: ", ")): "
                             + "use the profile of your model)")
            }
        } else {
            lines.append("no profile matched \(port). Commanded readers (UHF modules, NFC) answer a version query at their rate; "
                         + "passive readers (EM4100, serial barcode scanners) speak only when a card or code is presented: "
                         + "present one and probe again (a longer --listen helps).")
        }
        return lines.joined(separator: "\n")
    }

    /// The YAML of one reader, named after the port (`/dev/ttyUSB0` → `ttyUSB0`).
    public static func readerLine(_ match: ProbeMatch, port: String) -> String {
        let name = String(port.split(separator: "/").last ?? "reader")
        return "- { id: \(name), profile: \(match.profileID), port: \(port), readPoint: \(name) }"
    }
}
