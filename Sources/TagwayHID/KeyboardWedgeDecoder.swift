import TagwayModel

/// Turns the boot-keyboard reports of a keyboard-wedge reader (a barcode scanner in keyboard
/// mode, a 125 kHz reader that "types" the card number) back into the text it typed.
///
/// Pure: the caller passes each report's arrival time and, when `nextDeadline` passes without a
/// report, calls `flush(now:)`; the decoder never reads a clock. A scan ends at the configured
/// terminator key or, after `interKeyTimeout` without a key, as `timeoutEndsScan` says.
public struct KeyboardWedgeDecoder: Sendable {
    public let configuration: KeyboardWedgeConfiguration
    public private(set) var statistics = HIDDecoderStatistics()

    private var keysDown: [UInt8] = []
    private var modifiers: KeyboardModifiers = []
    private var capsLock = false
    private var pending: [UInt8] = []
    private var pendingDead: Unicode.Scalar?
    /// Decimal digits typed on the keypad while Alt is held (Windows "Alt codes"), which scanners
    /// use for characters a layout cannot type, such as GS (Alt+029) in GS1 barcodes.
    private var altCode: Int?
    private var overlong = false
    private var lastKeyAt: Timestamp?

    public init(configuration: KeyboardWedgeConfiguration = KeyboardWedgeConfiguration()) {
        self.configuration = configuration
    }

    /// True while part of a scan is held.
    public var hasPartialScan: Bool { !pending.isEmpty || pendingDead != nil || altCode != nil || overlong }

    /// When the scan in progress times out; nil when none is in progress.
    public var nextDeadline: Timestamp? {
        guard hasPartialScan, let lastKeyAt else { return nil }
        return lastKeyAt + configuration.interKeyTimeout
    }

    /// Reads one input report that arrived at `time`; returns the scans it completed (a timed-out
    /// scan first, when `time` is past the deadline and `flush` was not called).
    public mutating func feed<C: Collection>(report: C, at time: Timestamp) -> [ReaderFrame] where C.Element == UInt8 {
        var frames = flush(now: time)
        statistics.reports += 1
        guard let report = BootKeyboardReport(bytes: report) else {
            statistics.malformedReports += 1
            return frames
        }
        if report.isErrorReport {
            statistics.errorReports += 1
            return frames
        }
        let pressed = report.keys.filter { !keysDown.contains($0) }
        let altWasHeld = modifiers.contains(.leftAlt)
        keysDown = report.keys
        modifiers = report.modifiers
        for usage in pressed {
            lastKeyAt = time
            press(usage, &frames)
        }
        if altWasHeld && !modifiers.contains(.leftAlt) { finishAltCode() }
        return frames
    }

    /// Ends the scan in progress if its deadline has passed; returns it when the configuration
    /// says a timeout completes a scan.
    public mutating func flush(now: Timestamp) -> [ReaderFrame] {
        guard let deadline = nextDeadline, now >= deadline else { return [] }
        var frames: [ReaderFrame] = []
        if configuration.timeoutEndsScan {
            finishAltCode()
            finishDeadKey()
            endScan(&frames)
        } else {
            dropPartialScan()
        }
        lastKeyAt = nil
        return frames
    }

    /// Forgets all state, as when the reader is unplugged: a partial scan is dropped and counted.
    public mutating func reset() {
        dropPartialScan()
        keysDown = []
        modifiers = []
        capsLock = false
        lastKeyAt = nil
    }

    private mutating func press(_ usage: UInt8, _ frames: inout [ReaderFrame]) {
        switch usage {
        case KeyboardUsage.capsLock:
            capsLock.toggle()
        case KeyboardUsage.enter, KeyboardUsage.keypadEnter:
            terminatorKey(.enter, byte: 0x0D, &frames)
        case KeyboardUsage.tab:
            terminatorKey(.tab, byte: 0x09, &frames)
        case KeyboardUsage.space:
            type(" ")
        case _ where modifiers.contains(.leftAlt) && !modifiers.control && KeyboardUsage.keypadDigit(usage) != nil:
            altCode = ((altCode ?? 0) * 10 + KeyboardUsage.keypadDigit(usage)!) % 1000  // force-unwrap-ok: the case's condition
        case KeyboardUsage.keypadDecimal:
            type(configuration.keymap.keypadDecimal)
        case _ where KeyboardUsage.keypadCharacter(usage) != nil:
            type(KeyboardUsage.keypadCharacter(usage)!)  // force-unwrap-ok: the case's condition
        default:
            layoutKey(usage)
        }
    }

    private mutating func layoutKey(_ usage: UInt8) {
        guard let entry = configuration.keymap.entry(for: usage) else {
            statistics.unmappedKeys += 1
            return
        }
        if modifiers.control && !modifiers.altGr {
            controlCharacter(entry)
            return
        }
        switch entry.output(shift: modifiers.shift, altGr: modifiers.altGr, capsLock: capsLock) {
        case .character(let scalar)?:
            type(scalar)
        case .dead(let accent)?:
            finishDeadKey()
            pendingDead = accent
        case nil:
            statistics.unmappedKeys += 1
        }
    }

    /// Ctrl+key types the ASCII control character of the key's letter or `@[\]^_` (Ctrl+] is GS,
    /// which scanners send for GS1's FNC1 on layouts that have `]` unshifted).
    private mutating func controlCharacter(_ entry: KeymapEntry) {
        for level in [entry.levels[0], entry.levels[1]] {
            guard case .character(let scalar)? = level, scalar.isASCII else { continue }
            let upper = scalar.value >= 0x61 && scalar.value <= 0x7A ? scalar.value - 0x20 : scalar.value
            if (0x40...0x5F).contains(upper) {
                append([UInt8(upper & 0x1F)])
                return
            }
        }
        statistics.unmappedKeys += 1
    }

    private mutating func terminatorKey(_ key: ScanTerminator, byte: UInt8, _ frames: inout [ReaderFrame]) {
        finishAltCode()
        finishDeadKey()
        if configuration.terminator == key {
            endScan(&frames)
            lastKeyAt = nil
        } else {
            append([byte])
        }
    }

    private mutating func type(_ scalar: Unicode.Scalar) {
        if let accent = pendingDead {
            pendingDead = nil
            if scalar == " " {
                append(accent)
                return
            }
            if let composed = DeadKeyComposition.compose(accent, with: scalar) {
                append(composed)
                return
            }
            append(accent)
        }
        append(scalar)
    }

    private mutating func finishDeadKey() {
        if let accent = pendingDead {
            pendingDead = nil
            append(accent)
        }
    }

    private mutating func finishAltCode() {
        guard let code = altCode else { return }
        altCode = nil
        // Codes above 127 are read as Latin-1, which Windows' ANSI page matches for letters.
        if let scalar = Unicode.Scalar(UInt32(code % 256)) { append(scalar) }
    }

    private mutating func append(_ scalar: Unicode.Scalar) {
        append(Array(String(scalar).utf8))
    }

    private mutating func append(_ bytes: [UInt8]) {
        guard !overlong else { return }
        if pending.count + bytes.count > configuration.maximumScanLength {
            overlong = true
            pending = []
        } else {
            pending.append(contentsOf: bytes)
        }
    }

    private mutating func endScan(_ frames: inout [ReaderFrame]) {
        defer { pending = [] }
        if overlong {
            overlong = false
            statistics.overlongScans += 1
            return
        }
        guard !pending.isEmpty else { return }
        var scan = BarcodeScan(data: pending)
        if configuration.symbologyPrefix, pending.count >= 3, pending[0] == UInt8(ascii: "]") {
            scan = BarcodeScan(symbology: String(decoding: pending[0..<3], as: UTF8.self), data: Array(pending[3...]))
        }
        // An AIM identifier and nothing after it is no scan, like an empty one (found by fuzzing).
        guard !scan.data.isEmpty else { return }
        statistics.scans += 1
        frames.append(.barcode(scan))
    }

    private mutating func dropPartialScan() {
        if overlong {
            statistics.overlongScans += 1
        } else if hasPartialScan {
            statistics.truncatedScans += 1
        }
        pending = []
        pendingDead = nil
        altCode = nil
        overlong = false
    }
}
