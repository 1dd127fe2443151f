import TagwayDebounce

/// The mobility rule's answer for one candidate read point, with its reasons: what the tuning
/// view shows beside each read point that hears a tag but does not hold it.
public struct HandOver: Hashable, Sendable {
    /// dB by which the candidate's mean must beat the anchor's (the decayed threshold); nil when
    /// RSSI does not decide (no RSSI on one side, or the anchor has no reads left).
    public var requiredMargin: Double?
    /// True when the candidate takes the asset on its next read.
    public var wins: Bool
    /// The reason in words a facilities team can act on (move an antenna, change `threshold`).
    public var why: String
}

extension Evidence {
    /// Explains `candidateWins` for the same arguments. `wins` is `candidateWins` itself, so the
    /// explanation can never disagree with what the engine does; the sentence names the branch of
    /// the rule that decided and its numbers. `onWin` says what winning does ("the asset moves to
    /// dock-2"); `anchor` names the read point that holds the asset now.
    func explain(_ candidate: PresenceEvidence, over current: PresenceEvidence?, silentMs: Int64, minReads: Int32,
                 anchor: String, onWin: String) -> HandOver {
        let wins = candidateWins(candidate, over: current, silentMs: silentMs, minReads: minReads)
        let outcome = wins ? ": \(onWin) on its next read" : ""
        let silence = silentMs == .max ? "no reads left at \(anchor)" : "\(anchor) silent \(silentMs) ms"
        guard candidate.windowReads >= minReads else {
            let need = minReads == 1 ? "a read in the window" : "\(minReads) reads in the window (moveAfterReads)"
            return HandOver(requiredMargin: nil, wins: wins,
                            why: "\(candidate.windowReads) reads in the window; it needs \(need) before it can take the asset from \(anchor)")
        }
        guard let current, current.windowReads > 0 else {
            return HandOver(requiredMargin: nil, wins: wins,
                            why: "\(anchor) has no reads in the window, so silence decides: \(silence), hold-off \(holdoffMs) ms\(outcome)")
        }
        if let c = candidate.windowMeanRSSI, let u = current.windowMeanRSSI {
            let margin = offset(silentMs: silentMs)
            let verb = wins ? "beats" : "does not beat"
            let decay = silentMs > holdoffMs ? " (lowered from \(Self.dB(threshold)) dB: \(silence), past the \(holdoffMs) ms hold-off)" : ""
            return HandOver(requiredMargin: margin, wins: wins,
                            why: "mean \(Self.dB(c)) dBm \(verb) the anchor's \(Self.dB(u)) + \(Self.dB(margin)) dB\(decay)\(outcome)")
        }
        let which = candidate.windowMeanRSSI == nil && current.windowMeanRSSI == nil ? "no RSSI" : "RSSI on one side only"
        return HandOver(requiredMargin: nil, wins: wins,
                        why: "\(which), so it needs \(anchor) silent past the \(holdoffMs) ms hold-off (\(silence)) or more than twice its reads "
                            + "(\(candidate.windowReads) here, \(current.windowReads) at \(anchor))\(outcome)")
    }

    /// One decimal, as people read dB ("-52.3", "6.0"), without Foundation's formatters.
    static func dB(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == 0 ? "0.0" : "\(rounded)"
    }
}
