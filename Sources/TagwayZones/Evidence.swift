import TagwayDebounce

/// The mobility rule: does a candidate read point's evidence beat the current one's?
///
/// Compiled from `MovementSettings` into integer milliseconds and dB per millisecond once, so
/// the per-read decision is a few comparisons.
struct Evidence: Sendable {
    let threshold: Double
    let holdoffMs: Int64
    let slopePerMs: Double
    let floor: Double
    let moveAfterReads: Int32

    init(_ settings: MovementSettings) {
        threshold = settings.threshold
        holdoffMs = settings.holdoff.wholeMilliseconds
        slopePerMs = settings.slopePerSecond / 1000
        floor = settings.floor
        moveAfterReads = Int32(clamping: settings.moveAfterReads)
    }

    /// The margin a candidate must beat the current read point's mean RSSI by, after the current
    /// zone has been silent for `silentMs`.
    func offset(silentMs: Int64) -> Double {
        guard silentMs > holdoffMs else { return threshold }
        return Swift.max(floor, threshold + slopePerMs * Double(silentMs - holdoffMs))
    }

    /// True when `candidate` takes the tag from `current` (nil: the current read point has no
    /// statistics left, the tag departed it). `silentMs` is how long the current zone (or, within
    /// a zone, the current read point) has not read the tag.
    ///
    /// - With RSSI on both sides: the candidate's window mean must beat the current one's by the
    ///   decaying offset.
    /// - Without RSSI (badge readers, NFC): the current side must have been silent for the
    ///   hold-off, or the candidate must have read the tag more than twice as often in the window.
    /// - A current side with no reads left in the window has no evidence: silence decides.
    func candidateWins(_ candidate: PresenceEvidence, over current: PresenceEvidence?, silentMs: Int64, minReads: Int32) -> Bool {
        guard candidate.windowReads >= minReads else { return false }
        guard let current, current.windowReads > 0 else { return silentMs > holdoffMs }
        if let c = candidate.windowMeanRSSI, let u = current.windowMeanRSSI {
            return c > u + offset(silentMs: silentMs)
        }
        return silentMs > holdoffMs || candidate.windowReads > 2 * current.windowReads
    }
}
