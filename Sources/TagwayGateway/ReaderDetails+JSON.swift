import Foundation
import TagwayModel
import TagwaySessions

extension ReaderDetails {
    /// The `details` object of a reader in the status: what the reader said about itself, and
    /// the figures status derives (how long ago it was last heard from, its report rate). Only
    /// what is known is written: a reader that does not say its firmware has no `firmware`.
    func json(reportsPerSecond: Double?, now: Timestamp) -> String {
        var w = JSONObjectWriter()
        if let model { w.string("model", model) }
        if let firmware { w.string("firmware", firmware) }
        if let antennaPorts { w.number("antennaPorts", Int64(antennaPorts)) }
        if let antennasConnected { w.raw("antennasConnected", "[" + antennasConnected.map(String.init).joined(separator: ",") + "]") }
        if let lastHeardFrom {
            let age = max(0, (now - lastHeardFrom).wholeMilliseconds)
            w.raw("keepaliveAgeSeconds", String(format: "%.1f", Double(age) / 1000))
        }
        if let clockSkew { w.number("clockSkewMs", clockSkew.wholeMilliseconds) }
        if let readerClockUsed { w.bool("readerClockUsed", readerClockUsed) }
        if let reportsPerSecond { w.raw("reportsPerSecond", String(format: "%.1f", reportsPerSecond)) }
        return w.finish()
    }
}
