import TagwayModel
import TagwaySessions

/// Where a session machine's health changes land: the one writer of a reader's connection state
/// and counters, shared by the serial and USB shells.
extension HealthBoard {
    public func apply(_ change: HealthChange, to reader: String) {
        switch change {
        case .connected(let time, let path):
            update(reader) {
                $0.connected = true
                $0.connectedSince = time
                if let path { $0.path = path }
                $0.lastError = nil
            }
            connectionChanged(reader, connected: true)
        case .disconnected(let failure, _):
            update(reader) {
                $0.connected = false
                if let failure { $0.lastError = failure.description }
            }
            connectionChanged(reader, connected: false)
        case .waitingForDevice:
            update(reader) {
                $0.connected = false
                $0.lastError = "not attached"
            }
            connectionChanged(reader, connected: false)
        case .received(let frames, let bytes, let time):
            chunkReceived(reader, frames: frames, bytes: bytes, at: time)
        case .count(let counter, let delta):
            update(reader) { $0.counters.add(delta, to: counter) }
        case .details(let details):
            update(reader) {
                $0.details = details
                if let reports = details.reports, let time = details.lastHeardFrom { $0.reportRate.sample(reports, at: time) }
            }
        }
    }
}
