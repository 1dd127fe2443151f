import TagwayHID
import TagwayModel
import TagwaySessions

/// One configured USB HID reader.
public struct HIDReaderConfiguration: Sendable {
    public var match: USBDeviceMatch
    public var decoding: HIDDecoding
    /// Interrupt transfers kept in flight.
    public var transfers: Int
    /// Delay between attempts to open a reader that is present but fails to open (permissions,
    /// another program holding it). A reader that is absent is not retried on a timer: its
    /// arrival is announced by udev and libusb.
    public var retry: Backoff
    /// The profile's technology: an `em4100` keyboard-wedge reader's typed card ids become tags.
    public var technology: String?

    public init(
        match: USBDeviceMatch, decoding: HIDDecoding, transfers: Int = 2,
        retry: Backoff = Backoff(initial: .seconds(1), maximum: .seconds(30)), technology: String? = nil
    ) {
        self.match = match
        self.decoding = decoding
        self.transfers = transfers
        self.retry = retry
        self.technology = technology
    }
}

/// What a reader session reports, in order.
public enum HIDReaderSessionEvent: Sendable {
    /// The reader is not attached; the session waits for it to be plugged in.
    case waiting(USBDeviceMatch)
    /// The reader was opened and is being read.
    case connected(HIDReaderDevice, HIDReaderKind)
    /// A scan, stamped with the arrival of the report that completed it (or, for a scan ended
    /// by the inter-key timeout, the time the timeout fired).
    case frame(ReaderFrame, time: Timestamp)
    /// The reader went away or failed; a scan in progress was dropped. The session waits for
    /// it to come back.
    case disconnected(USBError)
    /// The reader is attached but could not be opened; retried after `retryIn` (nil: only
    /// when it is plugged in again, e.g. the interface is not what the profile says).
    case openFailed(USBError, retryIn: Duration?)
    /// What the reader's health should show now (connection state, counters): the events
    /// above say what happened, this is the session machine's verdict, applied as is.
    case health(HealthChange)
}
