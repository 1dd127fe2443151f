import TagwayHID
import TagwayModel

/// Everything that can happen to a reader session, as its shell reports it. Times are the wall
/// clock's, read by the shell: the machine never reads a clock.
public enum ReaderSessionInput: Sendable {
    /// The session begins: the first open is attempted.
    case start(at: Timestamp)
    /// The `open` action succeeded. `path` is where the device was found (a USB reader's bus
    /// path; nil when it is the configured one). `reportDecoder` is the HID decoder the reader's
    /// report descriptor allows; the first one a session gets is kept across reconnects.
    case opened(ConnectionID, at: Timestamp, path: String? = nil, reportDecoder: HIDReportDecoder? = nil)
    /// The `open` action failed.
    case openFailed(ConnectionID, SessionFailure, at: Timestamp)
    /// The `open` action found no such device attached: the session waits for it to appear.
    case absent(ConnectionID)
    /// Bytes read from a byte-stream connection (serial, TCP).
    case bytes(ConnectionID, [UInt8], at: Timestamp)
    /// The byte-stream connection paused reading this many times so far, because the session
    /// did not keep up (back-pressure: nothing was discarded).
    case inputPaused(ConnectionID, total: Int)
    /// One input report from a HID connection.
    case report(ConnectionID, [UInt8], at: Timestamp)
    /// An armed timer ran out.
    case timerFired(TimerToken, at: Timestamp)
    /// The connection ended: the device went away (failure nil: the stream simply ended).
    /// Everything it delivered before this was already handed to the machine.
    case unplugged(ConnectionID, SessionFailure?, at: Timestamp)
    /// udev or libusb announced the device (plugged in again): a wait is cut short and a refused
    /// device is tried again.
    case deviceAdded
    /// udev reported the device changed or was bound to a driver: worth an attempt unless the
    /// device was refused.
    case deviceChanged
    /// The gateway is stopping the session.
    case stop
}
