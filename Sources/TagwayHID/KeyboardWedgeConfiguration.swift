/// The key a scanner sends after each scan (its "suffix").
public enum ScanTerminator: String, Hashable, Sendable, CaseIterable {
    case enter
    case tab
    /// No suffix: only the inter-key timeout ends a scan.
    case none
}

/// How to read one keyboard-wedge reader, from its device profile's `settings:`.
public struct KeyboardWedgeConfiguration: Hashable, Sendable {
    /// The keyboard country the scanner is set to.
    public var keymap: Keymap
    public var terminator: ScanTerminator
    /// A pause this long after the last key ends the scan in progress.
    public var interKeyTimeout: Duration
    /// What that pause does to the scan: hand it up (the reader sends no suffix) or drop it as
    /// truncated (a suffix is configured, so a scan without one is incomplete; a truncated asset
    /// key in the event log is worse than a missed scan the operator repeats).
    public var timeoutEndsScan: Bool
    /// The scanner is set to send the AIM symbology identifier (`]E0`, `]C1`...) before the data;
    /// it is split off into `BarcodeScan.symbology`.
    public var symbologyPrefix: Bool
    /// Longest scan in bytes; longer ones are dropped and counted, so a stuck key cannot grow a
    /// buffer without bound.
    public var maximumScanLength: Int

    /// `timeoutEndsScan` defaults to true only when there is no terminator.
    public init(
        keymap: Keymap = .us, terminator: ScanTerminator = .enter,
        interKeyTimeout: Duration = .milliseconds(100), timeoutEndsScan: Bool? = nil,
        symbologyPrefix: Bool = false, maximumScanLength: Int = 4096
    ) {
        self.keymap = keymap
        self.terminator = terminator
        self.interKeyTimeout = interKeyTimeout
        self.timeoutEndsScan = timeoutEndsScan ?? (terminator == .none)
        self.symbologyPrefix = symbologyPrefix
        self.maximumScanLength = maximumScanLength
    }
}
